import { describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import pg from 'pg';
import { staffToken, useTestApp } from '../../../test/app.ts';
import { commerceFixtures } from './test-helpers.ts';

const { app, databaseUrl } = await useTestApp({ TAX_RATE_BPS: '1000' });
const staff = await staffToken(app);
const fx = commerceFixtures(app, staff);

const get = (id: string, auth?: string) =>
  app.inject({
    method: 'GET',
    url: `/api/store/carts/${id}`,
    ...(auth ? { headers: { authorization: auth } } : {}),
  });
const setQuantity = (cartId: string, itemId: string, quantity: number) =>
  app.inject({
    method: 'PATCH',
    url: `/api/store/carts/${cartId}/items/${itemId}`,
    payload: { quantity },
  });
const checkout = (cartId: string, key: string) =>
  app.inject({
    method: 'POST',
    url: `/api/store/carts/${cartId}/checkout`,
    headers: { 'idempotency-key': key },
    payload: {
      email: 'ann@example.test',
      shippingAddress: { name: 'Ann', line1: '1 Road', city: 'Town', postalCode: '12345', country: 'GB' },
      payment: { provider: 'test', token: 'tok_visa' },
    },
  });
/** A sale on these variants that has already started (a price drop the shopper did not ask for). */
const saleNow = async (variantIds: string[], percent: number) => {
  const response = await app.inject({
    method: 'POST',
    url: '/api/admin/sales',
    headers: { authorization: staff },
    payload: {
      name: `Flash ${percent}%`,
      discountType: 'percent',
      discountValue: percent,
      startsAt: new Date(Date.now() - 1000).toISOString(),
      variantIds,
    },
  });
  if (response.statusCode !== 201) throw new Error(`sale: ${response.statusCode} ${response.body}`);
};
const usd = (amount: number) => ({ amount, currency: 'USD' });

describe('carts', () => {
  it('creates a guest cart with an unguessable id and prices lines live with totals', async () => {
    const product = await fx.product([1999, 2500]);
    const created = await app.inject({ method: 'POST', url: '/api/store/carts' });
    expect(created.statusCode).toBe(201);
    const cart = created.json();
    expect(cart.id).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(cart).toMatchObject({ items: [], totals: { total: { amount: 0, currency: 'USD' } } });

    const added = await fx.add(cart.id, product.variants[0]!.id, 2);
    expect(added.statusCode).toBe(200);
    // 2 x 19.99 = 39.98, standard shipping 5.00 (free only over 50.00), tax 10% of 44.98 = 4.498 -> 4.50
    expect(added.json()).toMatchObject({
      items: [
        {
          variantId: product.variants[0]!.id,
          quantity: 2,
          unitPrice: { amount: 1999, currency: 'USD' },
          total: { amount: 3998 },
        },
      ],
      totals: {
        subtotal: { amount: 3998 },
        discount: { amount: 0 },
        shipping: { amount: 500 },
        tax: { amount: 450 },
        total: { amount: 4948 },
      },
    });
    // Adding the same variant adds up; free shipping over 50.00.
    const more = await fx.add(cart.id, product.variants[0]!.id, 1);
    expect(more.json().items[0].quantity).toBe(3);
    expect(more.json().totals.shipping.amount).toBe(0);

    const itemId = more.json().items[0].id;
    const patched = await app.inject({
      method: 'PATCH',
      url: `/api/store/carts/${cart.id}/items/${itemId}`,
      payload: { quantity: 1 },
    });
    expect(patched.json().items[0].quantity).toBe(1);
    const removed = await app.inject({
      method: 'DELETE',
      url: `/api/store/carts/${cart.id}/items/${itemId}`,
    });
    expect(removed.json().items).toEqual([]);
  });

  it('validates quantities against the rules and the stock', async () => {
    const product = await fx.product([1000], 5);
    const cartId = await fx.cart();
    const variantId = product.variants[0]!.id;
    for (const quantity of [0, -1, 1.5, 1000]) {
      const response = await fx.add(cartId, variantId, quantity);
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('MCART_ERR_VALIDATION');
    }
    const tooMany = await fx.add(cartId, variantId, 6);
    expect(tooMany.statusCode).toBe(409);
    expect(tooMany.json()).toMatchObject({
      code: 'MCART_ERR_OUT_OF_STOCK',
      variants: [{ variantId, requested: 6, available: 5 }],
    });
    const unknown = await fx.add(cartId, '00000000-0000-4000-8000-000000000000', 1);
    expect(unknown.statusCode).toBe(404);
    expect((await get(cartId)).json().items).toEqual([]);
  });

  it('refuses adding to a line beyond 999 on the field the shopper sent (quantities add up)', async () => {
    const product = await fx.product([1], 2000);
    const variantId = product.variants[0]!.id;
    const cartId = await fx.cart();
    expect((await fx.add(cartId, variantId, 600)).statusCode).toBe(200);
    const over = await fx.add(cartId, variantId, 600);
    expect(over.statusCode).toBe(400);
    expect(over.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(over.json()).toMatchObject({
      code: 'MCART_ERR_VALIDATION',
      errors: [{ path: 'body/quantity', message: 'must be at most 399 (the line already holds 600)' }],
    });
    expect((await get(cartId)).json().items[0].quantity).toBe(600);
    expect((await fx.add(cartId, variantId, 399)).json().items[0].quantity).toBe(999);
  });

  it('is never kept by a browser, an app or a proxy (Cache-Control: no-store), errors included', async () => {
    const product = await fx.product([1000]);
    const created = await app.inject({ method: 'POST', url: '/api/store/carts' });
    const cartId = created.json<{ id: string }>().id;
    const added = await fx.add(cartId, product.variants[0]!.id, 1);
    const itemId = added.json<{ items: { id: string }[] }>().items[0]!.id;
    const answers = [
      created,
      added,
      await get(cartId),
      await app.inject({
        method: 'PATCH',
        url: `/api/store/carts/${cartId}/items/${itemId}`,
        payload: { quantity: 2 },
      }),
      await app.inject({ method: 'DELETE', url: `/api/store/carts/${cartId}/items/${itemId}` }),
      await get('no-such-cart-but-well-formed'),
    ];
    expect(answers.map((answer) => answer.statusCode)).toEqual([201, 200, 200, 200, 200, 404]);
    for (const answer of answers) expect(answer.headers['cache-control']).toBe('no-store');
  });

  it('shows the live price and tells the shopper when it changed', async () => {
    const product = await fx.product([1000]);
    const variantId = product.variants[0]!.id;
    const cartId = await fx.cart();
    await fx.add(cartId, variantId, 1);
    await fx.setPrice(product.id, variantId, 1200);
    const first = (await get(cartId)).json();
    expect(first.items[0].unitPrice.amount).toBe(1200);
    expect(first.priceChanges).toEqual([
      expect.objectContaining({
        variantId,
        previous: { amount: 1000, currency: 'USD' },
        current: { amount: 1200, currency: 'USD' },
      }),
    ]);
    expect((await get(cartId)).json().priceChanges).toEqual([]);
  });

  it('tells the shopper of a price rise in the very answer that changes the line quantity', async () => {
    const product = await fx.product([1000]);
    const variantId = product.variants[0]!.id;
    const cartId = await fx.cart();
    const itemId = (await fx.add(cartId, variantId, 2)).json().items[0].id;
    await fx.setPrice(product.id, variantId, 5000);

    const patched = await setQuantity(cartId, itemId, 1);
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({
      items: [{ id: itemId, quantity: 1, unitPrice: usd(5000), total: usd(5000) }],
      priceChanges: [{ itemId, variantId, previous: usd(1000), current: usd(5000) }],
    });
    // Told once: the next answer has nothing new to tell, and checkout charges the total that was shown.
    expect((await get(cartId)).json().priceChanges).toEqual([]);
    const paid = await checkout(cartId, 'patch-after-rise');
    expect(paid.statusCode).toBe(201);
    expect(paid.json().order.total.amount).toBe(patched.json().totals.total.amount);
  });

  it('tells the shopper of a price rise in the very answer that adds more of a line', async () => {
    const product = await fx.product([1000]);
    const variantId = product.variants[0]!.id;
    const cartId = await fx.cart();
    const itemId = (await fx.add(cartId, variantId, 1)).json().items[0].id;
    await fx.setPrice(product.id, variantId, 5000);

    const added = await fx.add(cartId, variantId, 1);
    expect(added.statusCode).toBe(200);
    expect(added.json()).toMatchObject({
      items: [{ id: itemId, quantity: 2, unitPrice: usd(5000), total: usd(10000) }],
      priceChanges: [{ itemId, variantId, previous: usd(1000), current: usd(5000) }],
    });
    expect((await get(cartId)).json().priceChanges).toEqual([]);
    const paid = await checkout(cartId, 'add-after-rise');
    expect(paid.statusCode).toBe(201);
    expect(paid.json().order.total.amount).toBe(added.json().totals.total.amount);
  });

  it('tells the shopper of a sale starting (a price drop) in the answer that adds to or changes a line', async () => {
    const product = await fx.product([2000, 3000]);
    const [a, b] = product.variants;
    const cartId = await fx.cart();
    await fx.add(cartId, a!.id, 1);
    const lines = (await fx.add(cartId, b!.id, 1)).json().items as { id: string }[];
    await saleNow([a!.id, b!.id], 25);

    const added = await fx.add(cartId, a!.id, 1);
    expect(added.json()).toMatchObject({
      items: [
        { id: lines[0]!.id, quantity: 2, unitPrice: usd(1500), regularPrice: usd(2000) },
        { id: lines[1]!.id, quantity: 1, unitPrice: usd(2250), regularPrice: usd(3000) },
      ],
    });
    // Every line whose price moved is listed, the one this answer did not touch included.
    expect(added.json().priceChanges).toEqual([
      { itemId: lines[0]!.id, variantId: a!.id, previous: usd(2000), current: usd(1500) },
      { itemId: lines[1]!.id, variantId: b!.id, previous: usd(3000), current: usd(2250) },
    ]);

    const other = await fx.cart();
    const itemId = (await fx.add(other, b!.id, 1)).json().items[0].id;
    await saleNow([b!.id], 50);
    const patched = await setQuantity(other, itemId, 3);
    expect(patched.json()).toMatchObject({
      items: [{ id: itemId, quantity: 3, unitPrice: usd(1500), total: usd(4500) }],
      priceChanges: [{ itemId, variantId: b!.id, previous: usd(2250), current: usd(1500) }],
    });
  });

  it('still refuses checkout with 409 MCART_ERR_PRICE_CHANGED when the cart was not shown after the change', async () => {
    const product = await fx.product([1000]);
    const variantId = product.variants[0]!.id;
    const cartId = await fx.cart();
    const itemId = (await fx.add(cartId, variantId, 2)).json().items[0].id;
    // A quantity change before the rise shows (and keeps) 10.00; the rise comes after the last answer.
    expect((await setQuantity(cartId, itemId, 3)).json().priceChanges).toEqual([]);
    await fx.setPrice(product.id, variantId, 5000);

    const refused = await checkout(cartId, 'not-shown');
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'MCART_ERR_PRICE_CHANGED',
      changes: [{ itemId, variantId, previous: usd(1000), current: usd(5000) }],
    });
    // Nothing was charged and the cart is still open; the 409 told the new price, so a retry charges it.
    const shown = (await get(cartId)).json();
    expect(shown).toMatchObject({ status: 'open', priceChanges: [], items: [{ unitPrice: usd(5000) }] });
    const paid = await checkout(cartId, 'not-shown');
    expect(paid.statusCode).toBe(201);
    expect(paid.json().order.total.amount).toBe(shown.totals.total.amount);
  });

  it('tells the shopper at sign-in of a price moved since their guest cart was shown, merged lines included', async () => {
    const product = await fx.product([1000]);
    const variantId = product.variants[0]!.id;
    const alice = await fx.customer();
    const aliceCart = await fx.cart(alice.auth);
    await fx.add(aliceCart, variantId, 1, alice.auth);
    const guestCart = await fx.cart();
    await fx.add(guestCart, variantId, 2);
    await fx.setPrice(product.id, variantId, 1500);
    // Alice's own cart was shown at 15.00 (on another device); the guest cart the shopper sees still says 10.00.
    expect((await get(aliceCart, alice.auth)).json().priceChanges).toHaveLength(1);

    const claim = await app.inject({
      method: 'POST',
      url: `/api/store/carts/${guestCart}/claim`,
      headers: { authorization: alice.auth },
    });
    expect(claim.statusCode).toBe(200);
    expect(claim.json()).toMatchObject({
      id: aliceCart,
      items: [{ variantId, quantity: 3, unitPrice: usd(1500) }],
      priceChanges: [{ variantId, previous: usd(1000), current: usd(1500) }],
    });
    expect((await get(aliceCart, alice.auth)).json().priceChanges).toEqual([]);
  });

  it('keeps customer carts private and merges a guest cart at sign-in', async () => {
    const product = await fx.product([500, 700]);
    const [a, b] = product.variants;
    const alice = await fx.customer();
    const bob = await fx.customer();
    const aliceCart = await fx.cart(alice.auth);
    await fx.add(aliceCart, a!.id, 1, alice.auth);
    expect((await get(aliceCart, bob.auth)).statusCode).toBe(404);
    expect((await get(aliceCart)).statusCode).toBe(404);
    expect((await fx.add(aliceCart, a!.id, 1, bob.auth)).statusCode).toBe(404);

    const guestCart = await fx.cart();
    await fx.add(guestCart, a!.id, 2);
    await fx.add(guestCart, b!.id, 1);
    const claim = await app.inject({
      method: 'POST',
      url: `/api/store/carts/${guestCart}/claim`,
      headers: { authorization: alice.auth },
    });
    expect(claim.statusCode).toBe(200);
    expect(claim.json().id).toBe(aliceCart);
    expect(
      claim
        .json()
        .items.map((item: { variantId: string; quantity: number }) => [item.variantId, item.quantity]),
    ).toEqual([
      [a!.id, 3],
      [b!.id, 1],
    ]);
    // The guest cart is retired after the merge.
    expect((await get(guestCart)).statusCode).toBe(404);
    expect(
      (await app.inject({ method: 'POST', url: `/api/store/carts/${guestCart}/claim` })).statusCode,
    ).toBe(401);
  });

  it('lists shipping methods and lets the shopper choose one', async () => {
    const methods = await app.inject({ method: 'GET', url: '/api/store/shipping-methods' });
    expect(methods.statusCode).toBe(200);
    const express = methods.json().data.find((m: { code: string }) => m.code === 'express');
    expect(express).toMatchObject({ kind: 'flat', amount: { amount: 1500, currency: 'USD' } });
    const product = await fx.product([9000]);
    const cartId = await fx.cart();
    await fx.add(cartId, product.variants[0]!.id, 1);
    const chosen = await app.inject({
      method: 'PUT',
      url: `/api/store/carts/${cartId}/shipping-method`,
      payload: { shippingMethodId: express.id },
    });
    expect(chosen.json().totals.shipping.amount).toBe(1500);
  });

  it('applies and removes a discount code (totals in minor units)', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/admin/discount-codes',
      headers: { authorization: await staffToken(app) },
      payload: { code: 'CART5OFF', discountType: 'fixed', discountValue: 500 },
    });
    expect(created.statusCode).toBe(201);
    const product = await fx.product([3000]);
    const cartId = await fx.cart();
    await fx.add(cartId, product.variants[0]!.id, 1);
    const applied = await app.inject({
      method: 'POST',
      url: `/api/store/carts/${cartId}/discount`,
      payload: { code: 'cart5off' },
    });
    expect(applied.statusCode).toBe(200);
    // 30.00 - 5.00 + 5.00 shipping = 30.00; 10 % tax = 3.00
    expect(applied.json()).toMatchObject({
      discountCode: 'CART5OFF',
      totals: { discount: { amount: 500 }, tax: { amount: 300 }, total: { amount: 3300 } },
    });
    const unknown = await app.inject({
      method: 'POST',
      url: `/api/store/carts/${cartId}/discount`,
      payload: { code: 'NOPE-NOPE' },
    });
    expect(unknown.statusCode).toBeGreaterThanOrEqual(400);
    expect(unknown.statusCode).toBeLessThan(500);
    const removed = await app.inject({ method: 'DELETE', url: `/api/store/carts/${cartId}/discount` });
    expect(removed.json()).toMatchObject({ discountCode: null, totals: { discount: { amount: 0 } } });
  });
});

describe('carts: what a shopper may add, and ids in either case', () => {
  const admin = { authorization: staff };

  it('answers a variant not for sale (a draft product) like an unknown one when it is added, never naming its SKU', async () => {
    const sku = `UNRELEASED-${Date.now().toString(36)}`;
    const created = await app.inject({
      method: 'POST',
      url: '/api/admin/products',
      headers: admin,
      payload: { title: 'Unreleased Gadget', status: 'draft', variants: [{ sku, price: usd(9900) }] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const variantId: string = created.json().variants[0].id;
    await fx.stock(variantId, 3);
    const cartId = await fx.cart();
    const unknown = await fx.add(cartId, '00000000-0000-4000-8000-000000000000', 1);
    const hidden = await fx.add(cartId, variantId, 1);
    const hiddenUpper = await fx.add(cartId, variantId.toUpperCase(), 1);
    expect(unknown.statusCode).toBe(404);
    // The very answer of an unknown id: nothing tells the product exists.
    expect(hidden.json()).toEqual(unknown.json());
    expect(hiddenUpper.json()).toEqual(unknown.json());
    expect(hidden.json()).toMatchObject({
      code: 'MCART_ERR_VARIANT_NOT_FOUND',
      errors: [{ path: 'body/variantId', message: 'unknown variant' }],
    });
    expect(hidden.body).not.toContain(sku);
    expect((await get(cartId)).json().items).toEqual([]);
  });

  it('refuses more of a line whose product was withdrawn since with 409 MCART_ERR_NOT_PURCHASABLE, without its SKU', async () => {
    const product = await fx.product([1500], 10);
    const variant = product.variants[0]!;
    const cartId = await fx.cart();
    const added = await fx.add(cartId, variant.id, 1);
    const itemId: string = added.json().items[0].id;
    const current = await app.inject({
      method: 'GET',
      url: `/api/admin/products/${product.id}`,
      headers: admin,
    });
    const archived = await app.inject({
      method: 'PATCH',
      url: `/api/admin/products/${product.id}`,
      headers: admin,
      payload: { version: current.json().version, status: 'archived' },
    });
    expect(archived.statusCode, archived.body).toBe(200);

    const more = await fx.add(cartId, variant.id, 1);
    const changed = await setQuantity(cartId, itemId, 2);
    for (const answer of [more, changed]) {
      expect(answer.statusCode, answer.body).toBe(409);
      expect(answer.json()).toMatchObject({
        code: 'MCART_ERR_NOT_PURCHASABLE',
        variants: [{ variantId: variant.id, itemId }],
      });
      expect(answer.body).not.toContain(variant.sku);
    }
    // The line stays, shown as not for sale, until the shopper removes it.
    expect((await get(cartId)).json().items).toMatchObject([{ id: itemId, quantity: 1, purchasable: false }]);
    // A cart without that line: the withdrawn variant is unknown, as on every store route.
    expect((await fx.add(await fx.cart(), variant.id, 1)).json().code).toBe('MCART_ERR_VARIANT_NOT_FOUND');
    const removed = await app.inject({ method: 'DELETE', url: `/api/store/carts/${cartId}/items/${itemId}` });
    expect(removed.statusCode).toBe(200);
    expect(removed.json().items).toEqual([]);
  });

  it('takes upper-case ids (the uuid format takes either case) as the same ids: one line, capped at 999', async () => {
    const product = await fx.product([1], 2000);
    const variantId = product.variants[0]!.id;
    const cartId = await fx.cart();
    const upper = await fx.add(cartId, variantId.toUpperCase(), 600);
    expect(upper.statusCode, upper.body).toBe(200);
    expect(upper.json().items).toMatchObject([{ variantId, quantity: 600 }]);
    const itemId: string = upper.json().items[0].id;
    // Whichever spelling, it is the same line: the cap counts what it already holds.
    for (const spelling of [variantId, variantId.toUpperCase()]) {
      const over = await fx.add(cartId, spelling, 600);
      expect(over.statusCode, over.body).toBe(400);
      expect(over.json()).toMatchObject({
        errors: [{ path: 'body/quantity', message: 'must be at most 399 (the line already holds 600)' }],
      });
    }
    const more = await fx.add(cartId, variantId.toUpperCase(), 399);
    expect(more.json().items).toMatchObject([{ id: itemId, variantId, quantity: 999 }]);

    const patched = await setQuantity(cartId, itemId.toUpperCase(), 3);
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json().items).toMatchObject([{ id: itemId, quantity: 3 }]);

    const methods = await app.inject({ method: 'GET', url: '/api/store/shipping-methods' });
    const express = methods.json().data.find((m: { code: string }) => m.code === 'express');
    const chosen = await app.inject({
      method: 'PUT',
      url: `/api/store/carts/${cartId}/shipping-method`,
      payload: { shippingMethodId: express.id.toUpperCase() },
    });
    expect(chosen.statusCode, chosen.body).toBe(200);
    expect(chosen.json().shippingMethod.id).toBe(express.id);

    const removed = await app.inject({
      method: 'DELETE',
      url: `/api/store/carts/${cartId}/items/${itemId.toUpperCase()}`,
    });
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json().items).toEqual([]);
  });
});

describe('carts: a hostile shopper, sign-in races and edge prices', () => {
  const fork = () => app.orm.em.fork() as EntityManager;
  const claim = (cartId: string, auth: string) =>
    app.inject({
      method: 'POST',
      url: `/api/store/carts/${cartId}/claim`,
      headers: { authorization: auth },
    });
  it('lets only the customer who claimed a guest cart in, even when others were already waiting on it', async () => {
    const product = await fx.product([1000]);
    const variantId = product.variants[0]!.id;
    const alice = await fx.customer();
    const bob = await fx.customer();
    const guestCart = await fx.cart();
    expect((await fx.add(guestCart, variantId, 1)).statusCode).toBe(200);
    // Something holds the cart's row (another edit of it): alice's claim, then bob's claim and a guest's add
    // (all of whom know the id) queue behind it. The holder and the watcher are connections of their own (the
    // app's pool is small; a transaction sees a frozen pg_stat_activity).
    const holder = new pg.Client({ connectionString: databaseUrl });
    const watcher = new pg.Client({ connectionString: databaseUrl });
    await holder.connect();
    await watcher.connect();
    /** Requests waiting for the cart's row lock (`lockOpen`). */
    const waitingOnCart = async () =>
      (
        await watcher.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%update cart set updated_at%'`,
        )
      ).rows[0]?.n;
    let aliceClaim, bobClaim, guestAdd;
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT id FROM cart WHERE id = $1 FOR UPDATE`, [guestCart]);
      aliceClaim = Promise.resolve(claim(guestCart, alice.auth));
      await expect.poll(waitingOnCart, { timeout: 10_000 }).toBe(1);
      bobClaim = Promise.resolve(claim(guestCart, bob.auth));
      guestAdd = Promise.resolve(fx.add(guestCart, variantId, 1));
      await expect.poll(waitingOnCart, { timeout: 10_000 }).toBe(3);
    } finally {
      await holder.query('COMMIT');
      await holder.end();
      await watcher.end();
    }
    const [first, second, third] = await Promise.all([aliceClaim, bobClaim, guestAdd]);
    expect(first!.statusCode, first!.body).toBe(200);
    // Alice's cart now: the others are told it does not exist, as for any customer cart not theirs.
    for (const answer of [second!, third!]) {
      expect(answer.statusCode, answer.body).toBe(404);
      expect(answer.json()).toMatchObject({ code: 'MCART_ERR_CART_NOT_FOUND' });
    }
    const [row] = await fork().execute<{ customer_id: string }[]>(
      `SELECT customer_id FROM cart WHERE id = ?`,
      [guestCart],
    );
    expect(row?.customer_id).toBe(alice.id);
    expect((await get(guestCart, alice.auth)).json().items).toMatchObject([{ variantId, quantity: 1 }]);
  });

  it('refuses a sign-in merge that would hold more than 100 different items, leaving both carts as they were', async () => {
    // Lines are written directly: 101 adds through the API would only slow the test down.
    const first = await fx.product(
      Array.from({ length: 51 }, () => 100),
      null,
    );
    const second = await fx.product(
      Array.from({ length: 50 }, () => 100),
      null,
    );
    const alice = await fx.customer();
    const aliceCart = await fx.cart(alice.auth);
    const guestCart = await fx.cart();
    const fill = (cartId: string, variants: { id: string }[]) =>
      fork().execute(
        `INSERT INTO cart_item (cart_id, variant_id, quantity, unit_price)
         SELECT ?, unnest(?::uuid[]), 1, 100`,
        [cartId, `{${variants.map((v) => v.id).join(',')}}`],
      );
    await fill(aliceCart, first.variants);
    await fill(guestCart, [...second.variants, first.variants[0]!]);

    const refused = await claim(guestCart, alice.auth);
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'MCART_ERR_CART_TOO_LARGE',
      maxItems: 100,
      items: 101,
      customerCartId: aliceCart,
    });
    expect((await get(aliceCart, alice.auth)).json().items).toHaveLength(51);
    const guest = await get(guestCart);
    expect(guest.statusCode).toBe(200);
    expect(guest.json().items).toHaveLength(51);

    // One line fewer: they merge (the shared variant counts once).
    const lastItem = guest.json().items.at(-1).id;
    await app.inject({ method: 'DELETE', url: `/api/store/carts/${guestCart}/items/${lastItem}` });
    const merged = await claim(guestCart, alice.auth);
    expect(merged.statusCode, merged.body).toBe(200);
    expect(merged.json()).toMatchObject({ id: aliceCart });
    expect(merged.json().items).toHaveLength(100);
  });

  it('says on body/code why a discount code is refused', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/admin/discount-codes',
      headers: { authorization: staff },
      payload: { code: 'BIGBASKET', discountType: 'fixed', discountValue: 500, minSubtotal: 10_000 },
    });
    expect(created.statusCode, created.body).toBe(201);
    const product = await fx.product([3000]);
    const cartId = await fx.cart();
    await fx.add(cartId, product.variants[0]!.id, 1);
    const apply = (code: string) =>
      app.inject({ method: 'POST', url: `/api/store/carts/${cartId}/discount`, payload: { code } });

    const unknown = await apply('NO-SUCH-CODE');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    expect(unknown.json()).toMatchObject({
      code: 'MCART_ERR_DISCOUNT_CODE_UNKNOWN',
      errors: [{ path: 'body/code', message: 'This discount code does not exist' }],
    });
    const below = await apply('bigbasket');
    expect(below.statusCode).toBe(422);
    expect(below.json()).toMatchObject({
      code: 'MCART_ERR_DISCOUNT_CODE_MIN_SUBTOTAL',
      minSubtotal: 10_000,
      errors: [{ path: 'body/code', message: 'The cart needs a subtotal of at least 10000 (minor units)' }],
    });
    expect((await get(cartId)).json()).toMatchObject({ discountCode: null, totals: { discount: usd(0) } });
  });

  it('charges shipping for goods that cost nothing (a variant priced 0): only an empty cart ships free', async () => {
    const product = await fx.product([0]);
    const cartId = await fx.cart();
    const added = await fx.add(cartId, product.variants[0]!.id, 1);
    expect(added.statusCode, added.body).toBe(200);
    // Standard shipping 5.00 (free only over 50.00), 10 % tax on it.
    expect(added.json().totals).toEqual({
      subtotal: usd(0),
      discount: usd(0),
      shipping: usd(500),
      tax: usd(50),
      total: usd(550),
    });
    const placed = await checkout(cartId, `free-goods-${cartId}`);
    expect(placed.statusCode, placed.body).toBe(201);
    expect(placed.json().order.total).toEqual(usd(550));
  });
});

describe('carts: requests with more than the route takes', () => {
  it('refuses fields in the body of a new cart or a claim (a customerId or currency is never silently ignored)', async () => {
    const customer = await fx.customer();
    const guestCart = await fx.cart();
    const carts = async () =>
      (
        await (app.orm.em.fork() as EntityManager).execute<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM cart`,
        )
      )[0]!.n;
    const before = await carts();
    const created = await app.inject({
      method: 'POST',
      url: '/api/store/carts',
      payload: { customerId: customer.id, currency: 'EUR' },
    });
    expect(created.statusCode, created.body).toBe(400);
    expect(created.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(created.json()).toMatchObject({ code: 'MCART_ERR_VALIDATION' });
    expect(created.json().errors).toEqual(
      expect.arrayContaining([
        { path: 'body/customerId', message: 'is not allowed' },
        { path: 'body/currency', message: 'is not allowed' },
      ]),
    );
    const claimed = await app.inject({
      method: 'POST',
      url: `/api/store/carts/${guestCart}/claim`,
      headers: { authorization: customer.auth },
      payload: { merge: false },
    });
    expect(claimed.statusCode, claimed.body).toBe(400);
    expect(claimed.json()).toMatchObject({ errors: [{ path: 'body/merge', message: 'is not allowed' }] });
    // Nothing written: no cart created, the guest cart still a guest's.
    const after = await carts();
    expect(after).toBe(before);
    expect((await get(guestCart)).statusCode).toBe(200);
    // No body, or an empty one, as before.
    for (const payload of [undefined, {}]) {
      const ok = await app.inject({
        method: 'POST',
        url: '/api/store/carts',
        ...(payload ? { payload } : {}),
      });
      expect(ok.statusCode, ok.body).toBe(201);
    }
    const claimedOk = await app.inject({
      method: 'POST',
      url: `/api/store/carts/${guestCart}/claim`,
      headers: { authorization: customer.auth },
    });
    expect(claimedOk.statusCode, claimedOk.body).toBe(200);
  });

  it('refuses unknown query parameters on the cart and the shipping methods', async () => {
    const cartId = await fx.cart();
    for (const url of [`/api/store/carts/${cartId}?customerId=x`, '/api/store/shipping-methods?country=GB']) {
      const response = await app.inject(url);
      expect(response.statusCode, url).toBe(400);
      expect(response.json().code, url).toBe('MCART_ERR_VALIDATION');
      expect(response.json().errors[0].path, url).toMatch(/^querystring\/(customerId|country)$/);
    }
    expect((await get(cartId)).statusCode).toBe(200);
    expect((await app.inject('/api/store/shipping-methods')).statusCode).toBe(200);
  });
});
