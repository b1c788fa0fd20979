import { useQuery } from '@tanstack/react-query';
import { useConnection } from '../../connection/ConnectionContext.tsx';
import type { ToPackOrder } from '../warehouse/types.ts';

/** The largest page the server gives; the queue is worked from the top, oldest paid first. */
const QUEUE_LIMIT = 200;

export function useToPack() {
  const { http } = useConnection();
  return useQuery({
    queryKey: ['to-pack'],
    queryFn: async ({ signal }) =>
      (
        await http.request<{ data: ToPackOrder[]; total: number }>('/api/admin/shipping/to-pack', {
          query: new URLSearchParams({ limit: String(QUEUE_LIMIT) }),
          signal,
        })
      ).body,
  });
}
