import type { EntityManager } from '@mikro-orm/postgresql';
import type { FieldError } from '../../platform/errors.ts';
import { prepared } from '../../platform/prepared.ts';
import { CatalogErrors } from './catalog.errors.ts';

/** What checkout needs to know about a variant, priced at one moment. */
export interface PurchasableVariant {
  variantId: string;
  productId: string;
  sku: string;
  title: string;
  productTitle: string;
  /** Effective price in minor units at `at` (the best running sale applied). */
  unitPrice: number;
  /** The variant's own price before sales. */
  regularPrice: number;
  currency: string;
  weightGrams: number | null;
  /** False when the product is not active (draft, archived, deleted) or the variant is deleted. */
  purchasable: boolean;
}

/**
 * A PostgreSQL array literal for a bound parameter (`?::uuid[]`): the query builder would otherwise expand
 * a JS array into a list of parameters. Every element is quoted, so any text is safe.
 */
export const pgArray = (values: readonly string[]): string =>
  `{${values.map((value) => `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

let storeCurrency = 'USD';
/** Set once at start from `config.store.currency` (one currency per store). */
export function setStoreCurrency(currency: string): void {
  storeCurrency = currency;
}

/** A row of `purchasableVariantsSql`. */
export interface PurchasableRow {
  id: string;
  product_id: string;
  sku: string;
  title: string;
  product_title: string;
  price_amount: number;
  unit_price: number;
  weight_grams: number | null;
  purchasable: boolean;
}

/**
 * The variants whose ids the SQL expression `variantIds` yields (a `uuid[]`: a bound `?::uuid[]`, or a
 * sub-select such as a cart's lines, so the caller reads its rows and their prices in one statement),
 * priced at the first bound parameter (`?::timestamptz`).
 */
export const purchasableVariantsSql = (variantIds: string) => `
  SELECT v.id, v.product_id, v.sku, v.title, p.title AS product_title, v.price_amount,
         COALESCE(bs.sale_price, v.price_amount) AS unit_price,
         COALESCE(v.weight_grams, p.weight_grams) AS weight_grams,
         (p.status = 'active' AND p.deleted_at IS NULL AND v.deleted_at IS NULL) AS purchasable
    FROM variant v
    JOIN product p ON p.id = v.product_id
   CROSS JOIN LATERAL (
     SELECT mcart_category_closure(COALESCE(array_agg(pc.category_id), '{}')) AS ids
       FROM product_category pc WHERE pc.product_id = p.id) cl
    LEFT JOIN LATERAL mcart_best_sale(v.id, v.product_id, v.price_amount, cl.ids, ?::timestamptz) bs ON true
   WHERE v.id = ANY (${variantIds})`;

const PURCHASABLE_SQL = purchasableVariantsSql('?::uuid[]');

export function toPurchasableVariant(row: PurchasableRow): PurchasableVariant {
  return {
    variantId: row.id,
    productId: row.product_id,
    sku: row.sku,
    title: row.title,
    productTitle: row.product_title,
    unitPrice: Number(row.unit_price),
    regularPrice: Number(row.price_amount),
    currency: storeCurrency,
    weightGrams: row.weight_grams === null ? null : Number(row.weight_grams),
    purchasable: row.purchasable,
  };
}

/**
 * Variants by id with their price right now (or at `at`), for carts and checkout. Unknown ids are simply
 * absent from the map. Runs on the caller's EntityManager, so inside its transaction when there is one.
 */
export async function purchasableVariants(
  em: EntityManager,
  variantIds: string[],
  at: Date = new Date(),
): Promise<Map<string, PurchasableVariant>> {
  const ids = [...new Set(variantIds.filter((id) => UUID.test(id)))];
  const result = new Map<string, PurchasableVariant>();
  if (!ids.length) return result;
  const rows = await em.execute<PurchasableRow[]>(PURCHASABLE_SQL, [at.toISOString(), pgArray(ids)]);
  for (const row of rows) result.set(row.id, toPurchasableVariant(row));
  return result;
}

/** Refreshes the store's read model (search, price, stock flags) of these products inside the caller's transaction. */
export async function refreshProductSearch(
  em: EntityManager,
  productIds: string[],
  at?: Date,
): Promise<void> {
  if (!productIds.length) return;
  await em.execute(`SELECT mcart_refresh_product_search(?::uuid[], ?::timestamptz)`, [
    pgArray(productIds),
    (at ?? new Date()).toISOString(),
  ]);
}

/**
 * Copies available stock (on hand - reserved) of these variants from inventory's stock_level into the
 * catalog's read model: the one read across contexts (ADR "catalog read model"). Returns the variants whose
 * in-stock flag (what the store shows) changed, a new row counting as a change. Only active locations count:
 * checkout reserves from active locations only, so stock at a deactivated one cannot be sold (and the
 * store would otherwise show in stock what add-to-cart refuses). The sum is capped at the int column's
 * maximum (several locations can each hold up to it).
 */
export async function syncVariantStock(em: EntityManager, variantIds: string[]): Promise<string[]> {
  if (!variantIds.length) return [];
  const rows = await prepared<{ variant_id: string }>(
    em,
    `WITH before AS (
       SELECT variant_id, available > 0 OR backorder AS shown FROM catalog_variant_stock WHERE variant_id = ANY (?::uuid[])
     ), synced AS (
       INSERT INTO catalog_variant_stock (variant_id, available, backorder, updated_at)
       SELECT v.id, COALESCE(s.available, 0), COALESCE(s.backorder, false), now()
         FROM variant v
         LEFT JOIN (SELECT sl.variant_id, least(sum(sl.on_hand - sl.reserved), 2147483647)::int AS available,
                           bool_or(sl.allow_backorder) AS backorder
                      FROM stock_level sl JOIN stock_location l ON l.id = sl.location_id
                     WHERE sl.variant_id = ANY (?::uuid[]) AND l.active GROUP BY sl.variant_id) s ON s.variant_id = v.id
        WHERE v.id = ANY (?::uuid[])
       ON CONFLICT (variant_id) DO UPDATE SET available = EXCLUDED.available, backorder = EXCLUDED.backorder, updated_at = now()
       RETURNING variant_id, available > 0 OR backorder AS shown
     )
     SELECT variant_id FROM synced LEFT JOIN before b USING (variant_id) WHERE b.shown IS DISTINCT FROM synced.shown`,
    [pgArray(variantIds), pgArray(variantIds), pgArray(variantIds)],
  );
  return rows.map((row) => row.variant_id);
}

/** A variant price about to be written, to check against fixed-amount sales (`pricesFreedBySale`). */
export interface PriceToCheck {
  /** The variant, when it exists already (a sale may list it). */
  variantId?: string | null | undefined;
  /** Its product, when it exists already (a sale may list it; its categories are read when not given). */
  productId?: string | null | undefined;
  price: number;
  /** The product's categories as they are about to be; absent: as they are now (in the caller's transaction). */
  categoryIds?: string[] | undefined;
}

/** A price a fixed sale would take to zero: its index among the prices checked, and the largest such sale. */
export interface FreedBySale {
  index: number;
  price: number;
  saleName: string;
  discount: number;
}

/** The field error of a price a fixed sale would take to zero: one wording for every way a price is set. */
export const freedBySaleMessage = (freed: Pick<FreedBySale, 'saleName' | 'discount'>) =>
  `must be more than ${freed.discount} while the sale "${freed.saleName}" applies`;

/** The field error of a move (of a product to other categories, of a category) into a fixed sale that would give a variant away. */
export const joinedSaleMessage = (freed: FreedBySale) =>
  `would put a variant priced ${freed.price} in the sale "${freed.saleName}", which takes ${freed.discount} off: it would be free`;

/**
 * The prices that a fixed-amount sale running or scheduled on them would take to zero (ADR "sale pricing":
 * a fixed amount never gives goods away by accident). A sale applies by variant, by product, or by a
 * category of the product or any category above one (sub-categories included), as `mcart_best_sale` does.
 * A price of 0 is a deliberate gift and passes. Reads through the caller's EntityManager, so a check made
 * after a write in its transaction (a category moved) sees the tree as it will be.
 */
export async function pricesFreedBySale(em: EntityManager, prices: PriceToCheck[]): Promise<FreedBySale[]> {
  const freed: FreedBySale[] = [];
  const rows = prices
    .map((p, i) => ({
      i,
      variant_id: p.variantId ?? null,
      product_id: p.productId ?? null,
      price: p.price,
      category_ids: p.categoryIds ?? null,
    }))
    .filter((r) => r.price > 0);
  for (let start = 0; start < rows.length; start += 5000) {
    const found = await em.execute<{ i: number; price: string; name: string; discount_value: number }[]>(
      `SELECT x.i, x.price, s.name, s.discount_value
         FROM jsonb_to_recordset(?::jsonb) AS x (i int, variant_id uuid, product_id uuid, price bigint, category_ids uuid[])
         CROSS JOIN LATERAL (
           SELECT s.name, s.discount_value FROM sale s
            WHERE s.discount_type = 'fixed' AND s.discount_value >= x.price AND (s.ends_at IS NULL OR s.ends_at > now())
              AND (x.variant_id = ANY (s.variant_ids) OR x.product_id = ANY (s.product_ids)
                   OR s.category_ids && mcart_category_closure(COALESCE(x.category_ids,
                        ARRAY(SELECT category_id FROM product_category WHERE product_id = x.product_id))))
            ORDER BY s.discount_value DESC, s.id LIMIT 1) s
        ORDER BY x.i`,
      [JSON.stringify(rows.slice(start, start + 5000))],
    );
    for (const r of found)
      freed.push({ index: r.i, price: Number(r.price), saleName: r.name, discount: r.discount_value });
  }
  return freed;
}

/**
 * Refuses (409 MCART_ERR_PRICE_BELOW_FIXED_SALE, one error per field) when a fixed sale would take one of
 * these prices to zero; `path` names the field of the request that makes it so, `message` says how (by
 * default, for a price field: the least it may be).
 */
export async function refuseFreeBySale(
  em: EntityManager,
  prices: (PriceToCheck & { path: string })[],
  message: (freed: FreedBySale) => string = freedBySaleMessage,
): Promise<void> {
  const freed = await pricesFreedBySale(em, prices);
  const first = freed[0];
  if (!first) return;
  const errors = new Map<string, FieldError>();
  for (const f of freed) {
    const path = prices[f.index]!.path;
    if (!errors.has(path)) errors.set(path, { path, message: message(f) });
  }
  throw CatalogErrors.priceBelowFixedSale(
    `The sale "${first.saleName}" takes ${first.discount} off: at ${first.price} the variant would be free`,
    { errors: [...errors.values()] },
  );
}
