import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { staffToken, useTestApp } from '../../../test/app.ts';
import { queuedMail } from '../../../test/identity/helpers.ts';
import { commerceFixtures } from '../cart/test-helpers.ts';
import { OrdersService } from '../orders/orders.service.ts';
import { charge, signedEvent, startFakeStripe } from './testing/fake-stripe.ts';

/**
 * A payment that goes through after its order was cancelled (ADR 0034) is given back; the shopper must be told so,
 * not read `captured` as a placed order: the payment's status says `givenBack`, and the refund is e-mailed. Stripe
 * (the real SDK against the local fake) with automatic capture, so the late payment is captured, then refunded.
 */
const fake = await startFakeStripe();
afterAll(() => fake.close());
const SECRET = 'whsec_late_payment_notice_0123456789';
const { app, databaseUrl } = await useTestApp({
  PAYMENT_PROVIDER: 'stripe',
  STRIPE_SECRET_KEY: 'sk_test_late_payment_notice',
  STRIPE_WEBHOOK_SECRET: SECRET,
  STRIPE_API_URL: fake.url,
  TAX_RATE_BPS: '0',
});
const staff = await staffToken(app);
const fx = commerceFixtures(app, staff);
const fork = () => app.orm.em.fork() as EntityManager;

const deliver = async (type: string, object: unknown) => {
  const { payload, header } = signedEvent(type, object, SECRET);
  const response = await app.inject({
    method: 'POST',
    url: '/api/webhooks/payments/stripe',
    headers: { 'content-type': 'application/json', 'stripe-signature': header },
    payload,
  });
  expect(response.statusCode, response.body).toBe(200);
};

async function checkout(token: string) {
  const product = await fx.product([2_000], 10);
  const cartId = await fx.cart();
  expect((await fx.add(cartId, product.variants[0]!.id, 1)).statusCode).toBe(200);
  const placed = await app.inject({
    method: 'POST',
    url: `/api/store/carts/${cartId}/checkout`,
    headers: { 'idempotency-key': randomUUID() },
    payload: {
      email: 'late@example.test',
      shippingAddress: { name: 'Lee Late', line1: '1 Way', city: 'Lyon', postalCode: '69001', country: 'FR' },
      payment: { provider: 'stripe', token },
    },
  });
  expect(placed.statusCode, placed.body).toBe(201);
  return placed.json<{
    order: { id: string; number: string };
    payment: { id: string; clientSecret?: string };
  }>();
}

const refundMails = async (orderNumber: string) =>
  (await queuedMail(app, databaseUrl)).filter(
    (mail) => (mail.template as string) === 'refund-issued' && mail.data.orderNumber === orderNumber,
  );

describe('a payment captured after its order expired', () => {
  it('answers the shopper givenBack (not a placed order) and e-mails the refund', async () => {
    const { order, payment } = await checkout('pm_card_threeDSecure2Required');
    // The shopper is still at the bank when the reservation runs out: the order expires (cancelled).
    await fork().execute(`UPDATE orders SET reserved_until = now() - interval '1 minute' WHERE id = ?`, [
      order.id,
    ]);
    expect(await new OrdersService(fork(), app.cipher).expireUnpaid()).toContain(order.id);

    // The bank approves anyway; Stripe captures; the shopper comes back from 3-D Secure.
    const intent = fake.intentOfSecret(payment.clientSecret!);
    intent.status = 'succeeded';
    intent.amount_received = intent.amount;
    intent.latest_charge = charge({ brand: 'visa', last4: '3220' });
    const confirmed = await app.inject({
      method: 'POST',
      url: `/api/store/payments/${payment.id}/confirm`,
      payload: {},
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    // Before: `{ status: 'captured' }` and nothing more, read by a shop front as "payment successful".
    expect(confirmed.json()).toMatchObject({ status: 'captured', givenBack: true });
    expect((await app.inject({ url: `/api/store/payments/${payment.id}` })).json()).toMatchObject({
      status: 'captured',
      givenBack: true,
    });
    await deliver('payment_intent.succeeded', intent);

    const detail = (
      await app.inject({ url: `/api/admin/orders/${order.id}`, headers: { authorization: staff } })
    ).json<{ status: string; payments: { refundedAmount: number }[] }>();
    expect(detail).toMatchObject({ status: 'cancelled', payments: [{ refundedAmount: 2_500 }] });
    await app.outbox.drain();
    // Told by e-mail that the money they see taken went back (before: only "your order was cancelled").
    expect(await refundMails(order.number)).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ amount: 2_500, currency: 'USD' }) }),
    ]);
  });

  it('a paid order is not given back; its cancellation by staff is e-mailed as a cancellation, not twice', async () => {
    const { order, payment } = await checkout('pm_card_visa');
    expect((await app.inject({ url: `/api/store/payments/${payment.id}` })).json()).toMatchObject({
      status: 'captured',
      givenBack: false,
    });
    const cancelled = await app.inject({
      method: 'POST',
      url: `/api/admin/orders/${order.id}/cancel`,
      headers: { authorization: staff },
      payload: { reason: 'out of stock' },
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    await app.outbox.drain();
    expect(await refundMails(order.number)).toEqual([]);
    expect((await app.inject({ url: `/api/store/payments/${payment.id}` })).json()).toMatchObject({
      givenBack: true,
    });
  });
});
