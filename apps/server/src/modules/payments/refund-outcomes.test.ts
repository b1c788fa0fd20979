import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { staffToken, useTestApp } from '../../../test/app.ts';
import { commerceFixtures } from '../cart/test-helpers.ts';
import { orderEvents } from './testing/orders-double.ts';
import { signedEvent, startFakeStripe, type MockIntent } from './testing/fake-stripe.ts';

/**
 * Refunds whose answer is lost, refunds that fail after they went through, and disputes, end to end: staff's
 * routes, the real orders, invoicing and inventory modules, the Stripe provider (the real SDK) against the local
 * fake Stripe server, its signed webhooks through the webhook route, and the reconciliation job.
 */
const fake = await startFakeStripe();
afterAll(() => fake.close());
const WEBHOOK_SECRET = 'whsec_refund_outcomes_0123456789';
const { app } = await useTestApp({
  PAYMENT_PROVIDER: 'stripe',
  STRIPE_SECRET_KEY: 'sk_test_refund_outcomes',
  STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
  STRIPE_API_URL: fake.url,
  TAX_RATE_BPS: '0',
});
const staff = await staffToken(app);
const fx = commerceFixtures(app, staff);

const admin = (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) =>
  app.inject({ method, url, headers: { authorization: staff }, ...(payload ? { payload } : {}) });

interface OrderDetail {
  id: string;
  status: string;
  totals: { total: { amount: number } };
  refunded: { amount: number };
  lines: {
    id: string;
    refundedQuantity: number;
    withdrawnQuantity: number;
    refundedAmount: { amount: number };
  }[];
  payments: {
    providerRef: string;
    refundedAmount: number;
    refunds: { id: string; amount: number; status: string; kind: string; reversedAt: string | null }[];
    dispute: { status: string; amount: number } | null;
  }[];
  timeline: { kind: string; fromStatus: string | null; toStatus: string | null; message: string | null }[];
}
const detail = async (orderId: string) =>
  (await admin('GET', `/api/admin/orders/${orderId}`)).json<OrderDetail>();

async function onHand(variantId: string) {
  const response = await admin('GET', `/api/admin/inventory/levels?variantId=${variantId}`);
  return response.json<{ data: { onHand: number }[] }>().data[0]!.onHand;
}

/** A paid order of two units of 20.00 (shipping 5.00: total 45.00), paid through Stripe. */
async function paidOrder() {
  const product = await fx.product([2_000], 10);
  const variantId = product.variants[0]!.id;
  const cartId = await fx.cart();
  expect((await fx.add(cartId, variantId, 2)).statusCode).toBe(200);
  const placed = await app.inject({
    method: 'POST',
    url: `/api/store/carts/${cartId}/checkout`,
    headers: { 'idempotency-key': randomUUID() },
    payload: {
      email: 'refunds@example.test',
      shippingAddress: {
        name: 'Ann Refund',
        line1: '1 Way',
        city: 'Lyon',
        postalCode: '69001',
        country: 'FR',
      },
      payment: { provider: 'stripe', token: 'pm_card_visa' },
    },
  });
  expect(placed.statusCode, placed.body).toBe(201);
  const orderId = placed.json<{ order: { id: string } }>().order.id;
  const order = await detail(orderId);
  expect(order).toMatchObject({ status: 'paid', totals: { total: { amount: 4_500 } } });
  return {
    orderId,
    variantId,
    lineId: order.lines[0]!.id,
    intent: fake.intents.get(order.payments[0]!.providerRef)!,
  };
}

const deliver = async (type: string, object: unknown) => {
  const { payload, header } = signedEvent(type, object, WEBHOOK_SECRET);
  const response = await app.inject({
    method: 'POST',
    url: '/api/webhooks/payments/stripe',
    headers: { 'content-type': 'application/json', 'stripe-signature': header },
    payload,
  });
  expect(response.statusCode, response.body).toBe(200);
};

const creditNotes = async (orderId: string) => {
  await app.outbox.drain();
  const listed = await admin('GET', `/api/admin/invoices?orderId=${orderId}&kind=credit_note`);
  expect(listed.statusCode, listed.body).toBe(200);
  return listed.json<{ data: { total: { amount: number } }[] }>().data;
};

const events = async (orderId: string, name: string) =>
  (await orderEvents(app, orderId)).filter((event) => event.event === name);

describe('a staff refund whose gateway answer is lost', () => {
  it('answers 502 MCART_ERR_REFUND_PENDING, keeps both reservations (no second refund of the money or the units), and the job finishes it as a normal refund', async () => {
    const { orderId, variantId, lineId, intent } = await paidOrder();
    expect(await onHand(variantId)).toBe(8);
    // Stripe refunds, but neither the answer nor the answers to the SDK's retries arrive.
    fake.state.dropRefundAnswers = 3;
    const pending = await admin('POST', `/api/admin/orders/${orderId}/refund`, {
      lines: [{ orderLineId: lineId, quantity: 1 }],
      reason: 'changed mind',
    });
    expect(pending.statusCode).toBe(502);
    expect(pending.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(pending.json()).toMatchObject({
      code: 'MCART_ERR_REFUND_PENDING',
      status: 502,
      amount: 2_000,
      refundId: expect.any(String),
    });
    expect(pending.json().detail).toContain('Do not refund it again');

    const held = await detail(orderId);
    expect(held).toMatchObject({
      status: 'partially_refunded',
      refunded: { amount: 2_000 },
      lines: [{ refundedQuantity: 1, withdrawnQuantity: 1, refundedAmount: { amount: 2_000 } }],
      payments: [{ refundedAmount: 2_000, refunds: [{ amount: 2_000, status: 'pending' }] }],
    });
    expect(held.timeline.at(-1)).toMatchObject({
      kind: 'refund',
      message:
        'Refund of $20.00 not confirmed: the payment gateway did not answer. It stays pending and is confirmed automatically; do not refund it again',
    });
    // Staff retrying cannot refund the same unit or the same money again.
    const again = await admin('POST', `/api/admin/orders/${orderId}/refund`, {
      lines: [{ orderLineId: lineId, quantity: 2 }],
    });
    expect(again.statusCode).toBe(400);
    expect(again.json().errors).toEqual([{ path: 'body/lines/0', message: 'only 1 of 2 left to refund' }]);
    const tooMuch = await admin('POST', `/api/admin/orders/${orderId}/refund`, { amount: 2_501 });
    expect(tooMuch.json()).toMatchObject({ code: 'MCART_ERR_REFUND_EXCEEDS_TOTAL' });
    // Nothing told the customer, nothing restocked, no credit note: the outcome is not known.
    expect(await events(orderId, 'refund')).toEqual([]);
    expect(await onHand(variantId)).toBe(8);
    expect(await creditNotes(orderId)).toEqual([]);

    await app.payments.reconcile(0);
    await app.payments.reconcile(0);
    const done = await detail(orderId);
    expect(done).toMatchObject({
      status: 'partially_refunded',
      refunded: { amount: 2_000 },
      lines: [{ refundedQuantity: 1, withdrawnQuantity: 1 }],
      payments: [{ refundedAmount: 2_000, refunds: [{ amount: 2_000, status: 'succeeded' }] }],
    });
    expect(done.timeline.at(-1)).toMatchObject({
      kind: 'refund',
      message: 'Refund of $20.00 confirmed by the payment gateway',
    });
    expect([...fake.refunds.values()].filter((refund) => refund.payment_intent === intent.id)).toHaveLength(
      1,
    );
    expect(await onHand(variantId)).toBe(9);
    expect(await events(orderId, 'refund')).toEqual([expect.objectContaining({ amount: 2_000 })]);
    expect(await events(orderId, 'refunded')).toEqual([
      expect.objectContaining({ amount: 2_000, lines: [{ orderLineId: lineId, quantity: 1 }] }),
    ]);
    expect((await creditNotes(orderId)).map((note) => note.total.amount)).toEqual([2_000]);
  });

  it('once the gateway refuses it (its answer lost first, then refused when sent again), both reservations are given back', async () => {
    const { orderId, variantId, lineId } = await paidOrder();
    fake.state.refundFaults.push('server_error');
    const pending = await admin('POST', `/api/admin/orders/${orderId}/refund`, {
      lines: [{ orderLineId: lineId, quantity: 2 }],
    });
    expect(pending.json()).toMatchObject({ code: 'MCART_ERR_REFUND_PENDING', amount: 4_000 });
    expect(await detail(orderId)).toMatchObject({
      status: 'partially_refunded',
      lines: [{ refundedQuantity: 2, withdrawnQuantity: 2 }],
    });
    // Stripe pruned the key a day later; the charge was disputed meanwhile, and the refund sent again is refused.
    fake.byIdempotencyKey.delete(`mcart-refund-${pending.json().refundId}`);
    fake.state.refundFaults.push('refuse');
    await app.payments.reconcile(0);
    const released = await detail(orderId);
    expect(released).toMatchObject({
      status: 'paid',
      refunded: { amount: 0 },
      lines: [{ refundedQuantity: 0, withdrawnQuantity: 0 }],
      payments: [{ refundedAmount: 0, refunds: [{ status: 'failed' }] }],
    });
    expect(released.timeline.at(-1)!.message).toMatch(
      /^Refund of \$40\.00 failed at the gateway and was undone \(.*charged back.*\)$/,
    );
    expect(await events(orderId, 'refund_failed')).toHaveLength(1);
    expect(await events(orderId, 'refund')).toEqual([]);
    expect(await onHand(variantId)).toBe(8);
    expect(await creditNotes(orderId)).toEqual([]);
  });
});

describe('a refund that fails at the gateway after it went through', () => {
  it('is recorded once: the money is counted back, the units can be refunded again (withdrawn ones stay on the shelf), the order moves back, staff are told', async () => {
    const { orderId, variantId, lineId, intent } = await paidOrder();
    const refunded = await admin('POST', `/api/admin/orders/${orderId}/refund`, {
      lines: [{ orderLineId: lineId, quantity: 1 }],
    });
    expect(refunded.statusCode, refunded.body).toBe(200);
    expect(await onHand(variantId)).toBe(9);
    const made = [...fake.refunds.values()].find((refund) => refund.payment_intent === intent.id)!;
    Object.assign(made, { status: 'failed', failure_reason: 'expired_or_canceled_card' });
    const failed = { ...made };
    await deliver('refund.failed', failed);
    await deliver('charge.refund.updated', failed);

    const after = await detail(orderId);
    expect(after).toMatchObject({
      status: 'paid',
      refunded: { amount: 0 },
      lines: [{ refundedQuantity: 0, withdrawnQuantity: 1, refundedAmount: { amount: 0 } }],
      payments: [{ refundedAmount: 0, refunds: [{ status: 'failed', reversedAt: expect.any(String) }] }],
    });
    expect(after.timeline.at(-1)).toMatchObject({
      kind: 'refund',
      fromStatus: 'partially_refunded',
      toStatus: 'paid',
      message:
        'Refund of $20.00 failed at the payment gateway after it was sent (expired or canceled card): the money did not go back to the customer; its units can be refunded again',
    });
    expect(await events(orderId, 'refund_reversed')).toEqual([
      expect.objectContaining({ amount: 2_000, reason: 'expired_or_canceled_card', refundedAmount: 0 }),
    ]);
    // The unit stays off the parcel and on the shelf; refunding it again gives the money back, no second restock.
    const retried = await admin('POST', `/api/admin/orders/${orderId}/refund`, {
      lines: [{ orderLineId: lineId, quantity: 1 }],
    });
    expect(retried.statusCode, retried.body).toBe(200);
    expect(await detail(orderId)).toMatchObject({
      status: 'partially_refunded',
      refunded: { amount: 2_000 },
      lines: [{ refundedQuantity: 1, withdrawnQuantity: 1, refundedAmount: { amount: 2_000 } }],
    });
    expect(await onHand(variantId)).toBe(9);
  });
});

describe('disputes', () => {
  const dispute = (intent: MockIntent, status: string) => ({
    id: `dp_${intent.id.slice(3, 15)}`,
    object: 'dispute',
    amount: intent.amount,
    currency: intent.currency,
    charge: intent.latest_charge!.id,
    payment_intent: intent.id,
    reason: 'product_not_received',
    status,
    evidence_details: { due_by: 1_893_456_000 },
  });

  it('an opened dispute shows on the order and its payment; a lost one is money gone: the order is refunded, credited, the customer not mailed a refund', async () => {
    const { orderId, intent } = await paidOrder();
    await deliver('charge.dispute.created', dispute(intent, 'needs_response'));
    const opened = await detail(orderId);
    expect(opened).toMatchObject({
      status: 'paid',
      payments: [{ dispute: { status: 'needs_response', amount: 4_500 } }],
    });
    expect(opened.timeline.at(-1)).toMatchObject({
      kind: 'payment',
      message:
        "Payment of $45.00 disputed by the customer's bank (product not received): evidence due by 2030-01-01. Respond in the payment gateway's dashboard",
    });
    // Named by the order's number, as staff know it (the desktop's alert says it).
    const number = (await admin('GET', `/api/admin/orders/${orderId}`)).json<{ number: string }>().number;
    expect(number).toMatch(/\S/);
    expect(await events(orderId, 'payment_dispute')).toEqual([
      expect.objectContaining({ status: 'needs_response', amount: 4_500, number }),
    ]);

    await deliver('charge.dispute.closed', dispute(intent, 'lost'));
    const lost = await detail(orderId);
    expect(lost).toMatchObject({
      status: 'refunded',
      refunded: { amount: 4_500 },
      payments: [
        {
          refundedAmount: 4_500,
          dispute: { status: 'lost' },
          refunds: [{ kind: 'dispute', amount: 4_500, status: 'succeeded' }],
        },
      ],
    });
    expect(lost.timeline.at(-1)).toMatchObject({
      kind: 'refund',
      fromStatus: 'paid',
      toStatus: 'refunded',
      message:
        'Dispute of $45.00 lost (product not received): the money went back to the customer through their bank',
    });
    expect((await creditNotes(orderId)).map((note) => note.total.amount)).toEqual([4_500]);
    expect(await events(orderId, 'refund')).toEqual([]);
    // Nothing is left to refund.
    const refund = await admin('POST', `/api/admin/orders/${orderId}/refund`, { amount: 1 });
    expect(refund.statusCode).toBe(409);
  });
});

describe('when a refund went through (sales reports, ADR 0050)', () => {
  const sql = <T extends object>(text: string, params: unknown[] = []) =>
    (app.orm.em.fork() as EntityManager).execute<T[]>(text, params);
  const refundRows = (orderId: string) =>
    sql<{ status: string; kind: string; amount: string; succeeded: boolean }>(
      `SELECT r.status, r.kind, r.amount, r.succeeded_at IS NOT NULL AS succeeded FROM payment_refund r
         JOIN payment p ON p.id = r.payment_id WHERE p.order_id = ? ORDER BY r.created_at, r.amount`,
      [orderId],
    );
  const went = { status: 'succeeded', succeeded: true };

  it('is recorded once by every path that confirms a refund: the answer, the webhook, the job, the gateway, a lost dispute', async () => {
    // The gateway's answer.
    const answered = await paidOrder();
    expect(
      (await admin('POST', `/api/admin/orders/${answered.orderId}/refund`, { amount: 1_000 })).statusCode,
    ).toBe(200);
    // A refund made in the gateway's dashboard (charge.refunded: recorded from Stripe's list, by its id).
    await deliver('charge.refunded', fake.dashboardRefund(answered.intent.id, 500).charge);
    expect(await refundRows(answered.orderId)).toEqual([
      expect.objectContaining({ ...went, amount: '1000' }),
      expect.objectContaining({ ...went, amount: '500' }),
    ]);

    // The answer lost: a refund event confirms it.
    const hooked = await paidOrder();
    fake.state.dropRefundAnswers = 3;
    expect(
      (await admin('POST', `/api/admin/orders/${hooked.orderId}/refund`, { amount: 1_000 })).statusCode,
    ).toBe(502);
    expect(await refundRows(hooked.orderId)).toEqual([
      expect.objectContaining({ status: 'pending', succeeded: false }),
    ]);
    const made = [...fake.refunds.values()].find((refund) => refund.payment_intent === hooked.intent.id)!;
    await deliver('refund.updated', { ...made, status: 'succeeded' });
    expect(await refundRows(hooked.orderId)).toEqual([expect.objectContaining(went)]);

    // The answer lost: the reconciliation job confirms it.
    const job = await paidOrder();
    fake.state.dropRefundAnswers = 3;
    expect(
      (await admin('POST', `/api/admin/orders/${job.orderId}/refund`, { amount: 1_000 })).statusCode,
    ).toBe(502);
    await app.payments.reconcile(0);
    expect(await refundRows(job.orderId)).toEqual([expect.objectContaining(went)]);

    // A lost dispute: money gone through the customer's bank.
    await deliver('charge.dispute.closed', {
      id: `dp_${job.intent.id.slice(3, 15)}`,
      object: 'dispute',
      amount: 3_500,
      currency: job.intent.currency,
      charge: job.intent.latest_charge!.id,
      payment_intent: job.intent.id,
      reason: 'fraudulent',
      status: 'lost',
    });
    expect(await refundRows(job.orderId)).toEqual([
      expect.objectContaining(went),
      expect.objectContaining({ ...went, kind: 'dispute', amount: '3500' }),
    ]);
  });

  it('a refund reversed on a later day stays on the day it went through; the reversal counts back on its own day', async () => {
    const { orderId, intent } = await paidOrder();
    expect((await admin('POST', `/api/admin/orders/${orderId}/refund`, { amount: 2_000 })).statusCode).toBe(
      200,
    );
    // Paid three days ago, refunded two days ago (as the gateway confirmed it then).
    await sql(
      `UPDATE orders SET paid_at = now() - interval '3 days', created_at = now() - interval '3 days' WHERE id = ?`,
      [orderId],
    );
    const [refund] = await sql<{ id: string }>(
      `UPDATE payment_refund r SET created_at = now() - interval '2 days', updated_at = now() - interval '2 days',
              succeeded_at = now() - interval '2 days'
         FROM payment p WHERE p.id = r.payment_id AND p.order_id = ? RETURNING r.id`,
      [orderId],
    );
    const [days] = await sql<{ paid: string; refunded: string; today: string; tomorrow: string }>(
      `SELECT to_char(paid_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS paid,
              to_char((SELECT succeeded_at FROM payment_refund WHERE id = ?) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS refunded,
              to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS today,
              to_char((now() AT TIME ZONE 'UTC')::date + 1, 'YYYY-MM-DD') AS tomorrow
         FROM orders WHERE id = ?`,
      [refund!.id, orderId],
    );
    type Row = { period: string; orders: number; refunds: number; net: number };
    const sales = async (to: string) => {
      const response = await admin('GET', `/api/admin/reports/sales?from=${days!.paid}&to=${to}`);
      expect(response.statusCode, response.body).toBe(200);
      return response.json<{ rows: Row[]; totals: Row }>();
    };
    const on = (rows: Row[], period: string) => rows.find((row) => row.period === period)!;
    // Up to tomorrow: the reversal's day is one of these, even if midnight passes meanwhile.
    const before = await sales(days!.tomorrow);
    expect(on(before.rows, days!.paid)).toMatchObject({ orders: 1, refunds: 0, net: 4_500 });
    expect(on(before.rows, days!.refunded)).toMatchObject({ orders: 0, refunds: 2_000, net: -2_000 });

    const made = [...fake.refunds.values()].find((r) => r.payment_intent === intent.id)!;
    await deliver('refund.failed', { ...made, status: 'failed', failure_reason: 'lost_or_stolen_card' });
    // The reversal keeps when the refund went through.
    const [row] = await sql<{ status: string; kept: boolean; reversed_on: string }>(
      `SELECT status, succeeded_at < reversed_at - interval '1 day' AS kept,
              to_char(reversed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS reversed_on
         FROM payment_refund WHERE id = ?`,
      [refund!.id],
    );
    expect(row).toMatchObject({ status: 'failed', kept: true });
    expect(row!.reversed_on >= days!.today).toBe(true);

    const after = await sales(days!.tomorrow);
    // The days before the reversal read as they did: a past period never changes.
    for (const period of [days!.paid, days!.refunded])
      expect(on(after.rows, period)).toEqual(on(before.rows, period));
    // The reversal is money back in on its day: a negative refund.
    const reversedDay = on(before.rows, row!.reversed_on);
    expect(on(after.rows, row!.reversed_on)).toEqual({
      ...reversedDay,
      refunds: reversedDay.refunds - 2_000,
      net: reversedDay.net + 2_000,
    });
    // Takings = captured − refunds + reversals.
    expect(after.totals.refunds).toBe(before.totals.refunds - 2_000);
    expect(after.totals.net).toBe(before.totals.net + 2_000);
    expect(await detail(orderId)).toMatchObject({
      refunded: { amount: 0 },
      payments: [{ refundedAmount: 0 }],
    });
  });
});
