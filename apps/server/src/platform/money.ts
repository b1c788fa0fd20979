/**
 * Money as people read it (e-mails, order timelines, error details): `$25.00`, `€1,234.50`, `¥500`. Amounts
 * are integer minor units; the currency's own number of decimals applies.
 */
/** Formatters per currency: building an Intl.NumberFormat costs far more than using one. */
const moneyFormats = new Map<string, { format: Intl.NumberFormat; digits: number } | null>();

export function formatMoney(minor: number, currency: string): string {
  let cached = moneyFormats.get(currency);
  if (cached === undefined) {
    try {
      const format = new Intl.NumberFormat('en', { style: 'currency', currency });
      cached = { format, digits: format.resolvedOptions().maximumFractionDigits ?? 2 };
    } catch {
      cached = null; // not an ISO 4217 code
    }
    if (moneyFormats.size < 500) moneyFormats.set(currency, cached);
  }
  if (!cached) return `${(minor / 100).toFixed(2)} ${currency}`;
  return cached.format.format(minor / 10 ** cached.digits);
}
