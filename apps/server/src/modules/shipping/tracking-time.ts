/**
 * When a tracking event happened, as carriers and CSV files give it. Events are applied in time order (an older
 * one never undoes a newer one), so a time far ahead of ours would freeze a shipment until then, and a year
 * PostgreSQL cannot store would fail the write: only ISO 8601 with a zone, from 2000 to a few minutes after now
 * (carriers' clocks drift).
 */
const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):?(\d{2}))$/i;
const EARLIEST = Date.UTC(2000, 0, 1);
export const CLOCK_DRIFT_MS = 15 * 60_000;

function existingDateTime(fields: RegExpExecArray): boolean {
  const [year, month, day, hour, minute, second = 0, offsetHours = 0, offsetMinutes = 0] = fields
    .slice(1)
    .map((field) => (field === undefined ? undefined : Number(field)));
  if (month! < 1 || month! > 12 || day! < 1) return false;
  const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  return (
    day! <= daysInMonth &&
    hour! <= 23 &&
    minute! <= 59 &&
    second <= 59 &&
    offsetHours <= 14 &&
    offsetMinutes <= 59
  );
}

export function trackingTime(raw: string, now = Date.now()): Date | { reason: string } {
  const fields = ISO_8601.exec(raw.trim());
  // JavaScript rolls a date that does not exist over (February 30 becomes March 2): a typo would date the
  // event on another day, so each field is checked against the calendar first.
  if (fields && !existingDateTime(fields)) return { reason: 'no such date or time' };
  const at = fields ? new Date(raw.trim()) : new Date(NaN);
  if (Number.isNaN(at.getTime()))
    return { reason: 'unreadable time (use ISO 8601 with a zone, e.g. 2026-11-26T14:00:00Z)' };
  if (at.getTime() < EARLIEST) return { reason: 'time is before 2000' };
  if (at.getTime() > now + CLOCK_DRIFT_MS) return { reason: 'time is in the future' };
  return at;
}

/** A carrier's own time when it is usable, else the time it reached us. */
export const carrierTime = (raw: unknown, now = Date.now()): Date => {
  const at = typeof raw === 'string' ? trackingTime(raw, now) : null;
  return at instanceof Date ? at : new Date(now);
};
