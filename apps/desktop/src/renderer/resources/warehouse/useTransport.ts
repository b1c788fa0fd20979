import { useMemo } from 'react';
import { useConnection } from '../../connection/ConnectionContext.tsx';
import type { RawTransport } from './transfer.ts';

export function useRawTransport(): RawTransport {
  const { connection, http, tokens } = useConnection();
  return useMemo(() => ({ baseUrl: () => connection.baseUrl(), http, tokens }), [connection, http, tokens]);
}
