import type { EntityManager } from '@mikro-orm/postgresql';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { pgArray } from './catalog.queries.ts';

/**
 * What tells variants apart: the SKU, without regard to case (a scanner's "abc-1" is "ABC-1"), and, among the
 * variants of one product, the option values (two "Size: M" cannot be told apart by a shopper).
 */

/** A live variant whose SKU is one asked about, in this case or another. */
export interface SkuMatch {
  /** The SKU asked about, as it was given. */
  input: string;
  id: string;
  sku: string;
  product_id: string;
  product_slug: string;
}

/** Live variants (of live or deleted products) whose SKU equals one of `skus` without regard to case. */
export async function liveSkuMatches(em: EntityManager, skus: readonly string[]): Promise<SkuMatch[]> {
  const unique = [...new Set(skus)];
  const found: SkuMatch[] = [];
  for (let i = 0; i < unique.length; i += 5000) {
    found.push(
      ...(await em.execute<SkuMatch[]>(
        `SELECT i.sku AS input, v.id, v.sku, v.product_id, p.slug AS product_slug
           FROM unnest(?::text[]) AS i (sku)
           JOIN variant v ON lower(v.sku) = lower(i.sku) AND v.deleted_at IS NULL
           JOIN product p ON p.id = v.product_id
          ORDER BY i.sku, v.sku = i.sku DESC, v.created_at, v.id`,
        [pgArray(unique.slice(i, i + 5000))],
      )),
    );
  }
  return found;
}

/** How a SKU that another live variant has in another case is refused: the same words everywhere. */
export const skuCaseMessage = (existing: string) =>
  `already exists as "${existing}" (SKUs are compared without case)`;

/** The unique indexes behind SKUs: exact (`variant_sku_unique`) and without case (`variant_sku_ci_unique`). */
export const isSkuViolation = (err: unknown) =>
  err instanceof UniqueConstraintViolationException &&
  /variant_sku_unique|variant_sku_ci_unique/.test(String(err.message));

const normalise = (text: string) => text.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * A variant's options as they are compared: names and values trimmed, white space collapsed, without case, in
 * name order. '' for a variant without options: those are told apart by their titles and are never compared.
 */
export function optionsKey(options: Record<string, string> | null | undefined): string {
  const entries = Object.entries(options ?? {})
    .map(([name, value]) => [normalise(name), normalise(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length ? JSON.stringify(entries) : '';
}

/** `size: M, colour: red`: options as a message shows them. */
export const describeOptions = (options: Record<string, string>) =>
  Object.entries(options)
    .map(([name, value]) => `${name}: ${value}`)
    .join(', ');

/** The live variants of some products with their options (for the same-options check). */
export async function liveVariantOptions(
  em: EntityManager,
  productIds: readonly string[],
): Promise<{ id: string; product_id: string; sku: string; options: Record<string, string> }[]> {
  const found: { id: string; product_id: string; sku: string; options: Record<string, string> }[] = [];
  for (let i = 0; i < productIds.length; i += 5000) {
    found.push(
      ...(await em.execute<
        { id: string; product_id: string; sku: string; options: Record<string, string> }[]
      >(
        `SELECT id, product_id, sku, options FROM variant
          WHERE product_id = ANY (?::uuid[]) AND deleted_at IS NULL
          ORDER BY product_id, position, sku, id`,
        [pgArray(productIds.slice(i, i + 5000))],
      )),
    );
  }
  return found;
}
