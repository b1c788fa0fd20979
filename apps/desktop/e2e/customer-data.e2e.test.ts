import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Relative on purpose: @mcart/server's package exports map `./*` to `./src/*`, not to test/.
import { startTestServer, type RunningTestServer } from '../../server/test/server-harness.ts';
import { ensureRendererBuild } from './renderer-build.ts';
import { hasChromium, launchChromium, signIn } from './browser.ts';

/** A customer's data rights from the customer page (ADR 0048): export, erasure refused then done. */
describe.skipIf(!hasChromium)('customer data export and erasure in a browser', () => {
  let server: RunningTestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    ensureRendererBuild();
    server = await startTestServer();
    browser = await launchChromium();
    context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'en-US', acceptDownloads: true });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A call to the running server, as any API client makes it. */
  const api = async <T>(method: string, path: string, body?: unknown, token?: string): Promise<T> => {
    const response = await page.request.fetch(`${server.url}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(path.endsWith('/checkout') ? { 'idempotency-key': randomUUID() } : {}),
      },
      ...(body === undefined ? {} : { data: body }),
    });
    if (response.status() >= 300)
      throw new Error(`${method} ${path}: ${response.status()} ${await response.text()}`);
    return (await response.json()) as T;
  };

  it('exports the data, shows why the erasure waits for an order, then erases', async () => {
    await signIn(page, server.admin, `${server.url}/admin/`);
    await page.getByTestId('staff-email').waitFor();

    // A customer with an address and a paid order, through the public API like a shop would.
    const owner = (await api<{ accessToken: string }>('POST', '/api/admin/auth/login', server.admin))
      .accessToken;
    const tag = randomUUID().slice(0, 6).toUpperCase();
    const product = await api<{ variants: { id: string }[] }>(
      'POST',
      '/api/admin/products',
      {
        title: `Kettle ${tag}`,
        status: 'active',
        variants: [{ sku: `KET-${tag}`, title: 'Red', price: { amount: 3100, currency: 'USD' } }],
      },
      owner,
    );
    const variantId = product.variants[0]!.id;
    await api('POST', '/api/admin/inventory/adjustments', { variantId, delta: 5, reason: 'e2e' }, owner);
    const email = `marie-${tag.toLowerCase()}@shop.test`;
    const shopper = await api<{ accessToken: string; customer: { id: string } }>(
      'POST',
      '/api/store/auth/register',
      { email, password: 'a long shopper passphrase', firstName: 'Marie', lastName: `Curie${tag}` },
    );
    const address = {
      name: 'Marie Curie',
      line1: '11 Rue Pierre et Marie Curie',
      city: 'Paris',
      postalCode: '75005',
      country: 'FR',
    };
    await api('POST', '/api/store/me/addresses', address, shopper.accessToken);
    const cart = await api<{ id: string }>('POST', '/api/store/carts', {}, shopper.accessToken);
    await api('POST', `/api/store/carts/${cart.id}/items`, { variantId, quantity: 1 }, shopper.accessToken);
    const placed = await api<{ order: { id: string; number: string } }>(
      'POST',
      `/api/store/carts/${cart.id}/checkout`,
      { email, shippingAddress: address, payment: { provider: 'test', token: 'tok_visa' } },
      shopper.accessToken,
    );

    await page.goto(`${server.url}/admin/#/customers/${shopper.customer.id}/show`);
    await page.getByText(address.line1).waitFor();

    // Export: a JSON file with the customer's data.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export data' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(
      new RegExp(`^customer-${shopper.customer.id}-personal-data-\\d{4}-\\d{2}-\\d{2}\\.json$`),
    );
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
    expect(exported).toMatchObject({
      customer: { email },
      addresses: [expect.objectContaining({ line1: address.line1 })],
      orders: [expect.objectContaining({ number: placed.order.number })],
    });

    // The dialog states the consequences; confirming needs the acknowledgement; the paid order blocks it.
    await page.getByRole('button', { name: 'Erase personal data' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(/The account is deleted for good/).waitFor();
    await dialog.getByText(/Orders are kept for the accounts and tax records/).waitFor();
    const erase = dialog.getByRole('button', { name: 'Erase', exact: true });
    expect(await erase.isDisabled()).toBe(true);
    await dialog.getByLabel('I understand that this cannot be undone').check();
    await erase.click();
    const blocked = dialog.getByRole('alert');
    await blocked.getByText(/These orders are not finished yet/).waitFor();
    await blocked.getByRole('link', { name: placed.order.number }).waitFor();
    await blocked.getByText(/Paid/).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText(address.line1).waitFor(); // nothing changed

    // Delivered: the erasure goes through and the app leaves the page of a customer who no longer exists.
    for (const status of ['shipped', 'delivered'])
      await api('POST', `/api/admin/orders/${placed.order.id}/transition`, { status }, owner);
    await page.getByRole('button', { name: 'Erase personal data' }).click();
    await dialog.getByLabel('I understand that this cannot be undone').check();
    await dialog.getByRole('button', { name: 'Erase', exact: true }).click();
    await page.getByText(/Personal data erased; 1 order\(s\) kept without the person/).waitFor();
    await expect.poll(() => page.url()).toMatch(/#\/customers$/);
    const order = await api<{ email: string; shippingAddress: { line1: string; country: string } }>(
      'GET',
      `/api/admin/orders/${placed.order.id}`,
      undefined,
      owner,
    );
    expect(order.email).toMatch(/@erased\.invalid$/);
    expect(order.shippingAddress).toMatchObject({ line1: '', country: 'FR' });
  });
});
