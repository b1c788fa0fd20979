import { describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { staffToken, useTestApp } from '../../../test/app.ts';
import { SEARCH_CANDIDATES } from './store-catalog.ts';

const { app } = await useTestApp();
const auth = { authorization: await staffToken(app) };
const usd = (amount: number) => ({ amount, currency: 'USD' });

// More matches than search candidates: the first SEARCH_CANDIDATES lamps (middling prices, oldest, none sold)
// are written first, so an unordered candidate scan hands them out and never reaches the later ones.
const em = app.orm.em.fork() as EntityManager;
await em.execute(
  `WITH p AS (
     INSERT INTO product (id, created_at, updated_at, slug, title, status, attributes)
     SELECT gen_random_uuid(), now() - interval '1 day', now(), 'desk-lamp-' || i, 'Desk Lamp ' || i, 'active', '{}'
       FROM generate_series(1, ?) i
     RETURNING id, slug)
   INSERT INTO variant (id, created_at, updated_at, product_id, sku, options, price_amount)
   SELECT gen_random_uuid(), now(), now(), id, upper(slug), '{}', 5000 FROM p`,
  [SEARCH_CANDIDATES + 50],
);
await em.execute(`SELECT mcart_refresh_product_search(array_agg(id)) FROM product`);

async function lamp(title: string, sku: string, price: number) {
  const response = await app.inject({
    method: 'POST',
    url: '/api/admin/products',
    headers: auth,
    payload: { title, status: 'active', variants: [{ sku, price: usd(price) }] },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string }>();
}
const cheapest = await lamp('Bargain Desk Lamp', 'LAMP-CHEAP', 900);
const dearest = await lamp('Brass Desk Lamp', 'LAMP-DEAR', 90000);
const newest = await lamp('Latest Desk Lamp', 'LAMP-NEW', 5000);

const search = async (sort: string, page = 1) => {
  app.storeCatalog.clearCaches();
  const response = await app.inject(`/api/store/products?q=lamp&sort=${sort}&perPage=100&page=${page}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ data: { id: string; price: { amount: number } }[]; total: number }>();
};

describe('search sorted by a column, with more matches than candidates', () => {
  it('price_asc lists the cheapest matches, price_desc the dearest, newest the latest', async () => {
    expect((await search('price_asc')).data[0]!.id).toBe(cheapest.id);
    expect((await search('price_desc')).data[0]!.id).toBe(dearest.id);
    expect((await search('newest')).data[0]!.id).toBe(newest.id);
  });

  it('pages through the same candidates: no product twice, prices in order', async () => {
    const ids: string[] = [];
    const prices: number[] = [];
    for (let page = 1; page <= 3; page++) {
      const { data } = await search('price_asc', page);
      ids.push(...data.map((p) => p.id));
      prices.push(...data.map((p) => p.price.amount));
    }
    expect(ids).toHaveLength(300);
    expect(new Set(ids).size).toBe(300);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
  });
});

describe('search by relevance, with more matches than candidates', () => {
  const relevancePages = async () => {
    const ids: string[] = [];
    for (let page = 1; page <= SEARCH_CANDIDATES / 100; page++)
      ids.push(...(await search('relevance', page)).data.map((p) => p.id));
    return ids;
  };

  it('ranks the newest matches and pages through them the same way however the rows lie on disk', async () => {
    const ids = await relevancePages();
    expect(ids).toHaveLength(SEARCH_CANDIDATES);
    expect(new Set(ids).size).toBe(SEARCH_CANDIDATES);
    const newest = await em.execute<{ product_id: string }[]>(
      `SELECT product_id FROM product_search WHERE document @@ websearch_to_tsquery('english', 'lamp')
        ORDER BY created_at DESC, product_id DESC LIMIT ?`,
      [SEARCH_CANDIDATES],
    );
    expect(new Set(ids)).toEqual(new Set(newest.map((r) => r.product_id)));
    expect(ids.slice(0, 1)).toEqual([newest[0]!.product_id]);
    // Rows are rewritten all the time (every catalog write, stock flag and sale refreshes them): here, all at
    // once in another physical order. An unordered candidate scan then hands out other matches.
    await em.execute(`CLUSTER product_search USING product_search_price_index`);
    await em.execute(`ANALYZE product_search`);
    expect(await relevancePages()).toEqual(ids);
    const { total } = await search('relevance');
    expect(total).toBe(SEARCH_CANDIDATES);
  });
});
