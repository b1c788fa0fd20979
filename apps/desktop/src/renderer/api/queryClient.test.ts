import { describe, expect, it } from 'vitest';
import { HttpError } from 'react-admin';
import { shouldRetry } from './queryClient.ts';

describe('shouldRetry', () => {
  it('retries an unreachable or failing server twice', () => {
    expect(shouldRetry(0, new HttpError('mcart.error.network', 0))).toBe(true);
    expect(shouldRetry(1, new HttpError('Service Unavailable', 503))).toBe(true);
    expect(shouldRetry(2, new HttpError('Service Unavailable', 503))).toBe(false);
  });

  it('never retries answers a retry cannot change', () => {
    for (const status of [400, 401, 403, 404, 409, 422])
      expect(shouldRetry(0, new HttpError('x', status))).toBe(false);
    expect(shouldRetry(0, new Error('ra.auth.auth_check_error'))).toBe(false);
  });
});
