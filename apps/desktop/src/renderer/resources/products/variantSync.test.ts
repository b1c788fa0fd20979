import { describe, expect, it } from 'vitest';
import { draftOf, reconcileRow, touchesProduct, type VariantRecord } from './variantSync.ts';

const variant = (version: number, amount: number): VariantRecord => ({
  id: 'v1',
  sku: 'MUG-1',
  title: 'Blue',
  options: {},
  price: { amount, currency: 'USD' },
  compareAtPrice: null,
  version,
});

describe('reconcileRow', () => {
  it('shows a newer copy in a row without edits', () => {
    const row = { base: variant(1, 1500), draft: draftOf(variant(1, 1500)), stale: false };
    expect(reconcileRow(row, variant(2, 1750))).toEqual({
      base: variant(2, 1750),
      draft: draftOf(variant(2, 1750)),
      stale: false,
    });
  });

  it('keeps unsaved edits and the old version when someone else saved, and marks the row stale', () => {
    const row = {
      base: variant(1, 1500),
      draft: { ...draftOf(variant(1, 1500)), price: '19.00' },
      stale: false,
    };
    const next = reconcileRow(row, variant(2, 1750));
    expect(next.stale).toBe(true);
    expect(next.base.version).toBe(1);
    expect(next.draft.price).toBe('19.00');
  });

  it('adopts a copy equal to what the row holds (its own save coming back)', () => {
    const row = {
      base: variant(1, 1500),
      draft: { ...draftOf(variant(1, 1500)), price: '17.50' },
      stale: false,
    };
    expect(reconcileRow(row, variant(2, 1750))).toMatchObject({ base: { version: 2 }, stale: false });
  });

  it('ignores an older or equal copy (a fetch overtaken by a save)', () => {
    const row = { base: variant(3, 1500), draft: draftOf(variant(3, 1500)), stale: false };
    expect(reconcileRow(row, variant(2, 1200))).toBe(row);
    expect(reconcileRow(row, variant(3, 1500))).toBe(row);
  });
});

describe('touchesProduct', () => {
  const change = { at: '2026-11-26T10:00:00.000Z', position: '1:1', type: 'updated' as const };
  it('matches the product, its variants and their prices only', () => {
    expect(touchesProduct({ ...change, resource: 'products', ids: ['p1'] }, 'p1', ['v1'])).toBe(true);
    expect(touchesProduct({ ...change, resource: 'products', ids: ['p2'] }, 'p1', ['v1'])).toBe(false);
    expect(touchesProduct({ ...change, resource: 'prices', ids: ['v1'] }, 'p1', ['v1'])).toBe(true);
    expect(
      touchesProduct({ ...change, resource: 'variants', ids: ['v9'], payload: { productId: 'p1' } }, 'p1', [
        'v1',
      ]),
    ).toBe(true);
    expect(touchesProduct({ ...change, resource: 'variants', ids: ['v9'] }, 'p1', ['v1'])).toBe(false);
    expect(touchesProduct({ ...change, resource: 'inventory', ids: ['v1'] }, 'p1', ['v1'])).toBe(false);
  });
});
