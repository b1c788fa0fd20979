import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Relative on purpose: @mcart/server's package exports map `./*` to `./src/*`, not to test/.
import { buildTestApp, staffToken, TEST_OWNER, type TestApp } from '../../server/test/app.ts';
import { commerceFixtures } from '../../server/src/modules/cart/test-helpers.ts';
import { ensureRendererBuild } from './renderer-build.ts';
import { hasChromium, launchChromium, newPage } from './browser.ts';

/**
 * A French back office reads the order's timeline in French (ADR 0069): the events the server keys are rendered
 * from the app's catalogue, money the French way; an event with a key the app does not know shows the server's
 * own message, and staff's words (a refund's reason, a note) stay as they wrote them.
 */
describe.skipIf(!hasChromium)('order timeline in French', () => {
  let testApp: TestApp;
  let url: string;
  let browser: Browser;
  let auth: string;
  let order: { id: string; number: string };

  beforeAll(async () => {
    ensureRendererBuild();
    testApp = await buildTestApp({ TLS: 'on' });
    await testApp.app.listen({ host: '127.0.0.1', port: 0 });
    url = `https://127.0.0.1:${(testApp.app.server.address() as AddressInfo).port}`;
    auth = await staffToken(testApp.app);
    const fixtures = commerceFixtures(testApp.app, auth);
    const product = await fixtures.product([2_500], 20);
    const cartId = await fixtures.cart();
    expect((await fixtures.add(cartId, product.variants[0]!.id, 2)).statusCode).toBe(200);
    const placed = await testApp.app.inject({
      method: 'POST',
      url: `/api/store/carts/${cartId}/checkout`,
      headers: { 'idempotency-key': randomUUID() },
      payload: {
        email: `shopper-${randomUUID().slice(0, 8)}@example.test`,
        shippingAddress: {
          name: 'Ada Shopper',
          line1: '1 Test Street',
          city: 'Testville',
          postalCode: '12345',
          country: 'US',
        },
        payment: { provider: 'test', token: 'tok_visa' },
      },
    });
    expect(placed.statusCode).toBe(201);
    order = placed.json<{ order: { id: string; number: string } }>().order;
    const admin = (path: string, payload: Record<string, unknown>) =>
      testApp.app.inject({
        method: 'POST',
        url: `/api/admin/orders/${order.id}${path}`,
        headers: { authorization: auth },
        payload,
      });
    expect((await admin('/refund', { amount: 1000, reason: 'geste commercial' })).statusCode).toBe(200);
    expect((await admin('/notes', { body: 'Client rappelé' })).statusCode).toBe(201);
    // An event from a newer server, with a key this app does not know.
    await testApp.app.orm.em
      .fork()
      .getConnection()
      .execute(
        `INSERT INTO order_event (order_id, kind, message, message_key, message_params, actor_type)
         VALUES (?, 'payment', 'Payment teleported to Mars', 'payment.teleported', '{"planet":"Mars"}'::jsonb, 'system')`,
        [order.id],
      );
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  it('shows the keyed events in French and the unknown one as the server wrote it', async () => {
    const french = await newPage(browser, { viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
    try {
      await french.goto(`${url}/admin/`);
      await french.getByLabel('E-mail').fill(TEST_OWNER.email);
      await french.getByLabel(/^Mot de passe/).fill(TEST_OWNER.password);
      await french.getByRole('button', { name: 'Connexion' }).click();
      await french.getByRole('menuitem', { name: 'Commandes', exact: true }).waitFor();
      await french.goto(`${url}/admin/#/orders/${order.id}/show`);
      const timeline = french.getByTestId('order-timeline');
      await timeline.getByText('Commande passée').waitFor();
      const text = (await timeline.innerText()).replace(/[\u202f\u00a0]/g, ' ');
      expect(text).toContain('Paiement reçu');
      expect(text).toMatch(/Remboursement de 10,00 \$US : geste commercial/);
      expect(text).toContain('Client rappelé');
      expect(text).toContain('Payment teleported to Mars');
      expect(text).not.toContain('Order placed');
      expect(text).not.toContain('Payment received');
      expect(text).not.toContain('Refund $10.00');
    } finally {
      await french.context().close();
    }
  });
});
