import { describe, expect, it } from 'vitest';
import { keyConflict, submissionKeys } from './submissionKeys.ts';

describe('submissionKeys', () => {
  it('keeps one key for the batch, edits and retries included, until it is booked or a new batch starts', () => {
    let n = 0;
    const keys = submissionKeys(() => `k${++n}`);
    // Sent, answer lost; staff change the reason (or a quantity, or the location) and send again: same key,
    // so the server can tell that the first attempt may have been booked.
    expect(keys.key()).toBe('k1');
    expect(keys.key()).toBe('k1');
    expect(n).toBe(1);
    // Booked (or staff explicitly start a new batch): the next submission is another batch.
    keys.done();
    expect(keys.key()).toBe('k2');
    expect(keys.key()).toBe('k2');
  });

  it('reads the server’s idempotency refusals', () => {
    expect(keyConflict('MCART_ERR_IDEMPOTENCY_MISMATCH')).toBe('maybe_booked');
    expect(keyConflict('MCART_ERR_IDEMPOTENCY_IN_PROGRESS')).toBe('in_progress');
    expect(keyConflict('MCART_ERR_STOCK_BELOW_ZERO')).toBeNull();
    expect(keyConflict(undefined)).toBeNull();
  });
});
