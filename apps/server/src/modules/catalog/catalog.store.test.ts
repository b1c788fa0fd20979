import { describe, expect, it, vi } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { staffToken, useTestApp } from '../../../test/app.ts';
import { purchasableVariants } from './catalog.queries.ts';
import { websearchText } from './store-catalog.ts';

const { app } = await useTestApp();
const auth = { authorization: await staffToken(app) };
const usd = (amount: number) => ({ amount, currency: 'USD' });

async function post<T = Record<string, unknown>>(url: string, payload: unknown): Promise<T> {
  const response = await app.inject({
    method: 'POST',
    url,
    headers: auth,
    payload: payload as Record<string, unknown>,
  });
  if (response.statusCode >= 300) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
  return response.json<T>();
}
type Product = { id: string; slug: string; variants: { id: string; sku: string }[] };

const store = async (query: string) => {
  app.storeCatalog.clearCaches();
  const response = await app.inject(`/api/store/products${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
};

// A small catalog: Apparel > Jackets, Kitchen; one draft, one deleted.
const apparel = await post<{ id: string }>('/api/admin/categories', { name: 'Apparel' });
const jackets = await post<{ id: string }>('/api/admin/categories', {
  name: 'Jackets',
  parentId: apparel.id,
});
const kitchen = await post<{ id: string }>('/api/admin/categories', { name: 'Kitchen' });
const rain = await post<Product>('/api/admin/products', {
  title: 'Waterproof Rain Jacket',
  status: 'active',
  description: 'Taped seams keep the storm out.',
  categoryIds: [jackets.id],
  attributes: { material: 'nylon' },
  variants: [
    { sku: 'RJ-100-BLUE-M', options: { size: 'M', colour: 'blue' }, price: usd(12000) },
    { sku: 'RJ-100-BLUE-L', options: { size: 'L', colour: 'blue' }, price: usd(12500) },
  ],
});
const fleece = await post<Product>('/api/admin/products', {
  title: 'Fleece Jacket',
  status: 'active',
  description: 'Warm and light.',
  categoryIds: [jackets.id],
  variants: [{ sku: 'FJ-200-M', options: { size: 'M', colour: 'green' }, price: usd(8000) }],
});
const pan = await post<Product>('/api/admin/products', {
  title: 'Cast Iron Pan',
  status: 'active',
  description: 'Seasoned skillet for a lifetime of cooking; even heat for jackets potatoes.',
  categoryIds: [kitchen.id],
  variants: [{ sku: 'KIT-PAN-26', price: usd(4500) }],
});
await post('/api/admin/products', {
  title: 'Secret Draft Jacket',
  status: 'draft',
  categoryIds: [jackets.id],
  variants: [{ sku: 'DRAFT-J', price: usd(100) }],
});
const gone = await post<Product>('/api/admin/products', {
  title: 'Deleted Jacket',
  status: 'active',
  categoryIds: [jackets.id],
  variants: [{ sku: 'GONE-J', price: usd(100) }],
});
await app.inject({ method: 'DELETE', url: `/api/admin/products/${gone.id}`, headers: auth });

describe('GET /api/store/products', () => {
  it('lists only published products, newest first, with a total and facets', async () => {
    const body = await store('');
    expect(body.data.map((p: { title: string }) => p.title)).toEqual([
      'Cast Iron Pan',
      'Fleece Jacket',
      'Waterproof Rain Jacket',
    ]);
    expect(body.total).toBe(3);
    expect(body.totalExact).toBe(true);
    expect(body.data[2]).toEqual({
      id: rain.id,
      slug: 'waterproof-rain-jacket',
      title: 'Waterproof Rain Jacket',
      price: usd(12000),
      inStock: false,
      variantCount: 2,
      image: null,
    });
    // Category facets drill down: top level here, the sub-categories once a category is chosen.
    expect(body.facets.categories).toEqual([
      { id: apparel.id, slug: 'apparel', name: 'Apparel', count: 2 },
      { id: kitchen.id, slug: 'kitchen', name: 'Kitchen', count: 1 },
    ]);
    expect((await store('?category=apparel')).facets.categories).toEqual([
      { id: apparel.id, slug: 'apparel', name: 'Apparel', count: 2 },
      { id: jackets.id, slug: 'jackets', name: 'Jackets', count: 2 },
    ]);
    expect(body.facets.options).toEqual(
      expect.arrayContaining([
        {
          name: 'size',
          values: [
            { value: 'm', count: 2 },
            { value: 'l', count: 1 },
          ],
        },
      ]),
    );
    expect(body.facets.prices).toEqual([
      { min: 2500, max: 5000, count: 1 },
      { min: 5000, max: 10000, count: 1 },
      { min: 10000, max: 25000, count: 1 },
    ]);
  });

  it('filters by parent category (sub-categories included), by slug, price range, options; sorts by price', async () => {
    expect(
      (await store(`?category=${apparel.id}&sort=price_asc`)).data.map((p: { id: string }) => p.id),
    ).toEqual([fleece.id, rain.id]);
    expect((await store(`?category=jackets&sort=price_desc`)).data.map((p: { id: string }) => p.id)).toEqual([
      rain.id,
      fleece.id,
    ]);
    expect((await store(`?minPrice=5000&maxPrice=9000`)).data.map((p: { id: string }) => p.id)).toEqual([
      fleece.id,
    ]);
    expect((await store(`?option=size:L`)).data.map((p: { id: string }) => p.id)).toEqual([rain.id]);
    expect((await store(`?option=colour:green&option=size:M`)).data.map((p: { id: string }) => p.id)).toEqual(
      [fleece.id],
    );
    expect((await store(`?option=material:nylon`)).data.map((p: { id: string }) => p.id)).toEqual([rain.id]);
    expect((await store(`?category=no-such-category`)).total).toBe(0);
  });

  it('searches by relevance (title above description), finds partial SKUs and typos', async () => {
    const jacket = await store('?q=jacket');
    // Title matches outrank the pan, whose description merely mentions jackets; draft and deleted never show.
    expect(
      jacket.data
        .map((p: { id: string }) => p.id)
        .slice(0, 2)
        .sort(),
    ).toEqual([fleece.id, rain.id].sort());
    expect(jacket.data.map((p: { id: string }) => p.id)).toEqual(expect.arrayContaining([pan.id]));
    expect(jacket.data.at(-1).id).toBe(pan.id);
    expect(jacket.data).toHaveLength(3);
    expect((await store('?q=RJ-100')).data.map((p: { id: string }) => p.id)).toEqual([rain.id]);
    expect((await store('?q=waterprof')).data.map((p: { id: string }) => p.id)).toEqual([rain.id]);
    // No product has all the words: the products with any of them, by full text (not trigram look-alikes).
    const either = await store('?q=fleece%20pan');
    expect(either.data.map((p: { id: string }) => p.id).sort()).toEqual([fleece.id, pan.id].sort());
    expect(either.total).toBe(2);
    expect(either.facets.categories.length).toBeGreaterThan(0);
    // A quoted phrase keeps its meaning: not widened to any of its words (only typo look-alikes remain).
    const phrase = await store('?q=%22fleece%20pan%22');
    expect(phrase.data.map((p: { id: string }) => p.id)).not.toContain(pan.id);
    expect((await store('?q=jacket&category=kitchen')).data.map((p: { id: string }) => p.id)).toEqual([
      pan.id,
    ]);
  });

  it('gives a new term the same page, total and facets as a term seen before (one scan for both)', async () => {
    const fresh = await store('?q=jacket&perPage=1&page=2'); // caches cleared: page and facets in one query
    const cachedRead = async (query: string) =>
      (await app.inject(`/api/store/products${query}`)).json<{
        total: number;
        data: { id: string }[];
        facets: unknown;
      }>();
    app.storeCatalog.dropAnswers(); // whole answers go, the facets stay: the page query alone
    const again = await cachedRead('?q=jacket&perPage=1&page=2');
    expect(fresh).toEqual(again);
    expect(fresh.total).toBe(3);
    expect(fresh.data).toHaveLength(1);
    const firstPage = await cachedRead('?q=jacket&perPage=1');
    expect(firstPage.facets).toEqual(fresh.facets);
    expect(firstPage.data[0]!.id).not.toBe(fresh.data[0].id);
    expect(
      fresh.facets.categories.reduce((sum: number, c: { count: number }) => sum + c.count, 0),
    ).toBeGreaterThan(0);
    expect(fresh.facets.prices.reduce((sum: number, p: { count: number }) => sum + p.count, 0)).toBe(3);
  });

  it('treats query syntax as words and refuses over-long search text with a clear 400', async () => {
    for (const q of [`'); DROP TABLE product; --`, 'pan & | ! :* (', '"unclosed', '-', '\\']) {
      const response = await app.inject(`/api/store/products?q=${encodeURIComponent(q)}`);
      expect(response.statusCode, q).toBe(200);
    }
    const long = await app.inject(`/api/store/products?q=${'a'.repeat(10_000)}`);
    expect(long.statusCode).toBe(400);
    expect(long.json()).toMatchObject({ code: 'MCART_ERR_VALIDATION', errors: [{ path: 'querystring/q' }] });
    const deep = await app.inject(`/api/store/products?page=600&perPage=20`);
    expect(deep.statusCode).toBe(400);
    expect(deep.json().code).toBe('MCART_ERR_PAGE_TOO_DEEP');
  });

  it('refuses an unknown sort with one error naming the parameter', async () => {
    const response = await app.inject('/api/store/products?sort=cheapest');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'MCART_ERR_VALIDATION',
      errors: [{ path: 'querystring/sort', message: 'must be equal to one of the allowed values' }],
    });
    expect(response.json().errors).toHaveLength(1);
  });

  it('refuses a price filter above the largest price a variant may have with a 400 naming the parameter', async () => {
    for (const name of ['minPrice', 'maxPrice']) {
      const response = await app.inject(`/api/store/products?${name}=3000000000`);
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json()).toMatchObject({
        code: 'MCART_ERR_VALIDATION',
        errors: [{ path: `querystring/${name}` }],
      });
    }
    expect((await store('?maxPrice=2000000000')).total).toBe(3);
  });
});

describe('HTTP caching of catalogue answers', () => {
  it('lets anyone keep them but revalidate each time: an ETag, and 304 without a body when it still holds', async () => {
    app.storeCatalog.clearCaches();
    for (const url of [
      '/api/store/products?sort=price_asc',
      `/api/store/products/${rain.id}`,
      '/api/store/products/fleece-jacket',
      '/api/store/categories',
    ]) {
      const first = await app.inject(url);
      expect(first.statusCode, url).toBe(200);
      expect(first.headers['cache-control'], url).toBe('public, no-cache');
      const etag = String(first.headers.etag);
      expect(etag, url).toMatch(/^W\/"[^"]+"$/);
      const again = await app.inject({ url, headers: { 'if-none-match': etag } });
      expect(again.statusCode, url).toBe(304);
      expect(again.body, url).toBe('');
      expect(again.headers.etag, url).toBe(etag);
      expect(again.headers['cache-control'], url).toBe('public, no-cache');
      const stale = await app.inject({ url, headers: { 'if-none-match': 'W/"stale"' } });
      expect(stale.statusCode, url).toBe(200);
      expect(stale.body, url).toBe(first.body);
    }
    // Another answer, another tag.
    const descending = await app.inject('/api/store/products?sort=price_desc');
    const ascending = await app.inject('/api/store/products?sort=price_asc');
    expect(descending.headers.etag).not.toBe(ascending.headers.etag);
  });

  it('keeps no problem answers (a product may be published a moment later)', async () => {
    for (const url of ['/api/store/products/secret-draft-jacket', '/api/store/products?page=0']) {
      const response = await app.inject(url);
      expect(response.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(response.headers['cache-control'], url).toBe('no-store');
    }
  });
});

describe('GET /api/store/products/{idOrSlug}', () => {
  it('answers by id and by slug with variants; hides drafts and deleted products', async () => {
    const byId = await app.inject(`/api/store/products/${rain.id}`);
    expect(byId.statusCode).toBe(200);
    expect(byId.json()).toMatchObject({
      id: rain.id,
      title: 'Waterproof Rain Jacket',
      price: usd(12000),
      inStock: false,
      variants: [
        { id: rain.variants[0]!.id, sku: 'RJ-100-BLUE-M', title: '', price: usd(12000), inStock: false },
        { id: rain.variants[1]!.id, sku: 'RJ-100-BLUE-L', price: usd(12500), inStock: false },
      ],
    });
    expect((await app.inject('/api/store/products/fleece-jacket')).json().id).toBe(fleece.id);
    expect((await app.inject('/api/store/products/secret-draft-jacket')).statusCode).toBe(404);
    expect((await app.inject(`/api/store/products/${gone.id}`)).statusCode).toBe(404);
  });
});

describe('GET /api/store/categories', () => {
  it('answers the tree', async () => {
    const tree = (await app.inject('/api/store/categories')).json();
    expect(tree).toEqual([
      {
        id: apparel.id,
        name: 'Apparel',
        slug: 'apparel',
        children: [{ id: jackets.id, name: 'Jackets', slug: 'jackets', children: [] }],
      },
      { id: kitchen.id, name: 'Kitchen', slug: 'kitchen', children: [] },
    ]);
  });
});

describe('sales', () => {
  it('start and end on time without a restart, in lists, detail and checkout prices', async () => {
    // Windows wide enough that the checks before each boundary finish in time on a loaded machine.
    const startsAt = new Date(Date.now() + 5000);
    const endsAt = new Date(startsAt.getTime() + 5000);
    const sale = await post<{ id: string }>('/api/admin/sales', {
      name: 'Flash',
      discountType: 'percent',
      discountValue: 25,
      startsAt: startsAt.toISOString(),
      endsAt: endsAt.toISOString(),
      categoryIds: [kitchen.id],
    });
    expect(sale.id).toEqual(expect.any(String));
    const em = app.orm.em.fork() as EntityManager;
    const variant = pan.variants[0]!.id;
    // Exact at explicit moments, whatever the clock says.
    expect(
      (await purchasableVariants(em, [variant], new Date(startsAt.getTime() - 1))).get(variant)?.unitPrice,
    ).toBe(4500);
    expect((await purchasableVariants(em, [variant], startsAt)).get(variant)?.unitPrice).toBe(3375);
    expect((await purchasableVariants(em, [variant], endsAt)).get(variant)?.unitPrice).toBe(4500);

    expect((await store('?onSale=true')).total).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, startsAt.getTime() - Date.now() + 50));
    const during = await store('?onSale=true');
    expect(during.data).toEqual([
      expect.objectContaining({
        id: pan.id,
        price: usd(4500),
        salePrice: usd(3375),
        saleEndsAt: endsAt.toISOString(),
      }),
    ]);
    expect((await store('?maxPrice=4000')).data.map((p: { id: string }) => p.id)).toEqual([pan.id]);
    expect((await app.inject(`/api/store/products/${pan.id}`)).json().variants[0]).toMatchObject({
      salePrice: usd(3375),
      saleEndsAt: endsAt.toISOString(),
    });

    await new Promise((resolve) => setTimeout(resolve, endsAt.getTime() - Date.now() + 50));
    expect((await store('?onSale=true')).total).toBe(0);
    expect((await store('?maxPrice=4000')).total).toBe(0);
    expect((await app.inject(`/api/store/products/${pan.id}`)).json().variants[0].salePrice).toBeUndefined();
  });

  it('lets the best price for the shopper win when sales overlap', async () => {
    const now = Date.now();
    await post('/api/admin/sales', {
      name: 'Ten off',
      discountType: 'percent',
      discountValue: 10,
      startsAt: new Date(now - 1000).toISOString(),
      productIds: [fleece.id],
    });
    await post('/api/admin/sales', {
      name: 'Fixed 15',
      discountType: 'fixed',
      discountValue: 1500,
      startsAt: new Date(now - 1000).toISOString(),
      // Not the whole Apparel category: its draft jacket costs less than 15 (a fixed sale may not give it away).
      productIds: [fleece.id, rain.id],
    });
    const detail = (await app.inject(`/api/store/products/${fleece.id}`)).json();
    expect(detail.variants[0].salePrice).toEqual(usd(6500)); // 8000 - 1500 beats 8000 - 800
    const rainDetail = (await app.inject(`/api/store/products/${rain.id}`)).json();
    expect(rainDetail.variants.map((v: { salePrice: unknown }) => v.salePrice)).toEqual([
      usd(10500),
      usd(11000),
    ]);
  });

  it('shows no product sale price when the sale is on a dearer variant only (it would equal the price)', async () => {
    const mug = await post<Product>('/api/admin/products', {
      title: 'Enamel Mug',
      status: 'active',
      variants: [
        { sku: 'MUG-S', price: usd(1000) },
        { sku: 'MUG-L', price: usd(2000) },
      ],
    });
    await post('/api/admin/sales', {
      name: 'Large mugs',
      discountType: 'percent',
      discountValue: 25,
      startsAt: new Date(Date.now() - 1000).toISOString(),
      variantIds: [mug.variants[1]!.id],
    });
    // Still a product with a variant on sale, listed from its cheapest price, which no sale lowers.
    const listed = (await store('?onSale=true')).data.find((p: { id: string }) => p.id === mug.id);
    expect(listed).toMatchObject({ price: usd(1000) });
    expect(listed).not.toHaveProperty('salePrice');
    expect(listed).not.toHaveProperty('saleEndsAt');
    const detail = (await app.inject(`/api/store/products/${mug.id}`)).json();
    expect(detail.price).toEqual(usd(1000));
    expect(detail).not.toHaveProperty('salePrice');
    expect(detail.variants.map((v: { salePrice?: unknown }) => v.salePrice ?? null)).toEqual([
      null,
      usd(1500),
    ]);
    // A sale on the cheapest variant too: the product's sale price is the lowest price now.
    await post('/api/admin/sales', {
      name: 'Small mugs',
      discountType: 'percent',
      discountValue: 10,
      startsAt: new Date(Date.now() - 1000).toISOString(),
      variantIds: [mug.variants[0]!.id],
    });
    app.storeCatalog.clearCaches();
    expect((await store('?onSale=true')).data.find((p: { id: string }) => p.id === mug.id)).toMatchObject({
      price: usd(1000),
      salePrice: usd(900),
    });
    expect((await app.inject(`/api/store/products/${mug.id}`)).json()).toMatchObject({
      price: usd(1000),
      salePrice: usd(900),
    });
  });
});

describe('stock', () => {
  it('follows inventory events into inStock flags and the inStock filter', async () => {
    const adjust = await app.inject({
      method: 'POST',
      url: '/api/admin/inventory/adjustments',
      headers: auth,
      payload: { variantId: fleece.variants[0]!.id, delta: 4, reason: 'count' },
    });
    expect(adjust.statusCode).toBe(201);
    await app.outbox.drain();
    // Store lists may lag a write by a moment (eventual consistency): well under a second.
    await expect
      .poll(async () => (await store('?inStock=true')).data.map((p: { id: string }) => p.id), {
        timeout: 5_000,
      })
      .toEqual([fleece.id]);
    expect((await app.inject(`/api/store/products/${fleece.id}`)).json()).toMatchObject({
      inStock: true,
      variants: [{ inStock: true }],
    });
  });
});

// Last: it adds a category.
describe('cached store answers', () => {
  it("keeps cached answers through shoppers' writes; a staff write drops them (read-your-writes)", async () => {
    await app.outbox.drain(); // earlier tests' events invalidate too; let them pass first
    const drops = vi.spyOn(app.storeCatalog, 'dropAnswers');
    try {
      const cart = await app.inject({ method: 'POST', url: '/api/store/carts', payload: {} });
      expect(cart.statusCode, cart.body).toBe(201);
      const line = await app.inject({
        method: 'POST',
        url: `/api/store/carts/${cart.json<{ id: string }>().id}/items`,
        payload: { variantId: fleece.variants[0]!.id, quantity: 1 },
      });
      expect(line.statusCode, line.body).toBeLessThan(500);
      expect(drops).not.toHaveBeenCalled();
      await post('/api/admin/categories', { name: 'Outerwear' });
      expect(drops).toHaveBeenCalled();
    } finally {
      drops.mockRestore();
    }
  });

  it('are dropped when a variant goes in or out of stock, not on every stock change', async () => {
    const variantId = fleece.variants[0]!.id;
    const adjust = (delta: number) =>
      post('/api/admin/inventory/adjustments', { variantId, delta, reason: 'count' });
    const [level] = await (app.orm.em.fork() as EntityManager).execute<{ available: number }[]>(
      `SELECT sum(on_hand - reserved)::int AS available FROM stock_level WHERE variant_id = ?`,
      [variantId],
    );
    expect(level!.available).toBeGreaterThan(0);
    await app.outbox.drain();
    const invalidations = vi.spyOn(app.storeCatalog, 'invalidate');
    try {
      await adjust(1); // still in stock: no answer changes
      await app.outbox.drain();
      await app.outbox.drain(); // and whatever the stock consumer wrote in turn
      expect(invalidations).not.toHaveBeenCalled();
      await adjust(-(level!.available + 1)); // sold out
      await expect
        .poll(() => invalidations.mock.calls.some(([resources]) => resources.has('catalog_stock')), {
          timeout: 5_000,
        })
        .toBe(true);
      expect((await store('?inStock=true')).data).toEqual([]);
    } finally {
      invalidations.mockRestore();
    }
  });

  it('serve a product from memory until a catalogue change drops it', async () => {
    const detail = async () =>
      (await app.inject(`/api/store/products/${fleece.id}`)).json<{ title: string }>();
    await app.outbox.drain();
    const before = (await detail()).title;
    // Changed behind MCart's back (no event): the cached answer stands.
    await (app.orm.em.fork() as EntityManager).execute(`UPDATE product SET title = 'Renamed' WHERE id = ?`, [
      fleece.id,
    ]);
    expect((await detail()).title).toBe(before);
    // Any committed catalogue change drops it, here a new category.
    await post('/api/admin/categories', { name: 'Footwear' });
    await expect.poll(async () => (await detail()).title, { timeout: 5_000 }).toBe('Renamed');
  });
});

// After every other test: these add products, categories and sales of their own.
describe('sale boundaries the price clock learns late', () => {
  it('applies a scheduled sale on time in lists when a category move puts a product under it', async () => {
    const parent = await post<{ id: string }>('/api/admin/categories', { name: 'Lamps Sale Parent' });
    const loose = await post<{ id: string; version: number }>('/api/admin/categories', {
      name: 'Loose Lamps',
    });
    const lamp = await post<Product>('/api/admin/products', {
      title: 'Moved Desk Lamp',
      status: 'active',
      categoryIds: [loose.id],
      variants: [{ sku: 'MOVED-LAMP', price: usd(10000) }],
    });
    // Far enough ahead that the steps below end before it on a loaded machine (the clock must learn it first).
    const startsAt = new Date(Date.now() + 6000);
    await post('/api/admin/sales', {
      name: 'Lamps half price',
      discountType: 'percent',
      discountValue: 50,
      startsAt: startsAt.toISOString(),
      categoryIds: [parent.id], // nothing in it yet: no product's price changes at its start
    });
    await app.outbox.drain();
    const moved = await app.inject({
      method: 'PATCH',
      url: `/api/admin/categories/${loose.id}`,
      headers: auth,
      payload: { version: loose.version, parentId: parent.id },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    await app.outbox.drain();
    // The move's event makes the clock learn the sale's start as the lamp's next price change.
    await expect.poll(() => app.storeCatalog.clock.boundary, { timeout: 2_000 }).toBe(startsAt.getTime());
    await new Promise((resolve) => setTimeout(resolve, startsAt.getTime() - Date.now() + 300));
    const listed = (await app.inject('/api/store/products?q=moved%20desk%20lamp')).json();
    expect(listed.data[0]).toMatchObject({ id: lamp.id, salePrice: usd(5000) });
    const onSale = (await app.inject('/api/store/products?onSale=true')).json();
    expect(onSale.data.map((p: { id: string }) => p.id)).toContain(lamp.id);
    expect((await app.inject(`/api/store/products/${lamp.id}`)).json().salePrice).toEqual(usd(5000));
  });

  it('drops cached answers when the clock learns of an earlier boundary (they were kept until the later one)', async () => {
    const radio = await post<Product>('/api/admin/products', {
      title: 'Pocket Radio',
      status: 'active',
      variants: [{ sku: 'RADIO-1', price: usd(3000) }],
    });
    await app.outbox.drain();
    expect(app.storeCatalog.clock.boundary).toBeGreaterThan(Date.now() + 3_600_000); // no boundary before the sale's
    const before = await app.inject(`/api/store/products/${radio.id}`); // cached until the boundary known now
    expect(before.json()).not.toHaveProperty('salePrice');
    // A sale the read model knows of and the clock not yet (its event still on the way).
    const em = app.orm.em.fork() as EntityManager;
    await em.execute(
      `INSERT INTO sale (id, created_at, updated_at, name, discount_type, discount_value, starts_at, product_ids)
       VALUES (gen_random_uuid(), now(), now(), 'Radio days', 'percent', 20, now() + interval '1 hour', ARRAY[?]::uuid[])`,
      [radio.id],
    );
    await em.execute(`SELECT mcart_refresh_product_search(ARRAY[?]::uuid[])`, [radio.id]);
    const drops = vi.spyOn(app.storeCatalog, 'dropAnswers');
    try {
      await app.storeCatalog.clock.reload();
      expect(drops).toHaveBeenCalled();
    } finally {
      drops.mockRestore();
      await em.execute(`DELETE FROM sale WHERE name = 'Radio days'`);
      await em.execute(`SELECT mcart_refresh_product_search(ARRAY[?]::uuid[])`, [radio.id]);
      await app.storeCatalog.clock.reload();
    }
  });

  it('lists the end of the sale behind the price it shows, not the earliest end of any variant sale', async () => {
    const kettle = await post<Product>('/api/admin/products', {
      title: 'Two Variant Kettle',
      status: 'active',
      variants: [
        { sku: 'KETTLE-A', price: usd(1000) },
        { sku: 'KETTLE-B', price: usd(5000) },
        { sku: 'KETTLE-C', price: usd(1000) },
      ],
    });
    const now = Date.now();
    const longEnd = new Date(now + 10 * 86_400_000);
    const shortEnd = new Date(now + 86_400_000);
    const sale = (name: string, discountValue: number, endsAt: Date, variantIds: string[]) =>
      post('/api/admin/sales', {
        name,
        discountType: 'percent',
        discountValue,
        startsAt: new Date(now - 1000).toISOString(),
        endsAt: endsAt.toISOString(),
        variantIds,
      });
    // A at half price for ten days, B 10% off until tomorrow.
    await sale('Half off A', 50, longEnd, [kettle.variants[0]!.id]);
    await sale('Ten off B', 10, shortEnd, [kettle.variants[1]!.id]);
    const detail = (await app.inject(`/api/store/products/${kettle.id}`)).json();
    expect(detail.salePrice).toEqual(usd(500));
    expect(detail.variants[0]).toMatchObject({ salePrice: usd(500), saleEndsAt: longEnd.toISOString() });
    let listed = (await store('?q=two%20variant%20kettle')).data[0];
    expect(listed).toMatchObject({ id: kettle.id, salePrice: usd(500), saleEndsAt: longEnd.toISOString() });
    // C at the same half price until tomorrow: 500 is still on offer for ten days (A's sale).
    await sale('Half off C', 50, shortEnd, [kettle.variants[2]!.id]);
    listed = (await store('?q=two%20variant%20kettle')).data[0];
    expect(listed).toMatchObject({ salePrice: usd(500), saleEndsAt: longEnd.toISOString() });
  });
});

describe('search text made of operators', () => {
  it('makes runs of operators safe for the websearch parser and keeps what they mean', () => {
    expect(websearchText('t-shirt -wool')).toBe('t-shirt -wool');
    expect(websearchText('jacket - wool')).toBe('jacket -wool');
    expect(websearchText('--wool')).toBe('wool'); // not not wool
    expect(websearchText('---wool')).toBe('-wool');
    expect(websearchText('- - -wool')).toBe('-wool');
    expect(websearchText('wool -')).toBe('wool');
    expect(websearchText('wool or -!(cotton)')).toBe('wool or -cotton)');
    expect(websearchText('-'.repeat(40))).toBe('');
    expect(websearchText(`${'-!'.repeat(40)}pan`)).toBe('pan');
    expect(websearchText('"quoted phrase" -x')).toBe('"quoted phrase" -x');
  });

  it('answers a search of 33+ dashes or other stacked negations like any other search, never 500', async () => {
    for (const q of [
      '-'.repeat(40),
      '- '.repeat(40).trim(),
      `${'-'.repeat(33)}wool`,
      `${'-!'.repeat(40)}wool`,
      `wool ${'-\t'.repeat(40)}`,
    ]) {
      const response = await app.inject(`/api/store/products?q=${encodeURIComponent(q)}`);
      expect(response.statusCode, `${q}: ${response.body}`).toBe(200);
    }
    // An even run negates nothing, an odd one negates once.
    const pan = await store(`?q=${encodeURIComponent(`${'-'.repeat(40)}cast iron pan`)}`);
    expect(pan.data[0]).toMatchObject({ title: 'Cast Iron Pan' });
    const notPan = await store(`?q=${encodeURIComponent(`jacket ${'-'.repeat(41)}pan`)}`);
    expect(notPan.data.map((p: { title: string }) => p.title)).not.toContain('Cast Iron Pan');
    expect(notPan.total).toBeGreaterThan(0);
  });

  it('answers 400 naming q, not 500, should PostgreSQL still refuse a search for a limit of its parser', async () => {
    const query = app.readPool.query.bind(app.readPool);
    const refuse = vi.spyOn(app.readPool, 'query').mockImplementation(((
      config: string | { text: string },
      ...rest: never[]
    ) => {
      const text = typeof config === 'string' ? config : config.text;
      if (text.includes('websearch_to_tsquery'))
        return Promise.reject(Object.assign(new Error('tsquery stack too small'), { code: 'XX000' }));
      return (query as (...args: unknown[]) => unknown)(config, ...rest);
    }) as never);
    try {
      app.storeCatalog.clearCaches();
      const response = await app.inject('/api/store/products?q=wool');
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json()).toMatchObject({
        code: 'MCART_ERR_SEARCH_TOO_COMPLEX',
        errors: [{ path: 'querystring/q' }],
      });
    } finally {
      refuse.mockRestore();
    }
  });
});

describe('slugs that look like ids', () => {
  it('finds a product and a category whose slug is shaped like a UUID by that slug', async () => {
    const categorySlug = '87654321-4321-4321-4321-cba987654321';
    const category = await post<{ id: string }>('/api/admin/categories', {
      name: 'UUID-shaped category',
      slug: categorySlug,
    });
    const slug = '12345678-1234-1234-1234-123456789abc';
    const product = await post<Product>('/api/admin/products', {
      title: 'UUID-shaped slug',
      slug,
      status: 'active',
      categoryIds: [category.id],
      variants: [{ sku: 'UUID-SLUG-1', price: usd(1000) }],
    });
    expect(product.slug).toBe(slug);
    const byId = await app.inject(`/api/store/products/${product.id}`);
    expect(byId.statusCode, byId.body).toBe(200);
    const bySlug = await app.inject(`/api/store/products/${slug}`);
    expect(bySlug.statusCode, bySlug.body).toBe(200);
    expect(bySlug.json().id).toBe(product.id);
    // An id of nothing, and no such slug: still 404.
    expect((await app.inject('/api/store/products/00000000-0000-4000-8000-000000000000')).statusCode).toBe(
      404,
    );
    const inCategory = await store(`?category=${categorySlug}`);
    expect(inCategory.data.map((p: { id: string }) => p.id)).toEqual([product.id]);
    expect((await store(`?category=${category.id}`)).data.map((p: { id: string }) => p.id)).toEqual([
      product.id,
    ]);
  });
});
