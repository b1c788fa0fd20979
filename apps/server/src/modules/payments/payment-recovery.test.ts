import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { staffToken, useTestApp } from '../../../test/app.ts';
import { commerceFixtures } from '../cart/test-helpers.ts';

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
