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
const claim = (cartId: string, auth: string) =>
  app.inject({
    method: 'POST',
    url: `/api/store/carts/${cartId}/claim`,
    headers: { authorization: auth },
  });
const quantities = (cart: { items: { variantId: string; quantity: number }[] }) =>
  Object.fromEntries(cart.items.map((item) => [item.variantId, item.quantity]));
const openCartsOf = async (customerId: string) =>
  (
    await (app.orm.em.fork() as EntityManager).execute<{ id: string }[]>(
      `SELECT id FROM cart WHERE customer_id = ? AND status = 'open'`,
      [customerId],
    )
  ).map((row) => row.id);

/**
 * Runs `requests` while another connection holds the rows of `cartIds` locked (another edit of those carts), and
 * lets them all go at once when every request waits on a lock: the requests then race as two tabs do.
 */
async function released<T>(cartIds: string[], requests: () => Promise<T>[]): Promise<T[]> {
  const holder = new pg.Client({ connectionString: databaseUrl });
  const watcher = new pg.Client({ connectionString: databaseUrl });
  await holder.connect();
  await watcher.connect();
  let pending: Promise<T>[] = [];
  try {
    await holder.query('BEGIN');
    await holder.query(`SELECT id FROM cart WHERE id = ANY($1) FOR UPDATE`, [cartIds]);
    pending = requests();
    await expect
      .poll(
        async () =>
          (
            await watcher.query<{ n: number }>(
              `SELECT count(*)::int AS n FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%cart%'`,
            )
          ).rows[0]?.n,
        { timeout: 10_000 },
      )
      .toBe(pending.length);
  } finally {
    await holder.query('COMMIT');
    await holder.end();
    await watcher.end();
  }
  return Promise.all(pending);
}

describe('carts: merging a guest cart at sign-in', () => {
  it('adds up a variant in both carts to at most what is available, never below what either cart held', async () => {
    const product = await fx.product([1000, 2000, 3000], 3);
    const [scarce, dropped, onlyGuest] = product.variants.map((variant) => variant.id) as [
      string,
      string,
      string,
    ];
    const customer = await fx.customer();
    const customerCart = await fx.cart(customer.auth);
    expect((await fx.add(customerCart, scarce, 2, customer.auth)).statusCode).toBe(200);
    expect((await fx.add(customerCart, dropped, 3, customer.auth)).statusCode).toBe(200);
    const guestCart = await fx.cart();
    expect((await fx.add(guestCart, scarce, 2)).statusCode).toBe(200);
    expect((await fx.add(guestCart, dropped, 1)).statusCode).toBe(200);
    expect((await fx.add(guestCart, onlyGuest, 3)).statusCode).toBe(200);
    // Stock of `dropped` falls to 1 after both carts took it: the customer's line already holds more than that.
    await fx.stock(dropped, -2);

    const merged = await claim(guestCart, customer.auth);
    expect(merged.statusCode, merged.body).toBe(200);
    expect(merged.json().id).toBe(customerCart);
    // 2 + 2 of 3 available: 3, as adding would allow (not 4, out of stock at checkout); 3 + 1 of 1 available: the
    // customer's 3 stay (a merge never takes away what a cart held); a line only the guest held comes as it was.
    expect(quantities(merged.json())).toEqual({ [scarce]: 3, [dropped]: 3, [onlyGuest]: 3 });
    expect(merged.json().items.find((item: { variantId: string }) => item.variantId === scarce).inStock).toBe(
      true,
    );
  });

  it('answers the customer cart to a claim retried after the merge, without adding the guest lines twice', async () => {
    const product = await fx.product([1000], 50);
    const variantId = product.variants[0]!.id;
    const customer = await fx.customer();
    const customerCart = await fx.cart(customer.auth);
    await fx.add(customerCart, variantId, 1, customer.auth);
    const guestCart = await fx.cart();
    await fx.add(guestCart, variantId, 2);

    const first = await claim(guestCart, customer.auth);
    expect(first.statusCode, first.body).toBe(200);
    const retried = await claim(guestCart, customer.auth);
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json()).toMatchObject({ id: customerCart, items: [{ variantId, quantity: 3 }] });
    // The retired guest cart itself stays gone, and is nobody else's key to the customer's cart.
    expect((await get(guestCart)).statusCode).toBe(404);
    const other = await fx.customer();
    const stranger = await claim(guestCart, other.auth);
    expect(stranger.statusCode).toBe(404);
    expect(stranger.json()).toMatchObject({ code: 'MCART_ERR_CART_NOT_FOUND' });
  });

  it('answers both tabs signing in at once with the same cart: one guest cart claimed twice', async () => {
    const product = await fx.product([1000], 50);
    const variantId = product.variants[0]!.id;
    const customer = await fx.customer();
    const customerCart = await fx.cart(customer.auth);
    await fx.add(customerCart, variantId, 1, customer.auth);
    const guestCart = await fx.cart();
    await fx.add(guestCart, variantId, 2);

    const answers = await released([guestCart], () => [
      claim(guestCart, customer.auth),
      claim(guestCart, customer.auth),
    ]);
    for (const answer of answers) {
      expect(answer.statusCode, answer.body).toBe(200);
      expect(answer.json()).toMatchObject({ id: customerCart, items: [{ variantId, quantity: 3 }] });
    }
  });

  it('merges two guest carts claimed at once by a customer with no cart into one cart', async () => {
    const product = await fx.product([1000, 2000], 50);
    const [a, b] = product.variants.map((variant) => variant.id) as [string, string];
    const customer = await fx.customer();
    const first = await fx.cart();
    await fx.add(first, a, 1);
    const second = await fx.cart();
    await fx.add(second, b, 2);

    const answers = await released([first, second], () => [
      claim(first, customer.auth),
      claim(second, customer.auth),
    ]);
    for (const answer of answers) expect(answer.statusCode, answer.body).toBe(200);
    const [one, two] = answers.map((answer) => answer.json());
    expect(one.id).toBe(two.id);
    expect(await openCartsOf(customer.id)).toEqual([one.id]);
    expect(quantities((await get(one.id, customer.auth)).json())).toEqual({ [a]: 1, [b]: 2 });
  });
});

describe('carts: refusals name the field', () => {
  it('says on body/quantity how many may be added or set when the stock is short', async () => {
    const product = await fx.product([1000], 5);
    const variantId = product.variants[0]!.id;
    const cartId = await fx.cart();
    const added = await fx.add(cartId, variantId, 2);
    const itemId = added.json().items[0].id;

    const more = await fx.add(cartId, variantId, 4);
    expect(more.statusCode).toBe(409);
    expect(more.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(more.json()).toMatchObject({
      code: 'MCART_ERR_OUT_OF_STOCK',
      variants: [{ variantId, requested: 6, available: 5 }],
      errors: [
        { path: 'body/quantity', message: 'must be at most 3 (5 available, the line already holds 2)' },
      ],
    });
    const set = await app.inject({
      method: 'PATCH',
      url: `/api/store/carts/${cartId}/items/${itemId}`,
      payload: { quantity: 6 },
    });
    expect(set.statusCode).toBe(409);
    expect(set.json()).toMatchObject({
      code: 'MCART_ERR_OUT_OF_STOCK',
      errors: [{ path: 'body/quantity', message: 'must be at most 5 (5 available)' }],
    });
    expect((await get(cartId)).json().items[0].quantity).toBe(2);
  });

  it('names params/itemId for an unknown line and params/id for a cart the caller cannot see, alike for unknown ones', async () => {
    const cartId = await fx.cart();
    const missingItem = '00000000-0000-4000-8000-000000000000';
    for (const method of ['PATCH', 'DELETE'] as const) {
      const answer = await app.inject({
        method,
        url: `/api/store/carts/${cartId}/items/${missingItem}`,
        ...(method === 'PATCH' ? { payload: { quantity: 1 } } : {}),
      });
      expect(answer.statusCode).toBe(404);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(answer.json()).toMatchObject({
        code: 'MCART_ERR_CART_ITEM_NOT_FOUND',
        errors: [{ path: 'params/itemId', message: 'no such item in this cart' }],
      });
    }
    const alice = await fx.customer();
    const aliceCart = await fx.cart(alice.auth);
    const { instance: _a, ...someoneElses } = (await get(aliceCart)).json();
    const { instance: _b, ...unknown } = (await get('A'.repeat(32))).json();
    expect(someoneElses).toEqual(unknown);
    expect(unknown).toMatchObject({
      status: 404,
      code: 'MCART_ERR_CART_NOT_FOUND',
      errors: [{ path: 'params/id', message: 'unknown cart' }],
    });
  });
});
