import { QueryClient } from '@tanstack/react-query';

/**
 * Retry only what a retry can fix: no answer (status 0) or a 5xx. TanStack's default (3 retries with
 * backoff, for every error) would leave a user staring at a spinner for seconds after a 401/403/404,
 * and auth checks that fail without an HTTP status (no session) are final too.
 */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  const status =
    typeof error === 'object' && error !== null ? (error as { status?: unknown }).status : undefined;
  if (typeof status !== 'number') return false;
  if (status !== 0 && status < 500) return false;
  return failureCount < 2;
}

export const createQueryClient = (): QueryClient =>
  new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 5_000 },
      mutations: { retry: false },
    },
  });
