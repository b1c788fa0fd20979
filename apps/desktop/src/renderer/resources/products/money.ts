/**
 * Money typed by staff in major units ("12.5", "1 234,99") becomes integer minor units by string
 * arithmetic: `Math.round(12.34 * 100)` style conversions drift on binary floats (1.005 * 100 =
 * 100.49999...), and the server stores and compares integers only.
 */
export const MAX_MINOR = 2_000_000_000;

export type MoneyParse =
  { ok: true; minor: number } | { ok: false; reason: 'empty' | 'invalid' | 'precision' | 'range' };

export function parseMajor(input: string, fractionDigits = 2): MoneyParse {
  // Spaces (and the narrow no-break spaces locales use) are thousands separators; a comma may be the decimal mark.
  const text = input.trim().replace(/[\s\u00a0\u202f]/g, '');
  if (text === '') return { ok: false, reason: 'empty' };
  const normalized = /^\d+,\d*$/.test(text) ? text.replace(',', '.') : text.replace(/,(?=\d{3}(\D|$))/g, '');
  const match = /^(\d*)(?:\.(\d*))?$/.exec(normalized);
  if (!match || (match[1] === '' && (match[2] ?? '') === '')) return { ok: false, reason: 'invalid' };
  const whole = match[1] === '' ? '0' : match[1];
  const fraction = match[2] ?? '';
  if (fraction.replace(/0+$/, '').length > fractionDigits) return { ok: false, reason: 'precision' };
  const digits = (whole + fraction.padEnd(fractionDigits, '0').slice(0, fractionDigits)).replace(
    /^0+(?=\d)/,
    '',
  );
  if (digits.length > 12) return { ok: false, reason: 'range' };
  const minor = Number(digits);
  if (!Number.isSafeInteger(minor) || minor > MAX_MINOR) return { ok: false, reason: 'range' };
  return { ok: true, minor };
}

/** Minor units back to the plain decimal string an input shows ("1234.50"), no grouping. */
export function formatMinor(minor: number, fractionDigits = 2): string {
  const negative = minor < 0;
  const digits = String(Math.abs(Math.trunc(minor))).padStart(fractionDigits + 1, '0');
  const whole = digits.slice(0, digits.length - fractionDigits);
  const fraction = digits.slice(digits.length - fractionDigits);
  return `${negative ? '-' : ''}${whole}${fractionDigits > 0 ? `.${fraction}` : ''}`;
}

/** Minor units for display in the user's locale with the currency sign. */
export function displayMoney(
  money: { amount: number; currency: string } | null | undefined,
  locale?: string,
): string {
  if (!money) return '';
  return new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency }).format(
    Number(formatMinor(money.amount)),
  );
}

/**
 * A money form value: a number is already minor units (as loaded from the server), a string is what
 * the user typed. Returns undefined when it cannot be converted (the validator reports why).
 */
export function toMinor(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const parsed = parseMajor(value);
  return parsed.ok ? parsed.minor : undefined;
}

/** Form display of a money value: minor units shown as major, typed text left as typed. */
export const moneyFormat = (value: unknown): string =>
  typeof value === 'number' ? formatMinor(value) : typeof value === 'string' ? value : '';

/** react-admin validator for a money input; `required` false lets an empty value through. */
export const validateMoney =
  (required: boolean) =>
  (value: unknown): string | undefined => {
    if (typeof value === 'number') return undefined;
    const parsed = parseMajor(typeof value === 'string' ? value : '');
    if (parsed.ok) return undefined;
    if (parsed.reason === 'empty') return required ? 'ra.validation.required' : undefined;
    return `mcart.catalog.money_${parsed.reason}`;
  };
