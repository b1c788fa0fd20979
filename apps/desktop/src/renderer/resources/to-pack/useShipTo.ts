import { useQuery } from '@tanstack/react-query';
import { useConnection } from '../../connection/ConnectionContext.tsx';
import type { PostalAddress } from '../orders/orderTypes.ts';

/**
 * The order's full address (the queue gives name, city and country only): the admin order detail,
 * `GET /api/admin/orders/{id}` (orders:read, which every role that packs has).
 */
export function useOrderAddress(orderId: string) {
  const { http } = useConnection();
  return useQuery({
    queryKey: ['packing', orderId, 'address'],
    queryFn: async ({ signal }) =>
      (
        await http.request<{ shippingAddress: PostalAddress }>(
          `/api/admin/orders/${encodeURIComponent(orderId)}`,
          { signal },
        )
      ).body.shippingAddress,
  });
}

/**
 * The order's parcels that came back (tracking status `returned_to_sender`, ADR 0047): their units are in
 * the queue again, and the address may need correcting before the next label.
 */
export function useReturnedParcels(orderId: string) {
  const { http } = useConnection();
  return useQuery({
    queryKey: ['packing', orderId, 'returned'],
    queryFn: async ({ signal }) =>
      (
        await http.request<{ data: { id: string; trackingNumber: string }[]; total: number }>(
          '/api/admin/shipments',
          {
            query: new URLSearchParams({
              orderId,
              status: 'returned_to_sender',
              perPage: '5',
              sort: 'createdAt',
              order: 'DESC',
            }),
            signal,
          },
        )
      ).body,
  });
}
