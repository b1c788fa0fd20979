import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { buildTestApp, staffToken, useTestApp, type TestApp } from '../../../test/app.ts';
import { recordStatements } from '../../../test/support/statements.ts';
import { commerceFixtures } from '../cart/test-helpers.ts';
import { query } from '../inventory/sql.ts';
import { requestHash } from '../../platform/idempotency.ts';
import { markPaid, OrdersService } from './orders.service.ts';

const { app } = await useTestApp();
const staff = await staffToken(app);
const fx = commerceFixtures(app, staff);
const fork = () => app.orm.em.fork() as EntityManager;
// Checkout pays through the payments context; these run once it is installed (modules/payments).
const withPayments = describe.skipIf(!app.hasDecorator('payments'));

const address = {
  name: 'Ada Lovelace',
  line1: '12 Analytical Row',
  city: 'London',
  postalCode: 'N1 9GU',
  country: 'GB',
  phone: '+44 20 7946 0000',
};
const body = (token = 'tok_visa', extra: Record<string, unknown> = {}) => ({
  email: 'ada@example.com',
  shippingAddress: address,
  payment: { provider: 'test', token },
  ...extra,
});
const checkout = (cartId: string, payload: unknown, key?: string, auth?: string) =>
  app.inject({
    method: 'POST',
    url: `/api/store/carts/${cartId}/checkout`,
    payload: payload as Record<string, unknown>,
    headers: { ...(key ? { 'idempotency-key': key } : {}), ...(auth ? { authorization: auth } : {}) },
  });

async function level(variantId: string) {
  const response = await app.inject({
    method: 'GET',
    url: `/api/admin/inventory/levels?variantId=${variantId}`,
    headers: { authorization: staff },
  });
  return response.json<{ data: { onHand: number; reserved: number; available: number }[] }>().data[0]!;
}

async function ledgerMismatches(): Promise<unknown[]> {
  return query(
    fork(),
    `SELECT s.variant_id FROM stock_level s
       FULL JOIN (SELECT variant_id, location_id, sum(on_hand_delta)::int AS on_hand, sum(reserved_delta)::int AS reserved
                    FROM stock_movement GROUP BY variant_id, location_id) m ON m.variant_id = s.variant_id AND m.location_id = s.location_id
      WHERE s.on_hand IS DISTINCT FROM m.on_hand OR s.reserved IS DISTINCT FROM m.reserved`,
  );
}

async function cartWith(lines: [string, number][], auth?: string) {
  const cartId = await fx.cart(auth);
  for (const [variantId, quantity] of lines) {
    const added = await fx.add(cartId, variantId, quantity, auth);
    if (added.statusCode !== 200) throw new Error(added.body);
  }
  return cartId;
}

withPayments('checkout', () => {
  it('places and pays an order once, replays the answer for the same key, refuses another body', async () => {
    const product = await fx.product([2500]);
    const variantId = product.variants[0]!.id;
    const cartId = await cartWith([[variantId, 2]]);
    const first = await checkout(cartId, body(), 'key-happy-1');
    expect(first.statusCode).toBe(201);
    const placed = first.json();
    expect(placed.order).toMatchObject({
      number: expect.stringMatching(/^MC-\d{6}$/),
      status: 'paid',
      total: { amount: 5000, currency: 'USD' },
    });
    expect(await level(variantId)).toMatchObject({ onHand: 98, reserved: 0 });

    const replay = await checkout(cartId, body(), 'key-happy-1');
    expect(replay.statusCode).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(placed);
    const other = await checkout(cartId, body('tok_mastercard'), 'key-happy-1');
    expect(other.statusCode).toBe(422);
    expect(other.json().code).toBe('MCART_ERR_IDEMPOTENCY_MISMATCH');
    // Without the key the cart is simply closed.
    expect((await checkout(cartId, body())).json().code).toBe('MCART_ERR_CART_CLOSED');

    // Personal data is encrypted at rest; staff see it decrypted with lines and the timeline.
    const [raw] = await query<{ shipping_address: string }>(
      fork(),
      `SELECT shipping_address FROM orders WHERE id = ?::uuid`,
      [placed.order.id],
    );
    expect(raw!.shipping_address).not.toContain('Analytical');
    const detail = await app.inject({
      method: 'GET',
      url: `/api/admin/orders/${placed.order.id}`,
      headers: { authorization: staff },
    });
    expect(detail.json()).toMatchObject({
      status: 'paid',
      shippingAddress: address,
      lines: [{ variantId, quantity: 2, unitPrice: { amount: 2500 }, sku: product.variants[0]!.sku }],
      timeline: [
        expect.objectContaining({ toStatus: 'pending_payment' }),
        expect.objectContaining({ toStatus: 'paid' }),
      ],
    });
    expect(
      await markPaid(fork(), placed.order.id, detail.json().payments?.[0]?.id ?? placed.payment.id),
    ).toBe('already');
    const fulfilment = await new OrdersService(fork(), app.cipher).getOrderForFulfilment(placed.order.id);
    expect(fulfilment).toMatchObject({
      number: placed.order.number,
      shippingAddress: address,
      lines: [{ variantId, quantity: 2, unitPrice: 2500 }],
    });
  });

  it('answers 402 on a declined card, releases the stock and reopens the cart for another try', async () => {
    const product = await fx.product([1000], 3);
    const variantId = product.variants[0]!.id;
    const cartId = await cartWith([[variantId, 3]]);
    const declined = await checkout(cartId, body('tok_chargeDeclined'), 'key-declined');
    expect(declined.statusCode).toBe(402);
    expect(declined.json().code).toBe('MCART_ERR_PAYMENT_DECLINED');
    expect(await level(variantId)).toMatchObject({ onHand: 3, reserved: 0 });
    const retried = await checkout(cartId, body('tok_visa'), 'key-declined-2');
    expect(retried.statusCode).toBe(201);
    expect(await level(variantId)).toMatchObject({ onHand: 0, reserved: 0 });
    expect(await ledgerMismatches()).toEqual([]);
  });

  it('tells the shopper about a changed price instead of charging it', async () => {
    const product = await fx.product([1000]);
    const variantId = product.variants[0]!.id;
    const cartId = await cartWith([[variantId, 1]]);
    await fx.setPrice(product.id, variantId, 1300);
    const changed = await checkout(cartId, body(), 'key-price');
    expect(changed.statusCode).toBe(409);
    expect(changed.json()).toMatchObject({
      code: 'MCART_ERR_PRICE_CHANGED',
      changes: [{ variantId, previous: { amount: 1000 }, current: { amount: 1300 } }],
    });
    // Nothing was stored for the key: the same key works once the shopper has seen the price.
    const paid = await checkout(cartId, body(), 'key-price');
    expect(paid.statusCode).toBe(201);
    expect(paid.json().order.total.amount).toBe(1300 + 500);
  });

  it('refuses a replay while the first request is still running', async () => {
    const product = await fx.product([1000]);
    const cartId = await cartWith([[product.variants[0]!.id, 1]]);
    const payload = body();
    await query(
      fork(),
      `INSERT INTO idempotency_key (scope, key, request_hash, status, locked_at) VALUES (?, 'busy', ?, 'in_progress', now())`,
      [`cart:${cartId}`, requestHash('POST', `/api/store/carts/${cartId}/checkout`, payload)],
    );
    const busy = await checkout(cartId, payload, 'busy');
    expect(busy.statusCode).toBe(409);
    expect(busy.json().code).toBe('MCART_ERR_IDEMPOTENCY_IN_PROGRESS');
  });

  it('validates the body and writes nothing', async () => {
    const product = await fx.product([1000]);
    const cartId = await cartWith([[product.variants[0]!.id, 1]]);
    const bad = await checkout(
      cartId,
      { ...body(), shippingAddress: { ...address, country: 'Britain' } },
      'key-bad',
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toContain('country');
    const empty = await checkout(await fx.cart(), body(), 'key-empty');
    expect(empty.json().code).toBe('MCART_ERR_CART_EMPTY');
    expect(await level(product.variants[0]!.id)).toMatchObject({ onHand: 100, reserved: 0 });
  });

  it('keeps the country as an upper-case ISO code whatever case the shopper typed', async () => {
    const product = await fx.product([1000]);
    const cartId = await cartWith([[product.variants[0]!.id, 1]]);
    const placed = await checkout(
      cartId,
      body('tok_visa', { shippingAddress: { ...address, country: 'gb' } }),
      'key-lower-country',
    );
    expect(placed.statusCode, placed.body).toBe(201);
    const order = await app.inject({
      method: 'GET',
      url: `/api/admin/orders/${placed.json().order.id}`,
      headers: { authorization: staff },
    });
    expect(order.json().shippingAddress).toEqual({ ...address, country: 'GB' });
  });

  it('takes a company and a region; a US or Canadian region, when given, is its 2-letter state or province code', async () => {
    const customer = await fx.customer();
    const product = await fx.product([1000], 10);
    const variantId = product.variants[0]!.id;
    const us = {
      name: 'Homer Simpson',
      company: '  Springfield Nuclear Plant ',
      line1: '742 Evergreen Terrace',
      city: 'Springfield',
      postalCode: '62701',
      country: 'us',
    };
    const cartId = await cartWith([[variantId, 1]], customer.auth);
    // Written out or unknown: refused on the field, nothing placed, the cart stays open. (No region at all is
    // taken: the contract's address has none; see the test after this one.)
    const refusals: [string | undefined, RegExp][] = [
      ['Illinois', /^must be a 2-letter US state code \(e\.g\. IL\)$/],
      ['ZZ', /^must be a 2-letter US state code/],
    ];
    for (const [region, message] of refusals) {
      const refused = await checkout(
        cartId,
        body('tok_visa', { shippingAddress: { ...us, ...(region === undefined ? {} : { region }) } }),
        undefined,
        customer.auth,
      );
      expect(refused.statusCode, refused.body).toBe(400);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.json()).toMatchObject({
        code: 'MCART_ERR_VALIDATION',
        errors: [{ path: 'body/shippingAddress/region', message: expect.stringMatching(message) }],
      });
    }
    expect(await level(variantId)).toMatchObject({ onHand: 10, reserved: 0 });
    const tooLong = await checkout(
      cartId,
      body('tok_visa', { shippingAddress: { ...us, region: 'x'.repeat(101) } }),
    );
    expect(tooLong.json()).toMatchObject({ errors: [{ path: 'body/shippingAddress/region' }] });

    // Any case, stored upper case; company trimmed. The customer and staff see the same snapshot.
    const placed = await checkout(
      cartId,
      body('tok_visa', { shippingAddress: { ...us, region: ' il ' } }),
      'key-us-region',
      customer.auth,
    );
    expect(placed.statusCode, placed.body).toBe(201);
    const orderId = placed.json().order.id;
    const stored = { ...us, company: 'Springfield Nuclear Plant', region: 'IL', country: 'US' };
    const mine = await app.inject({
      method: 'GET',
      url: `/api/store/orders/${orderId}`,
      headers: { authorization: customer.auth },
    });
    expect(mine.json().shippingAddress).toEqual(stored);
    const staffView = await app.inject({
      method: 'GET',
      url: `/api/admin/orders/${orderId}`,
      headers: { authorization: staff },
    });
    expect(staffView.json().shippingAddress).toEqual(stored);
    const fulfilment = await new OrdersService(fork(), app.cipher).getOrderForFulfilment(orderId);
    expect(fulfilment.shippingAddress).toEqual(stored);
    // Sealed with the rest of the address (no column of its own).
    const [raw] = await query<{ shipping_address: string }>(
      fork(),
      `SELECT shipping_address FROM orders WHERE id = ?::uuid`,
      [orderId],
    );
    expect(raw!.shipping_address).not.toContain('Nuclear');

    // Canada alike; elsewhere the region is optional free text and blank fields are left out.
    const ca = await checkout(
      await cartWith([[variantId, 1]]),
      body('tok_visa', {
        shippingAddress: { ...address, city: 'Toronto', postalCode: 'M5V 2T6', country: 'CA', region: 'on' },
      }),
      'key-ca-region',
    );
    expect(ca.statusCode, ca.body).toBe(201);
    const caOrder = await app.inject({
      method: 'GET',
      url: `/api/admin/orders/${ca.json().order.id}`,
      headers: { authorization: staff },
    });
    expect(caOrder.json().shippingAddress).toMatchObject({ country: 'CA', region: 'ON' });
    expect(
      (
        await checkout(
          await cartWith([[variantId, 1]]),
          body('tok_visa', { shippingAddress: { ...address, country: 'CA', region: 'Ontario' } }),
        )
      ).json(),
    ).toMatchObject({
      errors: [{ path: 'body/shippingAddress/region', message: expect.stringContaining('province') }],
    });
    const gb = await checkout(
      await cartWith([[variantId, 1]]),
      body('tok_visa', { shippingAddress: { ...address, company: '  ', region: '  Greater London ' } }),
      'key-gb-region',
    );
    expect(gb.statusCode, gb.body).toBe(201);
    const gbOrder = await app.inject({
      method: 'GET',
      url: `/api/admin/orders/${gb.json().order.id}`,
      headers: { authorization: staff },
    });
    expect(gbOrder.json().shippingAddress).toEqual({ ...address, region: 'Greater London' });
  });

  it('places a US order without a region: the contract address has none, and shops written to it go on working', async () => {
    const product = await fx.product([1000]);
    const shippingAddress = { ...address, country: 'US', postalCode: '10001' };
    const placed = await checkout(
      await cartWith([[product.variants[0]!.id, 1]]),
      body('tok_visa', { shippingAddress }),
      'key-us-no-region',
    );
    expect(placed.statusCode, placed.body).toBe(201);
    const detail = await app.inject({
      method: 'GET',
      url: `/api/admin/orders/${placed.json().order.id}`,
      headers: { authorization: staff },
    });
    expect(detail.json().shippingAddress).toEqual(shippingAddress);
    // The published contract says so too: a shop developer reading it is not told a US region is required.
    const document = (await app.inject('/api/openapi.json')).json<{
      paths: Record<string, { post: { requestBody: { content: Record<string, { schema: unknown }> } } }>;
    }>();
    const schema = document.paths['/api/store/carts/{id}/checkout']!.post.requestBody.content[
      'application/json'
    ]!.schema as {
      properties: {
        shippingAddress: { required: string[]; properties: { region: { description: string } } };
      };
    };
    const contract = schema.properties.shippingAddress;
    expect(contract.required).not.toContain('region');
    expect(contract.properties.region.description).not.toMatch(/required/i);
    expect(contract.properties.region.description).toContain('body/shippingAddress/region');
  });

  it('refuses a shipping address whose name, street, city or postal code is only spaces, and places nothing', async () => {
    const product = await fx.product([1000]);
    const cartId = await cartWith([[product.variants[0]!.id, 1]]);
    for (const field of ['name', 'line1', 'city', 'postalCode']) {
      const refused = await checkout(
        cartId,
        body('tok_visa', { shippingAddress: { ...address, [field]: '   ' } }),
        `key-blank-${field}`,
      );
      expect(refused.statusCode, refused.body).toBe(400);
      expect(refused.json().errors).toEqual([
        { path: `body/shippingAddress/${field}`, message: 'must not be blank' },
      ]);
    }
    expect(await ordersOfCart(cartId)).toBe(0);
    expect((await checkout(cartId, body(), 'key-blank-then-whole')).statusCode).toBe(201);
  });

  it('still shows orders placed before addresses had a company or region', async () => {
    const product = await fx.product([1000]);
    const cartId = await cartWith([[product.variants[0]!.id, 1]]);
    const placed = await checkout(
      cartId,
      body('tok_visa', { shippingAddress: { ...address, country: 'US', region: 'NY', postalCode: '10001' } }),
      'key-legacy-address',
    );
    expect(placed.statusCode, placed.body).toBe(201);
    const orderId = placed.json().order.id;
    // The snapshot as orders were sealed before: a US address without its state.
    const legacy = { ...address, country: 'US', postalCode: '10001' };
    await query(fork(), `UPDATE orders SET shipping_address = ? WHERE id = ?::uuid`, [
      app.cipher.encryptJson(legacy),
      orderId,
    ]);
    const detail = await app.inject({
      method: 'GET',
      url: `/api/admin/orders/${orderId}`,
      headers: { authorization: staff },
    });
    expect(detail.statusCode).toBe(200);
    expect(detail.json().shippingAddress).toEqual(legacy);
  });

  it("lets a customer's orders and answers be kept by nobody (no-store), and cancel without a body", async () => {
    const customer = await fx.customer();
    const product = await fx.product([1500]);
    const cartId = await cartWith([[product.variants[0]!.id, 1]], customer.auth);
    const placed = await checkout(cartId, body(), 'key-private', customer.auth);
    expect(placed.statusCode, placed.body).toBe(201);
    const replayed = await checkout(cartId, body(), 'key-private', customer.auth);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    const orderId = placed.json().order.id;
    const auth = { authorization: customer.auth };
    const list = await app.inject({ method: 'GET', url: '/api/store/orders', headers: auth });
    const detail = await app.inject({ method: 'GET', url: `/api/store/orders/${orderId}`, headers: auth });
    const anonymous = await app.inject({ method: 'GET', url: `/api/store/orders/${orderId}` });
    // A cancel button posts nothing: no body, no content type.
    const cancelled = await app.inject({
      method: 'POST',
      url: `/api/store/orders/${orderId}/cancel`,
      headers: auth,
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toMatchObject({
      id: orderId,
      status: 'cancelled',
      cancelReason: 'cancelled by the customer',
    });
    const answers = [placed, replayed, list, detail, anonymous, cancelled];
    expect(answers.map((answer) => answer.statusCode)).toEqual([201, 201, 200, 200, 401, 200]);
    for (const answer of answers) expect(answer.headers['cache-control']).toBe('no-store');
  });

  it("keeps a customer's order placed from a guest cart theirs: anyone else with the cart id gets 404, never its payment", async () => {
    const alice = await fx.customer();
    const bob = await fx.customer();
    const product = await fx.product([2500], 5);
    const variantId = product.variants[0]!.id;
    const key = () => randomBytes(8).toString('hex');
    // A guest cart (filled before signing in), checked out signed in, without a claim; 3-D Secure leaves it pending.
    const cartId = await cartWith([[variantId, 1]]);
    const placed = await checkout(cartId, body('tok_threeDSecure'), key(), alice.auth);
    expect(placed.statusCode, placed.body).toBe(201);
    expect(placed.json()).toMatchObject({
      order: { status: 'pending_payment' },
      payment: { clientSecret: expect.any(String) },
    });
    const order = placed.json<{ order: { id: string; number: string } }>().order;
    const cartOwner = async () =>
      (
        await query<{ customer_id: string | null }>(fork(), `SELECT customer_id FROM cart WHERE id = ?`, [
          cartId,
        ])
      )[0]!.customer_id;
    // The cart is Alice's from checkout on, as her order is.
    expect(await cartOwner()).toBe(alice.id);

    const attempts = async () => {
      const refused = [
        await checkout(cartId, body('tok_chargeDeclined'), key(), bob.auth),
        await checkout(cartId, body('tok_visa'), key()),
        // A payment refused before the gateway would cancel the order: nobody else gets that far.
        await checkout(cartId, { ...body(), payment: { provider: 'no-such-provider', token: 'x' } }, key()),
      ];
      for (const answer of refused) {
        expect(answer.statusCode, answer.body).toBe(404);
        expect(answer.json().code).toBe('MCART_ERR_CART_NOT_FOUND');
        expect(answer.body).not.toContain(order.id);
        expect(answer.body).not.toContain(order.number);
      }
      // Alice's order is untouched: still pending, its stock still reserved.
      const [row] = await query<{ status: string }>(fork(), `SELECT status FROM orders WHERE id = ?::uuid`, [
        order.id,
      ]);
      expect(row!.status).toBe('pending_payment');
      expect(await level(variantId)).toMatchObject({ onHand: 5, reserved: 1 });
    };
    await attempts();
    // A cart checked out before carts became their buyer's (customer_id left NULL): the order still refuses others.
    await query(fork(), `UPDATE cart SET customer_id = NULL WHERE id = ?`, [cartId]);
    await attempts();

    // Alice herself resumes her checkout: the same pending order and its 3-D Secure handle.
    const resumed = await checkout(cartId, body('tok_threeDSecure'), key(), alice.auth);
    expect(resumed.statusCode, resumed.body).toBe(201);
    expect(resumed.json()).toMatchObject({
      order: { id: order.id, status: 'pending_payment' },
      payment: { clientSecret: expect.any(String) },
    });
  });

  it('lets a guest resume their own pending guest checkout with another key (the cart id is their key)', async () => {
    const product = await fx.product([1200], 5);
    const cartId = await cartWith([[product.variants[0]!.id, 1]]);
    const placed = await checkout(cartId, body('tok_threeDSecure'), 'key-guest-pending-1');
    expect(placed.statusCode, placed.body).toBe(201);
    const resumed = await checkout(cartId, body('tok_threeDSecure'), 'key-guest-pending-2');
    expect(resumed.statusCode, resumed.body).toBe(201);
    expect(resumed.json()).toMatchObject({
      order: { id: placed.json().order.id, status: 'pending_payment' },
      payment: { clientSecret: expect.any(String) },
    });
    const [cart] = await query<{ customer_id: string | null }>(
      fork(),
      `SELECT customer_id FROM cart WHERE id = ?`,
      [cartId],
    );
    expect(cart!.customer_id).toBeNull();
  });
});

interface ShippingMethodDto {
  id: string;
  code: string;
  isDefault: boolean;
  amount: { amount: number; currency: string };
  freeOverAmount: { amount: number; currency: string } | null;
}

const shippingAdmin = (method: 'GET' | 'POST' | 'PATCH', path = '', payload?: Record<string, unknown>) =>
  app.inject({
    method,
    url: `/api/admin/shipping-methods${path}`,
    headers: { authorization: staff },
    ...(payload ? { payload } : {}),
  });

async function changeShippingMethod(
  id: string,
  payload: Record<string, unknown>,
): Promise<ShippingMethodDto> {
  const response = await shippingAdmin('PATCH', `/${id}`, payload);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<ShippingMethodDto>();
}

/** The default method ("standard": 5.00, free over 50.00), changed by `change` while `work` runs, then restored. */
async function withDefaultShipping(
  change: (method: ShippingMethodDto) => Record<string, unknown>,
  work: (method: ShippingMethodDto) => Promise<void>,
): Promise<void> {
  const listed = await shippingAdmin('GET');
  const method = listed.json<{ data: ShippingMethodDto[] }>().data.find((m) => m.isDefault)!;
  expect(method).toMatchObject({ amount: { amount: 500 }, freeOverAmount: { amount: 5000 } });
  await changeShippingMethod(method.id, change(method));
  try {
    await work(method);
  } finally {
    await changeShippingMethod(method.id, { amount: method.amount, freeOverAmount: method.freeOverAmount });
  }
}

const showCart = (cartId: string) => app.inject({ method: 'GET', url: `/api/store/carts/${cartId}` });

const ordersOfCart = async (cartId: string) =>
  Number(
    (await query<{ n: string }>(fork(), `SELECT count(*) AS n FROM orders WHERE cart_id = ?`, [cartId]))[0]!
      .n,
  );

withPayments('checkout: the shipping the cart showed', () => {
  it('keeps the shown shipping on a cart answer only when it moved: a repeated GET writes nothing', async () => {
    const product = await fx.product([2000]);
    const cartId = await cartWith([[product.variants[0]!.id, 1]]);
    const [stored] = await query<{ shown_shipping_method_id: string; shown_shipping_amount: number }>(
      fork(),
      `SELECT shown_shipping_method_id, shown_shipping_amount FROM cart WHERE id = ?`,
      [cartId],
    );
    expect(stored!.shown_shipping_amount).toBe(500);
    const { result, statements } = await recordStatements(() => showCart(cartId));
    expect(result.statusCode).toBe(200);
    expect(result.json().shippingMethod.id).toBe(stored!.shown_shipping_method_id);
    expect(statements.filter((sql) => /^UPDATE cart\b/i.test(sql))).toEqual([]);
  });

  it('refuses a shipping rate raised after the cart was shown (nothing charged), and the retry charges it', async () => {
    const product = await fx.product([2000]);
    const variantId = product.variants[0]!.id;
    const cartId = await cartWith([[variantId, 1]]);
    expect((await showCart(cartId)).json().totals.total.amount).toBe(2500);
    await withDefaultShipping(
      (method) => ({ amount: { amount: method.amount.amount + 4500, currency: 'USD' } }),
      async () => {
        const refused = await checkout(cartId, body(), 'key-ship-raised');
        expect(refused.statusCode, refused.body).toBe(409);
        expect(refused.json()).toMatchObject({
          code: 'MCART_ERR_PRICE_CHANGED',
          changes: [],
          shippingChange: { from: { amount: 500, currency: 'USD' }, to: { amount: 5000, currency: 'USD' } },
          totals: { shipping: { amount: 5000 }, total: { amount: 7000 } },
        });
        // Nothing charged or written: no order, no reserved stock, the cart still open (and showing the new rate).
        expect(await ordersOfCart(cartId)).toBe(0);
        expect(await level(variantId)).toMatchObject({ onHand: 100, reserved: 0 });
        // The same key works once the shopper has been told: the retry charges what the 409 told.
        const paid = await checkout(cartId, body(), 'key-ship-raised');
        expect(paid.statusCode, paid.body).toBe(201);
        expect(paid.json().order.total).toEqual({ amount: 7000, currency: 'USD' });
        expect(await ordersOfCart(cartId)).toBe(1);
      },
    );
  });

  it('refuses when a raised free-shipping threshold makes shipping apply to a cart shown with free shipping', async () => {
    const product = await fx.product([6000]);
    const cartId = await cartWith([[product.variants[0]!.id, 1]]);
    expect((await showCart(cartId)).json().totals).toMatchObject({
      shipping: { amount: 0 },
      total: { amount: 6000 },
    });
    await withDefaultShipping(
      () => ({ freeOverAmount: { amount: 10_000, currency: 'USD' } }),
      async () => {
        const refused = await checkout(cartId, body(), 'key-ship-threshold');
        expect(refused.statusCode, refused.body).toBe(409);
        expect(refused.json()).toMatchObject({
          code: 'MCART_ERR_PRICE_CHANGED',
          shippingChange: { from: { amount: 0 }, to: { amount: 500 } },
          totals: { total: { amount: 6500 } },
        });
        expect(await ordersOfCart(cartId)).toBe(0);
        expect((await showCart(cartId)).json()).toMatchObject({
          status: 'open',
          totals: { shipping: { amount: 500 } },
        });
        const paid = await checkout(cartId, body(), 'key-ship-threshold-2');
        expect(paid.statusCode, paid.body).toBe(201);
        expect(paid.json().order.total.amount).toBe(6500);
      },
    );
  });

  it('does not refuse a cart that was never shown (written by SQL)', async () => {
    const product = await fx.product([2000]);
    const [cartId] = await bulkCarts([[{ variantId: product.variants[0]!.id, price: 2000 }]]);
    await withDefaultShipping(
      (method) => ({ amount: { amount: method.amount.amount + 100, currency: 'USD' } }),
      async () => {
        const paid = await checkout(cartId!, body(), 'key-ship-unshown');
        expect(paid.statusCode, paid.body).toBe(201);
        expect(paid.json().order.total.amount).toBe(2000 + 600);
      },
    );
  });

  it('refuses shipping by another method than the shown default (default replaced, then withdrawn), and the retry charges it', async () => {
    const product = await fx.product([2000]);
    const cartId = await cartWith([[product.variants[0]!.id, 1]]);
    const standard = (await showCart(cartId)).json().shippingMethod as ShippingMethodDto;
    expect(standard).toMatchObject({ isDefault: true, amount: { amount: 500 } });
    const created = await shippingAdmin('POST', '', {
      code: `express-${randomBytes(4).toString('hex')}`,
      name: 'Express',
      kind: 'flat',
      amount: { amount: 500, currency: 'USD' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const express = created.json<ShippingMethodDto>();
    try {
      // Same amount, another method: the shopper is told all the same.
      await changeShippingMethod(express.id, { isDefault: true });
      const replaced = await checkout(cartId, body(), 'key-default-replaced');
      expect(replaced.statusCode, replaced.body).toBe(409);
      expect(replaced.json()).toMatchObject({
        code: 'MCART_ERR_PRICE_CHANGED',
        shippingChange: {
          from: { amount: 500 },
          to: { amount: 500 },
          fromMethodId: standard.id,
          toMethodId: express.id,
        },
      });
      expect(await ordersOfCart(cartId)).toBe(0);
      // The cart now shows Express; withdrawing it brings standard back: told again.
      await changeShippingMethod(standard.id, { isDefault: true });
      await changeShippingMethod(express.id, { active: false });
      const withdrawn = await checkout(cartId, body(), 'key-default-withdrawn');
      expect(withdrawn.statusCode, withdrawn.body).toBe(409);
      expect(withdrawn.json()).toMatchObject({
        shippingChange: {
          from: { amount: 500 },
          to: { amount: 500 },
          fromMethodId: express.id,
          toMethodId: standard.id,
        },
      });
      const paid = await checkout(cartId, body(), 'key-default-withdrawn');
      expect(paid.statusCode, paid.body).toBe(201);
      expect(paid.json().order.total.amount).toBe(2500);
    } finally {
      await changeShippingMethod(standard.id, { isDefault: true });
      await changeShippingMethod(express.id, { active: false, isDefault: false });
    }
  });

  it('charges a method chosen in the body from the listed rates; the shown method named in the body is compared', async () => {
    const product = await fx.product([2000]);
    const courierCreated = await shippingAdmin('POST', '', {
      code: `courier-${randomBytes(4).toString('hex')}`,
      name: 'Courier',
      kind: 'flat',
      amount: { amount: 1500, currency: 'USD' },
    });
    expect(courierCreated.statusCode, courierCreated.body).toBe(201);
    const courier = courierCreated.json<ShippingMethodDto>();
    try {
      const cartId = await cartWith([[product.variants[0]!.id, 1]]);
      expect((await showCart(cartId)).json().shippingMethod.isDefault).toBe(true);
      await changeShippingMethod(courier.id, { amount: { amount: 1800, currency: 'USD' } });
      await withDefaultShipping(
        (method) => ({ amount: { amount: method.amount.amount + 4500, currency: 'USD' } }),
        async (standard) => {
          // Naming the shown method does not escape the comparison.
          const named = await checkout(
            cartId,
            body('tok_visa', { shippingMethodId: standard.id }),
            'key-named',
          );
          expect(named.statusCode, named.body).toBe(409);
          expect(named.json()).toMatchObject({
            code: 'MCART_ERR_PRICE_CHANGED',
            shippingChange: { from: { amount: 500 }, to: { amount: 5000 } },
          });
          // Another method picked from the listed rates is charged at its rate.
          const chosen = await checkout(
            cartId,
            body('tok_visa', { shippingMethodId: courier.id }),
            'key-chosen',
          );
          expect(chosen.statusCode, chosen.body).toBe(201);
          expect(chosen.json().order.total.amount).toBe(2000 + 1800);
        },
      );
    } finally {
      await changeShippingMethod(courier.id, { active: false });
    }
  });

  it('takes a shipping method id in upper case (the uuid format takes either case) as the same method', async () => {
    const product = await fx.product([2000]);
    const express = (await shippingAdmin('GET'))
      .json<{ data: ShippingMethodDto[] }>()
      .data.find((method) => method.code === 'express');
    expect(express).toBeDefined();
    const cartId = await cartWith([[product.variants[0]!.id, 1]]);
    const placed = await checkout(
      cartId,
      body('tok_visa', { shippingMethodId: express!.id.toUpperCase() }),
      'key-upper-method',
    );
    expect(placed.statusCode, placed.body).toBe(201);
    expect(placed.json().order.total.amount).toBe(2000 + express!.amount.amount);
  });
});

interface DiscountCodeDto {
  id: string;
  code: string;
  version: number;
  usageCount: number;
}

const discountAdmin = (method: 'GET' | 'POST' | 'PATCH', path = '', payload?: Record<string, unknown>) =>
  app.inject({
    method,
    url: `/api/admin/discount-codes${path}`,
    headers: { authorization: staff },
    ...(payload ? { payload } : {}),
  });

async function createDiscountCode(payload: Record<string, unknown>): Promise<DiscountCodeDto> {
  const response = await discountAdmin('POST', '', {
    code: `SHOWN${randomBytes(4).toString('hex').toUpperCase()}`,
    ...payload,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<DiscountCodeDto>();
}

/** Staff edit the code between the shopper's last look at the cart and their checkout. */
async function editDiscountCode(
  code: DiscountCodeDto,
  payload: Record<string, unknown>,
): Promise<DiscountCodeDto> {
  const current = (await discountAdmin('GET', `/${code.id}`)).json<DiscountCodeDto>();
  const response = await discountAdmin('PATCH', `/${code.id}`, { version: current.version, ...payload });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<DiscountCodeDto>();
}

async function applyDiscountCode(cartId: string, code: DiscountCodeDto) {
  const applied = await app.inject({
    method: 'POST',
    url: `/api/store/carts/${cartId}/discount`,
    payload: { code: code.code },
  });
  expect(applied.statusCode, applied.body).toBe(200);
  return applied.json<{ totals: Record<string, { amount: number }> }>();
}

const shownDiscount = async (cartId: string) =>
  (
    await query<{ shown_discount_amount: number | null }>(
      fork(),
      `SELECT shown_discount_amount FROM cart WHERE id = ?`,
      [cartId],
    )
  )[0]!.shown_discount_amount;

const usageCount = async (code: DiscountCodeDto) =>
  (await discountAdmin('GET', `/${code.id}`)).json<DiscountCodeDto>().usageCount;

// No tax in this store; the default shipping is 5.00 (free over 50.00: never reached by these 20.00 carts).
withPayments('checkout: the discount the cart showed', () => {
  it('keeps the shown discount with the shown shipping, only when it moved: a repeated GET writes nothing', async () => {
    const product = await fx.product([2000]);
    const cartId = await cartWith([[product.variants[0]!.id, 1]]);
    expect(await shownDiscount(cartId)).toBe(0);
    const code = await createDiscountCode({ discountType: 'percent', discountValue: 25 });
    expect((await applyDiscountCode(cartId, code)).totals.discount!.amount).toBe(500);
    expect(await shownDiscount(cartId)).toBe(500);
    const { result, statements } = await recordStatements(() => showCart(cartId));
    expect(result.statusCode).toBe(200);
    expect(result.json().totals.discount.amount).toBe(500);
    expect(statements.filter((sql) => /^UPDATE cart\b/i.test(sql))).toEqual([]);
    // The code edited: the next answer shows (and keeps) the new discount, with the shipping in one statement.
    await editDiscountCode(code, { discountValue: 10 });
    const moved = await recordStatements(() => showCart(cartId));
    expect(moved.result.json().totals.discount.amount).toBe(200);
    expect(moved.statements.filter((sql) => /^UPDATE cart\b/i.test(sql))).toEqual([
      expect.stringMatching(/shown_shipping_amount = .*shown_discount_amount = /),
    ]);
    expect(await shownDiscount(cartId)).toBe(200);
  });

  it('refuses a discount lowered after the cart was shown (nothing charged or written), and the retry charges it', async () => {
    const product = await fx.product([2000]);
    const variantId = product.variants[0]!.id;
    const cartId = await cartWith([[variantId, 1]]);
    const code = await createDiscountCode({ discountType: 'percent', discountValue: 50 });
    expect((await applyDiscountCode(cartId, code)).totals.total!.amount).toBe(1000 + 500);
    await editDiscountCode(code, { discountValue: 5 });
    const refused = await checkout(cartId, body(), 'key-discount-lowered');
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'MCART_ERR_PRICE_CHANGED',
      changes: [],
      discountChange: { from: { amount: 1000, currency: 'USD' }, to: { amount: 100, currency: 'USD' } },
      totals: { discount: { amount: 100 }, shipping: { amount: 500 }, total: { amount: 2400 } },
    });
    expect(refused.json()).not.toHaveProperty('shippingChange');
    // Nothing charged or written: no order, no reserved stock, the code not redeemed, the cart still open.
    expect(await ordersOfCart(cartId)).toBe(0);
    expect(await level(variantId)).toMatchObject({ onHand: 100, reserved: 0 });
    expect(await usageCount(code)).toBe(0);
    // The cart now shows the new discount: the same key, once the shopper was told, charges what the 409 said.
    expect(await shownDiscount(cartId)).toBe(100);
    expect((await showCart(cartId)).json()).toMatchObject({
      status: 'open',
      totals: { discount: { amount: 100 }, total: { amount: 2400 } },
    });
    const paid = await checkout(cartId, body(), 'key-discount-lowered');
    expect(paid.statusCode, paid.body).toBe(201);
    expect(paid.json().order.total).toEqual({ amount: 2400, currency: 'USD' });
    expect(await ordersOfCart(cartId)).toBe(1);
    expect(await usageCount(code)).toBe(1);
  });

  it('refuses a code turned from a percentage into a smaller fixed amount', async () => {
    const product = await fx.product([2000]);
    const cartId = await cartWith([[product.variants[0]!.id, 1]]);
    const code = await createDiscountCode({ discountType: 'percent', discountValue: 20 });
    await applyDiscountCode(cartId, code);
    await editDiscountCode(code, { discountType: 'fixed', discountValue: 300 });
    const refused = await checkout(cartId, body(), 'key-discount-type');
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'MCART_ERR_PRICE_CHANGED',
      discountChange: { from: { amount: 400 }, to: { amount: 300 } },
      totals: { total: { amount: 2200 } },
    });
    const paid = await checkout(cartId, body(), 'key-discount-type-2');
    expect(paid.statusCode, paid.body).toBe(201);
    expect(paid.json().order.total.amount).toBe(2200);
  });

  it('charges a discount raised after the cart was shown without a 409 (the shopper pays less than shown)', async () => {
    const product = await fx.product([2000]);
    const cartId = await cartWith([[product.variants[0]!.id, 1]]);
    const code = await createDiscountCode({ discountType: 'fixed', discountValue: 200 });
    expect((await applyDiscountCode(cartId, code)).totals.total!.amount).toBe(1800 + 500);
    await editDiscountCode(code, { discountType: 'percent', discountValue: 50 });
    const paid = await checkout(cartId, body(), 'key-discount-raised');
    expect(paid.statusCode, paid.body).toBe(201);
    expect(paid.json().order.total).toEqual({ amount: 1000 + 500, currency: 'USD' });
    const order = await app.inject({
      method: 'GET',
      url: `/api/admin/orders/${paid.json().order.id}`,
      headers: { authorization: staff },
    });
    expect(order.json()).toMatchObject({ totals: { discount: { amount: 1000 }, total: { amount: 1500 } } });
  });

  it('still answers DISCOUNT_NOT_APPLICABLE (not a discountChange) for a code that no longer applies', async () => {
    const product = await fx.product([2000]);
    const cartId = await cartWith([[product.variants[0]!.id, 1]]);
    const code = await createDiscountCode({ discountType: 'fixed', discountValue: 500 });
    await applyDiscountCode(cartId, code);
    await editDiscountCode(code, { active: false });
    const refused = await checkout(cartId, body(), 'key-discount-disabled');
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().code).toBe('MCART_ERR_DISCOUNT_NOT_APPLICABLE');
    expect(refused.json()).not.toHaveProperty('discountChange');
    expect(await ordersOfCart(cartId)).toBe(0);
  });

  it('does not check the discount of a cart that was never shown (written by SQL)', async () => {
    const product = await fx.product([2000]);
    const code = await createDiscountCode({ discountType: 'percent', discountValue: 50 });
    const [cartId] = await bulkCarts([[{ variantId: product.variants[0]!.id, price: 2000 }]]);
    await query(fork(), `UPDATE cart SET discount_code = ? WHERE id = ?`, [code.code, cartId]);
    expect(await shownDiscount(cartId!)).toBeNull();
    await editDiscountCode(code, { discountValue: 5 });
    const paid = await checkout(cartId!, body(), 'key-discount-unshown');
    expect(paid.statusCode, paid.body).toBe(201);
    expect(paid.json().order.total.amount).toBe(2000 - 100 + 500);
  });
});

describe('checkout: the discount the cart showed (regression: 10% tax on top, free shipping)', () => {
  // Reported by review: a 50% code shown as 5.50 in total, edited to 5% by staff, was captured as 10.45 (201).
  let taxed: TestApp;
  beforeAll(async () => {
    taxed = await buildTestApp({ TAX_RATE_BPS: '1000' });
  });
  afterAll(() => taxed?.close());

  it('refuses a code edited from 50% to 5% after the cart showed 5.50; the retry charges the 10.45 the 409 told', async (context) => {
    const { app: store } = taxed;
    if (!store.hasDecorator('payments')) return context.skip();
    const auth = await staffToken(store);
    const shop = commerceFixtures(store, auth);
    const admin = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: Record<string, unknown>) =>
      store.inject({ method, url, headers: { authorization: auth }, ...(payload ? { payload } : {}) });
    const free = await admin('POST', '/api/admin/shipping-methods', {
      code: `free-${randomBytes(4).toString('hex')}`,
      name: 'Free',
      kind: 'flat',
      amount: { amount: 0, currency: 'USD' },
      isDefault: true,
    });
    expect(free.statusCode, free.body).toBe(201);
    const created = await admin('POST', '/api/admin/discount-codes', {
      code: `HALF${randomBytes(4).toString('hex').toUpperCase()}`,
      discountType: 'percent',
      discountValue: 50,
    });
    expect(created.statusCode, created.body).toBe(201);
    const code = created.json<DiscountCodeDto>();
    const product = await shop.product([1000]);
    const variantId = product.variants[0]!.id;
    const cartId = await shop.cart();
    expect((await shop.add(cartId, variantId, 1)).statusCode).toBe(200);
    const applied = await store.inject({
      method: 'POST',
      url: `/api/store/carts/${cartId}/discount`,
      payload: { code: code.code },
    });
    expect(applied.statusCode, applied.body).toBe(200);
    const shown = await store.inject({ url: `/api/store/carts/${cartId}` });
    expect(shown.json().totals.total.amount).toBe(550); // 1000 - 500 + 10% tax
    const edit = await admin('PATCH', `/api/admin/discount-codes/${code.id}`, {
      version: code.version,
      discountValue: 5,
    });
    expect(edit.statusCode, edit.body).toBe(200);

    const pay = (key: string) =>
      store.inject({
        method: 'POST',
        url: `/api/store/carts/${cartId}/checkout`,
        headers: { 'idempotency-key': key },
        payload: body(),
      });
    const refused = await pay('key-review-f1');
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'MCART_ERR_PRICE_CHANGED',
      discountChange: { from: { amount: 500 }, to: { amount: 50 } },
      totals: { discount: { amount: 50 }, tax: { amount: 95 }, total: { amount: 1045 } },
    });
    expect(refused.json().order).toBeUndefined();
    const [orders] = await query<{ n: string }>(
      store.orm.em.fork() as EntityManager,
      `SELECT count(*) AS n FROM orders WHERE cart_id = ?`,
      [cartId],
    );
    expect(Number(orders!.n)).toBe(0);
    const paid = await pay('key-review-f1');
    expect(paid.statusCode, paid.body).toBe(201);
    expect(paid.json().order.total).toEqual({ amount: 1045, currency: 'USD' });
  });
});

/** Many guest carts at once, written with SQL: only the setup takes this shortcut, checkout goes through HTTP. */
async function bulkCarts(baskets: { variantId: string; price: number }[][]): Promise<string[]> {
  const ids: string[] = [];
  await fork().transactional(async (tx) => {
    for (const basket of baskets) {
      const id = randomBytes(24).toString('base64url');
      await query(tx, `INSERT INTO cart (id, currency) VALUES (?, 'USD')`, [id]);
      for (const line of basket) {
        await query(
          tx,
          `INSERT INTO cart_item (cart_id, variant_id, quantity, unit_price) VALUES (?, ?::uuid, 1, ?::int)`,
          [id, line.variantId, line.price],
        );
      }
      ids.push(id);
    }
  });
  return ids;
}

withPayments('checkout under concurrency (real HTTP on 127.0.0.1)', () => {
  it(
    'sells exactly the stock: 50 units, 500 concurrent checkouts -> 50 orders and 450 clear 409s',
    { timeout: 120_000 },
    async () => {
      const product = await fx.product([1500], 50);
      const variantId = product.variants[0]!.id;
      const carts = await bulkCarts(Array.from({ length: 500 }, () => [{ variantId, price: 1500 }]));
      const started = Date.now();
      await app.listen({ host: '127.0.0.1', port: 0 });
      const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      const statuses = await Promise.all(
        carts.map(async (cartId, i) => {
          const response = await fetch(`${base}/api/store/carts/${cartId}/checkout`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'idempotency-key': `load-${i}` },
            body: JSON.stringify(body()),
          });
          const json = (await response.json()) as { code?: string };
          return response.status === 409 ? `409 ${json.code}` : String(response.status);
        }),
      );
      console.info(`500 concurrent checkouts answered in ${Date.now() - started} ms`);
      const tally = statuses.reduce<Record<string, number>>(
        (acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }),
        {},
      );
      expect(tally).toEqual({ '201': 50, '409 MCART_ERR_OUT_OF_STOCK': 450 });
      expect(await level(variantId)).toMatchObject({ onHand: 0, reserved: 0, available: 0 });
      const [orders] = await query<{ n: string }>(
        fork(),
        `SELECT count(*) AS n FROM order_line WHERE variant_id = ?::uuid`,
        [variantId],
      );
      expect(Number(orders!.n)).toBe(50);
      expect(await ledgerMismatches()).toEqual([]);

      // Overlapping multi-line baskets, lines in different orders: no deadlock, no oversell.
      const basket = await fx.product([100, 200, 300], 20);
      const [a, b, c] = basket.variants.map((v) => v.id) as [string, string, string];
      const orders3 = [
        [a, b, c],
        [c, b, a],
        [b, c, a],
      ];
      const prices = new Map([
        [a, 100],
        [b, 200],
        [c, 300],
      ]);
      const basketCarts = await bulkCarts(
        Array.from({ length: 60 }, (_, i) =>
          orders3[i % 3]!.map((id) => ({ variantId: id, price: prices.get(id)! })),
        ),
      );
      const results = await Promise.all(
        basketCarts.map(async (cartId, i) => {
          const response = await fetch(`${base}/api/store/carts/${cartId}/checkout`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'idempotency-key': `basket-${i}` },
            body: JSON.stringify(body()),
          });
          return response.status;
        }),
      );
      expect(results.filter((s) => s === 201)).toHaveLength(20);
      expect(results.filter((s) => s !== 201 && s !== 409)).toEqual([]);
      for (const id of [a, b, c]) expect(await level(id)).toMatchObject({ onHand: 0, reserved: 0 });
      expect(await ledgerMismatches()).toEqual([]);
    },
  );
});
