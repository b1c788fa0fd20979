import { createServer, type IncomingMessage, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { useTestApp } from '../../../../test/app.ts';
import { PaymentsService } from '../payments.service.ts';
import { orderEvents, ordersDouble } from '../testing/orders-double.ts';
import { StripeProvider } from './stripe.provider.ts';

/**
 * The Stripe provider against a local HTTP server on 127.0.0.1 that answers the few Stripe endpoints MCart
 * uses, the way Stripe does (form-encoded requests, idempotency keys, card errors carrying the intent).
 */
interface MockIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_received: number;
  currency: string;
  status: string;
  capture_method: string;
  client_secret: string;
  metadata: Record<string, string>;
  last_payment_error: null | { code: string; decline_code: string; type: string };
  latest_charge: null | {
    id: string;
    object: 'charge';
    payment_method_details: { type: 'card'; card: { brand: string; last4: string } };
  };
  payment_method: string | null;
}

interface Recorded {
  method: string;
  path: string;
  form: URLSearchParams;
  idempotencyKey: string | undefined;
}

const intents = new Map<string, MockIntent>();
const byIdempotencyKey = new Map<string, { status: number; body: unknown }>();
const requests: Recorded[] = [];
/** Set by a test: the next refund fails at "Stripe" (500). */
let failNextRefund = false;

const CARDS: Record<string, { brand: string; last4: string; outcome: 'approve' | 'decline' | '3ds' }> = {
  pm_card_visa: { brand: 'visa', last4: '4242', outcome: 'approve' },
  pm_card_chargeDeclined: { brand: 'visa', last4: '0002', outcome: 'decline' },
  pm_card_threeDSecure2Required: { brand: 'visa', last4: '3220', outcome: '3ds' },
};

const charge = (card: { brand: string; last4: string }) => ({
  id: `ch_${randomUUID().slice(0, 8)}`,
  object: 'charge' as const,
  payment_method_details: { type: 'card' as const, card: { brand: card.brand, last4: card.last4 } },
});

function handle(method: string, path: string, form: URLSearchParams): { status: number; body: unknown } {
  if (method === 'POST' && path === '/v1/payment_methods') {
    return {
      status: 200,
      body: { id: `pm_card_${form.get('card[token]')!.replace(/^tok_/, '')}`, object: 'payment_method' },
    };
  }
  if (method === 'POST' && path === '/v1/payment_intents') {
    const id = `pi_${randomUUID().replaceAll('-', '').slice(0, 24)}`;
    const card = CARDS[form.get('payment_method') ?? ''];
    const manual = form.get('capture_method') === 'manual';
    const intent: MockIntent = {
      id,
      object: 'payment_intent',
      amount: Number(form.get('amount')),
      amount_received: 0,
      currency: form.get('currency')!,
      status: 'requires_payment_method',
      capture_method: form.get('capture_method') ?? 'automatic',
      client_secret: `${id}_secret_${randomUUID().slice(0, 8)}`,
      metadata: { orderId: form.get('metadata[orderId]')!, paymentId: form.get('metadata[paymentId]')! },
      last_payment_error: null,
      latest_charge: null,
      payment_method: form.get('payment_method'),
    };
    intents.set(id, intent);
    if (card?.outcome === 'decline') {
      intent.last_payment_error = {
        code: 'card_declined',
        decline_code: 'generic_decline',
        type: 'card_error',
      };
      return {
        status: 402,
        body: {
          error: {
            type: 'card_error',
            code: 'card_declined',
            decline_code: 'generic_decline',
            message: 'Your card was declined.',
            payment_intent: intent,
          },
        },
      };
    }
    if (card?.outcome === '3ds') intent.status = 'requires_action';
    else if (card) {
      intent.latest_charge = charge(card);
      intent.status = manual ? 'requires_capture' : 'succeeded';
      intent.amount_received = manual ? 0 : intent.amount;
    }
    return { status: 200, body: intent };
  }
  const match = /^\/v1\/payment_intents\/(pi_\w+)(?:\/(capture|cancel))?$/.exec(path);
  const intent = match ? intents.get(match[1]!) : undefined;
  if (match && intent) {
    if (method === 'GET') return { status: 200, body: intent };
    if (match[2] === 'capture') {
      if (intent.status !== 'requires_capture')
        return {
          status: 400,
          body: {
            error: {
              type: 'invalid_request_error',
              code: 'payment_intent_unexpected_state',
              message: 'not capturable',
            },
          },
        };
      intent.status = 'succeeded';
      intent.amount_received = Number(form.get('amount_to_capture') ?? intent.amount);
      return { status: 200, body: intent };
    }
    if (match[2] === 'cancel') {
      intent.status = 'canceled';
      return { status: 200, body: intent };
    }
  }
  if (method === 'GET' && path === '/v1/payment_intents/search') {
    // Only the query MCart sends: metadata['paymentId']:'<id>'.
    const wanted = /^metadata\['paymentId'\]:'([0-9a-f-]+)'$/.exec(form.get('query') ?? '')?.[1];
    const data = [...intents.values()].filter((intent) => wanted && intent.metadata.paymentId === wanted);
    return {
      status: 200,
      body: { object: 'search_result', data, has_more: false, next_page: null, url: path },
    };
  }
  if (method === 'POST' && path === '/v1/refunds') {
    if (failNextRefund) {
      failNextRefund = false;
      return { status: 500, body: { error: { type: 'api_error', message: 'try again later' } } };
    }
    const target = intents.get(form.get('payment_intent')!);
    if (!target || target.status !== 'succeeded')
      return { status: 400, body: { error: { type: 'invalid_request_error', message: 'not refundable' } } };
    return {
      status: 200,
      body: {
        id: `re_${randomUUID().slice(0, 12)}`,
        object: 'refund',
        amount: Number(form.get('amount')),
        status: 'succeeded',
      },
    };
  }
  return {
    status: 404,
    body: { error: { type: 'invalid_request_error', message: `no route ${method} ${path}` } },
  };
}

const read = (request: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let data = '';
    request.on('data', (chunk: Buffer) => (data += chunk.toString()));
    request.on('end', () => resolve(data));
  });

const server: Server = createServer(async (request, response) => {
  const url = new URL(request.url!, 'http://127.0.0.1');
  const form = new URLSearchParams(request.method === 'GET' ? url.search : await read(request));
  const idempotencyKey = request.headers['idempotency-key'] as string | undefined;
  requests.push({ method: request.method!, path: url.pathname, form, idempotencyKey });
  // Stripe answers a retried key with the first response.
  const cached = idempotencyKey ? byIdempotencyKey.get(idempotencyKey) : undefined;
  const answer = cached ?? handle(request.method!, url.pathname, form);
  if (idempotencyKey && !cached) byIdempotencyKey.set(idempotencyKey, answer);
  response.writeHead(answer.status, {
    'content-type': 'application/json',
    'request-id': `req_${randomUUID().slice(0, 8)}`,
  });
  response.end(JSON.stringify(answer.body));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
const port = (server.address() as { port: number }).port;

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

    // 10.00 refunded in the dashboard.
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

  it('a refund that fails at Stripe is retried by the reconciliation job until the money is back', async () => {
    const orderId = await orders.createOrder();
    const result = await start(app.payments, orderId, 'pm_card_threeDSecure2Required');
    const intent = intents.get(result.clientSecret!.split('_secret_')[0]!)!;
    await orders.cancelOrder(orderId);
    intent.status = 'succeeded';
    intent.amount_received = intent.amount;
    failNextRefund = true;
    const payload = eventFor(intent, 'payment_intent.succeeded');
    const response = await deliver(
      payload,
      signer.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }),
    );
    // The webhook is applied (captured, marked to give back) even though the refund failed: no retry storm.
    expect(response.statusCode).toBe(200);
    expect((await app.payments.paymentsFor(orderId))[0]).toMatchObject({
      status: 'captured',
      refundedAmount: 0,
      refunds: [{ amount: 4_200, status: 'failed' }],
    });

    const outcome = await app.payments.reconcile(0);
    expect(outcome.givenBack).toBeGreaterThanOrEqual(1);
    expect((await app.payments.paymentsFor(orderId))[0]).toMatchObject({
      refundedAmount: 4_200,
      refunds: [
        { amount: 4_200, status: 'failed' },
        { amount: 4_200, status: 'succeeded' },
      ],
    });
    await app.payments.reconcile(0);
    expect((await app.payments.paymentsFor(orderId))[0]!.refunds).toHaveLength(2);
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
