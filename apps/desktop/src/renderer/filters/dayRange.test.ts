import { describe, expect, it } from 'vitest';
import { fromDayToInstant, instantToFromDay, instantToToDay, toDayToInstant } from './dayRange.ts';

describe('day range filters', () => {
  it('turns a day range into [start of first day, start of the day after the last)', () => {
    const from = fromDayToInstant('2026-11-20')!;
    const to = toDayToInstant('2026-11-26')!;
    expect(new Date(from).getTime()).toBe(new Date(2026, 10, 20).getTime());
    expect(new Date(to).getTime()).toBe(new Date(2026, 10, 27).getTime());
    expect(from).toMatch(/Z$/);
  });

  it('shows the days the user picked when the filter comes back from the URL', () => {
    expect(instantToFromDay(fromDayToInstant('2026-11-20'))).toBe('2026-11-20');
    expect(instantToToDay(toDayToInstant('2026-12-31'))).toBe('2026-12-31');
    // Formatting the shown day again (DateInput does, for its initial text) keeps it.
    expect(instantToToDay(instantToToDay(toDayToInstant('2026-12-31')))).toBe('2026-12-31');
    expect(instantToFromDay(instantToFromDay(fromDayToInstant('2026-11-20')))).toBe('2026-11-20');
  });

  it('sends no filter for an empty or incomplete date', () => {
    expect(fromDayToInstant('')).toBeUndefined();
    expect(toDayToInstant('2026-11')).toBeUndefined();
    expect(instantToFromDay(undefined)).toBe('');
    expect(instantToToDay('garbage')).toBe('');
  });
});
