import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Relative on purpose: @mcart/server's package exports map `./*` to `./src/*`, not to test/.
import { buildTestApp, staffToken, TEST_OWNER, type TestApp } from '../../server/test/app.ts';
import { commerceFixtures } from '../../server/src/modules/cart/test-helpers.ts';
import {
  signedEvent,
  startFakeStripe,
  type FakeStripe,
  type MockIntent,
} from '../../server/src/modules/payments/testing/fake-stripe.ts';
import { ensureRendererBuild } from './renderer-build.ts';
import { hasChromium, launchChromium, newPage, signIn } from './browser.ts';

const usd = (minor: number) => `$${(minor / 100).toFixed(2)}`;
const WEBHOOK_SECRET = 'whsec_desktop_refund_outcomes_0123';

/**
 * A refund whose gateway answer is lost (ADR 0021), seen by staff: the real server paying through the Stripe
 * provider against the local fake Stripe, which refunds but loses its answers (`dropRefundAnswers`).
 */
describe.skipIf(!hasChromium)('refund outcomes and disputes on the order page, in a browser', () => {
  let fake: FakeStripe;
  let testApp: TestApp;
  let url: string;
  let browser: Browser;
  let page: Page;
  let order: { id: string; number: string };
  let intent: MockIntent;

  beforeAll(async () => {
    ensureRendererBuild();
    fake = await startFakeStripe();
    testApp = await buildTestApp({
      TLS: 'on',
      PAYMENT_PROVIDER: 'stripe',
      STRIPE_SECRET_KEY: 'sk_test_desktop_refund_outcomes',
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_URL: fake.url,
      TAX_RATE_BPS: '0',
    });
    await testApp.app.listen({ host: '127.0.0.1', port: 0 });
    url = `https://127.0.0.1:${(testApp.app.server.address() as AddressInfo).port}`;
    const auth = await staffToken(testApp.app);
    const fixtures = commerceFixtures(testApp.app, auth);
    const product = await fixtures.product([2_000], 10);
    const cartId = await fixtures.cart();
    expect((await fixtures.add(cartId, product.variants[0]!.id, 2)).statusCode).toBe(200);
    const placed = await testApp.app.inject({
      method: 'POST',
      url: `/api/store/carts/${cartId}/checkout`,
      headers: { 'idempotency-key': randomUUID() },
      payload: {
        email: `refunds-${randomUUID().slice(0, 8)}@example.test`,
        shippingAddress: {
          name: 'Ann Refund',
          line1: '1 Way',
          city: 'Springfield',
          region: 'IL',
          postalCode: '62701',
          country: 'US',
        },
        payment: { provider: 'stripe', token: 'pm_card_visa' },
      },
    });
    expect(placed.statusCode, placed.body).toBe(201);
    order = placed.json<{ order: { id: string; number: string } }>().order;
    const detail = await testApp.app.inject({
      method: 'GET',
      url: `/api/admin/orders/${order.id}`,
      headers: { authorization: auth },
    });
    intent = fake.intents.get(
      detail.json<{ payments: { providerRef: string }[] }>().payments[0]!.providerRef,
    )!;
    browser = await launchChromium();
    page = await newPage(browser);
  });

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
    await fake?.close();
  });

  // Live changes reach the page through the outbox relay: give them time under load.
  const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 30_000 });
  const payments = () => page.getByTestId('order-payments').textContent();

  it('a refund whose answer is lost closes the dialog with a notice not to refund again, and shows as pending', async () => {
    await signIn(page, TEST_OWNER, `${url}/admin/`);
    await page.getByRole('menuitem', { name: 'Orders', exact: true }).waitFor();
    await page.goto(`${url}/admin/#/orders/${order.id}/show`);
    await page.getByRole('heading', { name: `${order.number} · Paid` }).waitFor();

    // Stripe refunds, but neither its answer nor the answers to the SDK's retries arrive.
    fake.state.dropRefundAnswers = 3;
    await page.getByRole('button', { name: 'Refund', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Amount (USD)').fill('12.00');
    await dialog.getByRole('button', { name: 'Confirm' }).click();

    await page
      .getByText(
        "The refund was sent; the gateway's confirmation is pending and will be recorded automatically. Do not refund again.",
      )
      .waitFor();
    // Closed, not an error inviting a retry.
    await poll(() => dialog.count()).toBe(0);
    await poll(payments).toContain(
      "Refund $12.00 pending: awaiting the gateway's confirmation (do not refund again)",
    );
    await poll(() => page.getByTestId('refunds-pending').textContent()).toContain(
      "$12.00 refunded and waiting for the payment gateway's confirmation",
    );
    expect(await page.getByTestId('payment-refund').getAttribute('data-refund-state')).toBe('pending');
    // The money stays reserved: the next refund offers only what is left.
    await page.getByRole('heading', { name: `${order.number} · Partially refunded` }).waitFor();
  });

  it('an opened dispute shows as a badge with its amount and evidence deadline, and raises a live alert', async () => {
    const { payload, header } = signedEvent(
      'charge.dispute.created',
      {
        id: `dp_${intent.id.slice(3, 15)}`,
        object: 'dispute',
        amount: intent.amount,
        currency: intent.currency,
        charge: intent.latest_charge!.id,
        payment_intent: intent.id,
        reason: 'product_not_received',
        status: 'needs_response',
        evidence_details: { due_by: 1_893_456_000 },
      },
      WEBHOOK_SECRET,
    );
    const delivered = await testApp.app.inject({
      method: 'POST',
      url: '/api/webhooks/payments/stripe',
      headers: { 'content-type': 'application/json', 'stripe-signature': header },
      payload,
    });
    expect(delivered.statusCode, delivered.body).toBe(200);
    await testApp.app.outbox.drain();

    // The live change refreshes the open order and warns staff.
    const badge = page.getByTestId('payment-dispute');
    await poll(() => badge.count()).toBe(1);
    const due = new Date(1_893_456_000 * 1000).toLocaleDateString('en-US');
    await poll(() => badge.textContent()).toBe(
      `Dispute needs a response · ${usd(intent.amount)} · evidence due ${due} · reason: product_not_received`,
    );
    expect(await badge.getAttribute('data-dispute-status')).toBe('needs_response');
    await page
      .getByText(`Payment dispute on order ${order.number}: ${usd(intent.amount)}, evidence due ${due}`)
      .first()
      .waitFor();
  });
});
