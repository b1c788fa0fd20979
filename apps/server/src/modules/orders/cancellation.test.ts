import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { staffToken, useTestApp } from '../../../test/app.ts';
import { commerceFixtures } from '../cart/test-helpers.ts';

/** Cancelling gives back exactly what the order took: money, stock, the discount code's use, the cart. */
const { app } = await useTestApp();
const staff = await staffToken(app);
const fx = commerceFixtures(app, staff);

const address = {
  name: 'Cam Cancel',
  line1: '9 Back St',
  city: 'Undo',
  region: 'NY',
  postalCode: '10001',
  country: 'US',
};
const request = (method: 'GET' | 'POST' | 'DELETE', url: string, auth?: string, payload?: object) =>
  app.inject({
    method,
    url,
    ...(auth ? { headers: { authorization: auth } } : {}),
    ...(payload ? { payload } : {}),
  });

async function cartWith(variantId: string, quantity: number, auth?: string, code?: string) {
  const cartId = await fx.cart(auth);
  expect((await fx.add(cartId, variantId, quantity, auth)).statusCode).toBe(200);
  if (code) {
    const applied = await request('POST', `/api/store/carts/${cartId}/discount`, auth, { code });
    expect(applied.statusCode, applied.body).toBe(200);
  }
  return cartId;
}

const checkout = (cartId: string, token: string, auth?: string, email = 'cam@example.com') =>
  app.inject({
    method: 'POST',
    url: `/api/store/carts/${cartId}/checkout`,
    headers: { 'idempotency-key': randomUUID(), ...(auth ? { authorization: auth } : {}) },
    payload: { email, shippingAddress: address, payment: { provider: 'test', token } },
  });

async function discountCode(limits: { usageLimit?: number; perCustomerLimit?: number }, percent = 10) {
  const code = `CODE${randomUUID().slice(0, 8).toUpperCase()}`;
  const created = await request('POST', '/api/admin/discount-codes', staff, {
    code,
    discountType: 'percent',
    discountValue: percent,
    ...limits,
  });
  expect(created.statusCode, created.body).toBe(201);
  return code;
}

const onHand = async (variantId: string) =>
  (await request('GET', `/api/admin/inventory/levels?variantId=${variantId}`, staff)).json<{
    data: { onHand: number; available: number }[];
  }>().data[0]!;

describe('cancelling an order', () => {
  it('a customer can cancel a paid order, not one the warehouse started; staff cannot cancel over live parcels', async () => {
    const customer = await fx.customer();
    const product = await fx.product([2_500], 10);
    const variantId = product.variants[0]!.id;
    const placed = await checkout(await cartWith(variantId, 2, customer.auth), 'tok_visa', customer.auth);
    expect(placed.statusCode, placed.body).toBe(201);
    const orderId = placed.json<{ order: { id: string } }>().order.id;

    // Part of it leaves the warehouse: the order is processing.
    const lines = (await request('GET', `/api/admin/orders/${orderId}`, staff)).json<{
      lines: { id: string }[];
    }>().lines;
    const shipment = await request('POST', `/api/admin/orders/${orderId}/shipments`, staff, {
      lines: [{ orderLineId: lines[0]!.id, quantity: 1 }],
      package: { weightGrams: 500 },
    });
    expect(shipment.statusCode, shipment.body).toBe(201);

    const byCustomer = await request('POST', `/api/store/orders/${orderId}/cancel`, customer.auth, {});
    expect(byCustomer.statusCode).toBe(409);
    expect(byCustomer.json()).toMatchObject({ code: 'MCART_ERR_ILLEGAL_TRANSITION', from: 'processing' });
    const byStaff = await request('POST', `/api/admin/orders/${orderId}/cancel`, staff, { reason: 'no' });
    expect(byStaff.statusCode).toBe(409);
    expect(byStaff.json()).toMatchObject({ code: 'MCART_ERR_ILLEGAL_TRANSITION', shipments: 1 });
    // Nothing moved: no refund, stock as sold.
    const detail = (await request('GET', `/api/admin/orders/${orderId}`, staff)).json<{
      status: string;
      refunded: { amount: number };
    }>();
    expect(detail).toMatchObject({ status: 'processing', refunded: { amount: 0 } });
    expect((await onHand(variantId)).onHand).toBe(8);

    // With its label voided, staff may cancel it: refunded, restocked.
    const shipmentId = shipment.json<{ id: string }>().id;
    expect((await request('POST', `/api/admin/shipments/${shipmentId}/void`, staff, {})).statusCode).toBe(
      200,
    );
    // A reason is one line (it is written into the timeline and the stock ledger): refused, nothing moved.
    const multiline = await request('POST', `/api/admin/orders/${orderId}/cancel`, staff, {
      reason: 'ok\nRefund approved by the owner',
    });
    expect(multiline.statusCode).toBe(400);
    expect(multiline.json()).toMatchObject({
      code: 'MCART_ERR_VALIDATION',
      errors: [expect.objectContaining({ path: 'body/reason' })],
    });
    expect((await onHand(variantId)).onHand).toBe(8);
    const cancelled = await request('POST', `/api/admin/orders/${orderId}/cancel`, staff, { reason: 'ok' });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', refunded: { amount: 5_000 } });
    expect((await onHand(variantId)).onHand).toBe(10);
  });

  it("tells the customer whether they may cancel (canCancel), as their cancel route decides, not staff's moves", async () => {
    const customer = await fx.customer();
    const product = await fx.product([2_500], 10);
    const variantId = product.variants[0]!.id;
    const placed = await checkout(await cartWith(variantId, 2, customer.auth), 'tok_visa', customer.auth);
    expect(placed.statusCode, placed.body).toBe(201);
    const orderId = placed.json<{ order: { id: string } }>().order.id;
    const seen = async () => {
      const detail = await request('GET', `/api/store/orders/${orderId}`, customer.auth);
      expect(detail.statusCode, detail.body).toBe(200);
      const list = await request('GET', '/api/store/orders', customer.auth);
      expect(list.statusCode, list.body).toBe(200);
      const entry = list
        .json<{ data: { id: string; canCancel: boolean }[] }>()
        .data.find((o) => o.id === orderId);
      return {
        ...detail.json<{ status: string; canCancel: boolean; allowedTransitions: string[] }>(),
        listed: entry?.canCancel,
      };
    };
    expect(await seen()).toMatchObject({ status: 'paid', canCancel: true, listed: true });

    const lines = (await request('GET', `/api/admin/orders/${orderId}`, staff)).json<{
      lines: { id: string }[];
    }>().lines;
    const shipment = await request('POST', `/api/admin/orders/${orderId}/shipments`, staff, {
      lines: [{ orderLineId: lines[0]!.id, quantity: 1 }],
      package: { weightGrams: 500 },
    });
    expect(shipment.statusCode, shipment.body).toBe(201);
    // Staff may still cancel a processing order (allowedTransitions, unchanged); the customer may not.
    const processing = await seen();
    expect(processing).toMatchObject({ status: 'processing', canCancel: false, listed: false });
    expect(processing.allowedTransitions).toContain('cancelled');
    expect((await request('POST', `/api/store/orders/${orderId}/cancel`, customer.auth, {})).statusCode).toBe(
      409,
    );

    // A paid order the customer cancels: the route took what canCancel offered, and its answer says so.
    const other = await checkout(await cartWith(variantId, 1, customer.auth), 'tok_visa', customer.auth);
    const otherId = other.json<{ order: { id: string } }>().order.id;
    const cancelled = await request('POST', `/api/store/orders/${otherId}/cancel`, customer.auth, {});
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', canCancel: false });
  });

  it('a label bought while staff cancel: either the cancel is refused with nothing refunded, or the label is', async () => {
    const product = await fx.product([3_000], 100);
    const variantId = product.variants[0]!.id;
    const outcomes = new Set<string>();
    for (let round = 0; round < 6; round++) {
      const placed = await checkout(await cartWith(variantId, 1), 'tok_visa');
      const { id: orderId, total } = placed.json<{ order: { id: string; total: { amount: number } } }>()
        .order;
      // From `processing` with no live label (one voided): the order row alone does not order the two.
      const first = await request('POST', `/api/admin/orders/${orderId}/shipments`, staff, {
        package: { weightGrams: 500 },
      });
      expect(first.statusCode, first.body).toBe(201);
      const voided = await request('POST', `/api/admin/shipments/${first.json().id}/void`, staff, {});
      expect(voided.statusCode).toBe(200);

      const [cancel, label] = await Promise.all([
        request('POST', `/api/admin/orders/${orderId}/cancel`, staff, { reason: 'race' }),
        request('POST', `/api/admin/orders/${orderId}/shipments`, staff, { package: { weightGrams: 500 } }),
      ]);
      const detail = (await request('GET', `/api/admin/orders/${orderId}`, staff)).json<{
        status: string;
        refunded: { amount: number };
      }>();
      const shipments = (await request('GET', `/api/admin/shipments?orderId=${orderId}`, staff)).json<{
        data: { status: string }[];
      }>().data;
      const live = shipments.filter((shipment) => shipment.status !== 'voided').length;
      if (cancel.statusCode === 200) {
        expect(label.statusCode).toBe(409);
        expect(detail).toMatchObject({ status: 'cancelled', refunded: { amount: total.amount } });
        expect(live).toBe(0);
      } else {
        expect(cancel.statusCode).toBe(409);
        expect(label.statusCode).toBe(201);
        expect(detail).toMatchObject({ status: 'processing', refunded: { amount: 0 } });
        expect(live).toBe(1);
      }
      outcomes.add(`${cancel.statusCode}/${label.statusCode}`);
    }
    expect([...outcomes].every((outcome) => outcome === '200/409' || outcome === '409/201')).toBe(true);
  });

  it('a customer cancelling an unpaid order gets the cart back, open, and can pay it again', async () => {
    const customer = await fx.customer();
    const product = await fx.product([1_500], 5);
    const variantId = product.variants[0]!.id;
    const cartId = await cartWith(variantId, 1, customer.auth);
    const pending = await checkout(cartId, 'tok_threeDSecure', customer.auth);
    expect(pending.json()).toMatchObject({ order: { status: 'pending_payment' } });
    const orderId = pending.json<{ order: { id: string } }>().order.id;

    const cancelled = await request('POST', `/api/store/orders/${orderId}/cancel`, customer.auth, {});
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect((await request('GET', `/api/store/carts/${cartId}`, customer.auth)).json()).toMatchObject({
      status: 'open',
      orderId: null,
    });
    expect((await onHand(variantId)).available).toBe(5);
    const again = await checkout(cartId, 'tok_visa', customer.auth);
    expect(again.statusCode, again.body).toBe(201);
  });
});

describe('discount codes and cancelled orders', () => {
  it('a declined checkout gives the code its use back: the retry still gets the discount', async () => {
    const code = await discountCode({ usageLimit: 1 });
    const product = await fx.product([4_000], 5);
    const cartId = await cartWith(product.variants[0]!.id, 1, undefined, code);
    expect((await checkout(cartId, 'tok_chargeDeclined')).statusCode).toBe(402);
    const paid = await checkout(cartId, 'tok_visa');
    expect(paid.statusCode, paid.body).toBe(201);
    const orderId = paid.json<{ order: { id: string } }>().order.id;
    const order = (await request('GET', `/api/admin/orders/${orderId}`, staff)).json<{
      totals: { discount: { amount: number } };
    }>();
    expect(order.totals.discount.amount).toBe(400);
    // Now it is used up.
    const other = await fx.cart();
    await fx.add(other, product.variants[0]!.id, 1);
    const refused = await request('POST', `/api/store/carts/${other}/discount`, undefined, { code });
    expect(refused.json()).toMatchObject({ status: 409, code: 'MCART_ERR_DISCOUNT_CODE_EXHAUSTED' });
  });

  it('a per-customer limit counts guest checkouts with the same e-mail', async () => {
    const code = await discountCode({ perCustomerLimit: 1 });
    const product = await fx.product([3_000], 10);
    const variantId = product.variants[0]!.id;
    const guest = (email: string) =>
      cartWith(variantId, 1, undefined, code).then((cart) => checkout(cart, 'tok_visa', undefined, email));
    const first = await guest('Pat@Example.com');
    expect(first.statusCode, first.body).toBe(201);
    const second = await guest('pat@example.com');
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({
      code: 'MCART_ERR_DISCOUNT_CODE_CUSTOMER_LIMIT',
      errors: [
        { path: 'cart/discountCode', message: 'already used with this e-mail address as often as allowed' },
      ],
    });
    // Someone else may still use it.
    const third = await guest('sam@example.com');
    expect(third.statusCode, third.body).toBe(201);
  });
});

describe('order amounts at the edges', () => {
  it('an order with nothing to pay is placed paid, without a payment; cancelling it restocks', async () => {
    const code = await discountCode({}, 100);
    const product = await fx.product([6_000], 3);
    const variantId = product.variants[0]!.id;
    // Collected in store (a method that costs nothing), all of it discounted: a total of 0.
    const [pickup] = await app.orm.em.fork().execute<{ id: string }[]>(
      `INSERT INTO shipping_method (code, name, kind, amount, is_default, sort)
       VALUES ('pickup', 'Pick up in store', 'flat', 0, false, 3) RETURNING id`,
    );
    const cartId = await cartWith(variantId, 1, undefined, code);
    const chosen = await app.inject({
      method: 'PUT',
      url: `/api/store/carts/${cartId}/shipping-method`,
      payload: { shippingMethodId: pickup!.id },
    });
    expect(chosen.statusCode, chosen.body).toBe(200);
    const cart = (await request('GET', `/api/store/carts/${cartId}`)).json<{
      totals: { total: { amount: number } };
    }>();
    expect(cart.totals.total.amount).toBe(0);
    const placed = await checkout(cartId, 'tok_visa');
    expect(placed.statusCode, placed.body).toBe(201);
    const { order } = placed.json<{ order: { id: string; status: string; total: { amount: number } } }>();
    expect(order).toMatchObject({ status: 'paid', total: { amount: 0 } });
    expect(placed.json()).not.toHaveProperty('payment');
    expect(await onHand(variantId)).toMatchObject({ onHand: 2, available: 2 });
    const detail = (await request('GET', `/api/admin/orders/${order.id}`, staff)).json<{
      payments: unknown[];
    }>();
    expect(detail.payments).toEqual([]);
    const cancelled = await request('POST', `/api/admin/orders/${order.id}/cancel`, staff, {
      reason: 'test',
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(await onHand(variantId)).toMatchObject({ onHand: 3, available: 3 });
  });

  it('a basket larger than an order can hold is refused with a clear error, nothing written', async () => {
    const product = await fx.product([2_000_000_000], 5);
    const variantId = product.variants[0]!.id;
    const cartId = await cartWith(variantId, 2);
    const refused = await checkout(cartId, 'tok_visa');
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({
      code: 'MCART_ERR_ORDER_TOO_LARGE',
      errors: [{ path: 'cart/items' }],
    });
    expect((await request('GET', `/api/store/carts/${cartId}`)).json()).toMatchObject({ status: 'open' });
    expect(await onHand(variantId)).toMatchObject({ onHand: 5, available: 5 });
  });
});
