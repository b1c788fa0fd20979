import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { documentDate, fromUtcDay, toUtcDay, utcFromDay, utcToDay } from './invoiceDays.ts';

describe('invoice days', () => {
  // A desk an hour ahead of UTC: its local midnight of 1 January is 23:00 UTC on 31 December.
  const zone = process.env.TZ;
  beforeEach(() => {
    process.env.TZ = 'Europe/Berlin';
  });
  afterEach(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });

  it('filters on the UTC days documents are dated and numbered by, not the desk’s days', () => {
    expect(fromUtcDay('2026-01-01')).toBe('2026-01-01T00:00:00.000Z');
    expect(toUtcDay('2026-12-31')).toBe('2027-01-01T00:00:00.000Z');
    expect(fromUtcDay('')).toBeUndefined();
    expect(toUtcDay('2026-12')).toBeUndefined();
  });

  it('shows the days picked when the filter comes back from the URL', () => {
    expect(utcFromDay(fromUtcDay('2026-01-01'))).toBe('2026-01-01');
    expect(utcToDay(toUtcDay('2026-12-31'))).toBe('2026-12-31');
    expect(utcToDay(utcToDay(toUtcDay('2026-12-31')))).toBe('2026-12-31');
    expect(utcFromDay(undefined)).toBe('');
    expect(utcToDay('garbage')).toBe('');
  });

  it('dates a document issued at 23:30 UTC on 31 December in that year, as its PDF does', () => {
    expect(documentDate('2026-12-31T23:30:00.000000+00:00', 'en-GB')).toBe('31/12/2026');
  });
});
