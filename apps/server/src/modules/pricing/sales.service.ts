import type { EntityManager } from '@mikro-orm/postgresql';
import { recordChange } from '../../platform/outbox.ts';
import { CommonErrors, type FieldError } from '../../platform/errors.ts';
import { pgArray, refreshProductSearch } from '../catalog/catalog.queries.ts';
import { SaleSchema, type DiscountType, type Sale } from './pricing.entities.ts';
import { PricingErrors } from './pricing.errors.ts';
import { containing } from '../../platform/like.ts';

export interface SaleInput {
  name: string;
  discountType: DiscountType;
  discountValue: number;
  startsAt: Date;
  endsAt: Date | null;
  productIds?: string[] | undefined;
  variantIds?: string[] | undefined;
  categoryIds?: string[] | undefined;
}

export interface SaleListQuery {
  page?: number | undefined;
  perPage?: number | undefined;
  sort?: 'name' | 'startsAt' | 'endsAt' | 'createdAt' | undefined;
  order?: 'ASC' | 'DESC' | undefined;
  q?: string | undefined;
  state?: 'scheduled' | 'running' | 'ended' | undefined;
}

/**
 * Scope ids as PostgreSQL spells them (the schemas' `uuid` format takes either case), once each: they are
 * compared with the ids the database answers, and kept as the sale's scope.
 */
const canonicalIds = (ids: string[] | undefined) =>
  ids === undefined ? undefined : [...new Set(ids.map((id) => id.toLowerCase()))];

function canonicalScope<T extends Partial<Pick<SaleInput, 'productIds' | 'variantIds' | 'categoryIds'>>>(
  input: T,
): T {
  return {
    ...input,
    productIds: canonicalIds(input.productIds),
    variantIds: canonicalIds(input.variantIds),
    categoryIds: canonicalIds(input.categoryIds),
  };
}

/** Every product a sale's scope touches (listed products, variants' products, products anywhere below listed categories). */
async function productsInScope(
  em: EntityManager,
  sale: Pick<Sale, 'productIds' | 'variantIds' | 'categoryIds'>,
): Promise<string[]> {
  const rows = await em.execute<{ id: string }[]>(
    `WITH RECURSIVE down AS (SELECT id FROM category WHERE id = ANY (?::uuid[]) UNION SELECT c.id FROM category c JOIN down ON c.parent_id = down.id)
     SELECT id FROM product WHERE id = ANY (?::uuid[])
     UNION SELECT product_id FROM variant WHERE id = ANY (?::uuid[])
     UNION SELECT product_id FROM product_category WHERE category_id IN (SELECT id FROM down)`,
    [pgArray(sale.categoryIds), pgArray(sale.productIds), pgArray(sale.variantIds)],
  );
  return rows.map((r) => r.id);
}

/** Scheduled sales. Creating or changing one re-prices the products in its scope; its start and end are honoured on time (ADR "sale pricing"). */
export class SalesService {
  constructor(private readonly em: EntityManager) {}

  private async validate(input: SaleInput): Promise<void> {
    const errors: FieldError[] = [];
    if (input.discountType === 'percent' && input.discountValue > 100)
      errors.push({ path: 'body/discountValue', message: 'must be at most 100 for a percentage' });
    if (input.endsAt && input.endsAt <= input.startsAt)
      errors.push({ path: 'body/endsAt', message: 'must be after startsAt' });
    const scope =
      (input.productIds?.length ?? 0) + (input.variantIds?.length ?? 0) + (input.categoryIds?.length ?? 0);
    if (!scope)
      errors.push({
        path: 'body/productIds',
        message: 'a sale needs at least one product, variant or category',
      });
    const connection = this.em;
    const check = async (table: string, ids: string[] | undefined, field: string) => {
      if (!ids?.length) return;
      const found = await connection.execute<{ id: string }[]>(
        `SELECT id FROM ${table} WHERE id = ANY (?::uuid[])`,
        [pgArray(ids)],
      );
      const known = new Set(found.map((r) => r.id));
      ids.forEach((id, i) => {
        if (!known.has(id)) errors.push({ path: `body/${field}/${i}`, message: `is not a known ${table}` });
      });
    };
    await check('product', input.productIds, 'productIds');
    await check('variant', input.variantIds, 'variantIds');
    await check('category', input.categoryIds, 'categoryIds');
    if (!errors.length && input.discountType === 'fixed') {
      const free = await this.variantsMadeFree(input);
      if (free.count)
        errors.push({
          path: 'body/discountValue',
          message:
            `would make ${free.count} variant(s) free (the discount is at least their price; e.g. ${free.sku} at ${free.price}): ` +
            'narrow the scope, or lower the amount',
        });
    }
    if (errors.length) throw PricingErrors.invalidSale(undefined, { errors });
  }

  /**
   * Variants in a fixed sale's scope whose price the discount would take to zero: a fixed amount meant for
   * dear items, given to a category that also holds cheap ones, would otherwise give those away unnoticed.
   * (Prices the sale finds are checked here; the catalog refuses a price, product or category that comes
   * under it later the same way: `pricesFreedBySale`.)
   */
  private async variantsMadeFree(input: SaleInput): Promise<{ count: number; sku?: string; price?: number }> {
    const [row] = await this.em.execute<{ count: string; sku: string | null; price: number | null }[]>(
      `WITH RECURSIVE down AS (SELECT id FROM category WHERE id = ANY (?::uuid[]) UNION SELECT c.id FROM category c JOIN down ON c.parent_id = down.id),
       hit AS (
         SELECT v.sku, v.price_amount FROM variant v
          WHERE v.deleted_at IS NULL AND v.price_amount > 0 AND v.price_amount <= ?
            AND (v.id = ANY (?::uuid[]) OR v.product_id = ANY (?::uuid[])
                 OR v.product_id IN (SELECT product_id FROM product_category WHERE category_id IN (SELECT id FROM down)))
       )
       SELECT count(*) AS count, (SELECT sku FROM hit ORDER BY price_amount, sku LIMIT 1) AS sku,
              (SELECT min(price_amount) FROM hit) AS price
         FROM hit`,
      [
        pgArray(input.categoryIds ?? []),
        input.discountValue,
        pgArray(input.variantIds ?? []),
        pgArray(input.productIds ?? []),
      ],
    );
    return { count: Number(row?.count ?? 0), sku: row?.sku ?? undefined, price: row?.price ?? undefined };
  }

  private async knownCategories(ids: string[]): Promise<string[]> {
    if (!ids.length) return ids;
    const rows = await this.em.execute<{ id: string }[]>(
      `SELECT id FROM category WHERE id = ANY (?::uuid[])`,
      [pgArray(ids)],
    );
    const known = new Set(rows.map((r) => r.id));
    return ids.filter((id) => known.has(id));
  }

  async get(id: string): Promise<Sale> {
    const sale = await this.em.findOne(SaleSchema, { id });
    if (!sale) throw PricingErrors.saleNotFound();
    return sale;
  }

  async list(query: SaleListQuery): Promise<{ data: Sale[]; total: number }> {
    const now = new Date();
    const state =
      query.state === 'scheduled'
        ? { startsAt: { $gt: now } }
        : query.state === 'running'
          ? { startsAt: { $lte: now }, $or: [{ endsAt: null }, { endsAt: { $gt: now } }] }
          : query.state === 'ended'
            ? { endsAt: { $lte: now } }
            : {};
    const where = {
      ...state,
      ...(query.q ? { name: { $ilike: containing(query.q) } } : {}),
    };
    const perPage = query.perPage ?? 25;
    const [data, total] = await this.em.findAndCount(SaleSchema, where, {
      orderBy: { [query.sort ?? 'startsAt']: query.order ?? 'DESC', id: 'ASC' },
      limit: perPage,
      offset: ((query.page ?? 1) - 1) * perPage,
    });
    return { data, total };
  }

  async create(given: SaleInput): Promise<Sale> {
    const input = canonicalScope(given);
    await this.validate(input);
    return this.em.transactional(async (em) => {
      const sale = em.create(SaleSchema, {
        name: input.name,
        discountType: input.discountType,
        discountValue: input.discountValue,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        productIds: [...new Set(input.productIds ?? [])],
        variantIds: [...new Set(input.variantIds ?? [])],
        categoryIds: [...new Set(input.categoryIds ?? [])],
      });
      await em.flush();
      const products = await productsInScope(em, sale);
      await refreshProductSearch(em, products);
      recordChange(em, { resource: 'sales', ids: [sale.id], type: 'created' });
      if (products.length)
        recordChange(em, {
          resource: 'prices',
          ids: products,
          type: 'updated',
          payload: { scope: 'products' },
        });
      await em.flush();
      return sale;
    });
  }

  async update(id: string, given: Partial<SaleInput> & { version: number }): Promise<Sale> {
    const patch = canonicalScope(given);
    const sale = await this.get(id);
    if (sale.version !== patch.version)
      throw CommonErrors.staleWrite('Reload the sale and apply your change again');
    const next: SaleInput = {
      name: patch.name ?? sale.name,
      discountType: patch.discountType ?? sale.discountType,
      discountValue: patch.discountValue ?? sale.discountValue,
      startsAt: patch.startsAt ?? sale.startsAt,
      endsAt: patch.endsAt !== undefined ? patch.endsAt : (sale.endsAt ?? null),
      productIds: patch.productIds ?? sale.productIds,
      variantIds: patch.variantIds ?? sale.variantIds,
      // A category deleted since left the catalog for good (products and variants are only soft-deleted):
      // it leaves the sale too, rather than failing every later edit on an id the staff did not send.
      categoryIds: patch.categoryIds ?? (await this.knownCategories(sale.categoryIds)),
    };
    await this.validate(next);
    return this.em.transactional(async (em) => {
      const before = await productsInScope(em, sale);
      Object.assign(sale, {
        ...next,
        productIds: [...new Set(next.productIds)],
        variantIds: [...new Set(next.variantIds)],
        categoryIds: [...new Set(next.categoryIds)],
      });
      await em.flush();
      const products = [...new Set([...before, ...(await productsInScope(em, sale))])];
      await refreshProductSearch(em, products);
      recordChange(em, { resource: 'sales', ids: [sale.id], type: 'updated' });
      if (products.length)
        recordChange(em, {
          resource: 'prices',
          ids: products,
          type: 'updated',
          payload: { scope: 'products' },
        });
      await em.flush();
      return sale;
    });
  }

  async delete(id: string): Promise<void> {
    const sale = await this.get(id);
    await this.em.transactional(async (em) => {
      const products = await productsInScope(em, sale);
      em.remove(sale);
      await em.flush();
      await refreshProductSearch(em, products);
      recordChange(em, { resource: 'sales', ids: [id], type: 'deleted' });
      if (products.length)
        recordChange(em, {
          resource: 'prices',
          ids: products,
          type: 'updated',
          payload: { scope: 'products' },
        });
      await em.flush();
    });
  }
}
