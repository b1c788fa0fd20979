/**
 * Date-range filters (audit log, orders) take instants (`from` inclusive, `to` exclusive, ISO
 * date-time); staff pick calendar days in their own time zone. `from` is the start of its day, `to`
 * the start of the day after, so "to 26 Nov" includes all of 26 Nov. (A bare `2026-11-26` would be
 * midnight in the server's zone, and `to` would leave that whole day out.)
 */
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function localMidnight(day: string, addDays = 0): Date | null {
  const match = DAY.exec(day);
  if (!match) return null;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + addDays);
  return Number.isNaN(date.getTime()) ? null : date;
}

const pad = (value: number) => String(value).padStart(2, '0');
const dayOf = (date: Date) => `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;

/** Date input (yyyy-mm-dd) → `from` filter value; an incomplete date is no filter. */
export function fromDayToInstant(day: string | null | undefined): string | undefined {
  return day ? localMidnight(day)?.toISOString() : undefined;
}

/** Date input (yyyy-mm-dd) → `to` filter value: the start of the next day. */
export function toDayToInstant(day: string | null | undefined): string | undefined {
  return day ? localMidnight(day, 1)?.toISOString() : undefined;
}

/**
 * `from` filter value → the day the date input shows. A day passes through unchanged: react-admin's
 * DateInput formats the already formatted value once more for its initial text.
 */
export function instantToFromDay(instant: unknown): string {
  if (typeof instant !== 'string' || !instant) return '';
  if (DAY.test(instant)) return instant;
  const date = new Date(instant);
  return Number.isNaN(date.getTime()) ? '' : dayOf(date);
}

/** `to` filter value (exclusive) → the last included day the date input shows (a day: unchanged). */
export function instantToToDay(instant: unknown): string {
  if (typeof instant !== 'string' || !instant) return '';
  if (DAY.test(instant)) return instant;
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return '';
  date.setDate(date.getDate() - 1);
  return dayOf(date);
}
