import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { staffToken, useTestApp } from '../../../test/app.ts';
import { commerceFixtures } from '../cart/test-helpers.ts';
import { OrdersService } from '../orders/orders.service.ts';
import { TEST_SIGNATURE_HEADER, type TestGatewayProvider } from './providers/test-gateway.ts';

/**
 * What happens to money and mail when a payment does not go the happy way, with the real orders and
 * notifications modules, the built-in test gateway and the local mailbox (no SMTP configured).
 */
const WEBHOOK_SECRET = 'whsec_test_recovery_0123456789abcdef';
const { app } = await useTestApp(
  {},
  {
    secrets: {
      jwt: 'test-secret-that-is-long-enough-0123456789',
      encryptionKeys: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
      testGatewayWebhook: WEBHOOK_SECRET,
    },
  },
);
let staff: string;
let fixtures: ReturnType<typeof commerceFixtures>;
beforeAll(async () => {
  staff = await staffToken(app);
  fixtures = commerceFixtures(app, staff);
});
const em = () => app.orm.em.fork() as EntityManager;

const address = {
  name: 'Ada Shopper',
  line1: '1 Test Street',
  city: 'Testville',
  postalCode: '12345',
  country: 'US',
};

/** One unit costs 2,500; with the default shipping (500) a one-unit order's total is 3,000. */
async function checkout(token: string, email: string, quantity = 1) {
  const product = await fixtures.product([2_500], 10);
  const variantId = product.variants[0]!.id;
  const cartId = await fixtures.cart();
  expect((await fixtures.add(cartId, variantId, quantity)).statusCode).toBe(200);
  const response = await app.inject({
    method: 'POST',
    url: `/api/store/carts/${cartId}/checkout`,
    headers: { 'idempotency-key': randomUUID() },
    payload: { email, shippingAddress: address, payment: { provider: 'test', token } },
  });
  return { response, variantId, cartId };
}

/** Runs the outbox consumers (mail is queued there) and sends what they queued to the local mailbox. */
async function deliverMail() {
  await app.outbox.drain();
  await app.outbox.drain();
  await app.mailer.sendPending(em());
}

const mailbox = async (to: string) => {
  const list = await app.inject({
    url: `/api/admin/mailbox?q=${encodeURIComponent(to)}&perPage=100`,
    headers: { authorization: staff },
  });
  expect(list.statusCode).toBe(200);
  const { data } = list.json<{ data: { id: string; to: string; subject: string }[] }>();
  return Promise.all(
    data.map(async (summary) =>
      (
        await app.inject({ url: `/api/admin/mailbox/${summary.id}`, headers: { authorization: staff } })
      ).json<{ to: string; subject: string; text: string }>(),
    ),
  );
};

describe('a declined payment', () => {
  it('sends one e-mail, "payment failed", that says no money was taken and how to retry', async () => {
    const email = `declined-${randomUUID().slice(0, 8)}@example.test`;
    const { response, cartId } = await checkout('tok_chargeDeclined', email);
    expect(response.statusCode).toBe(402);
    const { number } = response.json<{ number: string }>();
    // Both events of the decline are committed: payment_failed (payments) and cancelled (orders).
    for (let round = 0; round < 3; round++) await deliverMail();

    const mails = await mailbox(email);
    expect(mails.map((mail) => mail.subject)).toEqual([`Payment for order ${number} did not go through`]);
    expect(mails[0]!.to).toBe(email);
    expect(mails[0]!.text).toContain(`The payment for order ${number} did not go through`);
    expect(mails[0]!.text).toContain('no money was taken');
    expect(mails[0]!.text).toContain('you can check out again');
    // The retry the e-mail promises: the cart is open again and takes a new checkout.
    const cart = await app.inject({ url: `/api/store/carts/${cartId}` });
    expect(cart.json<{ status: string }>().status).toBe('open');
  });
});

const gateway = () => app.payments.provider as TestGatewayProvider;

interface AdminOrder {
  status: string;
  payments: {
    id: string;
    status: string;
    capturedAmount: number;
    refundedAmount: number;
    refunds: { amount: number; status: string }[];
  }[];
  timeline: { kind: string; message: string | null; toStatus: string | null }[];
}
const adminOrder = async (id: string) =>
  (
    await app.inject({ method: 'GET', url: `/api/admin/orders/${id}`, headers: { authorization: staff } })
  ).json<AdminOrder>();

const available = async (variantId: string) =>
  (
    await app.inject({
      method: 'GET',
      url: `/api/admin/inventory/levels?variantId=${variantId}`,
      headers: { authorization: staff },
    })
  ).json<{ data: { available: number }[] }>().data[0]!.available;

const outboxEvents = async (orderId: string) =>
  (
    await em().execute<{ payload: { event: string } }[]>(
      `SELECT payload FROM outbox_event WHERE resource = 'orders' AND ? = ANY(ids) ORDER BY id`,
      [orderId],
    )
  ).map((row) => row.payload.event);

/** A 3-D Secure checkout: the order waits for payment, its payment waits for the shopper's bank. */
async function pendingOrder(quantity = 1) {
  const { response, variantId } = await checkout(
    'tok_threeDSecure',
    `async-${randomUUID().slice(0, 8)}@example.test`,
    quantity,
  );
  expect(response.statusCode).toBe(201);
  const body = response.json<{
    order: { id: string; status: string };
    payment: { id: string; clientSecret: string };
  }>();
  expect(body.order.status).toBe('pending_payment');
  return {
    orderId: body.order.id,
    paymentId: body.payment.id,
    intentId: body.payment.clientSecret.split('_secret_')[0]!,
    variantId,
  };
}

const deliverWebhook = (signed: { rawBody: string; signature: string }) =>
  app.inject({
    method: 'POST',
    url: '/api/webhooks/payments/test',
    headers: { 'content-type': 'application/json', [TEST_SIGNATURE_HEADER]: signed.signature },
    payload: signed.rawBody,
  });

/** The state a killed process leaves: written directly, as old as the reconciliation threshold needs. */
const stickPayment = (paymentId: string, status: 'pending' | 'capturing', keepRef: boolean) =>
  em().execute(
    `UPDATE payment SET status = ?, provider_ref = CASE WHEN ? THEN provider_ref ELSE NULL END,
            updated_at = now() - interval '1 hour' WHERE id = ?`,
    [status, keepRef, paymentId],
  );

describe('a payment that succeeds after its order was cancelled', () => {
  it('async (3-D Secure) confirmation after the reservation expired: voided at the gateway, order stays cancelled, timeline and staff event', async () => {
    const { orderId, paymentId, intentId, variantId } = await pendingOrder(2);
    expect(await available(variantId)).toBe(8);
    // The reservation runs out while the shopper is still at the bank: the expiry cancels the order.
    await em().execute(`UPDATE orders SET reserved_until = now() - interval '1 minute' WHERE id = ?`, [
      orderId,
    ]);
    expect(await new OrdersService(em(), app.cipher).expireUnpaid()).toContain(orderId);
    expect(await available(variantId)).toBe(10);

    // The bank approves anyway and the gateway's signed webhook arrives (the expiry job's void came too late).
    const completed = (await gateway().completeAction(intentId, 'succeed'))!;
    const response = await deliverWebhook(completed);
    expect(response.statusCode).toBe(200);

    const order = await adminOrder(orderId);
    expect(order.status).toBe('cancelled');
    expect(order.payments).toEqual([
      expect.objectContaining({ id: paymentId, status: 'canceled', capturedAmount: 0 }),
    ]);
    // No money taken: the authorization was voided, never captured.
    expect(await gateway().inspect(intentId)).toMatchObject({ status: 'canceled', captureCount: 0 });
    const payments = order.timeline.filter((event) => event.kind === 'payment').map((e) => e.message);
    expect(payments).toEqual([
      expect.stringMatching(/authorized after the order was cancelled: it is voided automatically/),
      expect.stringMatching(/voided automatically: order cancelled/),
    ]);
    expect(order.timeline.filter((event) => event.toStatus === 'paid')).toEqual([]);
    expect(await outboxEvents(orderId)).toEqual(
      expect.arrayContaining(['payment_after_cancellation', 'payment_canceled']),
    );
    expect(await outboxEvents(orderId)).not.toContain('paid');
    expect(await available(variantId)).toBe(10);

    // The gateway retries the webhook: nothing more happens.
    expect((await deliverWebhook(completed)).json()).toEqual({ received: true, replayed: true });
    expect((await adminOrder(orderId)).timeline).toHaveLength(order.timeline.length);
  });
});

describe('payments.reconcile (the crash cleanup job)', () => {
  it('capturing, gateway never got the capture: captured once now, the order paid through markPaid', async () => {
    const { orderId, paymentId, intentId, variantId } = await pendingOrder();
    await gateway().completeAction(intentId, 'succeed'); // authorized at the gateway; its webhook was lost
    await stickPayment(paymentId, 'capturing', true); // capture claimed, process killed before the call

    const outcome = await app.payments.reconcile(10);
    expect(outcome.checked).toBeGreaterThanOrEqual(1);
    const order = await adminOrder(orderId);
    expect(order.status).toBe('paid');
    expect(order.payments).toEqual([expect.objectContaining({ status: 'captured', capturedAmount: 3_000 })]);
    expect(await gateway().inspect(intentId)).toMatchObject({ status: 'succeeded', captureCount: 1 });
    expect((await outboxEvents(orderId)).filter((event) => event === 'paid')).toHaveLength(1);
    expect(await available(variantId)).toBe(9);

    // A second run finds nothing left to do for this payment.
    await app.payments.reconcile(10);
    expect(await gateway().inspect(intentId)).toMatchObject({ captureCount: 1 });
    expect((await outboxEvents(orderId)).filter((event) => event === 'paid')).toHaveLength(1);
  });

  it('capturing, gateway captured but the answer was lost: paid without a second capture', async () => {
    const { orderId, paymentId, intentId } = await pendingOrder();
    await gateway().completeAction(intentId, 'succeed');
    await gateway().capture(intentId, undefined);
    await stickPayment(paymentId, 'capturing', true);

    await app.payments.reconcile(10);
    expect(await adminOrder(orderId)).toMatchObject({
      status: 'paid',
      payments: [expect.objectContaining({ status: 'captured', capturedAmount: 3_000 })],
    });
    expect(await gateway().inspect(intentId)).toMatchObject({ captureCount: 1 });
  });

  it('pending with the authorize answer lost: found at the gateway by our payment id, then captured and paid', async () => {
    const { orderId, paymentId, intentId } = await pendingOrder();
    await gateway().completeAction(intentId, 'succeed');
    await stickPayment(paymentId, 'pending', false);

    await app.payments.reconcile(10);
    const order = await adminOrder(orderId);
    expect(order.status).toBe('paid');
    expect(order.payments).toEqual([
      expect.objectContaining({ status: 'captured', providerRef: intentId, capturedAmount: 3_000 }),
    ]);
    expect(await gateway().inspect(intentId)).toMatchObject({ captureCount: 1 });
  });

  it('pending that never reached the gateway: failed like a decline (nothing taken, stock released, cart open)', async () => {
    const { orderId, paymentId, variantId } = await pendingOrder();
    await em().execute(`DELETE FROM test_gateway_intent WHERE payment_id = ?`, [paymentId]);
    await stickPayment(paymentId, 'pending', false);

    await app.payments.reconcile(10);
    const order = await adminOrder(orderId);
    expect(order.status).toBe('cancelled');
    expect(order.payments).toEqual([
      expect.objectContaining({ status: 'declined', declineCode: 'not_submitted', capturedAmount: 0 }),
    ]);
    expect(await available(variantId)).toBe(10);
    expect(await outboxEvents(orderId)).toEqual(expect.arrayContaining(['payment_failed', 'cancelled']));
  });

  it('leaves payments younger than the threshold alone (their gateway call may still be running)', async () => {
    const { orderId, paymentId, intentId } = await pendingOrder();
    await gateway().completeAction(intentId, 'succeed');
    await em().execute(`UPDATE payment SET status = 'capturing' WHERE id = ?`, [paymentId]);
    await app.payments.reconcile(10);
    expect((await adminOrder(orderId)).status).toBe('pending_payment');
    expect(await gateway().inspect(intentId)).toMatchObject({ captureCount: 0 });
  });

  it('a refund left pending (reserved, gateway answer lost) is sent again under its own key: refunded once', async () => {
    const refundOf = async (idOfIntent: string) => (await gateway().inspect(idOfIntent))!.refundedAmount;
    const paidOrder = async () => {
      const { response } = await checkout('tok_visa', `refund-${randomUUID().slice(0, 8)}@example.test`);
      const body = response.json<{ order: { id: string }; payment: { id: string } }>();
      const [payment] = await em().execute<{ provider_ref: string }[]>(
        `SELECT provider_ref FROM payment WHERE id = ?`,
        [body.payment.id],
      );
      return { orderId: body.order.id, paymentId: body.payment.id, intentId: payment!.provider_ref };
    };
    /** What refund() commits before it calls the gateway, as a killed process leaves it. */
    const reserveRefund = async (paymentId: string, amount: number) => {
      await em().execute(`UPDATE payment SET refunded_amount = refunded_amount + ? WHERE id = ?`, [
        amount,
        paymentId,
      ]);
      const [row] = await em().execute<{ id: string }[]>(
        `INSERT INTO payment_refund (id, created_at, updated_at, payment_id, amount, reason, status)
         VALUES (gen_random_uuid(), now() - interval '1 hour', now() - interval '1 hour', ?, ?, 'damaged', 'pending') RETURNING id`,
        [paymentId, amount],
      );
      return row!.id;
    };

    // The gateway never got the refund: it is sent now.
    const lost = await paidOrder();
    await reserveRefund(lost.paymentId, 1_000);
    await app.payments.reconcile(10);
    expect(await refundOf(lost.intentId)).toBe(1_000);
    expect((await adminOrder(lost.orderId)).payments[0]).toMatchObject({
      refundedAmount: 1_000,
      refunds: [expect.objectContaining({ amount: 1_000, status: 'succeeded' })],
    });

    // The gateway refunded but the answer was lost: the same key gets the same refund, not a second one.
    const answered = await paidOrder();
    const refundId = await reserveRefund(answered.paymentId, 1_000);
    await gateway().refund({
      ref: answered.intentId,
      amount: 1_000,
      idempotencyKey: `mcart-refund-${refundId}`,
      refundId,
    });
    await app.payments.reconcile(10);
    await app.payments.reconcile(10);
    expect(await refundOf(answered.intentId)).toBe(1_000);
    expect((await adminOrder(answered.orderId)).payments[0]).toMatchObject({
      refundedAmount: 1_000,
      refunds: [expect.objectContaining({ status: 'succeeded' })],
    });
    expect((await outboxEvents(answered.orderId)).filter((event) => event === 'refunded')).toHaveLength(1);
  });
});
