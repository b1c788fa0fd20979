/**
 * JSON bodies are validated with their declared types: no coercion (a string, a boolean or a one-item array
 * where a number is declared is a 400 naming the field, and nothing is written). Query strings and path
 * parameters arrive as text and keep their coercion.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { staffToken, useTestApp } from './app.ts';
import { commerceFixtures } from '../src/modules/cart/test-helpers.ts';
import { query } from '../src/modules/inventory/sql.ts';

const { app } = await useTestApp();
const owner = await staffToken(app);
const fx = commerceFixtures(app, owner);

const movements = async (variantId: string) =>
  Number(
    (
      await query<{ n: string }>(
        app.orm.em.fork() as EntityManager,
        'SELECT count(*) AS n FROM stock_movement WHERE variant_id = ?::uuid',
        [variantId],
      )
    )[0]!.n,
  );

describe('JSON bodies are not coerced', () => {
  it('a stock adjustment refuses true, [3], "2" and "1e2" as its delta and writes no ledger row', async () => {
    const [variant] = (await fx.product([1000], null)).variants;
    for (const delta of [true, [3], '2', '1e2']) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/admin/inventory/adjustments',
        headers: { authorization: owner },
        payload: { variantId: variant!.id, delta, reason: 'count' },
      });
      expect(response.statusCode, `${JSON.stringify(delta)}: ${response.body}`).toBe(400);
      expect(response.json()).toMatchObject({
        code: 'MCART_ERR_VALIDATION',
        errors: [{ path: 'body/delta', message: 'must be integer' }],
      });
    }
    expect(await movements(variant!.id)).toBe(0);

    // The same body with a number is taken.
    const taken = await app.inject({
      method: 'POST',
      url: '/api/admin/inventory/adjustments',
      headers: { authorization: owner },
      payload: { variantId: variant!.id, delta: 2, reason: 'count' },
    });
    expect(taken.statusCode, taken.body).toBe(201);
    expect(await movements(variant!.id)).toBe(1);
  });

  it('a store cart refuses a quantity sent as a string', async () => {
    const [variant] = (await fx.product([1500], 10)).variants;
    const cartId = await fx.cart();
    const refused = await app.inject({
      method: 'POST',
      url: `/api/store/carts/${cartId}/items`,
      payload: { variantId: variant!.id, quantity: '2' },
    });
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.json()).toMatchObject({
      code: 'MCART_ERR_VALIDATION',
      errors: [{ path: 'body/quantity', message: 'must be integer' }],
    });

    const added = await fx.add(cartId, variant!.id, 2);
    expect(added.statusCode, added.body).toBeLessThan(300);
  });

  it('null is not read as 0 where a number is declared', async () => {
    const variantId = randomUUID();
    const response = await app.inject({
      method: 'POST',
      url: '/api/admin/inventory/adjustments',
      headers: { authorization: owner },
      payload: { variantId, delta: null, reason: 'count' },
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json()).toMatchObject({ errors: [{ path: 'body/delta', message: 'must be integer' }] });
    expect(await movements(variantId)).toBe(0);
  });
});

describe('query strings and path parameters keep their coercion', () => {
  it('numbers in a list query string are read as numbers', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/admin/orders?page=2&perPage=5&sort=createdAt&order=DESC&minTotal=0',
      headers: { authorization: owner },
    });
    expect(response.statusCode, response.body).toBe(200);
    const list = response.json<{ data: unknown[]; total: number }>();
    expect(list.data.length).toBeLessThanOrEqual(5);
    expect(typeof list.total).toBe('number');

    const refused = await app.inject({
      method: 'GET',
      url: '/api/admin/orders?perPage=five',
      headers: { authorization: owner },
    });
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.json()).toMatchObject({ errors: [{ path: 'querystring/perPage' }] });
  });

  it('a page of products is as long as perPage says, and the second page differs from the first', async () => {
    await fx.product([1000], null);
    await fx.product([1100], null);
    const page = async (n: number) => {
      const response = await app.inject({
        method: 'GET',
        url: `/api/admin/products?perPage=1&page=${n}`,
        headers: { authorization: owner },
      });
      expect(response.statusCode, response.body).toBe(200);
      const list = response.json<{ data: { id: string }[]; total: number }>();
      expect(list.data).toHaveLength(1);
      expect(list.total).toBeGreaterThanOrEqual(2);
      return list.data[0]!.id;
    };
    expect(await page(2)).not.toBe(await page(1));
  });

  it('a path parameter is still read from text (an id in the path, a number in the body)', async () => {
    const [variant] = (await fx.product([1000], 5)).variants;
    const cartId = await fx.cart();
    const added = await fx.add(cartId, variant!.id, 1);
    expect(added.statusCode, added.body).toBeLessThan(300);
    const itemId = added.json<{ items: { id: string }[] }>().items[0]!.id;
    const changed = await app.inject({
      method: 'PATCH',
      url: `/api/store/carts/${cartId}/items/${itemId}`,
      payload: { quantity: 3 },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    const refused = await app.inject({
      method: 'PATCH',
      url: `/api/store/carts/${cartId}/items/${itemId}`,
      payload: { quantity: '4' },
    });
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.json()).toMatchObject({ errors: [{ path: 'body/quantity', message: 'must be integer' }] });
  });
});

describe('ids and dates as PostgreSQL takes them', () => {
  it('an id in the urn:uuid form is refused with 400 naming it, in store and admin paths alike', async () => {
    const customer = await fx.customer();
    const urn = `urn:uuid:${randomUUID()}`;
    for (const [url, auth] of [
      [`/api/store/orders/${urn}`, customer.auth],
      [`/api/store/me/addresses/${urn}`, customer.auth],
      [`/api/admin/customers/${urn}`, owner],
    ] as const) {
      const response = await app.inject({ method: 'GET', url, headers: { authorization: auth } });
      expect(response.statusCode, `${url}: ${response.body}`).toBe(400);
      expect(response.json()).toMatchObject({
        code: 'MCART_ERR_VALIDATION',
        errors: [{ path: 'params/id', message: 'must match format "uuid"' }],
      });
    }
  });

  it('a date in the year 0000 is refused with 400 naming it, and nothing is written', async () => {
    const before = await app.inject({
      method: 'GET',
      url: '/api/admin/sales',
      headers: { authorization: owner },
    });
    const response = await app.inject({
      method: 'POST',
      url: '/api/admin/discount-codes',
      headers: { authorization: owner },
      payload: {
        code: `Y0-${randomUUID().slice(0, 6)}`,
        discountType: 'percent',
        discountValue: 10,
        endsAt: '0000-01-01T00:00:00Z',
      },
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json()).toMatchObject({
      errors: [{ path: 'body/endsAt', message: 'must match format "date-time"' }],
    });
    expect(before.statusCode).toBe(200);
  });
});
