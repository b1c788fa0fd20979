import type { EntityManager } from '@mikro-orm/postgresql';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { recordChange } from '../../platform/outbox.ts';
import { CommonErrors } from '../../platform/errors.ts';
import { CategorySchema, type Category } from './catalog.entities.ts';
import { CatalogErrors } from './catalog.errors.ts';
import { joinedSaleMessage, pgArray, refreshProductSearch, refuseFreeBySale } from './catalog.queries.ts';
import { slugify, SLUG_ATTEMPTS } from './catalog.service.ts';

export interface CategoryInput {
  name: string;
  slug?: string | undefined;
  parentId?: string | null | undefined;
  position?: number | undefined;
}

/**
 * Tree moves take this transaction-level lock before their cycle check: two crossing moves (A under B, B
 * under A) would each pass a check that cannot see the other's uncommitted write, and leave a cycle.
 */
const TREE_LOCK = 'category-tree';

/**
 * How many levels the tree may have (a top-level category is on level 1). Store menus, breadcrumbs and the
 * category facets (which drill down one level at a time) stop being usable long before; every level is also
 * one more step for the recursive look-ups up and down the tree that filters, sales and re-indexing make.
 */
export const MAX_CATEGORY_DEPTH = 8;

const isSlugViolation = (err: unknown) =>
  err instanceof UniqueConstraintViolationException && /category_slug_unique/.test(err.message);

/** Products filed in a category or any category below it. */
async function productsUnder(em: EntityManager, categoryId: string): Promise<string[]> {
  const rows = await em.execute<{ product_id: string }[]>(
    `WITH RECURSIVE down AS (SELECT id FROM category WHERE id = ? UNION SELECT c.id FROM category c JOIN down ON c.parent_id = down.id)
     SELECT DISTINCT product_id FROM product_category WHERE category_id IN (SELECT id FROM down)`,
    [categoryId],
  );
  return rows.map((r) => r.product_id);
}

/** The category tree: names and places. Moving or renaming one re-indexes the products below it. */
export class CategoriesService {
  constructor(private readonly em: EntityManager) {}

  async get(id: string): Promise<Category> {
    const category = await this.em.findOne(CategorySchema, { id });
    if (!category) throw CatalogErrors.categoryNotFound();
    return category;
  }

  /** The parent exists and, for a move (`selfId`), is neither the category nor below it: read through `em`. */
  private async checkParent(
    em: EntityManager,
    parentId: string | null | undefined,
    selfId?: string,
  ): Promise<void> {
    if (!parentId) return;
    if (!(await em.count(CategorySchema, { id: parentId }))) {
      throw CatalogErrors.unknownCategory(undefined, {
        errors: [{ path: 'body/parentId', message: 'is not a known category' }],
      });
    }
    if (!selfId) return;
    const rows = await em.execute<{ id: string }[]>(
      `WITH RECURSIVE up AS (SELECT id, parent_id FROM category WHERE id = ? UNION SELECT c.id, c.parent_id FROM category c JOIN up ON c.id = up.parent_id)
       SELECT id FROM up WHERE id = ?`,
      [parentId, selfId],
    );
    if (rows.length)
      throw CatalogErrors.categoryCycle(undefined, {
        errors: [{ path: 'body/parentId', message: 'is this category or below it' }],
      });
  }

  /**
   * A category placed under `parentId` (with the levels below it, for a move) stays within MAX_CATEGORY_DEPTH:
   * 400 MCART_ERR_CATEGORY_TOO_DEEP on `body/parentId` otherwise. Read through `em`, after the tree lock.
   */
  private async checkDepth(em: EntityManager, parentId: string | null | undefined, selfId?: string) {
    if (!parentId) return;
    // The parent's level: itself and its ancestors (UNION stops on a cycle, which the checks never let in).
    const [up] = await em.execute<{ depth: number }[]>(
      `WITH RECURSIVE up AS (SELECT id, parent_id FROM category WHERE id = ? UNION SELECT c.id, c.parent_id FROM category c JOIN up ON c.id = up.parent_id)
       SELECT count(*)::int AS depth FROM up`,
      [parentId],
    );
    let height = 1;
    if (selfId) {
      const [down] = await em.execute<{ height: number }[]>(
        `WITH RECURSIVE down AS (SELECT id, 1 AS level FROM category WHERE id = ?
                                 UNION ALL
                                 SELECT c.id, down.level + 1 FROM category c JOIN down ON c.parent_id = down.id
                                  WHERE down.level <= ?)
         SELECT max(level)::int AS height FROM down`,
        [selfId, MAX_CATEGORY_DEPTH],
      );
      height = down?.height ?? 1;
    }
    const depth = (up?.depth ?? 0) + height;
    if (depth > MAX_CATEGORY_DEPTH)
      throw CatalogErrors.categoryTooDeep(`The category tree may have at most ${MAX_CATEGORY_DEPTH} levels`, {
        errors: [
          {
            path: 'body/parentId',
            message:
              height > 1
                ? `would put the category's lowest sub-category on level ${depth}; at most ${MAX_CATEGORY_DEPTH} levels`
                : `would put the category on level ${depth}; at most ${MAX_CATEGORY_DEPTH} levels`,
          },
        ],
      });
  }

  private async freeSlug(base: string): Promise<string> {
    const rows = await this.em.execute<{ slug: string }[]>(
      `SELECT slug FROM category WHERE slug = ? OR slug LIKE ?`,
      [base, `${base}-%`],
    );
    const taken = new Set(rows.map((r) => r.slug));
    if (!taken.has(base)) return base;
    for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
  }

  async create(input: CategoryInput): Promise<Category> {
    await this.checkParent(this.em, input.parentId);
    if (input.slug && (await this.em.count(CategorySchema, { slug: input.slug }))) {
      throw CatalogErrors.duplicateSlug(undefined, {
        errors: [{ path: 'body/slug', message: 'is already used' }],
      });
    }
    // A slug made from the name, taken first by a concurrent create: the next free one (as for products).
    for (let attempt = 1; ; attempt++) {
      const slug = input.slug ?? (await this.freeSlug(slugify(input.name)));
      try {
        return await this.insert(input, slug);
      } catch (err) {
        if (isSlugViolation(err) && input.slug === undefined && attempt < SLUG_ATTEMPTS) continue;
        if (isSlugViolation(err)) throw CatalogErrors.duplicateSlug();
        throw err;
      }
    }
  }

  private insert(input: CategoryInput, slug: string): Promise<Category> {
    return this.em.transactional(async (em) => {
      if (input.parentId) {
        // Under the tree lock, as a move: a move deepening the parent's branch meanwhile is seen.
        await em.execute(`SELECT pg_advisory_xact_lock(hashtext(?))`, [TREE_LOCK]);
        await this.checkParent(em, input.parentId);
        await this.checkDepth(em, input.parentId);
      }
      const category = em.create(CategorySchema, {
        name: input.name,
        slug,
        parentId: input.parentId ?? null,
        position: input.position ?? 0,
      });
      await em.flush();
      recordChange(em, { resource: 'categories', ids: [category.id], type: 'created' });
      await em.flush();
      return category;
    });
  }

  async update(id: string, patch: Partial<CategoryInput> & { version: number }): Promise<Category> {
    const category = await this.get(id);
    if (category.version !== patch.version)
      throw CommonErrors.staleWrite('Reload the category and apply your change again');
    const moved = patch.parentId !== undefined && patch.parentId !== category.parentId;
    if (
      patch.slug !== undefined &&
      patch.slug !== category.slug &&
      (await this.em.count(CategorySchema, { slug: patch.slug }))
    ) {
      throw CatalogErrors.duplicateSlug(undefined, {
        errors: [{ path: 'body/slug', message: 'is already used' }],
      });
    }
    const reindex = moved || (patch.name !== undefined && patch.name !== category.name);
    try {
      await this.em.transactional(async (em) => {
        if (moved) {
          // One tree move at a time: the check then sees every move made before this one, committed.
          await em.execute(`SELECT pg_advisory_xact_lock(hashtext(?))`, [TREE_LOCK]);
          await this.checkParent(em, patch.parentId, id);
          await this.checkDepth(em, patch.parentId, id);
        }
        if (patch.name !== undefined) category.name = patch.name;
        if (patch.slug !== undefined) category.slug = patch.slug;
        if (patch.parentId !== undefined) category.parentId = patch.parentId;
        if (patch.position !== undefined) category.position = patch.position;
        await em.flush();
        const products = reindex ? await productsUnder(em, id) : [];
        if (moved && patch.parentId) {
          // Below a new parent, its products are in the fixed sales of that parent and the categories above it.
          const variants = await em.execute<{ id: string; product_id: string; price_amount: number }[]>(
            `SELECT id, product_id, price_amount FROM variant WHERE product_id = ANY (?::uuid[]) AND deleted_at IS NULL`,
            [pgArray(products)],
          );
          await refuseFreeBySale(
            em,
            variants.map((v) => ({
              variantId: v.id,
              productId: v.product_id,
              price: v.price_amount,
              path: 'body/parentId',
            })),
            joinedSaleMessage,
          );
        }
        if (reindex) await refreshProductSearch(em, products);
        recordChange(em, { resource: 'categories', ids: [id], type: 'updated' });
        await em.flush();
      });
    } catch (err) {
      if (isSlugViolation(err)) throw CatalogErrors.duplicateSlug();
      throw err;
    }
    return category;
  }

  /** Only a leaf can go; its products stay, just no longer filed there. */
  async delete(id: string): Promise<void> {
    const category = await this.get(id);
    if (await this.em.count(CategorySchema, { parentId: id })) throw CatalogErrors.categoryInUse();
    await this.em.transactional(async (em) => {
      // Under the tree lock (a sub-category being created under it is committed first, and seen, or waits and
      // finds no parent) and the row's lock (a product being filed under it is committed first, and re-indexed
      // below, or waits and is refused as filed under an unknown category).
      await em.execute(`SELECT pg_advisory_xact_lock(hashtext(?))`, [TREE_LOCK]);
      const [row] = await em.execute<{ id: string }[]>(`SELECT id FROM category WHERE id = ? FOR UPDATE`, [
        id,
      ]);
      if (!row) throw CatalogErrors.categoryNotFound();
      if (await em.count(CategorySchema, { parentId: id })) throw CatalogErrors.categoryInUse();
      const products = await productsUnder(em, id);
      em.remove(category);
      await em.flush();
      await refreshProductSearch(em, products);
      recordChange(em, { resource: 'categories', ids: [id], type: 'deleted' });
      if (products.length) recordChange(em, { resource: 'products', ids: products, type: 'updated' });
      await em.flush();
    });
  }
}
