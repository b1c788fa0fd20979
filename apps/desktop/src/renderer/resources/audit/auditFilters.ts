/**
 * The audit filters take instants (`from` inclusive, `to` exclusive, ISO date-time); staff pick
 * calendar days in their own time zone. `from` is the start of its day, `to` the start of the day
 * after, so "to 26 Nov" includes all of 26 Nov.
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

/** `from` filter value → the day the date input shows. */
export function instantToFromDay(instant: unknown): string {
  if (typeof instant !== 'string' || !instant) return '';
  const date = new Date(instant);
  return Number.isNaN(date.getTime()) ? '' : dayOf(date);
}

/** `to` filter value (exclusive) → the last included day the date input shows. */
export function instantToToDay(instant: unknown): string {
  if (typeof instant !== 'string' || !instant) return '';
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return '';
  date.setDate(date.getDate() - 1);
  return dayOf(date);
}

export const AUDIT_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** A staff member's name for the log, or the raw id of a member that no longer shows in the list. */
export function staffLabel(
  staffId: string | null,
  staff: ReadonlyMap<string, { email: string; firstName: string; lastName: string }>,
): string {
  if (!staffId) return '';
  const member = staff.get(staffId);
  if (!member) return staffId;
  const name = `${member.firstName} ${member.lastName}`.trim();
  return name ? `${name} <${member.email}>` : member.email;
}

/** Route params and details as one short line (`id=…, from=support, to=manager`). */
export function summarize(...records: (Record<string, unknown> | null)[]): string {
  return records
    .flatMap((record) => Object.entries(record ?? {}))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');
}
