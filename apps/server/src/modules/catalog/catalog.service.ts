import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ForeignKeyConstraintViolationException, UniqueConstraintViolationException } from '@mikro-orm/core';
import { recordChange } from '../../platform/outbox.ts';
import { CommonErrors, type FieldError } from '../../platform/errors.ts';
import {
  CategorySchema,
  ProductSchema,
  VariantSchema,
  type Product,
  type ProductStatus,
  type Variant,
} from './catalog.entities.ts';
import { CatalogErrors } from './catalog.errors.ts';
import {
  joinedSaleMessage,
  pgArray,
  refreshProductSearch,
  refuseFreeBySale,
  syncVariantStock,
} from './catalog.queries.ts';
import { MAX_PRICE } from './catalog.schemas.ts';
import {
  describeOptions,
  isSkuViolation,
  liveSkuMatches,
  liveVariantOptions,
  optionsKey,
  skuCaseMessage,
} from './variant-identity.ts';
import { containing } from '../../platform/like.ts';

export interface Money {
  amount: number;
  currency: string;
}

export interface NewVariant {
  sku: string;
  title?: string | undefined;
  options?: Record<string, string> | undefined;
  price: Money;
  compareAtPrice?: Money | null | undefined;
  weightGrams?: number | null | undefined;
}

export interface ProductInput {
  title: string;
  slug?: string | undefined;
  status?: ProductStatus | undefined;
  description?: string | undefined;
  categoryIds?: string[] | undefined;
  attributes?: Record<string, string> | undefined;
  weightGrams?: number | null | undefined;
  lengthMm?: number | null | undefined;
  widthMm?: number | null | undefined;
  heightMm?: number | null | undefined;
}

export interface NewProduct extends ProductInput {
  variants: NewVariant[];
}

export interface ProductPatch extends Partial<ProductInput> {
  version: number;
}

export interface VariantPatch {
  version: number;
  sku?: string | undefined;
  title?: string | undefined;
  options?: Record<string, string> | undefined;
  price?: Money | undefined;
  compareAtPrice?: Money | null | undefined;
  weightGrams?: number | null | undefined;
  position?: number | undefined;
}

export interface ProductView {
  product: Product;
  categoryIds: string[];
  variants: Variant[];
}

/** URL-safe slug from a title: lower case ASCII words joined by dashes. */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 180);
  return slug || 'item';
}

/** How many free slugs a create takes from a title before a concurrent create's taking each first is a 409. */
export const SLUG_ATTEMPTS = 5;

const isSlugViolation = (err: unknown) =>
  err instanceof UniqueConstraintViolationException && /product_slug_unique/.test(String(err.message));
/** A category deleted between the check of a product's categories and their filing. */
export const isDeletedCategoryViolation = (err: unknown) =>
  err instanceof ForeignKeyConstraintViolationException &&
  /product_category_category_id_fkey/.test(String(err.message));
const categoryJustDeleted = () =>
  CatalogErrors.unknownCategory('A category was deleted meanwhile', {
    errors: [{ path: 'body/categoryIds', message: 'names a category that was just deleted' }],
  });

/** Products, variants and categories: the rules of the catalog. Every write refreshes the store's read model. */
export class CatalogService {
  constructor(
    private readonly em: EntityManager,
    private readonly currency: string,
  ) {}

  /**
   * The compare-at price is shown to shoppers as the former price ("was $20"): it must be above the price,
   * or the store would advertise a discount that is not one.
   */
  private checkCompareAt(
    price: number,
    compareAt: number | null | undefined,
    path: string,
    errors: FieldError[],
  ) {
    if (compareAt != null && compareAt <= price)
      errors.push({ path, message: `must be more than the price (${price}), or null` });
  }

  private checkMoney(money: Money | null | undefined, path: string, errors: FieldError[]): void {
    if (money && money.currency !== this.currency) {
      errors.push({ path, message: `must be in ${this.currency}` });
    }
  }

  private async checkCategories(ids: string[] | undefined, path: string): Promise<void> {
    if (!ids?.length) return;
    const unique = [...new Set(ids)];
    const found = await this.em.find(CategorySchema, { id: { $in: unique } }, { fields: ['id'] });
    const known = new Set(found.map((c) => c.id));
    const errors = ids.flatMap((id, index) =>
      known.has(id) ? [] : [{ path: `${path}/${index}`, message: 'is not a known category' }],
    );
    if (errors.length)
      throw CatalogErrors.unknownCategory(`Unknown category: ${errors.length} id(s)`, { errors });
  }

  private async freeSlug(base: string, exceptId?: string): Promise<string> {
    const rows = await this.em.execute<{ slug: string }[]>(
      `SELECT slug FROM product WHERE (slug = ? OR slug LIKE ?) AND id <> ?`,
      [base, `${base}-%`, exceptId ?? '00000000-0000-0000-0000-000000000000'],
    );
    const taken = new Set(rows.map((r) => r.slug));
    if (!taken.has(base)) return base;
    for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
  }

  /**
   * The SKUs are not used by another live variant, in this case or another, nor twice in the request (without
   * regard to case either): 409 MCART_ERR_DUPLICATE_SKU naming each field. `exceptVariantIds` may keep theirs
   * (a variant changing the case of its own SKU).
   */
  private async checkSkusFree(
    skus: string[],
    path: (index: number) => string,
    exceptVariantIds: string[] = [],
  ): Promise<void> {
    const errors: FieldError[] = [];
    const first = new Map<string, number>();
    skus.forEach((sku, index) => {
      const seen = first.get(sku.toLowerCase());
      if (seen === undefined) first.set(sku.toLowerCase(), index);
      else
        errors.push({
          path: path(index),
          message:
            skus[seen] === sku
              ? 'is used twice in this request'
              : `is used twice in this request (as "${skus[seen]}"; SKUs are compared without case)`,
        });
    });
    const reported = new Set<number>();
    for (const match of await liveSkuMatches(this.em, skus)) {
      if (exceptVariantIds.includes(match.id)) continue;
      const index = first.get(match.input.toLowerCase())!;
      if (reported.has(index)) continue;
      reported.add(index);
      errors.push({
        path: path(index),
        message: match.sku === match.input ? 'already exists' : skuCaseMessage(match.sku),
      });
    }
    if (errors.length)
      throw CatalogErrors.duplicateSku(`SKU already exists: ${errors.length} conflict(s)`, { errors });
  }

  /**
   * Variants of one product with the same options (`optionsKey`, variants without options aside) cannot be
   * told apart: 409 MCART_ERR_DUPLICATE_OPTIONS naming the later one's field.
   */
  private checkOptionsDistinct(
    variants: { options?: Record<string, string> | undefined }[],
    path: (index: number) => string,
  ): void {
    const errors: FieldError[] = [];
    const first = new Map<string, number>();
    variants.forEach((variant, index) => {
      const key = optionsKey(variant.options);
      if (!key) return;
      const seen = first.get(key);
      if (seen === undefined) first.set(key, index);
      else
        errors.push({
          path: path(index),
          message: `are the same as ${path(seen)} (${describeOptions(variant.options!)})`,
        });
    });
    if (errors.length)
      throw CatalogErrors.duplicateOptions('Two variants of the product would have the same options', {
        errors,
      });
  }

  /**
   * Inside a writing transaction: locks the product's row, so variant writes of one product go one at a time
   * (two concurrent ones cannot both pass a check of its other variants, and a product being deleted finishes
   * first), and checks the product is still live.
   */
  private async lockProduct(em: EntityManager, productId: string): Promise<void> {
    const [row] = await em.execute<{ deleted: boolean }[]>(
      `SELECT deleted_at IS NOT NULL AS deleted FROM product WHERE id = ? FOR NO KEY UPDATE`,
      [productId],
    );
    if (!row || row.deleted) throw CatalogErrors.productNotFound();
  }

  /** After `lockProduct`: no other live variant of the product has these options (none: nothing to compare). */
  private async checkSiblingOptions(
    em: EntityManager,
    productId: string,
    options: Record<string, string>,
    selfId: string | null,
    path: string,
  ): Promise<void> {
    const key = optionsKey(options);
    if (!key) return;
    const twin = (await liveVariantOptions(em, [productId])).find(
      (variant) => variant.id !== selfId && optionsKey(variant.options) === key,
    );
    if (twin)
      throw CatalogErrors.duplicateOptions(`The variant ${twin.sku} has the same options`, {
        errors: [{ path, message: `are the same as variant ${twin.sku}'s (${describeOptions(options)})` }],
      });
  }

  async createProduct(input: NewProduct): Promise<ProductView> {
    const errors: FieldError[] = [];
    input.variants.forEach((variant, index) => {
      this.checkMoney(variant.price, `body/variants/${index}/price/currency`, errors);
      this.checkMoney(variant.compareAtPrice, `body/variants/${index}/compareAtPrice/currency`, errors);
    });
    if (errors.length) throw CatalogErrors.currencyMismatch(undefined, { errors });
    input.variants.forEach((variant, index) =>
      this.checkCompareAt(
        variant.price.amount,
        variant.compareAtPrice?.amount,
        `body/variants/${index}/compareAtPrice/amount`,
        errors,
      ),
    );
    if (errors.length) throw CatalogErrors.compareAtNotAbove(undefined, { errors });
    this.checkOptionsDistinct(input.variants, (index) => `body/variants/${index}/options`);
    await this.checkCategories(input.categoryIds, 'body/categoryIds');
    // A new product filed under a category with a fixed sale is in that sale from the start.
    await refuseFreeBySale(
      this.em,
      input.variants.map((variant, index) => ({
        price: variant.price.amount,
        categoryIds: input.categoryIds ?? [],
        path: `body/variants/${index}/price/amount`,
      })),
    );
    await this.checkSkusFree(
      input.variants.map((v) => v.sku),
      (index) => `body/variants/${index}/sku`,
    );
    if (input.slug && (await this.em.count(ProductSchema, { slug: input.slug }))) {
      throw CatalogErrors.duplicateSlug(undefined, {
        errors: [{ path: 'body/slug', message: 'is already used' }],
      });
    }
    // A slug made from the title is the next free one; should a concurrent create take it first, the next free
    // one after that (a few times): the caller never chose it, so its loss is no conflict of theirs. A slug the
    // caller gave is theirs to change (409).
    for (let attempt = 1; ; attempt++) {
      const slug = input.slug ?? (await this.freeSlug(slugify(input.title)));
      try {
        return await this.insertProduct(input, slug);
      } catch (err) {
        if (isSlugViolation(err) && input.slug === undefined && attempt < SLUG_ATTEMPTS) continue;
        // Lost a race with a concurrent writer on the same SKU or slug: the unique index is the last word.
        if (isSkuViolation(err))
          throw CatalogErrors.duplicateSku('A variant with one of these SKUs was just created');
        if (isSlugViolation(err)) throw CatalogErrors.duplicateSlug();
        if (isDeletedCategoryViolation(err)) throw categoryJustDeleted();
        throw err;
      }
    }
  }

  private insertProduct(input: NewProduct, slug: string): Promise<ProductView> {
    return this.em.transactional(async (em) => {
      const product = em.create(ProductSchema, {
        id: randomUUID(),
        slug,
        title: input.title,
        description: input.description ?? '',
        status: input.status ?? 'draft',
        attributes: input.attributes ?? {},
        weightGrams: input.weightGrams ?? null,
        lengthMm: input.lengthMm ?? null,
        widthMm: input.widthMm ?? null,
        heightMm: input.heightMm ?? null,
        deletedAt: null,
      });
      // Variants refer to the product by a plain id column, so the ORM cannot order the inserts itself.
      await em.flush();
      const variants = input.variants.map((variant, position) =>
        em.create(VariantSchema, {
          productId: product.id,
          sku: variant.sku,
          title: variant.title ?? '',
          options: variant.options ?? {},
          priceAmount: variant.price.amount,
          compareAtAmount: variant.compareAtPrice?.amount ?? null,
          weightGrams: variant.weightGrams ?? null,
          position,
          deletedAt: null,
        }),
      );
      await em.flush();
      const categoryIds = [...new Set(input.categoryIds ?? [])];
      await this.setCategories(em, product.id, categoryIds);
      await syncVariantStock(
        em,
        variants.map((v) => v.id),
      );
      await refreshProductSearch(em, [product.id]);
      recordChange(em, { resource: 'products', ids: [product.id], type: 'created' });
      recordChange(em, {
        resource: 'variants',
        ids: variants.map((v) => v.id),
        type: 'created',
        payload: { productId: product.id },
      });
      await em.flush();
      return { product, categoryIds, variants };
    });
  }

  private async setCategories(em: EntityManager, productId: string, categoryIds: string[]): Promise<void> {
    const connection = em;
    await connection.execute(
      `DELETE FROM product_category WHERE product_id = ? AND NOT (category_id = ANY (?::uuid[]))`,
      [productId, pgArray(categoryIds)],
    );
    if (categoryIds.length) {
      await connection.execute(
        `INSERT INTO product_category (product_id, category_id) SELECT ?, unnest(?::uuid[]) ON CONFLICT DO NOTHING`,
        [productId, pgArray(categoryIds)],
      );
    }
  }

  async getProduct(id: string): Promise<ProductView> {
    const product = await this.em.findOne(ProductSchema, { id, deletedAt: null });
    if (!product) throw CatalogErrors.productNotFound();
    return this.view(product);
  }

  private async view(product: Product): Promise<ProductView> {
    const variants = await this.em.find(
      VariantSchema,
      { productId: product.id, deletedAt: null },
      { orderBy: { position: 'ASC', sku: 'ASC' } },
    );
    return { product, categoryIds: await this.categoryIdsOf(product.id), variants };
  }

  private async categoryIdsOf(productId: string): Promise<string[]> {
    const rows = await this.em.execute<{ category_id: string }[]>(
      `SELECT category_id FROM product_category WHERE product_id = ? ORDER BY category_id`,
      [productId],
    );
    return rows.map((r) => r.category_id);
  }

  private checkVersion(entity: { version: number }, version: number): void {
    if (entity.version !== version)
      throw CommonErrors.staleWrite('Reload the record and apply your change again');
  }

  async updateProduct(id: string, patch: ProductPatch): Promise<ProductView> {
    const product = await this.em.findOne(ProductSchema, { id, deletedAt: null });
    if (!product) throw CatalogErrors.productNotFound();
    this.checkVersion(product, patch.version);
    await this.checkCategories(patch.categoryIds, 'body/categoryIds');
    if (
      patch.slug !== undefined &&
      patch.slug !== product.slug &&
      (await this.em.count(ProductSchema, { slug: patch.slug }))
    ) {
      throw CatalogErrors.duplicateSlug(undefined, {
        errors: [{ path: 'body/slug', message: 'is already used' }],
      });
    }
    const categoryIds = patch.categoryIds && [...new Set(patch.categoryIds)];
    let categoriesChanged = false;
    if (categoryIds) {
      const before = new Set(await this.categoryIdsOf(id));
      categoriesChanged = categoryIds.length !== before.size || categoryIds.some((c) => !before.has(c));
    }
    if (categoriesChanged) {
      // Filed under a category with a fixed sale, its variants are in that sale.
      const variants = await this.em.execute<{ id: string; price_amount: number }[]>(
        `SELECT id, price_amount FROM variant WHERE product_id = ? AND deleted_at IS NULL`,
        [id],
      );
      await refuseFreeBySale(
        this.em,
        variants.map((v) => ({
          productId: id,
          variantId: v.id,
          price: v.price_amount,
          categoryIds,
          path: 'body/categoryIds',
        })),
        joinedSaleMessage,
      );
    }
    try {
      await this.em.transactional(async (em) => {
        const { version: _version, categoryIds: _categoryIds, ...fields } = patch;
        for (const [key, value] of Object.entries(fields)) {
          if (value !== undefined) (product as unknown as Record<string, unknown>)[key] = value;
        }
        // Categories live in their own table: touching the product makes a change of them alone move its
        // version too (optimistic locking: the next write with the version read before is refused).
        if (categoriesChanged) product.updatedAt = new Date();
        await em.flush();
        if (categoriesChanged) await this.setCategories(em, product.id, categoryIds!);
        await refreshProductSearch(em, [product.id]);
        recordChange(em, { resource: 'products', ids: [product.id], type: 'updated' });
        await em.flush();
      });
    } catch (err) {
      if (isSlugViolation(err)) throw CatalogErrors.duplicateSlug();
      if (isDeletedCategoryViolation(err)) throw categoryJustDeleted();
      throw err;
    }
    return this.view(product);
  }

  /** Soft delete: the product leaves the store at once; orders keep their own copies of its lines. */
  async deleteProduct(id: string): Promise<void> {
    const product = await this.em.findOne(ProductSchema, { id, deletedAt: null });
    if (!product) throw CatalogErrors.productNotFound();
    await this.em.transactional(async (em) => {
      // Its variants are read under the product's lock: a variant being added meanwhile is committed first (and
      // deleted with the others) or waits and finds the product gone; none stays live, holding its SKU.
      await this.lockProduct(em, id);
      product.deletedAt = new Date();
      // Free the slug and SKUs for reuse. The slug is shortened to keep the whole suffix: cut off, two products
      // deleted under one long slug would get the same one.
      const suffix = `-deleted-${product.id.slice(0, 8)}`;
      product.slug = `${product.slug.slice(0, 200 - suffix.length)}${suffix}`;
      const variants = await em.find(VariantSchema, { productId: id, deletedAt: null });
      for (const variant of variants) variant.deletedAt = new Date();
      await em.flush();
      await refreshProductSearch(em, [id]);
      recordChange(em, { resource: 'products', ids: [id], type: 'deleted' });
      if (variants.length)
        recordChange(em, {
          resource: 'variants',
          ids: variants.map((v) => v.id),
          type: 'deleted',
          payload: { productId: id },
        });
      await em.flush();
    });
  }

  async addVariant(productId: string, input: NewVariant): Promise<Variant> {
    const product = await this.em.findOne(ProductSchema, { id: productId, deletedAt: null });
    if (!product) throw CatalogErrors.productNotFound();
    const errors: FieldError[] = [];
    this.checkMoney(input.price, 'body/price/currency', errors);
    this.checkMoney(input.compareAtPrice, 'body/compareAtPrice/currency', errors);
    if (errors.length) throw CatalogErrors.currencyMismatch(undefined, { errors });
    this.checkCompareAt(
      input.price.amount,
      input.compareAtPrice?.amount,
      'body/compareAtPrice/amount',
      errors,
    );
    if (errors.length) throw CatalogErrors.compareAtNotAbove(undefined, { errors });
    await refuseFreeBySale(this.em, [{ productId, price: input.price.amount, path: 'body/price/amount' }]);
    await this.checkSkusFree([input.sku], () => 'body/sku');
    const position = await this.em.count(VariantSchema, { productId, deletedAt: null });
    try {
      return await this.em.transactional(async (em) => {
        await this.lockProduct(em, productId);
        await this.checkSiblingOptions(em, productId, input.options ?? {}, null, 'body/options');
        const variant = em.create(VariantSchema, {
          productId,
          sku: input.sku,
          title: input.title ?? '',
          options: input.options ?? {},
          priceAmount: input.price.amount,
          compareAtAmount: input.compareAtPrice?.amount ?? null,
          weightGrams: input.weightGrams ?? null,
          position,
          deletedAt: null,
        });
        await em.flush();
        await syncVariantStock(em, [variant.id]);
        await refreshProductSearch(em, [productId]);
        recordChange(em, {
          resource: 'variants',
          ids: [variant.id],
          type: 'created',
          payload: { productId },
        });
        recordChange(em, { resource: 'products', ids: [productId], type: 'updated' });
        await em.flush();
        return variant;
      });
    } catch (err) {
      if (isSkuViolation(err)) throw CatalogErrors.duplicateSku('A variant with this SKU was just created');
      throw err;
    }
  }

  /** A live variant of the product (404 otherwise). */
  async variant(productId: string, variantId: string): Promise<Variant> {
    const variant = await this.em.findOne(VariantSchema, { id: variantId, productId, deletedAt: null });
    if (!variant) throw CatalogErrors.variantNotFound();
    return variant;
  }

  async updateVariant(productId: string, variantId: string, patch: VariantPatch): Promise<Variant> {
    const variant = await this.variant(productId, variantId);
    this.checkVersion(variant, patch.version);
    const errors: FieldError[] = [];
    this.checkMoney(patch.price, 'body/price/currency', errors);
    this.checkMoney(patch.compareAtPrice, 'body/compareAtPrice/currency', errors);
    if (errors.length) throw CatalogErrors.currencyMismatch(undefined, { errors });
    // Checked only when one of the two changes: a price raised by a bulk change may pass an old compare-at
    // (the store then no longer shows it).
    if (patch.price !== undefined || patch.compareAtPrice !== undefined)
      this.checkCompareAt(
        patch.price?.amount ?? variant.priceAmount,
        patch.compareAtPrice === undefined ? variant.compareAtAmount : patch.compareAtPrice?.amount,
        patch.compareAtPrice === undefined ? 'body/price/amount' : 'body/compareAtPrice/amount',
        errors,
      );
    if (errors.length) throw CatalogErrors.compareAtNotAbove(undefined, { errors });
    if (patch.sku !== undefined && patch.sku !== variant.sku)
      await this.checkSkusFree([patch.sku], () => 'body/sku', [variant.id]);
    const priceChanged = patch.price !== undefined && patch.price.amount !== variant.priceAmount;
    // Options as they were (a form sending them unchanged) are not checked again: only a change is.
    const optionsChanged =
      patch.options !== undefined && optionsKey(patch.options) !== optionsKey(variant.options);
    const skuChanged = patch.sku !== undefined && patch.sku !== variant.sku;
    if (priceChanged)
      await refuseFreeBySale(this.em, [
        { productId, variantId: variant.id, price: patch.price!.amount, path: 'body/price/amount' },
      ]);
    try {
      await this.em.transactional(async (em) => {
        if (optionsChanged) {
          await this.lockProduct(em, productId);
          await this.checkSiblingOptions(em, productId, patch.options!, variant.id, 'body/options');
        }
        if (patch.sku !== undefined) variant.sku = patch.sku;
        if (patch.title !== undefined) variant.title = patch.title;
        if (patch.options !== undefined) variant.options = patch.options;
        if (patch.price !== undefined) variant.priceAmount = patch.price.amount;
        if (patch.compareAtPrice !== undefined)
          variant.compareAtAmount = patch.compareAtPrice?.amount ?? null;
        if (patch.weightGrams !== undefined) variant.weightGrams = patch.weightGrams;
        if (patch.position !== undefined) variant.position = patch.position;
        await em.flush();
        // A SKU kept from before SKUs were unique without case is held like any other once it changes.
        if (skuChanged)
          await em.execute(
            `UPDATE variant SET sku_case_exempt = NULL WHERE id = ? AND sku_case_exempt IS NOT NULL`,
            [variant.id],
          );
        await refreshProductSearch(em, [productId]);
        recordChange(em, {
          resource: 'variants',
          ids: [variant.id],
          type: 'updated',
          payload: { productId },
        });
        if (priceChanged)
          recordChange(em, {
            resource: 'prices',
            ids: [variant.id],
            type: 'updated',
            payload: { productId },
          });
        recordChange(em, { resource: 'products', ids: [productId], type: 'updated' });
        await em.flush();
      });
    } catch (err) {
      if (isSkuViolation(err)) throw CatalogErrors.duplicateSku('A variant with this SKU was just created');
      throw err;
    }
    return variant;
  }

  async deleteVariant(productId: string, variantId: string): Promise<void> {
    const variant = await this.em.findOne(VariantSchema, { id: variantId, productId, deletedAt: null });
    if (!variant) throw CatalogErrors.variantNotFound();
    await this.em.transactional(async (em) => {
      // Counted under the product's lock: two variants deleted at once cannot both see the other one left.
      await this.lockProduct(em, productId);
      const [live] = await em.execute<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM variant WHERE product_id = ? AND deleted_at IS NULL`,
        [productId],
      );
      if ((live?.n ?? 0) <= 1) throw CatalogErrors.lastVariant();
      variant.deletedAt = new Date();
      await em.flush();
      await refreshProductSearch(em, [productId]);
      recordChange(em, { resource: 'variants', ids: [variant.id], type: 'deleted', payload: { productId } });
      recordChange(em, { resource: 'products', ids: [productId], type: 'updated' });
      await em.flush();
    });
  }

  /** Staff list: exact totals (admin traffic is small), filters on status, category (with sub-categories), title/SKU. */
  async listProducts(query: AdminListQuery): Promise<{ data: AdminListRow[]; total: number }> {
    const where: string[] = ['p.deleted_at IS NULL'];
    const params: unknown[] = [];
    if (query.status) {
      where.push('p.status = ?');
      params.push(query.status);
    }
    if (query.id?.length) {
      where.push('p.id = ANY (?::uuid[])');
      params.push(pgArray(query.id));
    }
    if (query.q) {
      const like = containing(query.q);
      where.push(
        '(p.title ILIKE ? OR EXISTS (SELECT 1 FROM variant sv WHERE sv.product_id = p.id AND sv.deleted_at IS NULL AND sv.sku ILIKE ?))',
      );
      params.push(like, like);
    }
    if (query.categoryId) {
      where.push(`EXISTS (SELECT 1 FROM product_category fc WHERE fc.product_id = p.id AND fc.category_id IN (
        WITH RECURSIVE down AS (SELECT id FROM category WHERE id = ? UNION SELECT c.id FROM category c JOIN down ON c.parent_id = down.id)
        SELECT id FROM down))`);
      params.push(query.categoryId);
    }
    const sortColumn = {
      title: 'p.title',
      createdAt: 'p.created_at',
      updatedAt: 'p.updated_at',
      status: 'p.status',
      minPrice: 'min_price',
    }[query.sort ?? 'createdAt'];
    const order = query.order === 'ASC' ? 'ASC' : 'DESC';
    const perPage = query.perPage ?? 25;
    const offset = ((query.page ?? 1) - 1) * perPage;
    const whereSql = where.join(' AND ');
    const connection = this.em;
    const [countRow] = await connection.execute<{ total: number }[]>(
      `SELECT count(*)::int AS total FROM product p WHERE ${whereSql}`,
      params,
    );
    const rows = await connection.execute<AdminListRow[]>(
      `SELECT p.id, p.slug, p.title, p.status, p.version, p.created_at, p.updated_at, v.skus, v.variant_count, v.min_price,
              COALESCE((SELECT array_agg(category_id) FROM product_category pc WHERE pc.product_id = p.id), '{}') AS category_ids
         FROM product p
         CROSS JOIN LATERAL (SELECT COALESCE(array_agg(sku ORDER BY position, sku), '{}') AS skus, count(*)::int AS variant_count,
                                    min(price_amount) AS min_price
                               FROM variant WHERE product_id = p.id AND deleted_at IS NULL) v
        WHERE ${whereSql}
        ORDER BY ${sortColumn} ${order} NULLS LAST, p.id ${order}
        LIMIT ? OFFSET ?`,
      [...params, perPage, offset],
    );
    return { data: rows, total: countRow?.total ?? 0 };
  }

  /** Publish, archive or re-draft many products, or change their variants' prices by a percentage, in one transaction. */
  async bulk(
    ids: string[],
    action: 'publish' | 'archive' | 'draft' | 'priceChange',
    percent?: number,
  ): Promise<{ updated: number }> {
    return this.em.transactional(async (em) => {
      const connection = em;
      let productIds: string[];
      if (action === 'priceChange') {
        if (percent === undefined || percent === 0) {
          throw CommonErrors.validation(undefined, {
            errors: [{ path: 'body/percent', message: 'is required for priceChange and not 0' }],
          });
        }
        // Integer arithmetic in SQL, rounded half up: money never passes through floating point in JS. The
        // new prices are checked first, on locked rows, so the update below writes exactly what was checked.
        const changes = await connection.execute<
          { id: string; product_id: string; sku: string; price_amount: number; new_price: string }[]
        >(
          `SELECT v.id, v.product_id, v.sku, v.price_amount,
                  GREATEST(0, round(v.price_amount * (100 + ?::numeric) / 100))::bigint AS new_price
             FROM variant v
            WHERE v.product_id = ANY (?::uuid[]) AND v.deleted_at IS NULL
              AND v.product_id IN (SELECT id FROM product WHERE deleted_at IS NULL)
            ORDER BY v.id
              FOR UPDATE OF v`,
          [percent, pgArray(ids)],
        );
        const tooDear = changes.find((c) => Number(c.new_price) > MAX_PRICE);
        if (tooDear) {
          throw CommonErrors.validation('A price would be above the largest price a variant may have', {
            errors: [
              {
                path: 'body/percent',
                message: `would take ${tooDear.sku} from ${tooDear.price_amount} to ${tooDear.new_price}, above the largest price (${MAX_PRICE})`,
              },
            ],
          });
        }
        // Rounded, a large cut takes a small price to zero (-99% of 49 is 0.49): a giveaway nobody asked for. A
        // free variant is made by setting its price to 0, not by a percentage.
        const madeFree = changes.find((c) => c.price_amount > 0 && Number(c.new_price) === 0);
        if (madeFree) {
          throw CommonErrors.validation('A price would fall to zero', {
            errors: [
              {
                path: 'body/percent',
                message: `would take ${madeFree.sku} from ${madeFree.price_amount} to 0 (free)`,
              },
            ],
          });
        }
        // A lower price may fall to a fixed sale's amount (a raise never does).
        if (percent < 0)
          await refuseFreeBySale(
            em,
            changes.map((c) => ({
              variantId: c.id,
              productId: c.product_id,
              price: Number(c.new_price),
              path: 'body/percent',
            })),
            (f) =>
              `would take ${changes[f.index]!.sku} to ${f.price}: the sale "${f.saleName}" takes ${f.discount} off, so it would be free`,
          );
        const rows = await connection.execute<{ id: string; product_id: string }[]>(
          `UPDATE variant SET price_amount = GREATEST(0, round(price_amount * (100 + ?::numeric) / 100))::int,
                              version = version + 1, updated_at = now()
            WHERE product_id = ANY (?::uuid[]) AND deleted_at IS NULL
              AND product_id IN (SELECT id FROM product WHERE deleted_at IS NULL)
           RETURNING id, product_id`,
          [percent, pgArray(ids)],
        );
        productIds = [...new Set(rows.map((r) => r.product_id))];
        if (rows.length) {
          recordChange(em, { resource: 'prices', ids: rows.map((r) => r.id), type: 'updated' });
          recordChange(em, { resource: 'variants', ids: rows.map((r) => r.id), type: 'updated' });
        }
      } else {
        const status = action === 'publish' ? 'active' : action === 'archive' ? 'archived' : 'draft';
        const rows = await connection.execute<{ id: string }[]>(
          `UPDATE product SET status = ?, version = version + 1, updated_at = now()
            WHERE id = ANY (?::uuid[]) AND deleted_at IS NULL AND status <> ? RETURNING id`,
          [status, pgArray(ids), status],
        );
        productIds = rows.map((r) => r.id);
      }
      await refreshProductSearch(em, productIds);
      if (productIds.length) recordChange(em, { resource: 'products', ids: productIds, type: 'updated' });
      await em.flush();
      return { updated: productIds.length };
    });
  }

  /**
   * Variants of live products for staff screens that work by SKU (stock receipts, transfers) or show
   * variant ids (stock levels, the ledger). `sku` is an exact, case-insensitive match: a scanner's code
   * names one variant; an exact-case match wins when two SKUs differ only in case.
   */
  async listVariants(query: VariantListQuery): Promise<{ data: VariantLookupRow[]; total: number }> {
    const where: string[] = ['v.deleted_at IS NULL', 'p.deleted_at IS NULL'];
    const params: unknown[] = [];
    if (query.sku !== undefined) {
      where.push('lower(v.sku) = lower(?)');
      params.push(query.sku.trim());
    }
    if (query.id?.length) {
      where.push('v.id = ANY (?::uuid[])');
      params.push(pgArray(query.id));
    }
    if (query.productId) {
      where.push('v.product_id = ?::uuid');
      params.push(query.productId);
    }
    if (query.skuCaseConflicts)
      where.push(
        'EXISTS (SELECT 1 FROM variant o WHERE lower(o.sku) = lower(v.sku) AND o.deleted_at IS NULL AND o.id <> v.id)',
      );
    if (query.q) {
      const like = containing(query.q.trim());
      where.push('(v.sku ILIKE ? OR p.title ILIKE ? OR v.title ILIKE ?)');
      params.push(like, like, like);
    }
    const whereSql = where.join(' AND ');
    const perPage = query.perPage ?? 25;
    const offset = ((query.page ?? 1) - 1) * perPage;
    const exactFirst = query.sku !== undefined ? '(v.sku = ?) DESC, ' : '';
    const sortColumn = { sku: 'v.sku', productTitle: 'p.title' }[query.sort ?? 'sku'];
    const order = query.order === 'DESC' ? 'DESC' : 'ASC';
    const [countRow] = await this.em.execute<{ total: number }[]>(
      `SELECT count(*)::int AS total FROM variant v JOIN product p ON p.id = v.product_id WHERE ${whereSql}`,
      params,
    );
    const data = await this.em.execute<VariantLookupRow[]>(
      `SELECT v.id, v.sku, v.title, v.options, v.product_id AS "productId", p.title AS "productTitle"
         FROM variant v JOIN product p ON p.id = v.product_id
        WHERE ${whereSql}
        ORDER BY ${exactFirst}${sortColumn} ${order}, v.id
        LIMIT ? OFFSET ?`,
      [...params, ...(exactFirst ? [query.sku!.trim()] : []), perPage, offset],
    );
    return { data, total: countRow?.total ?? 0 };
  }
}

export interface VariantListQuery {
  page?: number | undefined;
  perPage?: number | undefined;
  sort?: 'sku' | 'productTitle' | undefined;
  order?: 'ASC' | 'DESC' | undefined;
  q?: string | undefined;
  sku?: string | undefined;
  productId?: string | undefined;
  id?: string[] | undefined;
  skuCaseConflicts?: boolean | undefined;
}

export interface VariantLookupRow {
  id: string;
  sku: string;
  title: string;
  options: Record<string, string>;
  productId: string;
  productTitle: string;
}

export interface AdminListQuery {
  page?: number | undefined;
  perPage?: number | undefined;
  sort?: 'title' | 'createdAt' | 'updatedAt' | 'status' | 'minPrice' | undefined;
  order?: 'ASC' | 'DESC' | undefined;
  q?: string | undefined;
  status?: ProductStatus | undefined;
  categoryId?: string | undefined;
  id?: string[] | undefined;
}

export interface AdminListRow {
  id: string;
  slug: string;
  title: string;
  status: ProductStatus;
  version: number;
  created_at: Date;
  updated_at: Date;
  skus: string[];
  variant_count: number;
  min_price: number | null;
  category_ids: string[];
}
