import { describe, expect, it, vi } from 'vitest';
import type pg from 'pg';
import { staffToken, useTestApp } from '../../../test/app.ts';
import type { PriceClock } from './price-clock.ts';
import { StoreCatalog } from './store-catalog.ts';

const { app } = await useTestApp();
const auth = { authorization: await staffToken(app) };
const usd = (amount: number) => ({ amount, currency: 'USD' });

async function post<T = Record<string, unknown>>(url: string, payload: unknown): Promise<T> {
  const response = await app.inject({ method: 'POST', url, headers: auth, payload: payload as never });
  if (response.statusCode >= 300) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
  return response.json<T>();
}

const lamp = await post<{ id: string; slug: string }>('/api/admin/products', {
  title: 'Desk Lamp',
  status: 'active',
  variants: [{ sku: 'LAMP-1', price: usd(3000) }],
});

type Node = { id: string; slug: string; children: Node[] };
const slugsOf = (nodes: Node[]): string[] => nodes.flatMap((n) => [n.slug, ...slugsOf(n.children)]);

describe('the category tree after a category write (read-your-writes on the instance that wrote)', () => {
  it('shows a new or renamed category at once, in the tree and to the category filter, before any outbox event', async () => {
    // The outbox's event comes later (or, on a loaded instance, much later): only the write's own effect counts.
    const fromOutbox = vi.spyOn(app.storeCatalog, 'invalidate').mockImplementation(() => undefined);
    try {
      const before = await app.inject('/api/store/categories');
      expect(before.statusCode).toBe(200);
      const lighting = await post<{ id: string; version: number }>('/api/admin/categories', {
        name: 'Lighting',
      });
      const after = await app.inject({
        url: '/api/store/categories',
        headers: { 'if-none-match': String(before.headers.etag) },
      });
      expect(after.statusCode, 'the old ETag no longer holds').toBe(200);
      expect(slugsOf(after.json())).toContain('lighting');

      const current = await app.inject({ url: `/api/admin/products/${lamp.id}`, headers: auth });
      const moved = await app.inject({
        method: 'PATCH',
        url: `/api/admin/products/${lamp.id}`,
        headers: auth,
        payload: { version: current.json().version, categoryIds: [lighting.id] },
      });
      expect(moved.statusCode, moved.body).toBe(200);
      const bySlug = await app.inject('/api/store/products?category=lighting');
      expect(bySlug.json().data.map((p: { id: string }) => p.id)).toEqual([lamp.id]);

      const renamed = await app.inject({
        method: 'PATCH',
        url: `/api/admin/categories/${lighting.id}`,
        headers: auth,
        payload: { version: lighting.version, slug: 'lamps' },
      });
      expect(renamed.statusCode, renamed.body).toBe(200);
      expect(slugsOf((await app.inject('/api/store/categories')).json())).toContain('lamps');
      const byNewSlug = await app.inject('/api/store/products?category=lamps');
      expect(byNewSlug.json().data.map((p: { id: string }) => p.id)).toEqual([lamp.id]);
    } finally {
      fromOutbox.mockRestore();
    }
  });

  it('does not keep a tree read before a change that committed while it was being read', async () => {
    // A load whose SELECT ran before the change: its waiters get it, but it is not kept for the next minute.
    const answers: ((rows: unknown[]) => void)[] = [];
    const pool = {
      query: vi.fn(
        () => new Promise<{ rows: unknown[] }>((resolve) => answers.push((rows) => resolve({ rows }))),
      ),
    } as unknown as pg.Pool;
    const store = new StoreCatalog(pool, { boundary: Number.POSITIVE_INFINITY } as PriceClock, 'USD');
    const old = { id: 'a', parent_id: null, name: 'Old', slug: 'old', position: 0 };
    const fresh = { id: 'a', parent_id: null, name: 'New', slug: 'new', position: 0 };

    const inFlight = store.categoryTree();
    store.invalidate(new Set(['categories'])); // the change's event arrives while the load runs
    answers[0]!([old]);
    expect((await inFlight).list.map((c) => c.slug)).toEqual(['old']);

    const next = store.categoryTree();
    expect(pool.query).toHaveBeenCalledTimes(2);
    answers[1]!([fresh]);
    expect((await next).list.map((c) => c.slug)).toEqual(['new']);
    expect((await store.categoryTree()).list.map((c) => c.slug)).toEqual(['new']);
    expect(pool.query).toHaveBeenCalledTimes(2);
  });
});

describe('store catalogue inputs', () => {
  it('refuses an empty price range (minPrice above maxPrice) naming maxPrice, rather than answering nothing', async () => {
    const response = await app.inject('/api/store/products?minPrice=5000&maxPrice=1000');
    expect(response.statusCode, response.body).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({
      code: 'MCART_ERR_VALIDATION',
      errors: [{ path: 'querystring/maxPrice' }],
    });
    // A one-price range is a range.
    const exact = await app.inject('/api/store/products?minPrice=3000&maxPrice=3000');
    expect(exact.statusCode).toBe(200);
    expect(exact.json().data.map((p: { id: string }) => p.id)).toEqual([lamp.id]);
  });

  it('refuses unknown query parameters on the product and the category tree, as the list does', async () => {
    for (const url of [
      `/api/store/products/${lamp.id}?inStock=true`,
      `/api/store/products/${lamp.slug}?foo=1`,
      '/api/store/categories?parent=x',
    ]) {
      const response = await app.inject(url);
      expect(response.statusCode, url).toBe(400);
      expect(response.json(), url).toMatchObject({
        code: 'MCART_ERR_VALIDATION',
        errors: [{ path: `querystring/${new URL(url, 'http://x').searchParams.keys().next().value}` }],
      });
    }
    expect((await app.inject(`/api/store/products/${lamp.slug}`)).statusCode).toBe(200);
  });
});
