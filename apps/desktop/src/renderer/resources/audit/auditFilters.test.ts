import { describe, expect, it } from 'vitest';
import {
  fromDayToInstant,
  instantToFromDay,
  instantToToDay,
  staffLabel,
  summarize,
  toDayToInstant,
} from './auditFilters.ts';

describe('audit log filters', () => {
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
  });

  it('sends no filter for an empty or incomplete date', () => {
    expect(fromDayToInstant('')).toBeUndefined();
    expect(toDayToInstant('2026-11')).toBeUndefined();
    expect(instantToFromDay(undefined)).toBe('');
    expect(instantToToDay('garbage')).toBe('');
  });

  it('names the staff member, or keeps the id of one it does not know', () => {
    const staff = new Map([['s1', { email: 'ann@shop.test', firstName: 'Ann', lastName: 'Lee' }]]);
    expect(staffLabel('s1', staff)).toBe('Ann Lee <ann@shop.test>');
    expect(staffLabel('s2', staff)).toBe('s2');
    expect(staffLabel(null, staff)).toBe('');
  });

  it('summarizes params and details on one line', () => {
    expect(summarize({ id: 'x' }, { from: 'support', n: 2 }, null)).toBe('id=x, from=support, n=2');
  });
});
