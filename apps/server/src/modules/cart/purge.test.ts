import type { EntityManager } from '@mikro-orm/postgresql';
import { describe, expect, it } from 'vitest';
import { countingStatements, runScheduledPurge, sql } from '../../../test/support/purge.ts';
import { buildTestApp, staffToken, useTestApp } from '../../../test/app.ts';
import { ADDRESS, orderFixtures } from '../../../test/support/orders.ts';
import { markPaymentFailed } from '../orders/index.ts';
import { commerceFixtures } from './test-helpers.ts';
import { purgeAbandonedCarts } from './purge.ts';

const { app, config } = await useTestApp();
const staff = await staffToken(app);
const fx = commerceFixtures(app, staff);
const orders = orderFixtures(app, config, staff);

const age = (cartId: string, days: number, on = app) =>
  sql(on, `UPDATE cart SET updated_at = now() - make_interval(days => ?) WHERE id = ?`, [days, cartId]);
const cartRow = async (cartId: string) =>
  (await sql<{ status: string }>(app, `SELECT status FROM cart WHERE id = ?`, [cartId]))[0];
const itemCount = async (cartId: string) =>
  Number(
    (await sql<{ n: string }>(app, `SELECT count(*) AS n FROM cart_item WHERE cart_id = ?`, [cartId]))[0]!.n,
  );
const purge = (batchSize?: number) => purgeAbandonedCarts(app.orm.em.fork(), 90, batchSize);

/** A cart with one line, through the store routes. */
async function cartWithLine(variantId: string, auth?: string): Promise<string> {
  const cartId = await fx.cart(auth);
  const added = await fx.add(cartId, variantId, 1, auth);
  if (added.statusCode !== 200) throw new Error(`add: ${added.statusCode} ${added.body}`);
  return cartId;
}

const cartOf = async (orderId: string) =>
  (await sql<{ cart_id: string }>(app, `SELECT cart_id FROM orders WHERE id = ?`, [orderId]))[0]!.cart_id;

/** Runs the purge in a transaction kept open until `release` is called (the cart rows stay locked). */
function purgeHeldOpen() {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let purged!: (n: number) => void;
  const deleted = new Promise<number>((resolve) => (purged = resolve));
  const done = (app.orm.em.fork() as EntityManager).transactional(async (tx) => {
    const inTx = {
      getConnection: () => ({ execute: (query: string, params: unknown[]) => tx.execute(query, params) }),
    } as unknown as EntityManager;
    purged(await purgeAbandonedCarts(inTx, 90));
    await released;
  });
  return { deleted, release, done };
}

describe('abandoned cart purge', () => {
  it('deletes open guest and customer carts and merged carts untouched for the retention, with their lines; keeps recent ones', async () => {
    const product = await fx.product([1500]);
    const variantId = product.variants[0]!.id;
    const guest = await cartWithLine(variantId);
    const shopper = await fx.customer();
    const customerCart = await cartWithLine(variantId, shopper.auth);
    // A guest cart claimed by a customer who already has an open cart is merged (and answered 404 since).
    const merger = await fx.customer();
    const mergerCart = await cartWithLine(variantId, merger.auth);
    const mergedGuest = await cartWithLine(variantId);
    const claim = await app.inject({
      method: 'POST',
      url: `/api/store/carts/${mergedGuest}/claim`,
      headers: { authorization: merger.auth },
    });
    expect(claim.json()).toMatchObject({ id: mergerCart });
    expect(await cartRow(mergedGuest)).toEqual({ status: 'merged' });
    const recent = await cartWithLine(variantId);
    const justInside = await cartWithLine(variantId);

    for (const id of [guest, customerCart, mergedGuest]) await age(id, 91);
    await age(recent, 10);
    await age(justInside, 89);

    expect(await purge()).toBe(3);
    for (const id of [guest, customerCart, mergedGuest]) {
      expect(await cartRow(id)).toBeUndefined();
      expect(await itemCount(id)).toBe(0);
    }
    for (const id of [recent, justInside, mergerCart]) {
      expect(await cartRow(id)).toEqual({ status: 'open' });
      expect(await itemCount(id)).toBe(1);
    }
    // The shop asking for a purged cart gets 404, as for any unknown cart, and starts a new one.
    expect((await app.inject({ method: 'GET', url: `/api/store/carts/${guest}` })).statusCode).toBe(404);
    expect(await purge()).toBe(0);
  });

  it('never deletes a cart that led to an order: paid, awaiting payment, or reopened after its order was cancelled', async () => {
    const product = await orders.product([{}]);
    const items = [{ variantId: product.variants[0]!.id, quantity: 1 }];
    const address = { ...ADDRESS, city: 'Lyon', postalCode: '69001', country: 'FR' };
    const paid = await orders.order(items, { address });
    const unpaid = await orders.order(items, { address, pay: false });
    const failed = await orders.order(items, { address, pay: false });
    // A failed payment cancels the order and reopens its cart for another try: open again, no order_id,
    // but the cancelled order still names it in orders.cart_id.
    await markPaymentFailed(app.orm.em.fork() as EntityManager, failed.id, 'card_declined');
    const carts = {
      paid: await cartOf(paid.id),
      unpaid: await cartOf(unpaid.id),
      failed: await cartOf(failed.id),
    };
    expect(await cartRow(carts.paid)).toEqual({ status: 'completed' });
    expect(await cartRow(carts.unpaid)).toEqual({ status: 'completed' });
    expect(await cartRow(carts.failed)).toEqual({ status: 'open' });

    for (const id of Object.values(carts)) await age(id, 400);
    expect(await purge()).toBe(0);
    for (const id of Object.values(carts)) {
      expect(await cartRow(id)).toBeDefined();
      expect(await itemCount(id)).toBe(1);
    }
  });

  it('deletes in batches, one statement each, until none is left', async () => {
    await purge(); // whatever an earlier test left deletable
    const product = await fx.product([900]);
    const abandoned: string[] = [];
    for (let i = 0; i < 5; i++) abandoned.push(await cartWithLine(product.variants[0]!.id));
    for (const id of abandoned) await age(id, 120);

    const { em, statements } = countingStatements(app);
    expect(await purgeAbandonedCarts(em, 90, 2)).toBe(5);
    // 2 + 2 + 1: one statement per batch, and the short batch ends the loop.
    expect(statements).toHaveLength(3);
    expect(statements.every((s) => /DELETE FROM cart USING batch/.test(s))).toBe(true);
    for (const id of abandoned) expect(await cartRow(id)).toBeUndefined();
  });

  it('skips a cart a shopper or a checkout holds at that moment, without waiting, and takes it next time', async () => {
    const product = await fx.product([700]);
    const held = await cartWithLine(product.variants[0]!.id);
    await age(held, 100);
    const fork = app.orm.em.fork() as EntityManager;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = fork.transactional(async (tx) => {
      await tx.execute(`SELECT id FROM cart WHERE id = ? FOR UPDATE`, [held]);
      locked();
      await released;
    });
    await isLocked;
    try {
      expect(await purge()).toBe(0);
      expect(await cartRow(held)).toEqual({ status: 'open' });
    } finally {
      release();
      await holder;
    }
    expect(await purge()).toBe(1);
    expect(await cartRow(held)).toBeUndefined();
  });

  it('answers 404 to a shopper whose change waited on the purge deleting their cart, and the shop starts a new one', async () => {
    const product = await fx.product([650]);
    const shopper = await fx.customer();
    const cartId = await cartWithLine(product.variants[0]!.id, shopper.auth);
    await age(cartId, 100);
    // The purge deletes the cart in a transaction still open when the shopper adds an item: the change waits
    // on the cart's lock, then finds the cart gone.
    const purging = purgeHeldOpen();
    expect(await purging.deleted).toBe(1);
    const adding = fx.add(cartId, product.variants[0]!.id, 1, shopper.auth);
    await new Promise((resolve) => setTimeout(resolve, 200));
    purging.release();
    await purging.done;
    const added = await adding;
    expect(added.statusCode, added.body).toBe(404);
    expect(added.json()).toMatchObject({ code: 'MCART_ERR_CART_NOT_FOUND' });
    const fresh = await app.inject({
      method: 'POST',
      url: '/api/store/carts',
      headers: { authorization: shopper.auth },
    });
    expect(fresh.statusCode).toBe(201);
    expect(
      (await fx.add(fresh.json<{ id: string }>().id, product.variants[0]!.id, 1, shopper.auth)).statusCode,
    ).toBe(200);
  });

  it('answers 404 to a checkout that waited on the purge deleting its cart: nothing is placed or charged', async () => {
    const product = await fx.product([650]);
    const cartId = await cartWithLine(product.variants[0]!.id);
    await age(cartId, 100);
    const purging = purgeHeldOpen();
    expect(await purging.deleted).toBe(1);
    const checkout = app.inject({
      method: 'POST',
      url: `/api/store/carts/${cartId}/checkout`,
      headers: { 'idempotency-key': `purged-${cartId}` },
      payload: {
        email: 'late@example.test',
        shippingAddress: { ...ADDRESS },
        payment: { provider: 'test', token: 'tok_visa' },
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    purging.release();
    await purging.done;
    const answer = await checkout;
    expect(answer.statusCode, answer.body).toBe(404);
    expect(answer.json()).toMatchObject({ code: 'MCART_ERR_CART_NOT_FOUND' });
    expect(await sql(app, `SELECT id FROM orders WHERE cart_id = ?`, [cartId])).toEqual([]);
  });

  it('has no other table pointing at carts than cart_item (cascading) and orders.cart_id', async () => {
    // A new reference to carts must be weighed against this purge: this test fails until it is.
    const foreignKeys = await sql<{ table: string; on_delete: string }>(
      app,
      `SELECT conrelid::regclass::text AS table, confdeltype AS on_delete FROM pg_constraint
        WHERE contype = 'f' AND confrelid = 'cart'::regclass`,
    );
    expect(foreignKeys).toEqual([{ table: 'cart_item', on_delete: 'c' }]);
    const columns = await sql<{ table_name: string }>(
      app,
      `SELECT table_name FROM information_schema.columns
        WHERE table_schema = 'public' AND column_name IN ('cart_id', 'merged_into') ORDER BY table_name`,
    );
    expect(columns.map((c) => c.table_name)).toEqual(['cart', 'cart_item', 'orders']);
  });
});

describe('cart.purge job', () => {
  it('is scheduled hourly and deletes with CART_RETENTION_DAYS', async () => {
    const jobs = await buildTestApp({ MCART_JOBS: 'on', CART_RETENTION_DAYS: '5' });
    try {
      await jobs.app.ready();
      const create = async () =>
        (await jobs.app.inject({ method: 'POST', url: '/api/store/carts' })).json<{ id: string }>().id;
      const old = await create();
      const kept = await create();
      await age(old, 6, jobs.app);
      await age(kept, 4, jobs.app);
      await runScheduledPurge(jobs.app, 'cart.purge', '53 * * * *');
      const left = await sql<{ id: string }>(jobs.app, `SELECT id FROM cart WHERE id IN (?, ?)`, [old, kept]);
      expect(left).toEqual([{ id: kept }]);
    } finally {
      await jobs.close();
    }
  }, 60_000);
});
