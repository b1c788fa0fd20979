import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Relative on purpose: @mcart/server's package exports map `./*` to `./src/*`, not to test/.
import { buildTestApp, staffToken, TEST_OWNER, type TestApp } from '../../server/test/app.ts';
import { commerceFixtures } from '../../server/src/modules/cart/test-helpers.ts';
import { ensureRendererBuild } from './renderer-build.ts';
import { hasChromium, launchChromium, newPage, signIn } from './browser.ts';

/**
 * What a store owner met on a first walk through the back-office (docs/adr/0058): a currency field squeezed to
 * nothing, a cancel dialog whose "Cancel" kept the order, an end date before the start sent to the server, SKUs
 * broken at their hyphen, a threshold dialog that did not say which variant, and empty lists that said nothing.
 */
describe.skipIf(!hasChromium)('a first walk through the back-office', () => {
  let testApp: TestApp;
  let url: string;
  let browser: Browser;
  let page: Page;
  let auth: string;
  let fixtures: ReturnType<typeof commerceFixtures>;
  let skus: string[];
  let variantIds: string[];

  async function placeOrder(items: { variantId: string; quantity: number }[], token: string) {
    const cartId = await fixtures.cart();
    for (const item of items)
      expect((await fixtures.add(cartId, item.variantId, item.quantity)).statusCode).toBe(200);
    const response = await testApp.app.inject({
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
        payment: { provider: 'test', token },
      },
    });
    expect(response.statusCode).toBe(201);
    return response.json<{ order: { id: string; number: string } }>().order;
  }

  const orderStatus = async (id: string) =>
    (
      await testApp.app.inject({
        method: 'GET',
        url: `/api/admin/orders/${id}`,
        headers: { authorization: auth },
      })
    ).json<{ status: string }>().status;

  beforeAll(async () => {
    ensureRendererBuild();
    testApp = await buildTestApp({ TLS: 'on' });
    await testApp.app.listen({ host: '127.0.0.1', port: 0 });
    url = `https://127.0.0.1:${(testApp.app.server.address() as AddressInfo).port}`;
    auth = await staffToken(testApp.app);
    fixtures = commerceFixtures(testApp.app, auth);
    const product = await fixtures.product([2_500, 1_000], 20);
    // SKUs with hyphens, as real ones have: the browser would break them after a hyphen.
    skus = product.variants.map((variant) => variant.sku);
    variantIds = product.variants.map((variant) => variant.id);
    browser = await launchChromium();
    page = await newPage(browser, { viewport: { width: 1024, height: 700 } });
    await signIn(page, TEST_OWNER, `${url}/admin/`);
    await page.getByRole('menuitem', { name: 'Orders', exact: true }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000 });

  it('shows the variant’s currency in a field wide enough to read, fixed to the store’s currency', async () => {
    await page.goto(`${url}/admin/#/products/create`);
    const currency = page.getByLabel(/^Currency/);
    await poll(() => currency.inputValue()).toBe('USD');
    // It was squeezed to about 28px beside three full-width inputs: "U" of "USD" showed.
    const box = await currency.boundingBox();
    expect(box!.width).toBeGreaterThanOrEqual(60);
    // The server takes no other currency than the store's: nothing to type.
    expect(await currency.isEditable()).toBe(false);
  });

  it('says what the cancel dialog’s buttons do: "Keep the order" keeps it, "Cancel order" cancels it', async () => {
    const order = await placeOrder([{ variantId: variantIds[1]!, quantity: 1 }], 'tok_visa');
    await page.goto(`${url}/admin/#/orders/${order.id}/show`);
    await page.getByRole('heading', { name: `${order.number} · Paid` }).waitFor();
    await page.getByRole('button', { name: 'Cancel order' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(`Cancel order ${order.number}?`).waitFor();
    // No "Cancel" beside "Confirm" in a dialog about cancelling.
    expect(await dialog.getByRole('button', { name: 'Cancel', exact: true }).count()).toBe(0);
    expect(await dialog.getByRole('button', { name: 'Confirm' }).count()).toBe(0);
    await dialog.getByRole('button', { name: 'Keep the order' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await orderStatus(order.id)).toBe('paid');

    await page.getByRole('button', { name: 'Cancel order' }).click();
    await dialog.getByRole('button', { name: 'Cancel order' }).click();
    await page.getByRole('heading', { name: `${order.number} · Cancelled` }).waitFor();
    expect(await orderStatus(order.id)).toBe('cancelled');
  });

  it('keeps a SKU and an amount on one line in the order’s lines, the item’s name wrapping instead', async () => {
    const order = await placeOrder(
      [
        { variantId: variantIds[0]!, quantity: 2 },
        { variantId: variantIds[1]!, quantity: 1 },
      ],
      'tok_visa',
    );
    await page.goto(`${url}/admin/#/orders/${order.id}/show`);
    const line = page.getByTestId('order-line').filter({ hasText: skus[0]! });
    await line.waitFor();
    const cells = await line
      .getByRole('cell')
      .evaluateAll((all) =>
        all.map((cell) => ({ text: cell.textContent, wrap: getComputedStyle(cell).whiteSpace })),
      );
    expect(cells[0]).toEqual({ text: skus[0], wrap: 'nowrap' });
    expect(cells[1]!.wrap).not.toBe('nowrap');
    expect(cells.slice(2).every((cell) => cell.wrap === 'nowrap')).toBe(true);
  });

  it('refuses a discount code or a promotion that ends before it starts, on the field, before asking the server', async () => {
    const posted: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && /\/api\/admin\/(discount-codes|sales)$/.test(request.url()))
        posted.push(request.url());
    });
    await page.goto(`${url}/admin/#/discount-codes/create`);
    await page.getByLabel(/^Code/).fill('WELCOME10');
    await page.getByLabel(/^Percent off/).fill('10');
    await page.getByLabel(/^Starts/).fill('2027-01-10T10:00');
    await page.getByLabel('Ends').fill('2027-01-01T10:00');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Must be after the start').waitFor();
    expect(await page.getByLabel('Ends').getAttribute('aria-invalid')).toBe('true');

    await page.goto(`${url}/admin/#/sales/create`);
    await page.getByLabel(/^Name/).fill('Winter');
    await page.getByLabel(/^Discount type/).click();
    await page.getByRole('option', { name: 'Percentage' }).click();
    await page.getByLabel(/^Percent off/).fill('10');
    await page.getByLabel(/^Starts/).fill('2027-01-10T10:00');
    await page.getByLabel('Ends').fill('2027-01-10T10:00');
    await page.getByLabel('Variant ids').fill(variantIds[1]!);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Must be after the start').waitFor();
    expect(posted).toEqual([]);

    // A later end is sent and saved.
    await page.getByLabel('Ends').fill('2027-01-20T10:00');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('row').filter({ hasText: 'Winter' }).waitFor();
    expect(posted).toHaveLength(1);
  });

  it('names the variant in the low-stock threshold dialog, which hides its row', async () => {
    await page.goto(`${url}/admin/#/stock-levels`);
    const row = page.getByRole('row').filter({ hasText: skus[1]! });
    await row.waitFor();
    await row.getByRole('button', { name: 'Threshold' }).click();
    await page.getByRole('dialog').getByText(`Low-stock threshold of ${skus[1]}`).waitFor();
    await page.keyboard.press('Escape');
  });

  it('tells two locations of the same name apart by their codes when picking where stock goes', async () => {
    const created = await testApp.app.inject({
      method: 'POST',
      url: '/api/admin/stock-locations',
      headers: { authorization: auth },
      payload: { code: 'shop-floor', name: 'Main warehouse' },
    });
    expect(created.statusCode).toBe(201);
    await page.goto(`${url}/admin/#/stock-transfers`);
    await page.getByTestId('transfer-to').click();
    const options = await page.getByRole('option').allTextContents();
    expect(options).toEqual(
      expect.arrayContaining(['Main warehouse · default (default)', 'Main warehouse · shop-floor']),
    );
    await page.keyboard.press('Escape');
  });

  it('says what an empty list will hold, rather than "No Customers yet."', async () => {
    await page.goto(`${url}/admin/#/customers`);
    await page
      .getByText('No customer yet. Shoppers appear here once they create an account in the store.')
      .waitFor();
    await page.goto(`${url}/admin/#/return-requests`);
    await page.getByText(/^No return requested yet\./).waitFor();
  });

  it('reads the cancel dialog in French: "Garder la commande", never a bare "Annuler"', async () => {
    const order = await placeOrder([{ variantId: variantIds[1]!, quantity: 1 }], 'tok_visa');
    const french = await newPage(browser, { viewport: { width: 1024, height: 700 }, locale: 'fr-FR' });
    try {
      await french.goto(`${url}/admin/`);
      await french.getByLabel('E-mail').fill(TEST_OWNER.email);
      await french.getByLabel(/^Mot de passe/).fill(TEST_OWNER.password);
      await french.getByRole('button', { name: 'Connexion' }).click();
      await french.getByRole('menuitem', { name: 'Commandes', exact: true }).waitFor();
      await french.goto(`${url}/admin/#/orders/${order.id}/show`);
      await french.getByRole('button', { name: 'Annuler la commande' }).click();
      const dialog = french.getByRole('dialog');
      await dialog.getByRole('button', { name: 'Garder la commande' }).waitFor();
      expect(await dialog.getByRole('button', { name: 'Annuler', exact: true }).count()).toBe(0);
      await dialog.getByRole('button', { name: 'Garder la commande' }).click();
      await dialog.waitFor({ state: 'detached' });
      expect(await orderStatus(order.id)).toBe('paid');
    } finally {
      await french.context().close();
    }
  });
});
