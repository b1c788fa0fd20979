import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * What carts and checkout need from other contexts, as plain functions (wired in cart/index.ts and
 * orders/index.ts): the catalog's priced variants and the pricing context's discount codes.
 */
export interface PurchasableVariant {
  variantId: string;
  productId: string;
  sku: string;
  title: string;
  productTitle: string;
  /** Effective price (sales applied), minor units. */
  unitPrice: number;
  regularPrice: number;
  currency: string;
  weightGrams: number | null;
  purchasable: boolean;
}

export type VariantLookup = (
  em: EntityManager,
  variantIds: string[],
  at?: Date,
) => Promise<Map<string, PurchasableVariant>>;

/**
 * The same catalog pricing as SQL, so a cart reads its lines and their live prices in one statement:
 * `select(ids)` is a SELECT of the variants whose ids the SQL expression `ids` yields (e.g. a sub-select
 * of cart lines), whose first bound parameter is the pricing time; `fromRow` maps one of its rows.
 */
export interface VariantSql {
  select(variantIds: string): string;
  fromRow(row: never): PurchasableVariant;
}

export interface DiscountCodes {
  /** The discount (minor units) this code gives on this subtotal now, or a thrown AppError explaining why not. */
  validate(
    em: EntityManager,
    code: string,
    subtotal: number,
    at: Date,
    customerId: string | null,
  ): Promise<{ code: string; amount: number }>;
  /**
   * Counts one use of the code by this order, in the order's transaction (throws when used up, or past its
   * per-customer limit by account or e-mail).
   */
  redeem(
    em: EntityManager,
    code: string,
    orderId: string,
    shopper: { customerId: string | null; email: string },
  ): Promise<void>;
}

export interface CommerceSettings {
  currency: string;
  taxRateBps: number;
  pricesIncludeTax: boolean;
}

export interface CartDeps {
  variants: VariantLookup;
  variantSql: VariantSql;
  discounts: DiscountCodes | null;
  settings: CommerceSettings;
}
