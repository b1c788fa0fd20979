import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { staffToken, useTestApp } from '../../../../test/app.ts';
import { PaymentsService } from '../payments.service.ts';
import { orderEvents, ordersDouble, testOrderNumber } from '../testing/orders-double.ts';
import { CARDS, charge, startFakeStripe, type MockIntent } from '../testing/fake-stripe.ts';
import { GatewayError } from '../provider.ts';
import { StripeProvider } from './stripe.provider.ts';

/**
 * The Stripe provider against a local HTTP server on 127.0.0.1 that answers the few Stripe endpoints MCart
 * uses, the way Stripe does (testing/fake-stripe.ts).
 */
const fake = await startFakeStripe();
afterAll(() => fake.close());
const { intents, requests, port } = fake;

const WEBHOOK_SECRET = 'whsec_stripe_suite_0123456789';
const { app } = await useTestApp({
  PAYMENT_PROVIDER: 'stripe',
  STRIPE_SECRET_KEY: 'sk_test_mcart_suite',
  STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
  STRIPE_API_URL: `http://127.0.0.1:${port}`,
});
const orders = await ordersDouble(app);
app.payments.useOrders(orders.port);
const signer = new Stripe('sk_test_signing_only');

const start = (service: PaymentsService, orderId: string, token: string) =>
  service.startPayment({
    orderId,
    amount: 4_200,
    currency: 'EUR',
    provider: 'stripe',
    token,
    customerEmail: 'shopper@example.com',
    idempotencyKey: randomUUID(),
  });

const eventFor = (intent: MockIntent, type: string, id = `evt_${randomUUID().replaceAll('-', '')}`) =>
  JSON.stringify({
    id,
    object: 'event',
    type,
    api_version: '2025-01-01',
    created: Math.floor(Date.now() / 1000),
    data: { object: intent },
  });

const deliver = (payload: string, header?: string) =>
  app.inject({
    method: 'POST',
    url: '/api/webhooks/payments/stripe',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      ...(header ? { 'stripe-signature': header } : {}),
    },
    payload,
  });

describe('Stripe provider', () => {
  it('creates a confirmed PaymentIntent with an idempotency key and metadata; an approved card pays the order', async () => {
    const orderId = await orders.createOrder();
    const result = await start(app.payments, orderId, 'pm_card_visa');
    expect(result).toEqual({
      paymentId: expect.any(String),
      status: 'captured',
      orderPaid: true,
      givenBack: false,
    });
    const create = requests.find(
      (r) => r.path === '/v1/payment_intents' && r.form.get('metadata[paymentId]') === result.paymentId,
    )!;
    expect(create.form.get('amount')).toBe('4200');
    expect(create.form.get('currency')).toBe('eur');
    expect(create.form.get('capture_method')).toBe('automatic');
    expect(create.form.get('confirm')).toBe('true');
    expect(create.form.get('metadata[orderId]')).toBe(orderId);
    expect(create.idempotencyKey).toBe(`mcart-payment-${result.paymentId}`);
    expect((await app.payments.paymentsFor(orderId))[0]).toMatchObject({
      status: 'captured',
      capturedAmount: 4_200,
      brand: 'visa',
      last4: '4242',
      providerRef: expect.stringMatching(/^pi_/),
    });
    expect(orders.transitions(orderId)).toBe(1);
  });

  it('turns a legacy card token into a PaymentMethod first', async () => {
    const orderId = await orders.createOrder();
    expect(await start(app.payments, orderId, 'tok_visa')).toMatchObject({ status: 'captured' });
    expect(
      requests.some((r) => r.path === '/v1/payment_methods' && r.form.get('card[token]') === 'tok_visa'),
    ).toBe(true);
  });

  it('a card error is a decline with its code, and the order payment fails', async () => {
    const orderId = await orders.createOrder();
    const result = await start(app.payments, orderId, 'pm_card_chargeDeclined');
    expect(result).toEqual({
      paymentId: expect.any(String),
      status: 'declined',
      declineCode: 'generic_decline',
      orderPaid: false,
      givenBack: false,
    });
    expect(await orders.order(orderId)).toMatchObject({
      status: 'payment_failed',
      failure: 'generic_decline',
    });
  });

  it('3-D Secure returns the client secret; the signed payment_intent.succeeded webhook pays the order; a replay does nothing', async () => {
    const orderId = await orders.createOrder();
    const result = await start(app.payments, orderId, 'pm_card_threeDSecure2Required');
    expect(result).toMatchObject({
      status: 'requires_action',
      clientSecret: expect.stringMatching(/^pi_\w+_secret_/),
    });
    const intent = intents.get(result.clientSecret!.split('_secret_')[0]!)!;

    // Stripe.js finished the action; Stripe captured and tells MCart.
    intent.status = 'succeeded';
    intent.amount_received = intent.amount;
    const payload = eventFor(intent, 'payment_intent.succeeded');
    const header = signer.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
    const first = await deliver(payload, header);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ received: true, replayed: false });
    expect(await orders.order(orderId)).toMatchObject({ status: 'paid', paid_by: result.paymentId });

    const replay = await deliver(
      payload,
      signer.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }),
    );
    expect(replay.json()).toEqual({ received: true, replayed: true });
    expect(orders.calls.markPaid.filter((call) => call.orderId === orderId)).toHaveLength(1);
    expect((await orderEvents(app, orderId)).map((e) => e.event)).toEqual(['payment_captured']);
  });

  it('refuses unsigned, wrongly signed and stale (beyond 5 minutes) events with 400 and no effect', async () => {
    const orderId = await orders.createOrder();
    const result = await start(app.payments, orderId, 'pm_card_threeDSecure2Required');
    const intent = intents.get(result.clientSecret!.split('_secret_')[0]!)!;
    const payload = eventFor(
      { ...intent, status: 'succeeded', amount_received: intent.amount },
      'payment_intent.succeeded',
    );
    const headers = [
      undefined,
      signer.webhooks.generateTestHeaderString({ payload, secret: 'whsec_wrong' }),
      signer.webhooks.generateTestHeaderString({
        payload,
        secret: WEBHOOK_SECRET,
        timestamp: Math.floor(Date.now() / 1000) - 301,
      }),
      signer.webhooks.generateTestHeaderString({
        payload: payload.replace('4200', '1'),
        secret: WEBHOOK_SECRET,
      }),
    ];
    for (const header of headers) {
      const response = await deliver(payload, header);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'MCART_ERR_WEBHOOK_SIGNATURE' });
    }
    expect(await orders.order(orderId)).toMatchObject({ status: 'pending_payment' });
    expect((await app.payments.paymentsFor(orderId))[0]!.status).toBe('requires_action');
  });

  it('acknowledges event types it does not act on', async () => {
    const payload = JSON.stringify({
      id: `evt_${randomUUID()}`,
      object: 'event',
      type: 'customer.created',
      created: Math.floor(Date.now() / 1000),
      data: { object: { id: 'cus_1' } },
    });
    const response = await deliver(
      payload,
      signer.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }),
    );
    expect(response.json()).toEqual({ received: true, replayed: false });
  });

  it('manual capture: authorizes (order paid), captures part later, refunds part, voids another', async () => {
    const provider = new StripeProvider({
      secretKey: 'sk_test_mcart_suite',
      webhookSecret: WEBHOOK_SECRET,
      apiUrl: `http://127.0.0.1:${port}`,
    });
    const manual = new PaymentsService({
      orm: app.orm,
      provider,
      captureMode: 'manual',
      orders: orders.port,
      log: app.log,
    });
    const orderId = await orders.createOrder();
    expect(await start(manual, orderId, 'pm_card_visa')).toMatchObject({
      status: 'authorized',
      orderPaid: true,
    });
    expect(requests.at(-1)!.form.get('capture_method')).toBe('manual');
    expect(await orders.order(orderId)).toMatchObject({ status: 'paid' });

    const captured = await manual.capture(orderId, 4_000);
    expect(captured).toMatchObject({ status: 'captured', capturedAmount: 4_000 });
    const capture = requests.find(
      (r) => r.path.endsWith('/capture') && r.path.includes(captured.providerRef!),
    )!;
    expect(capture.form.get('amount_to_capture')).toBe('4000');
    expect(capture.idempotencyKey).toBe(`mcart-capture-${captured.id}`);

    const refunded = await manual.refund(orderId, 1_000, 'late delivery');
    expect(refunded).toMatchObject({
      refundedAmount: 1_000,
      refunds: [{ amount: 1_000, status: 'succeeded' }],
    });
    const refund = requests.find(
      (r) => r.path === '/v1/refunds' && r.form.get('payment_intent') === captured.providerRef,
    )!;
    expect(refund.form.get('amount')).toBe('1000');
    expect(refund.idempotencyKey).toBe(`mcart-refund-${refunded.refunds[0]!.id}`);

    const other = await orders.createOrder();
    await start(manual, other, 'pm_card_visa');
    expect(await manual.cancel(other)).toMatchObject({ status: 'canceled' });
  });

  it('payment_intent.succeeded for an order cancelled meanwhile: the order stays cancelled, the money is refunded through Stripe', async () => {
    const orderId = await orders.createOrder();
    const result = await start(app.payments, orderId, 'pm_card_threeDSecure2Required');
    const intent = intents.get(result.clientSecret!.split('_secret_')[0]!)!;
    await orders.cancelOrder(orderId); // the reservation expired while the shopper was at the bank

    intent.status = 'succeeded';
    intent.amount_received = intent.amount;
    const payload = eventFor(intent, 'payment_intent.succeeded');
    const response = await deliver(
      payload,
      signer.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }),
    );
    expect(response.statusCode).toBe(200);
    expect(await orders.order(orderId)).toMatchObject({ status: 'cancelled', paid_by: null });
    expect((await app.payments.paymentsFor(orderId))[0]).toMatchObject({
      status: 'captured',
      capturedAmount: 4_200,
      refundedAmount: 4_200,
      refunds: [{ amount: 4_200, status: 'succeeded', reason: 'order cancelled' }],
    });
    const refund = requests.filter(
      (r) => r.path === '/v1/refunds' && r.form.get('payment_intent') === intent.id,
    );
    expect(refund).toHaveLength(1);
    expect(refund[0]!.form.get('amount')).toBe('4200');
    expect(refund[0]!.idempotencyKey).toMatch(/^mcart-refund-/);
    expect(orders.calls.paymentEvents.filter((e) => e.orderId === orderId).map((e) => e.message)).toEqual([
      'Payment of €42.00 captured after the order was cancelled: it is refunded automatically',
      'Refunded €42.00 automatically: order cancelled',
    ]);
    expect((await orderEvents(app, orderId)).map((e) => e.event)).toEqual([
      'payment_after_cancellation',
      'refunded',
    ]);
  });

  it('payment_intent.succeeded after payment_failed (the shopper retried on the same intent): the money goes back', async () => {
    const orderId = await orders.createOrder();
    const result = await start(app.payments, orderId, 'pm_card_threeDSecure2Required');
    const intent = intents.get(result.clientSecret!.split('_secret_')[0]!)!;
    const send = async (type: string) => {
      const payload = eventFor(intent, type);
      const response = await deliver(
        payload,
        signer.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }),
      );
      expect(response.statusCode, response.body).toBe(200);
    };
    // 3-D Secure failed: the payment is declined and the order's payment failed (the orders context cancels it).
    intent.status = 'requires_payment_method';
    intent.last_payment_error = {
      code: 'card_declined',
      decline_code: 'authentication_failed',
      type: 'card_error',
    };
    await send('payment_intent.payment_failed');
    expect((await app.payments.paymentsFor(orderId))[0]).toMatchObject({ status: 'declined' });
    // As markPaymentFailed leaves a real order: cancelled.
    await app.orm.em.fork().execute(`UPDATE test_order SET status = 'cancelled' WHERE id = ?`, [orderId]);

    // Stripe.js let the shopper try another card on the same intent, and Stripe took the money.
    intent.status = 'succeeded';
    intent.amount_received = intent.amount;
    intent.last_payment_error = null;
    intent.latest_charge = charge(CARDS.pm_card_visa!);
    await send('payment_intent.succeeded');
    expect(await orders.order(orderId)).toMatchObject({ status: 'cancelled', paid_by: null });
    expect((await app.payments.paymentsFor(orderId))[0]).toMatchObject({
      status: 'captured',
      capturedAmount: 4_200,
      refundedAmount: 4_200,
      refunds: [{ amount: 4_200, status: 'succeeded', reason: 'order cancelled' }],
    });
    expect(
      requests.filter((r) => r.path === '/v1/refunds' && r.form.get('payment_intent') === intent.id),
    ).toHaveLength(1);
  });

  it("charge.refunded: a refund made in the Stripe dashboard is recorded once and counted; MCart's own are not counted twice", async () => {
    const orderId = await orders.createOrder();
    await start(app.payments, orderId, 'pm_card_visa');
    const intent = intents.get((await app.payments.paymentsFor(orderId))[0]!.providerRef!)!;
    const refundedInAll = async (amount: number) => {
      const payload = JSON.stringify({
        id: `evt_${randomUUID().replaceAll('-', '')}`,
        object: 'event',
        type: 'charge.refunded',
        api_version: '2025-01-01',
        created: Math.floor(Date.now() / 1000),
        data: {
          object: {
            id: intent.latest_charge!.id,
            object: 'charge',
            amount: intent.amount,
            amount_refunded: amount,
            currency: intent.currency,
            payment_intent: intent.id,
            refunded: amount === intent.amount,
          },
        },
      });
      const response = await deliver(
        payload,
        signer.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }),
      );
      expect(response.statusCode, response.body).toBe(200);
    };

    // 10.00 refunded in the dashboard: Stripe lists that refund (no MCart metadata), and its total says 10.00.
    fake.dashboardRefund(intent.id, 1_000);
    await refundedInAll(1_000);
    expect((await app.payments.paymentsFor(orderId))[0]).toMatchObject({
      refundedAmount: 1_000,
      refunds: [{ amount: 1_000, status: 'succeeded', reason: 'at the gateway, outside MCart' }],
    });
    expect(orders.calls.gatewayRefunds.filter((call) => call.orderId === orderId)).toEqual([
      { orderId, amount: 1_000, message: 'Refunded €10.00 at the gateway, outside MCart' },
    ]);
    const refunded = (await orderEvents(app, orderId)).filter((e) => e.event === 'refunded');
    expect(refunded).toEqual([expect.objectContaining({ amount: 1_000, lines: [] })]);

    // The rest refunded by staff through MCart: Stripe's next event counts it in, and adds nothing.
    await app.payments.refund(orderId, 3_200);
    await refundedInAll(4_200);
    // A late copy of the first event (smaller total) adds nothing either.
    await refundedInAll(1_000);
    expect((await app.payments.paymentsFor(orderId))[0]).toMatchObject({
      refundedAmount: 4_200,
      refunds: [{ amount: 1_000 }, { amount: 3_200 }],
    });
    expect(orders.calls.gatewayRefunds.filter((call) => call.orderId === orderId)).toHaveLength(1);
    await expect(app.payments.refund(orderId, 1)).rejects.toMatchObject({
      code: 'MCART_ERR_REFUND_EXCEEDS_CAPTURED',
    });
  });

  it('a give-back Stripe answers 500 stays pending with its money reserved; the job finishes it once Stripe no longer replays that answer', async () => {
    const orderId = await orders.createOrder();
    const result = await start(app.payments, orderId, 'pm_card_threeDSecure2Required');
    const intent = intents.get(result.clientSecret!.split('_secret_')[0]!)!;
    await orders.cancelOrder(orderId);
    intent.status = 'succeeded';
    intent.amount_received = intent.amount;
    fake.state.refundFaults.push('server_error');
    const payload = eventFor(intent, 'payment_intent.succeeded');
    const response = await deliver(
      payload,
      signer.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }),
    );
    // The webhook is applied (captured, marked to give back) even though the refund got no answer: no retry storm.
    expect(response.statusCode).toBe(200);
    // A 500 says nothing about the money: the refund stays pending, its amount reserved (nothing refunded twice).
    const [payment] = await app.payments.paymentsFor(orderId);
    expect(payment).toMatchObject({
      status: 'captured',
      refundedAmount: 4_200,
      refunds: [{ amount: 4_200, status: 'pending' }],
    });
    const refundId = payment!.refunds[0]!.id;

    // Stripe saved that 500 under the refund's key and replays it: still pending, nothing sent under another key.
    expect((await app.payments.reconcile(0)).failed).toBeGreaterThanOrEqual(1);
    expect((await app.payments.paymentsFor(orderId))[0]!.refunds).toEqual([
      expect.objectContaining({ id: refundId, status: 'pending' }),
    ]);
    // A day later Stripe pruned the key: the job asks for the refund (none), sends it again, and it is made once.
    fake.byIdempotencyKey.delete(`mcart-refund-${refundId}`);
    await app.payments.reconcile(0);
    await app.payments.reconcile(0);
    expect((await app.payments.paymentsFor(orderId))[0]).toMatchObject({
      refundedAmount: 4_200,
      refunds: [{ id: refundId, amount: 4_200, status: 'succeeded' }],
    });
    const made = [...fake.refunds.values()].filter((refund) => refund.payment_intent === intent.id);
    expect(made).toEqual([
      expect.objectContaining({
        amount: 4_200,
        metadata: expect.objectContaining({ mcart_refund_id: refundId }),
      }),
    ]);
    expect(
      new Set(
        requests
          .filter(
            (r) =>
              r.method === 'POST' && r.path === '/v1/refunds' && r.form.get('payment_intent') === intent.id,
          )
          .map((r) => r.idempotencyKey),
      ),
    ).toEqual(new Set([`mcart-refund-${refundId}`]));
    expect(orders.calls.paymentEvents.filter((e) => e.orderId === orderId).map((e) => e.message)).toContain(
      'Refunded €42.00 automatically: order cancelled',
    );
  });

  it('reconciliation finds a payment whose authorize answer was lost by its id in metadata (search) and pays the order', async () => {
    const orderId = await orders.createOrder();
    const result = await start(app.payments, orderId, 'pm_card_threeDSecure2Required');
    const intent = intents.get(result.clientSecret!.split('_secret_')[0]!)!;
    intent.status = 'succeeded';
    intent.amount_received = intent.amount;
    // The state a process killed before storing Stripe's answer leaves.
    await app.orm.em
      .fork()
      .execute(
        `UPDATE payment SET status = 'pending', provider_ref = NULL, updated_at = now() - interval '1 hour' WHERE id = ?`,
        [result.paymentId],
      );
    await app.payments.reconcile(10);
    const search = requests.find((r) => r.path === '/v1/payment_intents/search')!;
    expect(search.form.get('query')).toBe(`metadata['paymentId']:'${result.paymentId}'`);
    expect(await orders.order(orderId)).toMatchObject({ status: 'paid', paid_by: result.paymentId });
    expect((await app.payments.paymentsFor(orderId))[0]).toMatchObject({
      status: 'captured',
      providerRef: intent.id,
    });
  });

  it('a gateway failure is a 502 for the caller and leaves the payment pending for a retry with the same key', async () => {
    const provider = new StripeProvider({
      secretKey: 'sk_test_x',
      webhookSecret: WEBHOOK_SECRET,
      apiUrl: 'http://127.0.0.1:9',
    });
    const broken = new PaymentsService({
      orm: app.orm,
      provider,
      captureMode: 'automatic',
      orders: orders.port,
      log: app.log,
    });
    const orderId = await orders.createOrder();
    await expect(start(broken, orderId, 'pm_card_visa')).rejects.toMatchObject({
      code: 'MCART_ERR_PAYMENT_GATEWAY',
      status: 502,
    });
    expect((await app.payments.paymentsFor(orderId))[0]).toMatchObject({
      status: 'pending',
      providerRef: null,
    });
  });
});

/** A paid order (4,200 captured) and its payment, as the orders double and the fake Stripe hold it. */
async function paidOrder() {
  const orderId = await orders.createOrder();
  await start(app.payments, orderId, 'pm_card_visa');
  const [payment] = await app.payments.paymentsFor(orderId);
  return { orderId, paymentId: payment!.id, intent: intents.get(payment!.providerRef!)! };
}

const send = async (type: string, object: unknown, id?: string) => {
  const payload = JSON.stringify({
    id: id ?? `evt_${randomUUID().replaceAll('-', '')}`,
    object: 'event',
    type,
    api_version: '2025-01-01',
    created: Math.floor(Date.now() / 1000),
    data: { object },
  });
  const response = await deliver(
    payload,
    signer.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }),
  );
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ replayed: boolean }>();
};

describe('Stripe refunds: a refusal, and an answer that never came', () => {
  it('classifies Stripe errors: invalid requests, card and key errors refuse; timeouts, lost connections, 5xx, 409 and rate limits say nothing', async () => {
    const provider = new StripeProvider({
      secretKey: 'sk_test_x',
      webhookSecret: WEBHOOK_SECRET,
      apiUrl: 'http://127.0.0.1:9',
    });
    // Nothing listens on port 9: a connection error after the SDK's retries.
    const lost = await provider
      .refund({ ref: 'pi_x', amount: 100, idempotencyKey: 'k', refundId: randomUUID() })
      .catch((err: unknown) => err);
    expect(lost).toBeInstanceOf(GatewayError);
    expect((lost as GatewayError).outcome).toBe('unknown');

    const { intent } = await paidOrder();
    fake.state.refundFaults.push('refuse');
    const refused = await new StripeProvider({
      secretKey: 'sk_test_x',
      webhookSecret: WEBHOOK_SECRET,
      apiUrl: fake.url,
    })
      .refund({ ref: intent.id, amount: 100, idempotencyKey: randomUUID(), refundId: randomUUID() })
      .catch((err: unknown) => err);
    expect(refused).toMatchObject({ name: 'GatewayError', outcome: 'refused' });
    fake.state.refundFaults.push('failed');
    const failed = await new StripeProvider({
      secretKey: 'sk_test_x',
      webhookSecret: WEBHOOK_SECRET,
      apiUrl: fake.url,
    })
      .refund({ ref: intent.id, amount: 100, idempotencyKey: randomUUID(), refundId: randomUUID() })
      .catch((err: unknown) => err);
    expect(failed).toMatchObject({ name: 'GatewayError', outcome: 'refused' });
    expect((failed as Error).message).toContain('expired_or_canceled_card');
  });

  it("a refusal gives the reservation back (502 MCART_ERR_PAYMENT_GATEWAY, as before), with the gateway's reason", async () => {
    const { orderId } = await paidOrder();
    fake.state.refundFaults.push('refuse');
    await expect(app.payments.refund(orderId, 1_000, 'damaged')).rejects.toMatchObject({
      code: 'MCART_ERR_PAYMENT_GATEWAY',
      status: 502,
    });
    const [payment] = await app.payments.paymentsFor(orderId);
    expect(payment).toMatchObject({
      refundedAmount: 0,
      refunds: [
        {
          amount: 1_000,
          status: 'failed',
          failureReason: expect.stringContaining('charged back'),
          reversedAt: null,
        },
      ],
    });
    expect(orders.calls.refundsRefused).toContainEqual(
      expect.objectContaining({ orderId, refundId: payment!.refunds[0]!.id }),
    );
  });

  it('a lost answer keeps the refund pending and reserved (502 MCART_ERR_REFUND_PENDING); no second refund fits meanwhile; the job finds the refund Stripe made and confirms it, sending nothing again', async () => {
    const { orderId, intent } = await paidOrder();
    const refundId = randomUUID();
    // Stripe refunds, but no answer arrives: not to the first request, nor to the SDK's two retries.
    fake.state.dropRefundAnswers = 3;
    const pending = await app.payments
      .refund(orderId, 1_000, 'late delivery', [{ orderLineId: randomUUID(), quantity: 1 }], refundId)
      .catch((err: unknown) => err);
    expect(pending).toMatchObject({
      code: 'MCART_ERR_REFUND_PENDING',
      status: 502,
      extra: { refundId, amount: 1_000 },
    });
    expect((pending as Error).message).toContain('Do not refund it again');
    expect((await app.payments.paymentsFor(orderId))[0]).toMatchObject({
      refundedAmount: 1_000,
      refunds: [{ id: refundId, status: 'pending' }],
    });
    const posts = () =>
      requests.filter(
        (r) => r.method === 'POST' && r.path === '/v1/refunds' && r.form.get('payment_intent') === intent.id,
      );
    expect(posts().map((r) => r.idempotencyKey)).toEqual([
      `mcart-refund-${refundId}`,
      `mcart-refund-${refundId}`,
      `mcart-refund-${refundId}`,
    ]);
    // captured − refunded − pending: 3,200 is left, not 4,200.
    await expect(app.payments.refund(orderId, 4_200)).rejects.toMatchObject({
      code: 'MCART_ERR_REFUND_EXCEEDS_CAPTURED',
    });
    expect(orders.calls.refundsConfirmed.filter((c) => c.orderId === orderId)).toEqual([]);
    expect((await orderEvents(app, orderId)).filter((e) => e.event === 'refunded')).toEqual([]);

    await app.payments.reconcile(0);
    await app.payments.reconcile(0);
    const made = [...fake.refunds.values()].filter((refund) => refund.payment_intent === intent.id);
    expect(made).toHaveLength(1);
    expect(posts()).toHaveLength(3);
    expect(
      requests.some(
        (r) => r.method === 'GET' && r.path === '/v1/refunds' && r.form.get('payment_intent') === intent.id,
      ),
    ).toBe(true);
    expect((await app.payments.paymentsFor(orderId))[0]).toMatchObject({
      refundedAmount: 1_000,
      refunds: [{ id: refundId, status: 'succeeded' }],
    });
    expect(orders.calls.refundsConfirmed.filter((c) => c.orderId === orderId)).toEqual([
      { orderId, refundId },
    ]);
    expect((await orderEvents(app, orderId)).filter((e) => e.event === 'refunded')).toEqual([
      expect.objectContaining({ refundId, amount: 1_000, lines: [expect.objectContaining({ quantity: 1 })] }),
    ]);
  });

  it('a pending refund Stripe never made and now refuses is given back by the job: both reservations', async () => {
    const { orderId, intent } = await paidOrder();
    const refundId = randomUUID();
    fake.state.refundFaults.push('server_error');
    await expect(app.payments.refund(orderId, 1_000, undefined, [], refundId)).rejects.toMatchObject({
      code: 'MCART_ERR_REFUND_PENDING',
    });
    // The key is pruned, and Stripe refuses the refund sent again (the charge was disputed meanwhile).
    fake.byIdempotencyKey.delete(`mcart-refund-${refundId}`);
    fake.state.refundFaults.push('refuse');
    await app.payments.reconcile(0);
    expect((await app.payments.paymentsFor(orderId))[0]).toMatchObject({
      refundedAmount: 0,
      refunds: [{ id: refundId, status: 'failed' }],
    });
    expect(orders.calls.refundsRefused.filter((c) => c.orderId === orderId)).toEqual([
      expect.objectContaining({ refundId }),
    ]);
    expect([...fake.refunds.values()].filter((refund) => refund.payment_intent === intent.id)).toEqual([]);
  });

  it('a refund event for a pending refund finishes it: refund.created confirms it, refund.failed gives it back', async () => {
    const { orderId, intent } = await paidOrder();
    const confirmedId = randomUUID();
    fake.state.dropRefundAnswers = 3;
    await expect(app.payments.refund(orderId, 1_000, undefined, [], confirmedId)).rejects.toMatchObject({
      code: 'MCART_ERR_REFUND_PENDING',
    });
    const made = [...fake.refunds.values()].find(
      (refund) => refund.metadata.mcart_refund_id === confirmedId,
    )!;
    await send('refund.created', made);
    const failedId = randomUUID();
    fake.state.dropRefundAnswers = 3;
    fake.state.refundFaults.push('pending');
    await expect(app.payments.refund(orderId, 500, undefined, [], failedId)).rejects.toMatchObject({
      code: 'MCART_ERR_REFUND_PENDING',
    });
    const failing = [...fake.refunds.values()].find(
      (refund) => refund.metadata.mcart_refund_id === failedId,
    )!;
    await send('refund.failed', { ...failing, status: 'failed', failure_reason: 'lost_or_stolen_card' });
    expect((await app.payments.paymentsFor(orderId))[0]).toMatchObject({
      refundedAmount: 1_000,
      refunds: [
        { id: confirmedId, status: 'succeeded', reversedAt: null },
        { id: failedId, status: 'failed', failureReason: 'lost_or_stolen_card', reversedAt: null },
      ],
    });
    expect(orders.calls.refundsConfirmed).toContainEqual({ orderId, refundId: confirmedId });
    expect(orders.calls.refundsRefused).toContainEqual(
      expect.objectContaining({ orderId, refundId: failedId }),
    );
    expect(intent.id).toBe(made.payment_intent);
  });
});

describe('Stripe: a refund that fails after it went through', () => {
  it('refund.failed reverses it once: the refund fails, the payment and the order count it no more, staff are told; replays and charge.refund.updated of the same failure change nothing', async () => {
    const { orderId, paymentId } = await paidOrder();
    const lines = [{ orderLineId: randomUUID(), quantity: 2 }];
    const refunded = await app.payments.refund(orderId, 1_500, 'damaged', lines);
    const refundId = refunded.refunds[0]!.id;
    const made = [...fake.refunds.values()].find((refund) => refund.metadata.mcart_refund_id === refundId)!;
    // The card was closed: the refund fails at Stripe, which takes the money back into the balance.
    Object.assign(made, { status: 'failed', failure_reason: 'expired_or_canceled_card' });
    const failed = { ...made };
    const eventId = `evt_${randomUUID().replaceAll('-', '')}`;
    expect(await send('refund.failed', failed, eventId)).toEqual({ received: true, replayed: false });
    expect(await send('refund.failed', failed, eventId)).toEqual({ received: true, replayed: true });
    expect(await send('charge.refund.updated', failed)).toEqual({ received: true, replayed: false });
    expect(await send('refund.updated', failed)).toEqual({ received: true, replayed: false });
    expect((await app.payments.paymentsFor(orderId))[0]).toMatchObject({
      refundedAmount: 0,
      refunds: [
        {
          id: refundId,
          status: 'failed',
          failureReason: 'expired_or_canceled_card',
          reversedAt: expect.any(String),
        },
      ],
    });
    expect(orders.calls.refundsReversed.filter((call) => call.orderId === orderId)).toEqual([
      {
        orderId,
        refundId,
        amount: 1_500,
        lines,
        message:
          'Refund of €15.00 failed at the payment gateway after it was sent (expired or canceled card): the money did not go back to the customer; its units can be refunded again',
      },
    ]);
    expect((await orderEvents(app, orderId)).filter((e) => e.event === 'refund_reversed')).toEqual([
      expect.objectContaining({
        paymentId,
        refundId,
        amount: 1_500,
        currency: 'EUR',
        reason: 'expired_or_canceled_card',
        refundedAmount: 0,
      }),
    ]);
    // The money is refundable again.
    await expect(app.payments.refund(orderId, 4_200)).resolves.toMatchObject({ refundedAmount: 4_200 });
  });

  it('a refund made in the dashboard that fails reverses the refund recorded for it; one MCart cannot match is only said', async () => {
    const { orderId, intent } = await paidOrder();
    const { refund: made, charge: refundedCharge } = fake.dashboardRefund(intent.id, 1_000);
    await send('charge.refunded', refundedCharge);
    const refund = (ref: string, amount: number) => ({
      id: ref,
      object: 'refund',
      amount,
      currency: intent.currency,
      payment_intent: intent.id,
      status: 'failed',
      failure_reason: 'unknown',
      metadata: {},
    });
    await send('refund.failed', refund(made.id, 1_000));
    await send('refund.failed', refund('re_dashboard2', 700));
    expect((await app.payments.paymentsFor(orderId))[0]).toMatchObject({
      refundedAmount: 0,
      refunds: [
        {
          amount: 1_000,
          status: 'failed',
          reason: 'at the gateway, outside MCart',
          reversedAt: expect.any(String),
        },
      ],
    });
    expect(orders.calls.refundsReversed.filter((call) => call.orderId === orderId)).toHaveLength(1);
    expect(orders.calls.paymentEvents.filter((e) => e.orderId === orderId).map((e) => e.message)).toContain(
      "A refund of €7.00 made at the gateway, outside MCart, failed (unknown): check the payment gateway's dashboard",
    );
  });
});

describe('Stripe disputes', () => {
  const dispute = (
    intent: MockIntent,
    status: string,
    amount = intent.amount,
    id = `dp_${randomUUID().slice(0, 12)}`,
  ) => ({
    id,
    object: 'dispute',
    amount,
    currency: intent.currency,
    charge: intent.latest_charge!.id,
    payment_intent: intent.id,
    reason: 'fraudulent',
    status,
    evidence_details: { due_by: 1_893_456_000, has_evidence: false, past_due: false, submission_count: 0 },
  });

  it('records an opened dispute (timeline, staff event, the payment DTO) and a won one; a late copy of the opening changes nothing', async () => {
    const { orderId, paymentId, intent } = await paidOrder();
    const opened = dispute(intent, 'needs_response');
    await send('charge.dispute.created', opened);
    const listed = await app.inject({
      method: 'GET',
      url: `/api/admin/payments?orderId=${orderId}`,
      headers: { authorization: await staffToken(app) },
    });
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json().data[0]).toMatchObject({
      id: paymentId,
      refundedAmount: 0,
      dispute: {
        status: 'needs_response',
        amount: 4_200,
        reason: 'fraudulent',
        evidenceDueBy: '2030-01-01T00:00:00.000Z',
        openedAt: expect.any(String),
      },
    });
    await send('charge.dispute.updated', { ...opened, status: 'under_review' });
    await send('charge.dispute.closed', { ...opened, status: 'won' });
    await send('charge.dispute.created', opened);
    expect((await app.payments.paymentsFor(orderId))[0]).toMatchObject({
      refundedAmount: 0,
      refunds: [],
      dispute: { status: 'won' },
    });
    expect(orders.calls.paymentEvents.filter((e) => e.orderId === orderId).map((e) => e.message)).toEqual([
      "Payment of €42.00 disputed by the customer's bank (fraudulent): evidence due by 2030-01-01. Respond in the payment gateway's dashboard",
      "Dispute of €42.00 under review by the customer's bank (fraudulent)",
      'Dispute of €42.00 won: the money stays with the store',
    ]);
    expect((await orderEvents(app, orderId)).filter((e) => e.event === 'payment_dispute')).toEqual([
      expect.objectContaining({
        number: testOrderNumber(orderId),
        paymentId,
        status: 'needs_response',
        amount: 4_200,
        currency: 'EUR',
        reason: 'fraudulent',
        evidenceDueBy: '2030-01-01T00:00:00.000Z',
      }),
      expect.objectContaining({ status: 'under_review' }),
      expect.objectContaining({ status: 'won' }),
    ]);
  });

  it('a lost dispute is money gone: counted once as given back (kind dispute), up to what the payment still held; won on appeal, it is reversed', async () => {
    const { orderId, intent } = await paidOrder();
    await app.payments.refund(orderId, 1_000);
    const lost = dispute(intent, 'lost');
    await send('charge.dispute.closed', lost);
    await send('charge.dispute.funds_withdrawn', lost);
    const [payment] = await app.payments.paymentsFor(orderId);
    // 4,200 disputed, 1,000 already refunded: 3,200 more went back, never more than was captured.
    expect(payment).toMatchObject({
      refundedAmount: 4_200,
      dispute: { status: 'lost', amount: 4_200 },
      refunds: [
        { amount: 1_000, kind: 'refund', status: 'succeeded' },
        { amount: 3_200, kind: 'dispute', status: 'succeeded', reason: 'dispute lost: fraudulent' },
      ],
    });
    expect(orders.calls.gatewayRefunds.filter((call) => call.orderId === orderId)).toEqual([
      {
        orderId,
        amount: 3_200,
        message:
          'Dispute of €42.00 lost (fraudulent): the money went back to the customer through their bank (€32.00 counted: the rest was refunded already)',
      },
    ]);
    expect((await orderEvents(app, orderId)).filter((e) => e.event === 'refunded')).toEqual([
      expect.objectContaining({ amount: 1_000 }),
      expect.objectContaining({ amount: 3_200, reason: 'dispute lost: fraudulent', lines: [] }),
    ]);
    // Stripe's refund total does not count the dispute: a charge.refunded of the 1,000 adds nothing.
    await send('charge.refunded', {
      id: intent.latest_charge!.id,
      object: 'charge',
      amount: intent.amount,
      amount_refunded: 1_000,
      currency: intent.currency,
      payment_intent: intent.id,
    });
    expect((await app.payments.paymentsFor(orderId))[0]!.refunds).toHaveLength(2);

    await send('charge.dispute.closed', { ...lost, status: 'won' });
    expect((await app.payments.paymentsFor(orderId))[0]).toMatchObject({
      refundedAmount: 1_000,
      dispute: { status: 'won' },
      refunds: [
        { status: 'succeeded' },
        { kind: 'dispute', status: 'failed', reversedAt: expect.any(String) },
      ],
    });
    expect(orders.calls.refundsReversed.filter((call) => call.orderId === orderId)).toEqual([
      expect.objectContaining({ amount: 3_200, lines: [] }),
    ]);
  });
});
