import { toMinor } from './money.ts';

export const PRODUCT_STATUSES = ['draft', 'active', 'archived'] as const;

export interface MoneyValue {
  amount: number;
  currency: string;
}

/** Variant as the form holds it: money amounts may still be the text the user typed. */
export interface VariantForm {
  id?: string;
  sku: string;
  title?: string;
  price: { amount: number | string; currency: string };
  compareAtPrice?: { amount: number | string | null; currency: string } | null;
  options?: Record<string, string>;
  version?: number;
}

/** The money inputs hold major-unit text; the API wants integer minor units. */
export function variantToApi(variant: VariantForm): Record<string, unknown> {
  const body: Record<string, unknown> = {
    sku: variant.sku.trim(),
    price: { amount: toMinor(variant.price.amount), currency: variant.price.currency.trim().toUpperCase() },
  };
  if (variant.title) body.title = variant.title;
  const compare = variant.compareAtPrice?.amount;
  if (compare !== undefined && compare !== null && compare !== '') {
    body.compareAtPrice = { amount: toMinor(compare), currency: variant.price.currency.trim().toUpperCase() };
  }
  if (variant.options && Object.keys(variant.options).length > 0) body.options = variant.options;
  return body;
}

/** POST /api/admin/products body from the create form. */
export function createProductBody(data: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = { title: data.title, status: data.status ?? 'draft' };
  if (typeof data.description === 'string' && data.description !== '') body.description = data.description;
  if (Array.isArray(data.categoryIds) && data.categoryIds.length > 0) body.categoryIds = data.categoryIds;
  body.variants = ((data.variants as VariantForm[] | undefined) ?? []).map(variantToApi);
  return body;
}

/** Options edited as "Size=M, Colour=Red" text. */
export function parseOptions(text: string): Record<string, string> | null {
  const options: Record<string, string> = {};
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const [name, ...rest] = part.split('=');
    const value = rest.join('=').trim();
    if (!name?.trim() || !value) return null;
    options[name.trim()] = value;
  }
  return options;
}

export const formatOptions = (options: Record<string, string> | undefined): string =>
  Object.entries(options ?? {})
    .map(([name, value]) => `${name}=${value}`)
    .join(', ');
