import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { Value } from '@sinclair/typebox/value';
import { staffToken, useTestApp } from '../../../test/app.ts';
import { PaymentsService } from './payments.service.ts';
import { PaymentInputBody } from './payments.schemas.ts';
import { PaymentErrors, isPaymentDeclined } from './payments.errors.ts';
import {
  signTestGatewayPayload,
  TEST_SIGNATURE_HEADER,
  TestGatewayProvider,
} from './providers/test-gateway.ts';
import { orderEvents, ordersDouble } from './testing/orders-double.ts';

const WEBHOOK_SECRET = 'whsec_test_payments_suite_0123456789abcdef';
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
const orders = await ordersDouble(app);
app.payments.useOrders(orders.port);
const gateway = app.payments.provider as TestGatewayProvider;

const start = (orderId: string, token: string, amount = 2_000) =>
  app.payments.startPayment({
    orderId,
    amount,
    currency: 'USD',
    provider: 'test',
    token,
    customerEmail: 'shopper@example.com',
    idempotencyKey: randomUUID(),
  });

const intentOf = (clientSecret: string | undefined) => clientSecret!.split('_secret_')[0]!;

const sql = <T>(text: string, params: unknown[] = []) => app.orm.em.fork().execute<T[]>(text, params);

const postWebhook = (rawBody: string, signature?: string) =>
  app.inject({
    method: 'POST',
    url: '/api/webhooks/payments/test',
    headers: {
      'content-type': 'application/json',
      ...(signature ? { [TEST_SIGNATURE_HEADER]: signature } : {}),
    },
    payload: rawBody,
  });

describe('test gateway: synchronous outcomes', () => {
  it('tok_visa is captured at once: the order is paid once, with a payment_captured event and card brand/last4', async () => {
    const orderId = await orders.createOrder();
    const result = await start(orderId, 'tok_visa');
    expect(result).toEqual({
      paymentId: expect.any(String),
      status: 'captured',
      orderPaid: true,
      givenBack: false,
    });
    expect(await orders.order(orderId)).toMatchObject({ status: 'paid', paid_by: result.paymentId });
    expect(orders.transitions(orderId)).toBe(1);

    const [payment] = await app.payments.paymentsFor(orderId);
    expect(payment).toMatchObject({
      id: result.paymentId,
      status: 'captured',
      amount: 2_000,
      capturedAmount: 2_000,
      refundedAmount: 0,
      currency: 'USD',
      brand: 'visa',
      last4: '4242',
      provider: 'test',
      refunds: [],
    });
    expect(payment!.providerRef).toMatch(/^tgi_/);
    expect(await orderEvents(app, orderId)).toEqual([
      { event: 'payment_captured', paymentId: result.paymentId, amount: 2_000, currency: 'USD' },
    ]);
  });

  it('a payment for an order cancelled before it started is given back, and does not say the order was paid', async () => {
    const orderId = await orders.createOrder();
    await orders.cancelOrder(orderId);
    const result = await start(orderId, 'tok_visa');
    // Checkout then reads the order for its answer (cancelled) instead of answering "paid".
    expect(result.orderPaid).toBe(false);
    expect(await orders.order(orderId)).toMatchObject({ status: 'cancelled', paid_by: null });
  });

  it('a payment another path closed meanwhile is not moved again, and the order transition sent with it is rolled back', async () => {
    const orderId = await orders.createOrder();
    const input = {
      orderId,
      amount: 2_000,
      currency: 'USD',
      provider: 'test',
      token: 'tok_visa',
      customerEmail: 'shopper@example.com',
      idempotencyKey: randomUUID(),
    };
    const paymentId = await app.orm.em.fork().transactional((tx) => app.payments.openPayment(tx, input));
    // Voided by reconciliation (say) between the order's commit and the gateway's answer.
    await sql(`UPDATE payment SET status = 'canceled' WHERE id = ?`, [paymentId]);

    const result = await app.payments.startPayment({ ...input, openedPaymentId: paymentId });
    expect(result).toMatchObject({ paymentId, status: 'declined', orderPaid: false });
    // The order's transition went out with the payment's UPDATE, which matched nothing: both rolled back.
    expect(await orders.order(orderId)).toMatchObject({ status: 'pending_payment', paid_by: null });
    expect(await sql(`SELECT status FROM payment WHERE id = ?`, [paymentId])).toEqual([
      { status: 'canceled' },
    ]);
  });

  it('tok_chargeDeclined is declined: the order payment fails, a payment_failed event, and the 402 error for checkout', async () => {
    const orderId = await orders.createOrder();
    const result = await start(orderId, 'tok_chargeDeclined');
    expect(result).toEqual({
      paymentId: expect.any(String),
      status: 'declined',
      declineCode: 'card_declined',
      orderPaid: false,
      givenBack: false,
    });
    expect(await orders.order(orderId)).toMatchObject({ status: 'payment_failed', failure: 'card_declined' });
    expect(await orderEvents(app, orderId)).toEqual([
      { event: 'payment_failed', paymentId: result.paymentId, currency: 'USD', reason: 'card_declined' },
    ]);
    const error = PaymentErrors.declined('The card was declined', { declineCode: 'card_declined' });
    expect(error.status).toBe(402);
    expect(error.code).toBe('MCART_ERR_PAYMENT_DECLINED');
    expect(isPaymentDeclined(error)).toBe(true);
  });

  it('an unknown token is a decline, not an error', async () => {
    const orderId = await orders.createOrder();
    expect(await start(orderId, 'tok_doesNotExist')).toMatchObject({
      status: 'declined',
      declineCode: 'invalid_token',
    });
  });

  it('a replayed start (same idempotency key) returns the same payment and makes no second intent', async () => {
    const orderId = await orders.createOrder();
    const input = {
      orderId,
      amount: 1_500,
      currency: 'USD',
      provider: 'test',
      token: 'tok_visa',
      customerEmail: 'a@b.test',
      idempotencyKey: randomUUID(),
    };
    const first = await app.payments.startPayment(input);
    const again = await app.payments.startPayment(input);
    expect(again).toEqual(first);
    expect(await app.payments.paymentsFor(orderId)).toHaveLength(1);
    expect(orders.transitions(orderId)).toBe(1);
    await expect(app.payments.startPayment({ ...input, orderId: randomUUID() })).rejects.toMatchObject({
      code: 'MCART_ERR_IDEMPOTENCY_KEY_REUSED',
    });
  });

  it('refuses a provider that is not active and amounts that are not positive integers', async () => {
    const orderId = await orders.createOrder();
    const base = {
      orderId,
      currency: 'USD',
      token: 'tok_visa',
      customerEmail: 'a@b.test',
      idempotencyKey: randomUUID(),
    };
    await expect(
      app.payments.startPayment({ ...base, amount: 100, provider: 'stripe' }),
    ).rejects.toMatchObject({ code: 'MCART_ERR_PAYMENT_PROVIDER', status: 400 });
    await expect(
      app.payments.startPayment({ ...base, amount: 10.5, provider: 'test' }),
    ).rejects.toMatchObject({ code: 'MCART_ERR_VALIDATION' });
    expect(await app.payments.paymentsFor(orderId)).toEqual([]);
  });
});

describe('test gateway: 3-D Secure completed by a signed webhook', () => {
  it('tok_threeDSecure waits for the action; the confirm route sends the webhook; the order is paid; a replay changes nothing', async () => {
    const orderId = await orders.createOrder();
    const result = await start(orderId, 'tok_threeDSecure');
    expect(result).toEqual({
      paymentId: expect.any(String),
      status: 'requires_action',
      clientSecret: expect.stringMatching(/^tgi_[a-f0-9]{32}_secret_/),
      orderPaid: false,
      givenBack: false,
    });
    expect(await orders.order(orderId)).toMatchObject({ status: 'pending_payment' });

    const intentId = intentOf(result.clientSecret);
    const confirm = await app.inject({
      method: 'POST',
      url: `/api/dev/test-gateway/intents/${intentId}/confirm`,
      payload: {},
    });
    expect(confirm.statusCode).toBe(200);
    expect(confirm.json()).toMatchObject({
      webhook: { statusCode: 200 },
      intent: { status: 'succeeded', captureCount: 1, capturedAmount: 2_000 },
    });
    expect(await orders.order(orderId)).toMatchObject({ status: 'paid', paid_by: result.paymentId });
    const shopper = await app.inject({ method: 'GET', url: `/api/store/payments/${result.paymentId}` });
    expect(shopper.json()).toEqual({
      paymentId: result.paymentId,
      orderId,
      status: 'captured',
      givenBack: false,
    });

    // The gateway delivers the same event again (at-least-once): acknowledged, nothing happens twice.
    const [event] = await sql<{ event_id: string }>(
      `SELECT event_id FROM payment_webhook_event WHERE payment_id = ?`,
      [result.paymentId],
    );
    const replayBody = JSON.stringify({
      id: event!.event_id,
      type: 'payment_intent.requires_capture',
      created: Math.floor(Date.now() / 1000),
      data: {
        intent: {
          id: intentId,
          paymentId: result.paymentId,
          status: 'requires_capture',
          amount: 2_000,
          capturedAmount: 0,
          brand: 'visa',
          last4: '3184',
          declineCode: null,
        },
      },
    });
    const replay = await postWebhook(replayBody, signTestGatewayPayload(WEBHOOK_SECRET, replayBody));
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toEqual({ received: true, replayed: true });
    expect(orders.transitions(orderId)).toBe(1);
    expect(orders.calls.markPaid.filter((call) => call.orderId === orderId)).toHaveLength(1);
    expect((await gateway.inspect(intentId))!.captureCount).toBe(1);
    expect((await orderEvents(app, orderId)).map((e) => e.event)).toEqual(['payment_captured']);

    const again = await app.inject({
      method: 'POST',
      url: `/api/dev/test-gateway/intents/${intentId}/confirm`,
      payload: {},
    });
    expect(again.statusCode).toBe(409);
  });

  it('a failed 3-D Secure action declines the payment through the webhook', async () => {
    const orderId = await orders.createOrder();
    const result = await start(orderId, 'tok_threeDSecure');
    const confirm = await app.inject({
      method: 'POST',
      url: `/api/dev/test-gateway/intents/${intentOf(result.clientSecret)}/confirm`,
      payload: { outcome: 'fail' },
    });
    expect(confirm.json()).toMatchObject({ webhook: { statusCode: 200 }, intent: { status: 'declined' } });
    expect(await orders.order(orderId)).toMatchObject({
      status: 'payment_failed',
      failure: 'authentication_failed',
    });
    expect((await orderEvents(app, orderId)).map((e) => e.event)).toEqual(['payment_failed']);
  });

  it('the webhook and the shopper confirming together give one capture and one order transition', async () => {
    for (let round = 0; round < 5; round++) {
      const orderId = await orders.createOrder();
      const result = await start(orderId, 'tok_threeDSecure');
      const intentId = intentOf(result.clientSecret);
      // The bank completes the action; the gateway's webhook and the shopper's return now race.
      const completed = (await gateway.completeAction(intentId, 'succeed'))!;
      const responses = await Promise.all([
        postWebhook(completed.rawBody, completed.signature),
        app.inject({ method: 'POST', url: `/api/store/payments/${result.paymentId}/confirm`, payload: {} }),
        postWebhook(completed.rawBody, completed.signature),
        app.inject({ method: 'POST', url: `/api/store/payments/${result.paymentId}/confirm`, payload: {} }),
      ]);
      expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
      expect(responses.filter((r) => r.json().replayed === false)).toHaveLength(1);

      const intent = (await gateway.inspect(intentId))!;
      expect(intent).toMatchObject({ status: 'succeeded', captureCount: 1, capturedAmount: 2_000 });
      expect(orders.transitions(orderId)).toBe(1);
      expect(await orders.order(orderId)).toMatchObject({ status: 'paid', paid_by: result.paymentId });
      expect((await orderEvents(app, orderId)).map((e) => e.event)).toEqual(['payment_captured']);
      expect((await app.payments.paymentsFor(orderId))[0]).toMatchObject({
        status: 'captured',
        capturedAmount: 2_000,
      });
    }
  });
});

describe('webhook signatures', () => {
  let orderId: string;
  let paymentId: string;
  let rawBody: string;

  beforeAll(async () => {
    orderId = await orders.createOrder();
    const result = await start(orderId, 'tok_threeDSecure');
    paymentId = result.paymentId;
    const intentId = intentOf(result.clientSecret);
    rawBody = JSON.stringify({
      id: `evt_${randomUUID().replaceAll('-', '')}`,
      type: 'payment_intent.requires_capture',
      created: Math.floor(Date.now() / 1000),
      data: {
        intent: {
          id: intentId,
          paymentId,
          status: 'requires_capture',
          amount: 2_000,
          capturedAmount: 0,
          brand: 'visa',
          last4: '3184',
          declineCode: null,
        },
      },
    });
  });

  const expectNoEffect = async () => {
    expect(await sql(`SELECT 1 FROM payment_webhook_event WHERE payment_id = ?`, [paymentId])).toHaveLength(
      0,
    );
    expect((await app.payments.paymentsFor(orderId))[0]!.status).toBe('requires_action');
    expect(await orders.order(orderId)).toMatchObject({ status: 'pending_payment' });
  };

  it.each([
    ['no signature', () => undefined],
    [
      'a signature made with another secret',
      () => signTestGatewayPayload('whsec_someone_else_0123456789abcdef', rawBody),
    ],
    [
      'a signature of another body',
      () => signTestGatewayPayload(WEBHOOK_SECRET, rawBody.replace('2000', '1')),
    ],
    [
      'a timestamp older than 5 minutes',
      () => signTestGatewayPayload(WEBHOOK_SECRET, rawBody, Math.floor(Date.now() / 1000) - 301),
    ],
    ['garbage', () => 't=abc,v1=zz'],
  ])('refuses %s with 400 MCART_ERR_WEBHOOK_SIGNATURE and no effect', async (_name, signature) => {
    const response = await postWebhook(rawBody, signature());
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ code: 'MCART_ERR_WEBHOOK_SIGNATURE' });
    await expectNoEffect();
  });

  it('verifies the raw bytes: the same JSON re-serialized differently is refused', async () => {
    const reformatted = JSON.stringify(JSON.parse(rawBody), null, 2);
    const response = await postWebhook(reformatted, signTestGatewayPayload(WEBHOOK_SECRET, rawBody));
    expect(response.statusCode).toBe(400);
    await expectNoEffect();
  });

  it('answers 404 for a provider that is not active', async () => {
    const response = await postWebhook(rawBody, signTestGatewayPayload(WEBHOOK_SECRET, rawBody)).then(() =>
      app.inject({
        method: 'POST',
        url: '/api/webhooks/payments/stripe',
        headers: { 'content-type': 'application/json' },
        payload: rawBody,
      }),
    );
    expect(response.statusCode).toBe(404);
  });
});

describe('card data never reaches MCart', () => {
  it('a body with card fields is refused before any code runs, and nothing is stored', async () => {
    const orderId = await orders.createOrder();
    const { paymentId } = await start(orderId, 'tok_threeDSecure');
    const before = await sql(`SELECT * FROM payment WHERE id = ?`, [paymentId]);
    const response = await app.inject({
      method: 'POST',
      url: `/api/store/payments/${paymentId}/confirm`,
      payload: { card: { number: '4242424242424242', cvc: '123', exp_month: 12, exp_year: 2030 } },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'MCART_ERR_VALIDATION',
      errors: [{ path: 'body/card', message: 'is not allowed' }],
    });
    expect(response.body).not.toContain('4242424242424242');
    expect(await sql(`SELECT * FROM payment WHERE id = ?`, [paymentId])).toEqual(before);
    const stored = await sql<{ hit: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM payment p WHERE p::text LIKE '%4242424242424242%')
           OR EXISTS (SELECT 1 FROM test_gateway_intent t WHERE t::text LIKE '%4242424242424242%')
           OR EXISTS (SELECT 1 FROM outbox_event o WHERE o::text LIKE '%4242424242424242%') AS hit`,
    );
    expect(stored[0]!.hit).toBe(false);
  });

  it('the payment input checkout embeds takes a token only: card fields and pasted card numbers are invalid', () => {
    expect(Value.Check(PaymentInputBody, { provider: 'test', token: 'tok_visa' })).toBe(true);
    expect(Value.Check(PaymentInputBody, { provider: 'stripe', token: 'pm_card_visa' })).toBe(true);
    expect(
      Value.Check(PaymentInputBody, { provider: 'test', token: 'tok_visa', number: '4242424242424242' }),
    ).toBe(false);
    expect(
      Value.Check(PaymentInputBody, { provider: 'test', card: { number: '4242424242424242', cvc: '123' } }),
    ).toBe(false);
    expect(Value.Check(PaymentInputBody, { provider: 'test', token: '4242424242424242' })).toBe(false);
    expect(
      Value.Check(PaymentInputBody, { provider: 'test', token: 'tok_visa', cvc: '123', exp_month: 1 }),
    ).toBe(false);
  });
});

describe('refunds', () => {
  it('refunds partially then fully, never beyond what was captured, with refunded events', async () => {
    const orderId = await orders.createOrder();
    const { paymentId } = await start(orderId, 'tok_visa');
    const partial = await app.payments.refund(orderId, 500, 'damaged box');
    expect(partial).toMatchObject({
      id: paymentId,
      capturedAmount: 2_000,
      refundedAmount: 500,
      refunds: [{ amount: 500, reason: 'damaged box', status: 'succeeded' }],
    });
    await expect(app.payments.refund(orderId, 1_501)).rejects.toMatchObject({
      code: 'MCART_ERR_REFUND_EXCEEDS_CAPTURED',
      status: 422,
    });
    const rest = await app.payments.refund(orderId, 1_500);
    expect(rest.refundedAmount).toBe(2_000);
    await expect(app.payments.refund(orderId, 1)).rejects.toMatchObject({
      code: 'MCART_ERR_REFUND_EXCEEDS_CAPTURED',
    });
    const intent = (await gateway.inspect(rest.providerRef!))!;
    expect(intent.refundedAmount).toBe(2_000);
    const refunded = (await orderEvents(app, orderId)).filter((e) => e.event === 'refunded');
    expect(refunded).toEqual([
      expect.objectContaining({
        event: 'refunded',
        paymentId,
        amount: 500,
        refundedAmount: 500,
        capturedAmount: 2_000,
        reason: 'damaged box',
      }),
      expect.objectContaining({
        event: 'refunded',
        paymentId,
        amount: 1_500,
        refundedAmount: 2_000,
        capturedAmount: 2_000,
      }),
    ]);
  });

  it('two concurrent refunds that together exceed the capture: exactly one goes through', async () => {
    const orderId = await orders.createOrder();
    await start(orderId, 'tok_visa');
    const outcomes = await Promise.allSettled([
      app.payments.refund(orderId, 1_500),
      app.payments.refund(orderId, 1_500),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(
      outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason.code),
    ).toEqual(['MCART_ERR_REFUND_EXCEEDS_CAPTURED']);
    expect((await app.payments.paymentsFor(orderId))[0]!.refundedAmount).toBe(1_500);
  });

  it('an order without a captured payment cannot be refunded', async () => {
    const orderId = await orders.createOrder();
    await start(orderId, 'tok_chargeDeclined');
    await expect(app.payments.refund(orderId, 100)).rejects.toMatchObject({
      code: 'MCART_ERR_REFUND_EXCEEDS_CAPTURED',
    });
  });
});

describe('manual capture', () => {
  const manual = new PaymentsService({
    orm: app.orm,
    provider: gateway,
    captureMode: 'manual',
    orders: orders.port,
    log: app.log,
  });
  const startManual = (orderId: string, token = 'tok_visa') =>
    manual.startPayment({
      orderId,
      amount: 3_000,
      currency: 'USD',
      provider: 'test',
      token,
      customerEmail: 'a@b.test',
      idempotencyKey: randomUUID(),
    });

  it('an authorization pays the order; capture takes (part of) the money once', async () => {
    const orderId = await orders.createOrder();
    const result = await startManual(orderId);
    expect(result).toMatchObject({ status: 'authorized', orderPaid: true });
    expect(await orders.order(orderId)).toMatchObject({ status: 'paid' });
    const captured = await manual.capture(orderId, 2_500);
    expect(captured).toMatchObject({ status: 'captured', capturedAmount: 2_500 });
    // A second capture is refused (nothing is left authorized), so no caller records one that did not happen.
    await expect(manual.capture(orderId)).rejects.toMatchObject({
      code: 'MCART_ERR_PAYMENT_NOT_CAPTURABLE',
      detail: 'The payment was captured already',
    });
    expect((await gateway.inspect(captured.providerRef!))!.captureCount).toBe(1);
    expect(orders.transitions(orderId)).toBe(1);
    expect((await orderEvents(app, orderId)).map((e) => e.event)).toEqual([
      'payment_authorized',
      'payment_captured',
    ]);
    await expect(manual.cancel(orderId)).rejects.toMatchObject({ code: 'MCART_ERR_PAYMENT_NOT_CANCELABLE' });
  });

  it('cancel voids an authorization at the gateway', async () => {
    const orderId = await orders.createOrder();
    await startManual(orderId);
    const canceled = await manual.cancel(orderId);
    expect(canceled).toMatchObject({ status: 'canceled' });
    expect((await gateway.inspect(canceled!.providerRef!))!.status).toBe('canceled');
    await expect(manual.capture(orderId)).rejects.toMatchObject({ code: 'MCART_ERR_PAYMENT_NOT_CAPTURABLE' });
    expect((await orderEvents(app, orderId)).map((e) => e.event)).toEqual([
      'payment_authorized',
      'payment_canceled',
    ]);
  });
});

describe('admin', () => {
  it('lists the payments of an order for staff with orders:read', async () => {
    const orderId = await orders.createOrder();
    const { paymentId } = await start(orderId, 'tok_visa');
    const anonymous = await app.inject({ method: 'GET', url: `/api/admin/payments?orderId=${orderId}` });
    expect(anonymous.statusCode).toBe(401);
    const response = await app.inject({
      method: 'GET',
      url: `/api/admin/payments?orderId=${orderId}`,
      headers: { authorization: await staffToken(app) },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      total: 1,
      data: [{ id: paymentId, orderId, status: 'captured', last4: '4242' }],
    });
  });
});

describe('configuration', () => {
  it('needs the Stripe keys when Stripe is the provider, and reads the capture mode', async () => {
    const { loadConfig, ConfigError } = await import('../../config.ts');
    expect(() => loadConfig({ PAYMENT_PROVIDER: 'stripe' })).toThrow(ConfigError);
    expect(() => loadConfig({ PAYMENT_PROVIDER: 'stripe', STRIPE_SECRET_KEY: 'sk_test_1' })).toThrow(
      /STRIPE_WEBHOOK_SECRET/,
    );
    expect(() => loadConfig({ PAYMENT_PROVIDER: 'paypal' })).toThrow(/PAYMENT_PROVIDER/);
    const stripe = loadConfig({
      PAYMENT_PROVIDER: 'stripe',
      STRIPE_SECRET_KEY: 'sk_test_1',
      STRIPE_WEBHOOK_SECRET: 'whsec_1',
      STRIPE_CAPTURE: 'manual',
    });
    expect(stripe.payments).toMatchObject({ provider: 'stripe', capture: 'manual' });
    expect(loadConfig({}).payments).toMatchObject({ provider: 'test', capture: 'automatic' });
  });

  it('in production the test gateway is an explicit opt-in: PAYMENT_PROVIDER must be set', async () => {
    const { loadConfig, ConfigError } = await import('../../config.ts');
    const production = { NODE_ENV: 'production' };
    expect(() => loadConfig(production)).toThrow(ConfigError);
    expect(() => loadConfig(production)).toThrow(/PAYMENT_PROVIDER/);
    expect(() => loadConfig({ ...production, PAYMENT_PROVIDER: ' ' })).toThrow(/PAYMENT_PROVIDER/);
    expect(loadConfig({ ...production, PAYMENT_PROVIDER: 'test' }).payments.provider).toBe('test');
    expect(
      loadConfig({
        ...production,
        PAYMENT_PROVIDER: 'stripe',
        STRIPE_SECRET_KEY: 'sk_live_1',
        STRIPE_WEBHOOK_SECRET: 'whsec_1',
      }).payments.provider,
    ).toBe('stripe');
    // The embedded default (npm start: development) keeps the test gateway without asking.
    expect(loadConfig({ NODE_ENV: 'development' }).payments.provider).toBe('test');
  });

  it('generates the test gateway webhook secret into the data folder once, and requires it in production', async () => {
    const { mkdtempSync, readFileSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { loadConfig } = await import('../../config.ts');
    const { resolveSecrets } = await import('../../platform/secrets.ts');
    const dir = mkdtempSync(join(tmpdir(), 'mcart-payments-secrets-'));
    // A data folder from before payments existed: its secrets stay, the new one is added.
    writeFileSync(
      join(dir, 'secrets.json'),
      JSON.stringify({ jwt: 'j'.repeat(40), encryptionKeys: 'k1:abc' }),
    );
    const first = resolveSecrets(loadConfig({ MCART_DATA_DIR: dir }));
    expect(first).toMatchObject({
      jwt: 'j'.repeat(40),
      encryptionKeys: 'k1:abc',
      testGatewayWebhook: expect.stringMatching(/^whsec_test_/),
    });
    expect(resolveSecrets(loadConfig({ MCART_DATA_DIR: dir })).testGatewayWebhook).toBe(
      first.testGatewayWebhook,
    );
    expect(JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')).testGatewayWebhook).toBe(
      first.testGatewayWebhook,
    );
    const production = {
      NODE_ENV: 'production',
      PAYMENT_PROVIDER: 'test',
      MCART_DATA_DIR: dir,
      JWT_SECRET: 'x'.repeat(40),
      MCART_ENCRYPTION_KEYS: 'k1:abc',
    };
    expect(() => resolveSecrets(loadConfig(production))).toThrow(/TEST_GATEWAY_WEBHOOK_SECRET/);
    expect(
      resolveSecrets(loadConfig({ ...production, TEST_GATEWAY_WEBHOOK_SECRET: 's'.repeat(32) }))
        .testGatewayWebhook,
    ).toBe('s'.repeat(32));
  });
});
