import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { staffToken, useTestApp } from '../../../test/app.ts';
import { commerceFixtures } from '../cart/test-helpers.ts';
import {
  signTestGatewayPayload,
  TEST_SIGNATURE_HEADER,
  type TestGatewayProvider,
} from './providers/test-gateway.ts';

/** The whole path with the real orders module: cart → checkout → payment → paid (or not) order. */
const WEBHOOK_SECRET = 'whsec_test_checkout_e2e_0123456789abcdef';
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

const address = {
  name: 'Ada Shopper',
  line1: '1 Test Street',
  city: 'Testville',
  postalCode: '12345',
  country: 'US',
};

async function checkout(token: string, quantity = 2) {
  const product = await fixtures.product([2_500], 10);
  const variantId = product.variants[0]!.id;
  const cartId = await fixtures.cart();
  expect((await fixtures.add(cartId, variantId, quantity)).statusCode).toBe(200);
  const response = await app.inject({
    method: 'POST',
    url: `/api/store/carts/${cartId}/checkout`,
    headers: { 'idempotency-key': randomUUID() },
    payload: { email: 'ada@example.com', shippingAddress: address, payment: { provider: 'test', token } },
  });
  return { response, variantId };
}

const adminOrder = async (id: string) =>
  (
    await app.inject({ method: 'GET', url: `/api/admin/orders/${id}`, headers: { authorization: staff } })
  ).json<{
    status: string;
    payments?: { status: string; capturedAmount: number; refundedAmount: number; last4: string | null }[];
  }>();

const available = async (variantId: string) =>
  (
    await app.inject({
      method: 'GET',
      url: `/api/admin/inventory/levels?variantId=${variantId}`,
      headers: { authorization: staff },
    })
  ).json<{
    data: { available: number }[];
  }>().data[0]!.available;

const orderEvents = async (orderId: string) =>
  (
    await app.orm.em
      .fork()
      .execute<{ payload: { event: string } }[]>(
        `SELECT payload FROM outbox_event WHERE resource = 'orders' AND ? = ANY(ids) ORDER BY id`,
        [orderId],
      )
  ).map((row) => row.payload.event);

describe('checkout with the test gateway', () => {
  it('tok_visa: 201, the order is paid, the payment captured and shown in the order detail', async () => {
    const { response, variantId } = await checkout('tok_visa');
    expect(response.statusCode).toBe(201);
    const body = response.json<{
      order: { id: string; status: string; total: { amount: number } };
      payment: { id: string; status: string };
    }>();
    expect(body.order.status).toBe('paid');
    expect(body.payment.status).toBe('captured');
    const order = await adminOrder(body.order.id);
    expect(order.status).toBe('paid');
    expect(order.payments).toEqual([
      expect.objectContaining({
        id: body.payment.id,
        status: 'captured',
        capturedAmount: body.order.total.amount,
        last4: '4242',
      }),
    ]);
    expect(await available(variantId)).toBe(8);
    expect(await orderEvents(body.order.id)).toEqual(expect.arrayContaining(['paid', 'payment_captured']));
  });

  it('tok_chargeDeclined: 402 MCART_ERR_PAYMENT_DECLINED, the order is cancelled and the stock released', async () => {
    const { response, variantId } = await checkout('tok_chargeDeclined');
    expect(response.statusCode).toBe(402);
    const problem = response.json<{ code: string; orderId: string; declineCode: string }>();
    expect(problem).toMatchObject({ code: 'MCART_ERR_PAYMENT_DECLINED', declineCode: 'card_declined' });
    expect((await adminOrder(problem.orderId)).status).toBe('cancelled');
    expect(await available(variantId)).toBe(10);
    expect(await orderEvents(problem.orderId)).toEqual(
      expect.arrayContaining(['payment_failed', 'cancelled']),
    );
  });

  it('a card number where the token goes is refused and never reaches the gateway', async () => {
    const { response } = await checkout('4242424242424242');
    expect(response.statusCode).toBe(400);
    const found = await app.orm.em
      .fork()
      .execute<{ hit: boolean }[]>(
        `SELECT EXISTS (SELECT 1 FROM test_gateway_intent t WHERE t::text LIKE '%4242424242424242%') AS hit`,
      );
    expect(found[0]!.hit).toBe(false);
  });

  it('a payment provider that is not active is refused before anything is written: no order, the cart stays open', async () => {
    const product = await fixtures.product([2_500], 10);
    const variantId = product.variants[0]!.id;
    const cartId = await fixtures.cart();
    expect((await fixtures.add(cartId, variantId, 1)).statusCode).toBe(200);
    const response = await app.inject({
      method: 'POST',
      url: `/api/store/carts/${cartId}/checkout`,
      headers: { 'idempotency-key': randomUUID() },
      payload: { email: 'ada@example.com', shippingAddress: address, payment: { provider: 'stripe' } },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'MCART_ERR_PAYMENT_PROVIDER',
      errors: [{ path: 'body/payment/provider' }],
    });
    const [written] = await app.orm.em
      .fork()
      .execute<{ orders: string; status: string }[]>(
        `SELECT (SELECT count(*) FROM orders WHERE cart_id = ?) AS orders, (SELECT status FROM cart WHERE id = ?) AS status`,
        [cartId, cartId],
      );
    expect(written).toEqual({ orders: '0', status: 'open' });
    expect(await available(variantId)).toBe(10);
  });

  it('tok_threeDSecure: pending until the signed webhook; then paid once; a replayed webhook changes nothing', async () => {
    const { response } = await checkout('tok_threeDSecure');
    expect(response.statusCode).toBe(201);
    const body = response.json<{
      order: { id: string; status: string };
      payment: { id: string; status: string; clientSecret: string };
    }>();
    expect(body.order.status).toBe('pending_payment');
    expect(body.payment).toMatchObject({
      status: 'requires_action',
      clientSecret: expect.stringMatching(/^tgi_/),
    });

    const intentId = body.payment.clientSecret.split('_secret_')[0]!;
    const gateway = app.payments.provider as TestGatewayProvider;
    const completed = (await gateway.completeAction(intentId, 'succeed'))!;
    const deliver = () =>
      app.inject({
        method: 'POST',
        url: '/api/webhooks/payments/test',
        headers: { 'content-type': 'application/json', [TEST_SIGNATURE_HEADER]: completed.signature },
        payload: completed.rawBody,
      });
    const first = await deliver();
    expect(first.json()).toEqual({ received: true, replayed: false });
    expect((await adminOrder(body.order.id)).status).toBe('paid');
    // The consumers' own events (the invoice issued) are written by now, not while the replays are checked.
    await app.outbox.drain();
    const eventsAfterFirst = await orderEvents(body.order.id);
    expect(eventsAfterFirst.filter((e) => e === 'paid')).toHaveLength(1);

    const replay = await deliver();
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toEqual({ received: true, replayed: true });
    // Re-signed later (a gateway retry carries a fresh timestamp): still the same event id, still no effect.
    const resigned = await app.inject({
      method: 'POST',
      url: '/api/webhooks/payments/test',
      headers: {
        'content-type': 'application/json',
        [TEST_SIGNATURE_HEADER]: signTestGatewayPayload(WEBHOOK_SECRET, completed.rawBody),
      },
      payload: completed.rawBody,
    });
    expect(resigned.json()).toEqual({ received: true, replayed: true });
    expect(await orderEvents(body.order.id)).toEqual(eventsAfterFirst);
    expect((await gateway.inspect(intentId))!.captureCount).toBe(1);
    expect((await adminOrder(body.order.id)).payments).toEqual([
      expect.objectContaining({ status: 'captured' }),
    ]);
  });

  it('webhook and shopper confirmation together: one capture, one paid transition of the real order', async () => {
    const { response } = await checkout('tok_threeDSecure', 1);
    const body = response.json<{ order: { id: string }; payment: { id: string; clientSecret: string } }>();
    const intentId = body.payment.clientSecret.split('_secret_')[0]!;
    const gateway = app.payments.provider as TestGatewayProvider;
    const completed = (await gateway.completeAction(intentId, 'succeed'))!;
    const webhook = () =>
      app.inject({
        method: 'POST',
        url: '/api/webhooks/payments/test',
        headers: { 'content-type': 'application/json', [TEST_SIGNATURE_HEADER]: completed.signature },
        payload: completed.rawBody,
      });
    const shopper = () =>
      app.inject({ method: 'POST', url: `/api/store/payments/${body.payment.id}/confirm`, payload: {} });
    const answers = await Promise.all([webhook(), shopper(), webhook(), shopper()]);
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200]);
    expect((await gateway.inspect(intentId))!.captureCount).toBe(1);
    expect((await adminOrder(body.order.id)).status).toBe('paid');
    const events = await orderEvents(body.order.id);
    expect(events.filter((e) => e === 'paid')).toHaveLength(1);
    expect(events.filter((e) => e === 'payment_captured')).toHaveLength(1);
  });

  it('staff cancelling a paid order refunds the captured payment through the gateway', async () => {
    const { response } = await checkout('tok_visa', 1);
    const { order } = response.json<{ order: { id: string; total: { amount: number } } }>();
    const cancel = await app.inject({
      method: 'POST',
      url: `/api/admin/orders/${order.id}/cancel`,
      headers: { authorization: staff },
      payload: { reason: 'customer asked' },
    });
    expect(cancel.statusCode).toBe(200);
    const detail = await adminOrder(order.id);
    expect(detail.status).toBe('cancelled');
    expect(detail.payments).toEqual([
      expect.objectContaining({ status: 'captured', refundedAmount: order.total.amount }),
    ]);
    expect(await orderEvents(order.id)).toEqual(expect.arrayContaining(['refunded']));
  });
  it('an order cancelled while the gateway authorizes: the money it took goes back, the shopper is told 409', async () => {
    const gateway = app.payments.provider as TestGatewayProvider;
    const customer = await fixtures.customer();
    const product = await fixtures.product([1_500], 5);
    const cartId = await fixtures.cart(customer.auth);
    expect((await fixtures.add(cartId, product.variants[0]!.id, 1, customer.auth)).statusCode).toBe(200);
    // A slow gateway: the authorize call is held until the shopper's cancel went through.
    const authorize = gateway.authorize.bind(gateway);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let reached!: () => void;
    const inGateway = new Promise<void>((resolve) => (reached = resolve));
    gateway.authorize = async (input) => {
      reached();
      await held;
      return authorize(input);
    };
    try {
      const paying = Promise.resolve(
        app.inject({
          method: 'POST',
          url: `/api/store/carts/${cartId}/checkout`,
          headers: { 'idempotency-key': randomUUID(), authorization: customer.auth },
          payload: {
            email: 'ada@example.com',
            shippingAddress: address,
            payment: { provider: 'test', token: 'tok_visa' },
          },
        }),
      );
      await inGateway;
      const mine = await app.inject({
        method: 'GET',
        url: '/api/store/orders',
        headers: { authorization: customer.auth },
      });
      const orderId = mine.json<{ data: { id: string }[] }>().data[0]!.id;
      const cancelled = await app.inject({
        method: 'POST',
        url: `/api/store/orders/${orderId}/cancel`,
        headers: { authorization: customer.auth },
        payload: {},
      });
      expect(cancelled.statusCode, cancelled.body).toBe(200);
      // The payment has no gateway answer yet: it stays open for that answer, not closed behind its back.
      expect((await adminOrder(orderId)).payments).toEqual([expect.objectContaining({ status: 'pending' })]);
      release();

      const answer = await paying;
      expect(answer.statusCode, answer.body).toBe(409);
      expect(answer.json()).toMatchObject({
        code: 'MCART_ERR_ORDER_CANCELLED',
        orderId,
        detail: 'Anything the payment took is given back automatically',
      });
      const order = await adminOrder(orderId);
      expect(order.status).toBe('cancelled');
      // 15.00 and 5.00 shipping: all of it taken, all of it back.
      expect(order.payments).toEqual([
        expect.objectContaining({ status: 'captured', capturedAmount: 2_000, refundedAmount: 2_000 }),
      ]);
      const [payment] = await app.payments.paymentsFor(orderId);
      const intent = (await gateway.findByPaymentId(payment!.id))!;
      expect(await gateway.inspect(intent.ref)).toMatchObject({
        capturedAmount: 2_000,
        refundedAmount: 2_000,
      });
    } finally {
      gateway.authorize = authorize;
      release();
    }
  });
  it('capturing a payment captured already is refused with 409, and the timeline records no capture', async () => {
    const { response } = await checkout('tok_visa', 1);
    expect(response.statusCode, response.body).toBe(201);
    const { order } = response.json<{ order: { id: string; total: { amount: number } } }>();
    const timeline = async () =>
      (
        await app.inject({
          method: 'GET',
          url: `/api/admin/orders/${order.id}`,
          headers: { authorization: staff },
        })
      ).json<{ timeline: { message: string | null }[] }>().timeline;
    const before = await timeline();
    for (const payload of [{ amount: 99_999_999 }, {}]) {
      const again = await app.inject({
        method: 'POST',
        url: `/api/admin/orders/${order.id}/capture`,
        headers: { authorization: staff },
        payload,
      });
      expect(again.statusCode, again.body).toBe(409);
      expect(again.json()).toMatchObject({
        code: 'MCART_ERR_PAYMENT_NOT_CAPTURABLE',
        detail: 'The payment was captured already',
      });
    }
    expect(await timeline()).toEqual(before);
    expect((await adminOrder(order.id)).payments).toEqual([
      expect.objectContaining({ status: 'captured', capturedAmount: order.total.amount }),
    ]);
  });
  it('refunds of several orders at once all go through (the test gateway holds one connection per refund)', async () => {
    // More refunds at once than the test app's pool has connections (4): a gateway refund that took a second
    // connection besides its transaction's stalled them all until the pool gave up.
    const orders = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const { response } = await checkout('tok_visa', 1);
        expect(response.statusCode, response.body).toBe(201);
        return response.json<{ order: { id: string } }>().order.id;
      }),
    );
    const refunds = await Promise.all(
      orders.map((id) =>
        app.inject({
          method: 'POST',
          url: `/api/admin/orders/${id}/refund`,
          headers: { authorization: staff },
          payload: { amount: 100 },
        }),
      ),
    );
    expect(refunds.map((response) => response.statusCode)).toEqual(orders.map(() => 200));
  });
});
