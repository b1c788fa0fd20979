import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { staffToken, useTestApp } from './app.ts';
import { registerCustomer, sqlRows } from './identity/helpers.ts';
import { ADDRESS, orderFixtures } from './support/orders.ts';
import { commerceFixtures } from '../src/modules/cart/test-helpers.ts';

/** ADR 0059: an address's country is an assigned ISO 3166-1 alpha-2 code, any case, stored upper case. */
const { app, config, databaseUrl } = await useTestApp();
const staff = await staffToken(app);
const fx = commerceFixtures(app, staff);
const orders = orderFixtures(app, config, staff);
const sql = <T extends pg.QueryResultRow>(text: string, values: unknown[] = []) =>
  sqlRows<T>(databaseUrl, text, values);
const count = async (table: string) =>
  Number((await sql<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0]!.n);

const COUNTRY_MESSAGE = 'must be an assigned ISO 3166-1 alpha-2 country code (e.g. GB, US)';
const address = {
  name: 'Ada Lovelace',
  line1: '12 Analytical Row',
  city: 'London',
  postalCode: 'N1 9GU',
  country: 'GB',
};

async function cart(): Promise<string> {
  const product = await fx.product([2500]);
  const cartId = await fx.cart();
  const added = await fx.add(cartId, product.variants[0]!.id, 1);
  if (added.statusCode !== 200) throw new Error(added.body);
  return cartId;
}
const checkout = (cartId: string, key: string, payload: Record<string, unknown>) =>
  app.inject({
    method: 'POST',
    url: `/api/store/carts/${cartId}/checkout`,
    headers: { 'idempotency-key': key },
    payload: {
      email: 'ada@example.com',
      shippingAddress: address,
      payment: { provider: 'test', token: 'tok_visa' },
      ...payload,
    },
  });

describe.skipIf(!app.hasDecorator('payments'))('checkout', () => {
  it('refuses a country that is not an assigned ISO code (XX, ZZ, AA, EU, UK), writing nothing', async () => {
    const cartId = await cart();
    const before = { orders: await count('orders'), payments: await count('payment') };
    for (const country of ['XX', 'ZZ', 'AA', 'EU', 'UK', 'qz', 'xa']) {
      const refused = await checkout(cartId, `bad-country-${country}`, {
        shippingAddress: { ...address, country },
      });
      expect(refused.statusCode, country).toBe(400);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(refused.json()).toMatchObject({
        code: 'MCART_ERR_VALIDATION',
        errors: [{ path: 'body/shippingAddress/country', message: COUNTRY_MESSAGE }],
      });
    }
    expect({ orders: await count('orders'), payments: await count('payment') }).toEqual(before);
    // The cart is still open: the same cart pays with a real country, typed in lower case, stored upper case.
    const placed = await checkout(cartId, 'good-country', { shippingAddress: { ...address, country: 'gb' } });
    expect(placed.statusCode).toBe(201);
    const order = await app.inject({
      url: `/api/admin/orders/${placed.json().order.id}`,
      headers: { authorization: staff },
    });
    expect(order.json().shippingAddress).toMatchObject({ country: 'GB' });
  });

  it('a test-gateway payment without a token is a 400 on body/payment/token, not a decline, and writes nothing', async () => {
    const cartId = await cart();
    const before = { orders: await count('orders'), payments: await count('payment') };
    const refused = await checkout(cartId, 'no-token', { payment: { provider: 'test' } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({
      code: 'MCART_ERR_VALIDATION',
      errors: [{ path: 'body/payment/token', message: 'is required by the "test" provider' }],
    });
    expect({ orders: await count('orders'), payments: await count('payment') }).toEqual(before);
    // A token the gateway does not know is its answer: declined, invalid_token (402).
    const unknown = await checkout(cartId, 'unknown-token', {
      payment: { provider: 'test', token: 'tok_unknown' },
    });
    expect(unknown.statusCode).toBe(402);
    expect(unknown.json()).toMatchObject({
      code: 'MCART_ERR_PAYMENT_DECLINED',
      declineCode: 'invalid_token',
    });
  });
});

describe('address book', () => {
  it('takes the same codes as checkout: lower case stored upper case, unassigned codes refused on POST and PATCH', async () => {
    const customer = await registerCustomer(app);
    const post = (payload: Record<string, unknown>) =>
      app.inject({ method: 'POST', url: '/api/store/me/addresses', headers: customer.auth, payload });
    for (const country of ['XX', 'ZZ', 'AA', 'EU', 'xa']) {
      const refused = await post({ ...address, country });
      expect(refused.statusCode, country).toBe(400);
      expect(refused.json()).toMatchObject({
        code: 'MCART_ERR_VALIDATION',
        errors: [{ path: 'body/country', message: COUNTRY_MESSAGE }],
      });
    }
    const list = async () =>
      (await app.inject({ url: '/api/store/me/addresses', headers: customer.auth })).json<{
        data: { id: string; country: string }[];
      }>().data;
    expect(await list()).toEqual([]);

    const created = await post({ ...address, country: 'gb' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ country: 'GB' });
    const id = created.json().id as string;
    const patch = (payload: Record<string, unknown>) =>
      app.inject({ method: 'PATCH', url: `/api/store/me/addresses/${id}`, headers: customer.auth, payload });
    const refused = await patch({ country: 'ZZ' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ errors: [{ path: 'body/country', message: COUNTRY_MESSAGE }] });
    expect(await list()).toMatchObject([{ id, country: 'GB' }]);
    const moved = await patch({ country: 'fr', city: 'Paris', postalCode: '75001' });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ country: 'FR', city: 'Paris' });
  });
});

describe('shipment address correction (staff)', () => {
  it('refuses an unassigned country on body/shippingAddress/country and makes no shipment', async () => {
    const product = await orders.product([{ weightGrams: 300 }]);
    const placed = await orders.order([{ variantId: product.variants[0]!.id, quantity: 1 }]);
    const refused = await app.inject({
      method: 'POST',
      url: `/api/admin/orders/${placed.id}/shipments`,
      headers: { authorization: staff },
      payload: { shippingAddress: { ...ADDRESS, country: 'XX' } },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({
      code: 'MCART_ERR_VALIDATION',
      errors: [{ path: 'body/shippingAddress/country', message: COUNTRY_MESSAGE }],
    });
    const shipments = await app.inject({
      url: `/api/admin/shipments?orderId=${placed.id}`,
      headers: { authorization: staff },
    });
    expect(shipments.json().total).toBe(0);
  });
});
