/**
 * Invoices and credit notes are dated by their UTC day, the day whose year their number counts in (ADR
 * 0049). The Invoices list's date filters pick UTC days too, so "1 Jan – 31 Dec 2026" is exactly the
 * documents dated (and numbered) 2026, whatever the desk's time zone; other lists pick local days
 * (filters/dayRange.ts). Values as there: `from` inclusive, `to` exclusive, ISO instants.
 */
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

function utcMidnight(day: string, addDays = 0): string | undefined {
  const match = DAY.exec(day);
  if (!match) return undefined;
  const time = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + addDays);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** Date input (yyyy-mm-dd) → `from` filter value: the start of that UTC day. */
export const fromUtcDay = (day: string | null | undefined): string | undefined =>
  day ? utcMidnight(day) : undefined;

/** Date input (yyyy-mm-dd) → `to` filter value: the start of the UTC day after. */
export const toUtcDay = (day: string | null | undefined): string | undefined =>
  day ? utcMidnight(day, 1) : undefined;

function utcDay(instant: unknown, minusDays: number): string {
  if (typeof instant !== 'string' || !instant) return '';
  if (DAY.test(instant)) return instant;
  const time = new Date(instant).getTime();
  return Number.isNaN(time) ? '' : new Date(time - minusDays * DAY_MS).toISOString().slice(0, 10);
}

/** `from` filter value → the day the date input shows. */
export const utcFromDay = (instant: unknown): string => utcDay(instant, 0);

/** `to` filter value (exclusive) → the last included day the date input shows. */
export const utcToDay = (instant: unknown): string => utcDay(instant, 1);

/** How a document's issue instant is shown: in UTC, with its zone, as its PDF dates it. */
export const ISSUED_AT_OPTIONS: Intl.DateTimeFormatOptions = {
  timeZone: 'UTC',
  timeZoneName: 'short',
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
};

/** A document's date as its PDF prints it (its UTC day), in the user's locale. */
export const documentDate = (issuedAt: string, locales?: string | string[]): string =>
  new Date(issuedAt).toLocaleDateString(locales, { timeZone: 'UTC' });
