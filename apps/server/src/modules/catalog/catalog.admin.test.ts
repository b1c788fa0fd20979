import { describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { staffToken, useTestApp } from '../../../test/app.ts';
import { purchasableVariants } from './catalog.queries.ts';
import { CategoriesService, MAX_CATEGORY_DEPTH } from './categories.service.ts';
import { CatalogService } from './catalog.service.ts';
import { seedDemoCatalog } from './demo-seed.ts';

const { app } = await useTestApp();
const auth = { authorization: await staffToken(app) };
const usd = (amount: number) => ({ amount, currency: 'USD' });

async function createProduct(payload: Record<string, unknown>) {
  return app.inject({ method: 'POST', url: '/api/admin/products', headers: auth, payload });
}

async function createCategory(name: string, parentId?: string) {
  const response = await app.inject({
    method: 'POST',
    url: '/api/admin/categories',
    headers: auth,
    payload: { name, ...(parentId ? { parentId } : {}) },
  });
  expect(response.statusCode).toBe(201);
  return response.json<{ id: string; version: number }>();
}

describe('POST /api/admin/products', () => {
  it('creates a product with its variants (contract shape)', async () => {
    const category = await createCategory('Shirts');
    const response = await createProduct({
      title: 'Oxford Shirt',
      status: 'active',
      description: 'Button-down',
      categoryIds: [category.id],
      variants: [
        { sku: 'OXF-M', title: 'M', options: { size: 'M' }, price: usd(4900) },
        { sku: 'OXF-L', price: usd(5100) },
      ],
    });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({
      title: 'Oxford Shirt',
      slug: 'oxford-shirt',
      status: 'active',
      categoryIds: [category.id],
      version: 1,
    });
    expect(body.variants).toEqual([
      expect.objectContaining({
        id: expect.any(String),
        sku: 'OXF-M',
        price: usd(4900),
        options: { size: 'M' },
      }),
      expect.objectContaining({ id: expect.any(String), sku: 'OXF-L', price: usd(5100) }),
    ]);
    const fetched = await app.inject({ url: `/api/admin/products/${body.id}`, headers: auth });
    expect(fetched.json().variants).toHaveLength(2);
  });

  it('refuses a duplicate SKU with 409 and writes nothing', async () => {
    await createProduct({
      title: 'Original',
      status: 'active',
      variants: [{ sku: 'DUP-1', price: usd(100) }],
    });
    const response = await createProduct({
      title: 'Copy',
      status: 'active',
      variants: [
        { sku: 'NEW-1', price: usd(100) },
        { sku: 'DUP-1', price: usd(100) },
      ],
    });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({
      code: 'MCART_ERR_DUPLICATE_SKU',
      errors: [{ path: 'body/variants/1/sku', message: 'already exists' }],
    });
    const list = await app.inject({ url: '/api/admin/products?q=NEW-1', headers: auth });
    expect(list.json().total).toBe(0);
  });

  it('refuses the same SKU twice in one request', async () => {
    const response = await createProduct({
      title: 'Twice',
      variants: [
        { sku: 'TW-1', price: usd(1) },
        { sku: 'TW-1', price: usd(2) },
      ],
    });
    expect(response.statusCode).toBe(409);
    expect(response.json().code).toBe('MCART_ERR_DUPLICATE_SKU');
  });

  it('refuses a negative price, an unknown category and another currency with field errors', async () => {
    const negative = await createProduct({ title: 'Neg', variants: [{ sku: 'NEG-1', price: usd(-5) }] });
    expect(negative.statusCode).toBe(400);
    expect(negative.json()).toMatchObject({
      code: 'MCART_ERR_VALIDATION',
      errors: [expect.objectContaining({ path: 'body/variants/0/price/amount' })],
    });

    const unknown = await createProduct({
      title: 'Cat',
      categoryIds: ['00000000-0000-4000-8000-000000000000'],
      variants: [{ sku: 'CAT-1', price: usd(5) }],
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({
      code: 'MCART_ERR_UNKNOWN_CATEGORY',
      errors: [{ path: 'body/categoryIds/0', message: 'is not a known category' }],
    });

    const euro = await createProduct({
      title: 'Euro',
      variants: [{ sku: 'EUR-1', price: { amount: 5, currency: 'EUR' } }],
    });
    expect(euro.statusCode).toBe(400);
    expect(euro.json()).toMatchObject({
      code: 'MCART_ERR_CURRENCY_MISMATCH',
      errors: [{ path: 'body/variants/0/price/currency', message: 'must be in USD' }],
    });
  });

  it('refuses option values, attributes and category names over several lines or blank, naming the field', async () => {
    const product = await createProduct({
      title: 'Label Maker',
      attributes: { material: 'plastic\r\nBCC: x' },
      variants: [{ sku: 'LABEL-1', options: { size: 'M\nL' }, price: usd(100) }],
    });
    expect(product.statusCode).toBe(400);
    expect(product.json().errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['body/attributes/material', 'body/variants/0/options/size']),
    );
    for (const name of ['Tools\nand more', '   ']) {
      const category = await app.inject({
        method: 'POST',
        url: '/api/admin/categories',
        headers: auth,
        payload: { name },
      });
      expect(category.statusCode).toBe(400);
      expect(category.json().errors).toEqual([expect.objectContaining({ path: 'body/name' })]);
    }
  });

  it('needs catalog:write', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/admin/products',
      payload: { title: 'x', variants: [] },
    });
    expect(response.statusCode).toBe(401);
  });
});

describe('product edits', () => {
  it('refuses a stale version with 409 MCART_ERR_STALE_WRITE', async () => {
    const created = (
      await createProduct({ title: 'Versioned', variants: [{ sku: 'VER-1', price: usd(100) }] })
    ).json();
    const first = await app.inject({
      method: 'PATCH',
      url: `/api/admin/products/${created.id}`,
      headers: auth,
      payload: { version: 1, title: 'Versioned 2' },
    });
    expect(first.statusCode).toBe(200);
    expect(first.json().version).toBe(2);
    const stale = await app.inject({
      method: 'PATCH',
      url: `/api/admin/products/${created.id}`,
      headers: auth,
      payload: { version: 1, title: 'Lost update' },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('MCART_ERR_STALE_WRITE');
  });

  it('frees a long slug on delete, so a product given it again can be deleted too', async () => {
    const slug = `long-${'a'.repeat(190)}`;
    for (const sku of ['LONG-SLUG-1', 'LONG-SLUG-2']) {
      const created = await createProduct({ title: 'Long Slug', slug, variants: [{ sku, price: usd(100) }] });
      expect(created.statusCode, created.body).toBe(201);
      const deleted = await app.inject({
        method: 'DELETE',
        url: `/api/admin/products/${created.json().id}`,
        headers: auth,
      });
      expect(deleted.statusCode, deleted.body).toBe(204);
    }
  });

  it('bulk-publishes and changes prices by a percentage', async () => {
    const a = (
      await createProduct({ title: 'Bulk A', variants: [{ sku: 'BULK-A', price: usd(1000) }] })
    ).json();
    const b = (
      await createProduct({ title: 'Bulk B', variants: [{ sku: 'BULK-B', price: usd(999) }] })
    ).json();
    const publish = await app.inject({
      method: 'POST',
      url: '/api/admin/products/bulk',
      headers: auth,
      payload: { ids: [a.id, b.id], action: 'publish' },
    });
    expect(publish.json()).toEqual({ updated: 2 });
    const raise = await app.inject({
      method: 'POST',
      url: '/api/admin/products/bulk',
      headers: auth,
      payload: { ids: [a.id, b.id], action: 'priceChange', percent: 10 },
    });
    expect(raise.json()).toEqual({ updated: 2 });
    const list = await app.inject({ url: `/api/admin/products?q=BULK-&sort=title&order=ASC`, headers: auth });
    expect(
      list.json().data.map((p: { status: string; minPrice: unknown }) => [p.status, p.minPrice]),
    ).toEqual([
      ['active', usd(1100)],
      ['active', usd(1099)],
    ]);
  });
});

describe('product versions', () => {
  it('moves on a change of categories alone, so a write with the version read before is refused and changes nothing', async () => {
    const category = await createCategory('Versioned shelf');
    const created = (
      await createProduct({ title: 'Shelved', variants: [{ sku: 'SHELF-1', price: usd(100) }] })
    ).json();
    const patch = (payload: Record<string, unknown>) =>
      app.inject({ method: 'PATCH', url: `/api/admin/products/${created.id}`, headers: auth, payload });

    const filed = await patch({ version: 1, categoryIds: [category.id] });
    expect(filed.statusCode, filed.body).toBe(200);
    expect(filed.json()).toMatchObject({ version: 2, categoryIds: [category.id] });

    const stale = await patch({ version: 1, categoryIds: [] });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('MCART_ERR_STALE_WRITE');
    const fetched = await app.inject({ url: `/api/admin/products/${created.id}`, headers: auth });
    expect(fetched.json()).toMatchObject({ version: 2, categoryIds: [category.id] });

    // The same categories again are no change: the version stays.
    const same = await patch({ version: 2, categoryIds: [category.id, category.id] });
    expect(same.statusCode, same.body).toBe(200);
    expect(same.json()).toMatchObject({ version: 2, categoryIds: [category.id] });
  });
});

describe('bulk price changes', () => {
  it('refuses a percentage that would take a price above the largest a variant may have (400 on percent), changing no price', async () => {
    const dear = (
      await createProduct({ title: 'Dear', variants: [{ sku: 'BULK-DEAR', price: usd(1_600_000_000) }] })
    ).json();
    const cheap = (
      await createProduct({ title: 'Cheap', variants: [{ sku: 'BULK-CHEAP', price: usd(1000) }] })
    ).json();
    const response = await app.inject({
      method: 'POST',
      url: '/api/admin/products/bulk',
      headers: auth,
      payload: { ids: [cheap.id, dear.id], action: 'priceChange', percent: 26 },
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'MCART_ERR_VALIDATION',
      errors: [
        {
          path: 'body/percent',
          message: expect.stringContaining(
            'BULK-DEAR from 1600000000 to 2016000000, above the largest price',
          ),
        },
      ],
    });
    for (const [product, price] of [
      [dear, 1_600_000_000],
      [cheap, 1000],
    ] as const) {
      const fetched = await app.inject({ url: `/api/admin/products/${product.id}`, headers: auth });
      expect(fetched.json().variants[0]).toMatchObject({ price: usd(price), version: 1 });
    }
    // Up to the largest price itself is fine.
    const toMax = await app.inject({
      method: 'POST',
      url: '/api/admin/products/bulk',
      headers: auth,
      payload: { ids: [dear.id], action: 'priceChange', percent: 25 },
    });
    expect(toMax.json()).toEqual({ updated: 1 });
    const fetched = await app.inject({ url: `/api/admin/products/${dear.id}`, headers: auth });
    expect(fetched.json().variants[0].price).toEqual(usd(2_000_000_000));
  });

  it('refuses a cut that would round a price to zero (400 on percent), changing no price', async () => {
    const small = (
      await createProduct({ title: 'Small', variants: [{ sku: 'BULK-SMALL', price: usd(49) }] })
    ).json();
    const response = await app.inject({
      method: 'POST',
      url: '/api/admin/products/bulk',
      headers: auth,
      payload: { ids: [small.id], action: 'priceChange', percent: -99 },
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'MCART_ERR_VALIDATION',
      errors: [{ path: 'body/percent', message: 'would take BULK-SMALL from 49 to 0 (free)' }],
    });
    const fetched = await app.inject({ url: `/api/admin/products/${small.id}`, headers: auth });
    expect(fetched.json().variants[0]).toMatchObject({ price: usd(49), version: 1 });
  });
});

describe('category tree', () => {
  it('makes a move wait for a crossing move in flight, then refuses it as a cycle: two categories are never each other’s parent', async () => {
    const a = await createCategory('Crossing A');
    const b = await createCategory('Crossing B');
    // A under B, in a transaction held open after the move (a slow request, frozen at its worst moment).
    let moved!: () => void;
    let commit!: () => void;
    const aMoved = new Promise<void>((resolve) => (moved = resolve));
    const committing = new Promise<void>((resolve) => (commit = resolve));
    const first = (app.orm.em.fork() as EntityManager).transactional(async (em) => {
      await new CategoriesService(em).update(a.id, { version: a.version, parentId: b.id });
      moved();
      await committing;
    });
    await aMoved;
    let answered = false;
    const second = app
      .inject({
        method: 'PATCH',
        url: `/api/admin/categories/${b.id}`,
        headers: auth,
        payload: { version: b.version, parentId: a.id },
      })
      .then((response) => {
        answered = true;
        return response;
      });
    // B under A must wait for the first move: its cycle check could not see that uncommitted write.
    const em = app.orm.em.fork() as EntityManager;
    for (let i = 0; i < 500 && !answered; i++) {
      const [row] = await em.execute<{ waiting: number }[]>(
        `SELECT count(*)::int AS waiting FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      if (row!.waiting > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(answered, 'the crossing move waits for the one in flight').toBe(false);
    commit();
    await first;
    const response = await second;
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'MCART_ERR_CATEGORY_CYCLE',
      errors: [{ path: 'body/parentId' }],
    });
    const parents = await Promise.all(
      [a, b].map(
        async (c) =>
          (await app.inject({ url: `/api/admin/categories/${c.id}`, headers: auth })).json().parentId,
      ),
    );
    expect(parents).toEqual([b.id, null]);
  });
});

describe('category depth and cycles', () => {
  const move = (category: { id: string; version: number }, parentId: string | null) =>
    app.inject({
      method: 'PATCH',
      url: `/api/admin/categories/${category.id}`,
      headers: auth,
      payload: { version: category.version, parentId },
    });

  it(`refuses a category below level ${MAX_CATEGORY_DEPTH}, created or moved there with its sub-categories`, async () => {
    const chain: { id: string; version: number }[] = [];
    for (let level = 1; level <= MAX_CATEGORY_DEPTH; level++)
      chain.push(await createCategory(`Depth ${level}`, chain.at(-1)?.id));
    const deeper = await app.inject({
      method: 'POST',
      url: '/api/admin/categories',
      headers: auth,
      payload: { name: 'Depth 9', parentId: chain.at(-1)!.id },
    });
    expect(deeper.statusCode).toBe(400);
    expect(deeper.json()).toMatchObject({
      code: 'MCART_ERR_CATEGORY_TOO_DEEP',
      errors: [{ path: 'body/parentId', message: expect.stringContaining('level 9') }],
    });
    // A branch of two levels fits under level 6, not under level 7.
    const branch = await createCategory('Branch');
    await createCategory('Branch leaf', branch.id);
    const tooDeep = await move(branch, chain[6]!.id);
    expect(tooDeep.statusCode).toBe(400);
    expect(tooDeep.json()).toMatchObject({
      code: 'MCART_ERR_CATEGORY_TOO_DEEP',
      errors: [{ path: 'body/parentId' }],
    });
    expect(
      (await app.inject({ url: `/api/admin/categories/${branch.id}`, headers: auth })).json().parentId,
    ).toBe(null);
    const fits = await move(branch, chain[5]!.id);
    expect(fits.statusCode, fits.body).toBe(200);
  });

  it('refuses a move under the category itself or below it', async () => {
    const top = await createCategory('Cycle top');
    const middle = await createCategory('Cycle middle', top.id);
    const bottom = await createCategory('Cycle bottom', middle.id);
    for (const parent of [top, bottom]) {
      const response = await move(top, parent.id);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({
        code: 'MCART_ERR_CATEGORY_CYCLE',
        errors: [{ path: 'body/parentId' }],
      });
    }
    expect(
      (await app.inject({ url: `/api/admin/categories/${top.id}`, headers: auth })).json().parentId,
    ).toBe(null);
  });
});

describe('writes racing each other', () => {
  /** Runs `hold` in a transaction kept open until the returned `release` is called (a slow request, frozen). */
  async function held(hold: (em: EntityManager) => Promise<unknown>) {
    let release!: () => void;
    let ready!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const isReady = new Promise<void>((resolve) => (ready = resolve));
    const done = (app.orm.em.fork() as EntityManager).transactional(async (em) => {
      await hold(em);
      ready();
      await released;
    });
    await isReady;
    return async () => {
      release();
      await done;
    };
  }
  const waitForLock = async () => {
    const em = app.orm.em.fork() as EntityManager;
    for (let i = 0; i < 250; i++) {
      const [row] = await em.execute<{ waiting: number }[]>(
        `SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      if (row!.waiting > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  it('keeps one variant when the last two are deleted at once', async () => {
    const product = (
      await createProduct({
        title: 'Two left',
        variants: [
          { sku: 'TWO-LEFT-A', price: usd(100) },
          { sku: 'TWO-LEFT-B', price: usd(100) },
        ],
      })
    ).json<{ id: string; variants: { id: string }[] }>();
    const answers = await Promise.all(
      product.variants.map((v) =>
        app.inject({
          method: 'DELETE',
          url: `/api/admin/products/${product.id}/variants/${v.id}`,
          headers: auth,
        }),
      ),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([204, 409]);
    expect(answers.find((a) => a.statusCode === 409)!.json().code).toBe('MCART_ERR_LAST_VARIANT');
    const after = await app.inject({ url: `/api/admin/products/${product.id}`, headers: auth });
    expect(after.json().variants).toHaveLength(1);
  });

  it('never leaves a live variant (holding its SKU) on a product deleted while the variant was added', async () => {
    for (const deleteFirst of [true, false]) {
      const product = (
        await createProduct({
          title: 'Going',
          variants: [{ sku: `GOING-${deleteFirst}-A`, price: usd(100) }],
        })
      ).json<{ id: string }>();
      const sku = `GOING-${deleteFirst}-B`;
      const url = `/api/admin/products/${product.id}`;
      const release = deleteFirst
        ? await held((em) => new CatalogService(em, 'USD').deleteProduct(product.id))
        : await held((em) => new CatalogService(em, 'USD').addVariant(product.id, { sku, price: usd(100) }));
      const racing = deleteFirst
        ? app.inject({
            method: 'POST',
            url: `${url}/variants`,
            headers: auth,
            payload: { sku, price: usd(100) },
          })
        : app.inject({ method: 'DELETE', url, headers: auth });
      await waitForLock();
      await release();
      const answer = await racing;
      expect(answer.statusCode, answer.body).toBe(deleteFirst ? 404 : 204);
      const live = await (app.orm.em.fork() as EntityManager).execute(
        `SELECT sku FROM variant WHERE product_id = ? AND deleted_at IS NULL`,
        [product.id],
      );
      expect(live).toEqual([]);
    }
  });

  it('answers 400, not 500, for a sub-category or a product filed under a category deleted meanwhile', async () => {
    for (const what of ['category', 'product'] as const) {
      const doomed = await createCategory(`Doomed ${what}`);
      const release = await held((em) => new CategoriesService(em).delete(doomed.id));
      const racing =
        what === 'category'
          ? app.inject({
              method: 'POST',
              url: '/api/admin/categories',
              headers: auth,
              payload: { name: 'Orphan', parentId: doomed.id },
            })
          : createProduct({
              title: 'Orphan',
              categoryIds: [doomed.id],
              variants: [{ sku: 'ORPHAN-1', price: usd(1) }],
            });
      await waitForLock();
      await release();
      const answer = await racing;
      expect(answer.statusCode, answer.body).toBe(400);
      expect(answer.json().code).toBe('MCART_ERR_UNKNOWN_CATEGORY');
    }
  });
});

describe('purchasableVariants', () => {
  it('prices variants now, marks unpublished ones, ignores unknown ids', async () => {
    const active = (
      await createProduct({
        title: 'Buyable',
        status: 'active',
        weightGrams: 250,
        variants: [{ sku: 'BUY-1', price: usd(2000) }],
      })
    ).json();
    const draft = (
      await createProduct({ title: 'Draft thing', variants: [{ sku: 'DRAFT-1', price: usd(500) }] })
    ).json();
    const em = app.orm.em.fork() as EntityManager;
    const found = await purchasableVariants(em, [
      active.variants[0].id,
      draft.variants[0].id,
      '00000000-0000-4000-8000-000000000000',
      'nonsense',
    ]);
    expect(found.size).toBe(2);
    expect(found.get(active.variants[0].id)).toEqual({
      variantId: active.variants[0].id,
      productId: active.id,
      sku: 'BUY-1',
      title: '',
      productTitle: 'Buyable',
      unitPrice: 2000,
      regularPrice: 2000,
      currency: 'USD',
      weightGrams: 250,
      purchasable: true,
    });
    expect(found.get(draft.variants[0].id)?.purchasable).toBe(false);
  });
});

describe('demo seed', () => {
  it('fills an empty catalog once, with a running sale', async () => {
    const testApp = await import('../../../test/app.ts');
    const fresh = await testApp.buildTestApp();
    try {
      const em = fresh.app.orm.em.fork() as EntityManager;
      expect(await seedDemoCatalog(em, 'USD')).toBe(true);
      expect(await seedDemoCatalog(fresh.app.orm.em.fork() as EntityManager, 'USD')).toBe(false);
      const rows = await em.execute<{ n: number; on_sale: number }[]>(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE on_sale)::int AS on_sale FROM product_search`,
      );
      expect(rows[0]).toEqual({ n: 12, on_sale: 2 });
      const hoodie = await em.execute<{ id: string }[]>(
        `SELECT id FROM variant WHERE sku = 'HOOD-ZIP-GREY-M'`,
      );
      const priced = await purchasableVariants(em, [hoodie[0]!.id]);
      expect(priced.get(hoodie[0]!.id)).toMatchObject({ regularPrice: 6900, unitPrice: 5520 });
    } finally {
      await fresh.close();
    }
  });
});
