import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { staffToken, useTestApp } from '../../../test/app.ts';
import { commerceFixtures } from '../cart/test-helpers.ts';
import { orderEvents } from './testing/orders-double.ts';
import { signedEvent, startFakeStripe } from './testing/fake-stripe.ts';

/**
 * A refund made in the Stripe dashboard while an MCart refund of the same payment is reserved (pending: Stripe
 * answered 500) and that MCart refund is then refused: the dashboard refund is recorded once, whatever the order
 * of the events and however often they come. End to end: staff's routes, the real orders and invoicing modules,
 * the Stripe provider (the real SDK) against the local fake Stripe server, signed webhooks, the reconciliation job.
 */
const fake = await startFakeStripe();
afterAll(() => fake.close());
const WEBHOOK_SECRET = 'whsec_dashboard_refund_0123456789';
const { app } = await useTestApp({
  PAYMENT_PROVIDER: 'stripe',
  STRIPE_SECRET_KEY: 'sk_test_dashboard_refund',
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
  refunded: { amount: number };
  lines: { id: string; refundedQuantity: number }[];
  payments: {
    providerRef: string;
    refundedAmount: number;
    refunds: { id: string; amount: number; status: string; reason: string | null }[];
  }[];
  timeline: { kind: string; message: string | null }[];
}
const detail = async (orderId: string) =>
  (await admin('GET', `/api/admin/orders/${orderId}`)).json<OrderDetail>();

/** A paid order of two units of 20.00 (shipping 5.00: total 45.00), paid through Stripe. */
async function paidOrder() {
  const product = await fx.product([2_000], 10);
  const cartId = await fx.cart();
  expect((await fx.add(cartId, product.variants[0]!.id, 2)).statusCode).toBe(200);
  const placed = await app.inject({
    method: 'POST',
    url: `/api/store/carts/${cartId}/checkout`,
    headers: { 'idempotency-key': randomUUID() },
    payload: {
      email: 'dashboard@example.test',
      shippingAddress: {
        name: 'Dee Board',
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
  expect(order.status).toBe('paid');
  return { orderId, lineId: order.lines[0]!.id, intentId: order.payments[0]!.providerRef };
}

/** Delivers a signed Stripe event (`id`: the same id again is a replay). */
const deliver = async (type: string, object: unknown, id?: string) => {
  const { payload, header } = signedEvent(type, object, WEBHOOK_SECRET, id);
  const response = await app.inject({
    method: 'POST',
    url: '/api/webhooks/payments/stripe',
    headers: { 'content-type': 'application/json', 'stripe-signature': header },
    payload,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ replayed: boolean }>();
};

/** Staff's refund that Stripe answers with a 500: left pending, its amount reserved. */
async function pendingRefund(orderId: string, payload: Record<string, unknown>) {
  fake.state.refundFaults.push('server_error');
  const response = await admin('POST', `/api/admin/orders/${orderId}/refund`, payload);
  expect(response.json()).toMatchObject({ code: 'MCART_ERR_REFUND_PENDING' });
  return response.json<{ refundId: string; amount: number }>();
}

const creditNotes = async (orderId: string) => {
  await app.outbox.drain();
  const listed = await admin('GET', `/api/admin/invoices?orderId=${orderId}&kind=credit_note`);
  expect(listed.statusCode, listed.body).toBe(200);
  return listed.json<{ data: { total: { amount: number } }[] }>().data.map((note) => note.total.amount);
};

const refundedEvents = async (orderId: string) =>
  (await orderEvents(app, orderId)).filter((event) => event.event === 'refunded');

describe('a refund made in the Stripe dashboard while an MCart refund is pending, which the gateway then refuses', () => {
  it('is recorded once: counted on the payment and the order, credited, announced; replays and late copies add nothing', async () => {
    const { orderId, lineId, intentId } = await paidOrder();
    const pending = await pendingRefund(orderId, { lines: [{ orderLineId: lineId, quantity: 1 }] });
    expect(pending.amount).toBe(2_000);

    // 10.00 refunded in the Stripe dashboard meanwhile: Stripe's charge.refunded, delivered twice.
    const { refund: dashboard, charge } = fake.dashboardRefund(intentId, 1_000);
    const eventId = `evt_${randomUUID().replaceAll('-', '')}`;
    expect(await deliver('charge.refunded', charge, eventId)).toEqual({ received: true, replayed: false });
    expect(await deliver('charge.refunded', charge, eventId)).toEqual({ received: true, replayed: true });

    // A day later Stripe no longer replays the 500; the charge was disputed meanwhile: the refund is refused.
    fake.byIdempotencyKey.delete(`mcart-refund-${pending.refundId}`);
    fake.state.refundFaults.push('refuse');
    await app.payments.reconcile(0);

    const after = await detail(orderId);
    expect(after).toMatchObject({
      status: 'partially_refunded',
      refunded: { amount: 1_000 },
      lines: [{ refundedQuantity: 0 }],
      payments: [
        {
          refundedAmount: 1_000,
          refunds: expect.arrayContaining([
            expect.objectContaining({ id: pending.refundId, status: 'failed' }),
            expect.objectContaining({
              amount: 1_000,
              status: 'succeeded',
              reason: 'at the gateway, outside MCart',
            }),
          ]),
        },
      ],
    });
    expect(after.payments[0]!.refunds).toHaveLength(2);
    expect(after.timeline.filter((entry) => entry.message?.includes('outside MCart'))).toHaveLength(1);
    expect(await refundedEvents(orderId)).toEqual([expect.objectContaining({ amount: 1_000, lines: [] })]);
    expect(await creditNotes(orderId)).toEqual([1_000]);

    // Late copies (another event id, the same total), a refund.created of it and the job again: nothing more.
    await deliver('charge.refunded', fake.chargeOf(intentId));
    await deliver('refund.created', dashboard);
    await deliver('refund.updated', dashboard);
    await app.payments.reconcile(0);
    const again = await detail(orderId);
    expect(again).toMatchObject({ refunded: { amount: 1_000 }, payments: [{ refundedAmount: 1_000 }] });
    expect(again.payments[0]!.refunds).toHaveLength(2);
    expect(await refundedEvents(orderId)).toHaveLength(1);
    expect(await creditNotes(orderId)).toEqual([1_000]);
    // The refused refund's money can be refunded again: 35.00 left after the dashboard's 10.00, no more.
    expect(
      (await admin('POST', `/api/admin/orders/${orderId}/refund`, { amount: 3_501 })).json(),
    ).toMatchObject({
      code: 'MCART_ERR_REFUND_EXCEEDS_TOTAL',
    });
  });

  it('when the pending refund left no room for it, it is counted once that refund is refused, whichever event came first', async () => {
    const { orderId, intentId } = await paidOrder();
    // 40.00 of the 45.00 reserved for a refund Stripe answered 500.
    const pending = await pendingRefund(orderId, { amount: 4_000 });

    // 10.00 refunded in the dashboard: its refund.created first, then charge.refunded (twice, two ids).
    const { refund: dashboard, charge } = fake.dashboardRefund(intentId, 1_000);
    await deliver('refund.created', dashboard);
    await deliver('charge.refunded', charge);
    await deliver('charge.refunded', charge);
    // Nothing counted yet: 40.00 reserved + 10.00 would exceed what was captured.
    expect((await detail(orderId)).payments[0]).toMatchObject({ refundedAmount: 4_000 });

    // Sent again once Stripe no longer replays the 500: refused (only 35.00 left at Stripe).
    fake.byIdempotencyKey.delete(`mcart-refund-${pending.refundId}`);
    await app.payments.reconcile(0);
    await app.payments.reconcile(0);
    const after = await detail(orderId);
    expect(after).toMatchObject({
      status: 'partially_refunded',
      refunded: { amount: 1_000 },
      payments: [{ refundedAmount: 1_000 }],
    });
    expect(after.payments[0]!.refunds.map(({ amount, status }) => ({ amount, status }))).toEqual(
      expect.arrayContaining([
        { amount: 4_000, status: 'failed' },
        { amount: 1_000, status: 'succeeded' },
      ]),
    );
    expect(after.payments[0]!.refunds).toHaveLength(2);

    // A late charge.refunded adds nothing; the dashboard refund failing later reverses it, once.
    await deliver('charge.refunded', charge);
    expect(await refundedEvents(orderId)).toEqual([expect.objectContaining({ amount: 1_000 })]);
    Object.assign(dashboard, { status: 'failed', failure_reason: 'expired_or_canceled_card' });
    await deliver('refund.failed', dashboard);
    await deliver('charge.refunded', fake.chargeOf(intentId));
    const reversed = await detail(orderId);
    expect(reversed).toMatchObject({ refunded: { amount: 0 }, payments: [{ refundedAmount: 0 }] });
    expect(reversed.payments[0]!.refunds.filter((refund) => refund.status === 'succeeded')).toEqual([]);
  });

  it('a refund counted from the running total by an earlier version is not counted again when Stripe lists it', async () => {
    const { orderId, intentId } = await paidOrder();
    const { refund: dashboard, charge } = fake.dashboardRefund(intentId, 1_000);
    // What earlier versions wrote for it: a succeeded refund without the gateway's id.
    const em = app.orm.em.fork();
    const [payment] = await em.execute<{ id: string }[]>(
      `UPDATE payment SET refunded_amount = refunded_amount + 1000 WHERE order_id = ? RETURNING id`,
      [orderId],
    );
    await em.execute(
      `INSERT INTO payment_refund (id, created_at, updated_at, succeeded_at, payment_id, amount, reason, status, lines)
       VALUES (gen_random_uuid(), now(), now(), now(), ?, 1000, 'at the gateway, outside MCart', 'succeeded', '[]'::jsonb)`,
      [payment!.id],
    );
    await deliver('charge.refunded', charge);
    const { refund: second } = fake.dashboardRefund(intentId, 700);
    await deliver('charge.refunded', fake.chargeOf(intentId));
    const [after] = (await detail(orderId)).payments;
    expect(after!.refundedAmount).toBe(1_700);
    expect(after!.refunds.map(({ amount, status }) => ({ amount, status }))).toEqual([
      { amount: 1_000, status: 'succeeded' },
      { amount: 700, status: 'succeeded' },
    ]);
    const refs = await em.execute<{ provider_ref: string }[]>(
      `SELECT provider_ref FROM payment_refund WHERE payment_id = ? ORDER BY amount DESC`,
      [payment!.id],
    );
    expect(refs.map((row) => row.provider_ref)).toEqual([dashboard.id, second.id]);
  });
});
