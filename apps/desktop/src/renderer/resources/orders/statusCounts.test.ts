import { describe, expect, it } from 'vitest';
import { tabCount, type StatusCounts } from './statusCounts.ts';

describe('status tab counts', () => {
  it('shows the figures read, a status without orders as 0', () => {
    const read: StatusCounts = { state: 'read', counts: { all: 12, paid: 3 } };
    expect(tabCount(read, 'all')).toBe('12');
    expect(tabCount(read, 'paid')).toBe('3');
    expect(tabCount(read, 'returned')).toBe('0');
  });

  it('shows no figure before the first read and "?" after a failed one, never 0', () => {
    expect(tabCount({ state: 'loading' }, 'paid')).toBeNull();
    expect(tabCount({ state: 'failed', error: 'The server cannot be reached' }, 'paid')).toBe('?');
    expect(tabCount({ state: 'failed', error: 'x' }, 'all')).toBe('?');
  });
});
