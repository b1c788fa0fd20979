import { useEffect, useState } from 'react';
import { useConnection } from '../../connection/ConnectionContext.tsx';

/**
 * The store currency (server STORE_CURRENCY) as the catalog reports it: the price of any listed
 * product carries it. An empty catalog has none yet, so the form lets staff type it and the server
 * refuses any other currency with a field error.
 */
export function useStoreCurrency(): { currency: string | undefined; loaded: boolean } {
  const { http } = useConnection();
  const [currency, setCurrency] = useState<string>();
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    let cancelled = false;
    const query = new URLSearchParams({ page: '1', perPage: '1' });
    void http
      .request<{ data: { minPrice: { currency: string } | null }[] }>('/api/admin/products', { query })
      .then(({ body }) => {
        const found = body.data[0]?.minPrice?.currency;
        if (!cancelled && found) setCurrency(found);
      })
      .catch(() => undefined)
      .finally(() => !cancelled && setLoaded(true));
    return () => {
      cancelled = true;
    };
  }, [http]);
  return { currency, loaded };
}
