import { useCallback, useEffect, useState } from 'react';
import type { HttpClient } from '../api/http.ts';

export type ProbeState =
  { phase: 'checking' } | { phase: 'done'; ok: boolean; status: number; checkedAt: Date };

const REFRESH_MS = 30_000;

/**
 * Asks the server's own health endpoints (GET /health, GET /ready): a 2xx is up, anything else
 * (503 while the database is unreachable, no answer) is down. Re-checked periodically because an
 * operator keeps the dashboard open while restarting things.
 */
export function useServerProbe(
  http: HttpClient,
  path: '/health' | '/ready',
): { state: ProbeState; recheck: () => void } {
  const [state, setState] = useState<ProbeState>({ phase: 'checking' });
  const [round, setRound] = useState(0);
  const recheck = useCallback(() => setRound((n) => n + 1), []);

  useEffect(() => {
    const controller = new AbortController();
    setState((previous) => (previous.phase === 'done' ? previous : { phase: 'checking' }));
    http
      .request(path, { auth: false, signal: controller.signal })
      .then(
        (response) => ({ ok: true, status: response.status }),
        (error: unknown) => ({ ok: false, status: (error as { status?: number }).status ?? 0 }),
      )
      .then((result) => {
        if (!controller.signal.aborted) setState({ phase: 'done', ...result, checkedAt: new Date() });
      });
    const timer = setTimeout(recheck, REFRESH_MS);
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [http, path, round, recheck]);

  return { state, recheck };
}
