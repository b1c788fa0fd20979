import { formatMinor, parseMajor, toMinor } from '../products/money.ts';

export const DISCOUNT_TYPES = ['percent', 'fixed'] as const;
export type DiscountType = (typeof DISCOUNT_TYPES)[number];

/**
 * `discountValue` is a whole percent (1-100) for percent discounts and an amount in minor units
 * for fixed ones; the form shows the fixed amount in major units like every other price.
 */
export function discountValueToApi(type: unknown, value: unknown): number | undefined {
  if (type === 'fixed') return toMinor(value);
  if (typeof value === 'number') return value;
  if (typeof value !== 'string' || !/^\s*\d+\s*$/.test(value)) return undefined;
  return Number(value);
}

export const validateDiscountValue = (
  value: unknown,
  values: Record<string, unknown>,
): string | undefined => {
  if (value === undefined || value === null || value === '') return 'ra.validation.required';
  if (values.discountType === 'fixed') {
    if (typeof value === 'number') return undefined;
    const parsed = parseMajor(String(value));
    if (!parsed.ok) return `mcart.catalog.money_${parsed.reason}`;
    return parsed.minor < 1 ? 'mcart.pricing.value_positive' : undefined;
  }
  const percent = discountValueToApi('percent', value);
  return percent === undefined || percent < 1 || percent > 100 ? 'mcart.pricing.percent_range' : undefined;
};

/** Date/time inputs give a local "YYYY-MM-DDTHH:mm" string (or a Date); the API wants ISO instants. */
export function dateTimeToApi(value: unknown): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value !== 'string' || value.trim() === '') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** The end, when there is one, after the start: the server refuses it otherwise ("must be after startsAt"). */
export const validateEndsAfterStart = (
  value: unknown,
  values: Record<string, unknown>,
): string | undefined => {
  const end = dateTimeToApi(value);
  const start = dateTimeToApi(values.startsAt);
  return end !== null && start !== null && Date.parse(end) <= Date.parse(start)
    ? 'mcart.pricing.ends_before_start'
    : undefined;
};

export function displayDiscount(type: string, value: number, currency?: string): string {
  if (type === 'percent') return `${value} %`;
  return currency ? `${formatMinor(value)} ${currency}` : formatMinor(value);
}

/** Optional whole number (limits): '' → null. */
export function optionalCount(value: unknown): number | null | undefined {
  if (value === '' || value === null || value === undefined) return null;
  const number = typeof value === 'number' ? value : Number(value);
  return Number.isInteger(number) ? number : undefined;
}
