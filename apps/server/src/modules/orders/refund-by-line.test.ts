import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { staffToken, useTestApp } from '../../../test/app.ts';
import { commerceFixtures } from '../cart/test-helpers.ts';
import { query } from '../inventory/sql.ts';

// Refunds by line (order-operations.ts, orders.service.ts lineRefundAmount): prices exclude tax, 10% tax.
const { app } = await useTestApp({ TAX_RATE_BPS: '1000' });
const staff = await staffToken(app);
const fx = commerceFixtures(app, staff);
const fork = () => app.orm.em.fork() as EntityManager;

const address = {
  name: 'Ada Lovelace',
  line1: '12 Analytical Row',
  city: 'London',
  postalCode: 'N1 9GU',
  country: 'GB',
};
const admin = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
  app.inject({
    method,
    url,
    headers: { authorization: staff },
    ...(payload ? { payload: payload as Record<string, unknown> } : {}),
  });

const checkout = (cartId: string, email = 'ada@example.com', auth?: string) =>
  app.inject({
    method: 'POST',
    url: `/api/store/carts/${cartId}/checkout`,
    headers: { 'idempotency-key': randomUUID(), ...(auth ? { authorization: auth } : {}) },
    payload: { email, shippingAddress: address, payment: { provider: 'test', token: 'tok_visa' } },
  });
const viewCart = async (cartId: string, auth?: string) => {
  const r = await app.inject({
    url: `/api/store/carts/${cartId}`,
    ...(auth ? { headers: { authorization: auth } } : {}),
  });
  expect(r.statusCode, r.body).toBe(200);
  return r.json<{
    totals: Record<string, { amount: number }>;
    discountProblem: string | null;
    items: { id: string }[];
  }>();
};
const applyCode = (cartId: string, code: string, auth?: string) =>
  app.inject({
    method: 'POST',
    url: `/api/store/carts/${cartId}/discount`,
    payload: { code },
    ...(auth ? { headers: { authorization: auth } } : {}),
  });
const createCode = async (body: Record<string, unknown>) => {
  const r = await admin('POST', '/api/admin/discount-codes', body);
  expect(r.statusCode, r.body).toBe(201);
  return r.json<{ id: string; version: number; code: string }>();
};
async function cartWith(lines: [string, number][], auth?: string) {
  const cartId = await fx.cart(auth);
  for (const [variantId, quantity] of lines) {
    const added = await fx.add(cartId, variantId, quantity, auth);
    expect(added.statusCode, added.body).toBe(200);
  }
  return cartId;
}
interface OrderRowLite {
  id: string;
  subtotal: number;
  discount_total: number;
  shipping_total: number;
  tax_total: number;
  total: number;
  refunded_total: number;
  status: string;
}
const orderRow = async (id: string) =>
  (
    await query<OrderRowLite>(
      fork(),
      `SELECT id, subtotal, discount_total, shipping_total, tax_total, total, refunded_total, status FROM orders WHERE id = ?::uuid`,
      [id],
    )
  )[0]!;
const orderLines = async (id: string) =>
  (await admin('GET', `/api/admin/orders/${id}`)).json<{ lines: { id: string; quantity: number }[] }>().lines;

let freeMethodId = '';
async function freeShippingDefault() {
  if (freeMethodId) return freeMethodId;
  const r = await admin('POST', '/api/admin/shipping-methods', {
    code: `free${Date.now().toString(36)}`,
    name: 'Free',
    kind: 'flat',
    amount: { amount: 0, currency: 'USD' },
    isDefault: true,
  });
  expect(r.statusCode, r.body).toBe(201);
  freeMethodId = r.json().id;
  return freeMethodId;
}

/**
 * A paid order of one unit of a new product per price, shipped by a new flat method of `shipping`, with a new
 * fixed code of `discount` off when given: its id.
 */
async function placeFlatShipped(prices: number[], shipping: number, discount?: number): Promise<string> {
  const flat = await admin('POST', '/api/admin/shipping-methods', {
    code: `flat${randomUUID().slice(0, 8)}`,
    name: 'Flat',
    kind: 'flat',
    amount: { amount: shipping, currency: 'USD' },
  });
  expect(flat.statusCode, flat.body).toBe(201);
  const products = [];
  for (const price of prices) products.push(await fx.product([price]));
  const cartId = await cartWith(products.map((product) => [product.variants[0]!.id, 1]));
  if (discount !== undefined) {
    const code = await createCode({
      code: `F${randomUUID().slice(0, 8)}`,
      discountType: 'fixed',
      discountValue: discount,
    });
    expect((await applyCode(cartId, code.code)).statusCode).toBe(200);
  }
  const chosen = await app.inject({
    method: 'PUT',
    url: `/api/store/carts/${cartId}/shipping-method`,
    payload: { shippingMethodId: flat.json().id },
  });
  expect(chosen.statusCode, chosen.body).toBe(200);
  await viewCart(cartId);
  const placed = await checkout(cartId);
  expect(placed.statusCode, placed.body).toBe(201);
  return placed.json().order.id;
}

describe('refunds by line add up to what the goods were charged', () => {
  it('refunds every unit by line unit by unit: all that was paid goes back, the order is refunded (3 × 3.33, 10% tax)', async () => {
    await freeShippingDefault();
    const product = await fx.product([333]);
    const cartId = await cartWith([[product.variants[0]!.id, 3]]);
    const placed = await checkout(cartId);
    expect(placed.statusCode, placed.body).toBe(201);
    const orderId = placed.json().order.id;
    expect(await orderRow(orderId)).toMatchObject({
      subtotal: 999,
      shipping_total: 0,
      tax_total: 100,
      total: 1099,
    });
    const [line] = await orderLines(orderId);
    for (let i = 0; i < 3; i++) {
      const r = await admin('POST', `/api/admin/orders/${orderId}/refund`, {
        lines: [{ orderLineId: line!.id, quantity: 1 }],
      });
      expect(r.statusCode, r.body).toBe(200);
    }
    // Every unit returned, nothing else on the order: all that was paid goes back.
    const after = await orderRow(orderId);
    expect({ refunded: after.refunded_total, status: after.status }).toEqual({
      refunded: 1099,
      status: 'refunded',
    });
  });

  it('gives back by line what the goods cost, discount share off and tax share on, never shipping', async () => {
    const orderId = await placeFlatShipped([100, 100, 100], 500, 100);
    // goods 300 - discount 100 + shipping 500 = 700, tax 70, total 770. The goods cost 200 + 20 tax = 220.
    expect(await orderRow(orderId)).toMatchObject({
      subtotal: 300,
      discount_total: 100,
      shipping_total: 500,
      tax_total: 70,
      total: 770,
    });
    for (const line of await orderLines(orderId)) {
      const r = await admin('POST', `/api/admin/orders/${orderId}/refund`, {
        lines: [{ orderLineId: line.id, quantity: 1 }],
      });
      expect(r.statusCode, r.body).toBe(200);
    }
    // Every line back: 220 (what the goods cost), not 3 x (67 + 7) = 222.
    expect((await orderRow(orderId)).refunded_total).toBe(220);
  });

  it('refuses to refund by line units a discount made free with 409 NOTHING_TO_REFUND, changing nothing', async () => {
    const orderId = await placeFlatShipped([807], 499, 885);
    // The goods are free (the code is capped at them): the total, 5.49, is shipping and its tax.
    expect(await orderRow(orderId)).toMatchObject({ subtotal: 807, discount_total: 807, total: 549 });
    const [line] = await orderLines(orderId);
    const refused = await admin('POST', `/api/admin/orders/${orderId}/refund`, {
      lines: [{ orderLineId: line!.id, quantity: 1 }],
    });
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'MCART_ERR_NOTHING_TO_REFUND',
      errors: [{ path: 'body/lines' }],
    });
    expect(await orderRow(orderId)).toMatchObject({ refunded_total: 0, status: 'paid' });
    expect((await admin('GET', `/api/admin/orders/${orderId}`)).json().lines[0].refundedQuantity).toBe(0);
  });

  it('a refund by line failing at the gateway while another is priced on top of its units: every unit by line still gives back what the goods were charged', async () => {
    const orderId = await placeFlatShipped([333, 333, 333], 499);
    // 3 × 3.33, flat shipping 4.99, 10%: taxable 14.98, tax 1.50, total 16.48. The goods were charged 9.99 + 1.00.
    expect(await orderRow(orderId)).toMatchObject({
      subtotal: 999,
      shipping_total: 499,
      tax_total: 150,
      total: 1648,
    });
    const [a, b, c] = await orderLines(orderId);
    const refund = (lines: { orderLineId: string; quantity: number }[]) =>
      admin('POST', `/api/admin/orders/${orderId}/refund`, { lines });
    // Refund A (line 1) hangs at the gateway while refund B (line 2) is priced on top of A's units, then fails.
    const payments = app.payments;
    const original = payments.refund.bind(payments);
    let letGo!: () => void;
    const gate = new Promise<void>((resolve) => (letGo = resolve));
    let entered!: () => void;
    const inGateway = new Promise<void>((resolve) => (entered = resolve));
    let first = true;
    payments.refund = (async (...args: Parameters<typeof original>) => {
      if (first) {
        first = false;
        entered();
        await gate;
        throw new Error('gateway timeout');
      }
      return original(...args);
    }) as typeof payments.refund;
    try {
      const failing = refund([{ orderLineId: a!.id, quantity: 1 }]);
      await inGateway;
      const second = await refund([{ orderLineId: b!.id, quantity: 1 }]);
      expect(second.statusCode, second.body).toBe(200);
      letGo();
      expect((await failing).statusCode).toBeGreaterThanOrEqual(500);
    } finally {
      payments.refund = original;
    }
    const rest = await refund([
      { orderLineId: a!.id, quantity: 1 },
      { orderLineId: c!.id, quantity: 1 },
    ]);
    expect(rest.statusCode, rest.body).toBe(200);
    // Every unit refunded by line, nothing by amount: exactly what the goods were charged (was 11.00).
    const after = await orderRow(orderId);
    const [byLine] = await query<{ line_refunded_total: number }>(
      fork(),
      `SELECT line_refunded_total FROM orders WHERE id = ?::uuid`,
      [orderId],
    );
    expect({
      refunded: after.refunded_total,
      byLine: byLine!.line_refunded_total,
      lines: (await admin('GET', `/api/admin/orders/${orderId}`))
        .json<{ lines: { refundedQuantity: number }[] }>()
        .lines.map((line) => line.refundedQuantity),
    }).toEqual({ refunded: 1099, byLine: 1099, lines: [1, 1, 1] });
    // Per line, what the refunds that stand gave back (the failed one gave its 3.66 back): B 3.67 (priced on top
    // of A's units), A and C 7.32 together, split by what their units cost. They add up to all refunded by line.
    expect(await refundedAmounts(orderId)).toEqual([366, 367, 366]);
  });
});

const refundedAmounts = async (orderId: string) => {
  const detail = await admin('GET', `/api/admin/orders/${orderId}`);
  expect(detail.statusCode, detail.body).toBe(200);
  return detail
    .json<{ lines: { refundedAmount: { amount: number; currency: string } }[] }>()
    .lines.map((line) => line.refundedAmount.amount);
};

describe('the order detail says per line what refunds by line gave back', () => {
  it('a refund of one line is that line’s; a refund of an amount is no line’s', async () => {
    const orderId = await placeFlatShipped([1000, 500], 500);
    // goods 15.00 + shipping 5.00, 10% tax: 2.00, total 22.00.
    expect(await orderRow(orderId)).toMatchObject({ subtotal: 1500, tax_total: 200, total: 2200 });
    expect(await refundedAmounts(orderId)).toEqual([0, 0]);
    const [a, b] = await orderLines(orderId);
    const refund = async (payload: object) =>
      expect((await admin('POST', `/api/admin/orders/${orderId}/refund`, payload)).statusCode).toBe(200);
    // 10.00 and its 1.00 share of the tax.
    await refund({ lines: [{ orderLineId: a!.id, quantity: 1 }] });
    expect(await refundedAmounts(orderId)).toEqual([1100, 0]);
    await refund({ amount: 100 });
    expect(await refundedAmounts(orderId)).toEqual([1100, 0]);
    await refund({ lines: [{ orderLineId: b!.id, quantity: 1 }] });
    expect(await refundedAmounts(orderId)).toEqual([1100, 550]);
    const detail = (await admin('GET', `/api/admin/orders/${orderId}`)).json<{
      refunded: { amount: number };
      lineRefunded: { amount: number; currency: string };
      lines: { refundedAmount: { currency: string } }[];
    }>();
    expect(detail.refunded.amount).toBe(1750);
    // Of it, what refunds by line gave back: the lines' amounts, not the refund of an amount.
    expect(detail.lineRefunded).toEqual({ amount: 1650, currency: 'USD' });
    expect(detail.lines[0]!.refundedAmount.currency).toBe('USD');
  });

  it('a refund of several lines is split over them by what their units cost, adding up to its amount', async () => {
    const orderId = await placeFlatShipped([333, 333, 333], 499);
    const [a, b, c] = await orderLines(orderId);
    const refund = async (lines: { orderLineId: string; quantity: number }[]) => {
      const r = await admin('POST', `/api/admin/orders/${orderId}/refund`, { lines });
      expect(r.statusCode, r.body).toBe(200);
    };
    // A and B together: 6.66 + 0.67 tax = 7.33, one cent more to the first of equal lines.
    await refund([
      { orderLineId: a!.id, quantity: 1 },
      { orderLineId: b!.id, quantity: 1 },
    ]);
    expect(await refundedAmounts(orderId)).toEqual([367, 366, 0]);
    await refund([{ orderLineId: c!.id, quantity: 1 }]);
    expect(await refundedAmounts(orderId)).toEqual([367, 366, 366]);
    expect((await orderRow(orderId)).refunded_total).toBe(1099);
  });
});
