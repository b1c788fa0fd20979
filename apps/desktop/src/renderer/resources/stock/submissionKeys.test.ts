import { describe, expect, it } from 'vitest';
import { submissionKeys } from './submissionKeys.ts';

describe('submissionKeys', () => {
  it('keeps the key while the same submission is retried, and takes a new one for other lines or after an answer', () => {
    let n = 0;
    const keys = submissionKeys(() => `k${++n}`);
    const lines = { lines: [{ variantId: 'v1', quantity: 2 }] };
    expect(keys.keyFor('/receipts', lines)).toBe('k1');
    expect(keys.keyFor('/receipts', { lines: [{ variantId: 'v1', quantity: 2 }] })).toBe('k1');
    expect(keys.keyFor('/receipts', { lines: [{ variantId: 'v1', quantity: 3 }] })).toBe('k2');
    expect(keys.keyFor('/adjustments', { lines: [{ variantId: 'v1', quantity: 3 }] })).toBe('k3');
    keys.done();
    expect(keys.keyFor('/adjustments', { lines: [{ variantId: 'v1', quantity: 3 }] })).toBe('k4');
  });
});
