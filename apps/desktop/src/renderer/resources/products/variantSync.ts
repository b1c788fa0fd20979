import type { ChangeEvent } from '@mcart/api-client/events';
import { formatMinor } from './money.ts';
import { formatOptions } from './productTypes.ts';

export interface VariantRecord {
  id: string;
  sku: string;
  title: string;
  options: Record<string, string>;
  price: { amount: number; currency: string };
  compareAtPrice: { amount: number; currency: string } | null;
  version: number;
}

/** A variant row's inputs, as typed (money in major units). */
export interface Draft {
  sku: string;
  title: string;
  price: string;
  compareAt: string;
  options: string;
}

export const draftOf = (variant?: VariantRecord): Draft => ({
  sku: variant?.sku ?? '',
  title: variant?.title ?? '',
  price: variant ? formatMinor(variant.price.amount) : '',
  compareAt: variant?.compareAtPrice ? formatMinor(variant.compareAtPrice.amount) : '',
  options: formatOptions(variant?.options),
});

const sameDraft = (a: Draft, b: Draft): boolean =>
  a.sku === b.sku &&
  a.title === b.title &&
  a.price === b.price &&
  a.compareAt === b.compareAt &&
  a.options === b.options;

export interface RowState {
  /** The server copy the row's edits started from: its version is what a save sends. */
  base: VariantRecord;
  draft: Draft;
  /** Someone else saved this variant while the row held unsaved edits. */
  stale: boolean;
}

/**
 * A newer copy of a variant arrived (live change elsewhere, or our own save coming back). A row
 * without edits simply shows it; a row whose inputs already match it (our own save) adopts it; a row
 * with other unsaved edits keeps them and its old version, so saving is refused (409) instead of
 * overwriting the other person's change, and is marked stale so the user can reload it.
 */
export function reconcileRow(row: RowState, latest: VariantRecord): RowState {
  // An older copy (a fetch overtaken by our own save) changes nothing.
  if (latest.version <= row.base.version) return row;
  const clean = sameDraft(row.draft, draftOf(row.base));
  if (clean || sameDraft(row.draft, draftOf(latest))) {
    return { base: latest, draft: draftOf(latest), stale: false };
  }
  return { ...row, stale: true };
}

/** Whether a live change may alter the variants of the product open in the editor. */
export function touchesProduct(
  change: ChangeEvent,
  productId: string,
  variantIds: readonly string[],
): boolean {
  if (change.resource === 'products') return change.ids.includes(productId);
  if (change.resource !== 'variants' && change.resource !== 'prices') return false;
  if (change.payload?.productId === productId) return true;
  return change.ids.some((id) => variantIds.includes(id));
}
