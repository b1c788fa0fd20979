import { describe, expect, it } from 'vitest';
import { isComplete, monthToDate, reportQuery } from './reportTypes.ts';

describe('sales report filters', () => {
  it('defaults to this month so far, in local days', () => {
    expect(monthToDate(new Date(2026, 0, 1, 0, 30))).toEqual({ from: '2026-01-01', to: '2026-01-01' });
    expect(monthToDate(new Date(2026, 1, 28, 23, 59))).toEqual({ from: '2026-02-01', to: '2026-02-28' });
  });

  it('asks only for complete days, with the desk’s time zone', () => {
    expect(isComplete({ from: '2026-03-01', to: '' })).toBe(false);
    expect(isComplete({ from: '2026-03-01', to: '2026-03-31' })).toBe(true);
    const query = reportQuery(
      { from: '2026-03-01', to: '2026-03-31', timeZone: 'Europe/Paris' },
      { groupBy: 'week', format: 'csv' },
    );
    expect(query.toString()).toBe('from=2026-03-01&to=2026-03-31&tz=Europe%2FParis&groupBy=week&format=csv');
  });
});
