const knownTimeZones = new Set(Intl.supportedValuesOf('timeZone'));

/**
 * The zone `tz` names, as the id Intl lists for it, or undefined. Intl lists ICU's ids, the old names of renamed
 * zones (`Asia/Calcutta`, `Europe/Kiev`): their current IANA names (`Asia/Kolkata`, `Europe/Kyiv`, what a
 * browser may report) resolve to them, and PostgreSQL knows both. Area/Location names only: ICU also resolves
 * abbreviations (`IST` → India) that PostgreSQL reads as other zones (`IST`: Israel).
 */
export function zoneOf(tz: string): string | undefined {
  if (tz === 'UTC') return tz;
  if (!tz.includes('/')) return undefined;
  try {
    const zone = new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
    return zone === 'UTC' || knownTimeZones.has(zone) ? zone : undefined;
  } catch {
    return undefined; // not a time zone Intl knows
  }
}
