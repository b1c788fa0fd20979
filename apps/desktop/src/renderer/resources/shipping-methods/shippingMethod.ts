import { displayMoney, toMinor } from '../products/money.ts';

export const SHIPPING_KINDS = ['flat', 'free_over'] as const;
export type ShippingKind = (typeof SHIPPING_KINDS)[number];

interface Money {
  amount: number;
  currency: string;
}

export interface ShippingMethodRecord {
  id: string;
  code: string;
  name: string;
  kind: ShippingKind;
  amount: Money;
  freeOverAmount: Money | null;
  isDefault: boolean;
  active: boolean;
  sort: number;
  version: number;
}

const field = (value: unknown, key: string): unknown =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;

/**
 * The request body from the form. Amounts are edited as `amount.amount` (major units as typed, or the
 * minor units loaded) inside the `{ amount, currency }` the API speaks; the threshold exists only for
 * `free_over` methods and is sent as null otherwise, so a method turned flat loses it.
 */
export function shippingMethodBody(
  data: Record<string, unknown>,
  storeCurrency = '',
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const currency = String(field(data.amount, 'currency') ?? storeCurrency)
    .trim()
    .toUpperCase();
  if ('code' in data) body.code = typeof data.code === 'string' ? data.code.trim() : data.code;
  if ('name' in data) body.name = typeof data.name === 'string' ? data.name.trim() : data.name;
  if ('kind' in data) body.kind = data.kind;
  if ('amount' in data) body.amount = { amount: toMinor(field(data.amount, 'amount')), currency };
  if ('kind' in data || 'freeOverAmount' in data) {
    body.freeOverAmount =
      data.kind === 'free_over' ? { amount: toMinor(field(data.freeOverAmount, 'amount')), currency } : null;
  }
  if ('isDefault' in data) body.isDefault = Boolean(data.isDefault);
  if ('active' in data) body.active = Boolean(data.active);
  if ('sort' in data) body.sort = typeof data.sort === 'number' ? data.sort : Number(data.sort ?? 0) || 0;
  return body;
}

/** "€5.00" for a flat rate; "€5.00, free from €50.00" (through `freeFrom`) for a threshold. */
export function displayRate(
  method: Pick<ShippingMethodRecord, 'kind' | 'amount' | 'freeOverAmount'>,
  freeFrom: (amount: string, threshold: string) => string,
  locale?: string,
): string {
  const amount = displayMoney(method.amount, locale);
  if (method.kind !== 'free_over' || !method.freeOverAmount) return amount;
  return freeFrom(amount, displayMoney(method.freeOverAmount, locale));
}
