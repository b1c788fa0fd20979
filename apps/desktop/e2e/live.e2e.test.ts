import type { AddressInfo } from 'node:net';
import { type APIRequestContext, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Relative on purpose: @mcart/server's package exports map `./*` to `./src/*`, not to test/.
import { buildTestApp, staffToken, TEST_OWNER, type TestApp } from '../../server/test/app.ts';
import { orderFixtures } from '../../server/test/support/orders.ts';
import { ensureRendererBuild } from './renderer-build.ts';
import { hasChromium, launchChromium, signIn, newPage } from './browser.ts';

interface StaffWindow {
  page: Page;
  api: APIRequestContext;
  auth: string;
}

/**
 * Two staff windows (two browser contexts, each signed in) on the same server: what one changes shows
 * up in the other without a reload, through the live socket (no polling: no query has a refetch
 * interval). Each window carries a marker a reload would clear.
 */
// Two signed-in windows per test: slow on a loaded machine, so more than the default minute.
describe.skipIf(!hasChromium)('live back-office in two browser windows', { timeout: 150_000 }, () => {
  let testApp: TestApp;
  let url: string;
  let browser: Browser;
  let fixtures: ReturnType<typeof orderFixtures>;
  const server = {
    get url() {
      return url;
    },
    admin: TEST_OWNER,
  };

  beforeAll(async () => {
    ensureRendererBuild();
    // Every window signs in twice (the page, and its API context): more than the default 10 per account.
    testApp = await buildTestApp({ TLS: 'on', AUTH_ACCOUNT_LIMIT: '500' });
    await testApp.app.listen({ host: '127.0.0.1', port: 0 });
    url = `https://127.0.0.1:${(testApp.app.server.address() as AddressInfo).port}`;
    fixtures = orderFixtures(testApp.app, testApp.config, await staffToken(testApp.app));
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  async function signedInWindow(): Promise<StaffWindow> {
    const page = await newPage(browser);
    await signIn(page, server.admin, `${server.url}/admin/`);
    await page.locator('[data-testid="live-status"][data-status="live"]').waitFor();
    const login = await page.context().request.post(`${server.url}/api/admin/auth/login`, {
      data: { email: server.admin.email, password: server.admin.password },
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    return { page, api: page.context().request, auth: `Bearer ${accessToken}` };
  }

  /** Client-side navigation (the hash router): the page, its socket and its marker stay. */
  const open = (staff: StaffWindow, route: string) =>
    staff.page.evaluate((hash) => (location.hash = hash), `#${route}`);
  const mark = (staff: StaffWindow) =>
    staff.page.evaluate(() => ((window as unknown as { liveMarker: number }).liveMarker = 1));
  const notReloaded = async (staff: StaffWindow) =>
    expect(await staff.page.evaluate(() => (window as unknown as { liveMarker?: number }).liveMarker)).toBe(
      1,
    );

  async function createProduct(staff: StaffWindow, title: string, sku: string, amount: number) {
    const created = await staff.api.post(`${server.url}/api/admin/products`, {
      headers: { authorization: staff.auth },
      data: { title, status: 'active', variants: [{ sku, price: { amount, currency: 'USD' } }] },
    });
    expect(created.status()).toBe(201);
    return (await created.json()) as {
      id: string;
      version: number;
      variants: { id: string; version: number }[];
    };
  }

  async function setVariantPrice(staff: StaffWindow, productId: string, variantId: string, amount: number) {
    const headers = { authorization: staff.auth };
    const product = (await (
      await staff.api.get(`${server.url}/api/admin/products/${productId}`, { headers })
    ).json()) as { variants: { id: string; version: number }[] };
    const version = product.variants.find((variant) => variant.id === variantId)!.version;
    const patched = await staff.api.patch(
      `${server.url}/api/admin/products/${productId}/variants/${variantId}`,
      { headers, data: { version, price: { amount, currency: 'USD' } } },
    );
    expect(patched.status()).toBe(200);
  }

  it('shows a stock change made in one window in the other, without a reload', async () => {
    const first = await signedInWindow();
    const second = await signedInWindow();
    await second.page.getByTestId('low-stock-count').waitFor();
    expect(await second.page.getByTestId('low-stock-count').textContent()).toBe('0');
    // A reload would clear this marker.
    await mark(second);

    const headers = { authorization: first.auth };
    const created = await first.api.post(`${server.url}/api/admin/products`, {
      headers,
      data: {
        title: 'Live mug',
        status: 'active',
        variants: [{ sku: 'LIVE-MUG', price: { amount: 1200, currency: 'USD' } }],
      },
    });
    expect(created.status()).toBe(201);
    const variantId = ((await created.json()) as { variants: { id: string }[] }).variants[0]!.id;
    const policy = await first.api.put(`${server.url}/api/admin/inventory/policies/${variantId}`, {
      headers,
      data: { allowBackorder: false, lowStockThreshold: 2 },
    });
    expect(policy.status()).toBeLessThan(300);
    const receive = await first.api.post(`${server.url}/api/admin/inventory/adjustments`, {
      headers,
      data: { variantId, delta: 5, reason: 'delivery' },
    });
    expect(receive.status()).toBe(201);
    const sell = await first.api.post(`${server.url}/api/admin/inventory/adjustments`, {
      headers,
      data: { variantId, delta: -4, reason: 'breakage' },
    });
    expect(sell.status()).toBe(201);

    // The other window's dashboard lists the variant as low on stock and rings the bell.
    await expect
      .poll(() => second.page.getByTestId('low-stock-count').textContent(), { timeout: 20_000 })
      .toBe('1');
    await second.page.getByText('Live mug').waitFor();
    await second.page
      .getByText(/Low stock: variant .* has 1 left/)
      .first()
      .waitFor();
    await notReloaded(second);
  });

  it('refuses a stale write with 409 MCART_ERR_STALE_WRITE', async () => {
    const { api, auth } = await signedInWindow();
    const headers = { authorization: auth };
    const created = await api.post(`${server.url}/api/admin/products`, {
      headers,
      data: {
        title: 'Versioned',
        status: 'active',
        variants: [{ sku: 'VERSIONED-1', price: { amount: 500, currency: 'USD' } }],
      },
    });
    const product = (await created.json()) as { id: string; version: number };
    const first = await api.patch(`${server.url}/api/admin/products/${product.id}`, {
      headers,
      data: { version: product.version, title: 'Changed by A' },
    });
    expect(first.status()).toBe(200);
    const stale = await api.patch(`${server.url}/api/admin/products/${product.id}`, {
      headers,
      data: { version: product.version, title: 'Changed by B from an old copy' },
    });
    expect(stale.status()).toBe(409);
    expect(await stale.json()).toMatchObject({ code: 'MCART_ERR_STALE_WRITE' });
  });
  it('shows a variant price changed in one window in the other’s product list and open edit form', async () => {
    const first = await signedInWindow();
    const second = await signedInWindow();
    const product = await createProduct(first, 'Live teapot', 'LIVE-TEAPOT', 1500);
    const variantId = product.variants[0]!.id;

    await open(second, '/products');
    const row = second.page.getByRole('row', { name: /Live teapot/ });
    await expect.poll(() => row.textContent(), { timeout: 20_000 }).toContain('$15.00');
    await mark(second);

    // A changes the price in its own edit form, saving the row with Enter.
    await open(first, `/products/${product.id}`);
    await first.page.getByRole('tab', { name: 'Variants' }).click();
    const firstPrice = first.page.locator('input[data-field=price]').first();
    await expect.poll(() => firstPrice.inputValue(), { timeout: 20_000 }).toBe('15.00');
    await firstPrice.fill('17.50');
    await firstPrice.press('Enter');
    await first.page.getByText('Element updated').first().waitFor();

    await expect.poll(() => row.textContent(), { timeout: 20_000 }).toContain('$17.50');

    // B opens the edit form; A changes the price again: B's unedited row follows.
    await row.getByText('Live teapot').click();
    await second.page.getByRole('tab', { name: 'Variants' }).click();
    const secondPrice = second.page.locator('input[data-field=price]').first();
    await expect.poll(() => secondPrice.inputValue(), { timeout: 20_000 }).toBe('17.50');
    await setVariantPrice(first, product.id, variantId, 1825);
    await expect.poll(() => secondPrice.inputValue(), { timeout: 20_000 }).toBe('18.25');

    // B starts typing; A saves again: B keeps the typed value, is warned, and its save is refused.
    await secondPrice.fill('19.00');
    await setVariantPrice(first, product.id, variantId, 1990);
    await second.page.getByTestId('variant-stale').waitFor();
    expect(await secondPrice.inputValue()).toBe('19.00');
    await secondPrice.press('Enter');
    await second.page
      .getByTestId('variant-row-LIVE-TEAPOT')
      .getByText('Not saved: someone else changed this record meanwhile')
      .waitFor();
    const stored = (await (
      await first.api.get(`${server.url}/api/admin/products/${product.id}`, {
        headers: { authorization: first.auth },
      })
    ).json()) as { variants: { price: { amount: number } }[] };
    expect(stored.variants[0]!.price.amount).toBe(1990);
    // Reload takes the other person's price; then a save goes through.
    await second.page.getByTestId('variant-stale').getByRole('button', { name: 'Reload' }).click();
    await expect.poll(() => secondPrice.inputValue(), { timeout: 20_000 }).toBe('19.90');
    await notReloaded(second);
  });

  it('shows an order status change made in one window in the other’s order list and detail', async () => {
    const first = await signedInWindow();
    const second = await signedInWindow();
    const product = await fixtures.product([{ price: 900 }]);
    await open(second, '/orders');
    await mark(second);
    const order = await fixtures.order([{ variantId: product.variants[0]!.id, quantity: 1 }]);
    // The new order is announced in the open window (notification, bell) and joins its list.
    await second.page.getByText(`New order ${order.number}`).first().waitFor();

    const row = second.page.getByRole('row', { name: new RegExp(order.number) });
    await expect.poll(() => row.textContent(), { timeout: 20_000 }).toContain('Paid');

    // A starts processing the order through its own order page.
    await open(first, `/orders/${order.id}/show`);
    await first.page.getByRole('button', { name: 'Start processing' }).click();
    await first.page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    await first.page.getByRole('heading', { name: `${order.number} · Processing` }).waitFor();

    await expect.poll(() => row.textContent(), { timeout: 20_000 }).toContain('Processing');

    // B opens the order; A marks it shipped through the admin API.
    await row.getByText(order.number).click();
    const heading = second.page.getByRole('heading', { level: 5, name: new RegExp(order.number) });
    await expect.poll(() => heading.textContent(), { timeout: 20_000 }).toContain('Processing');
    const shipped = await first.api.post(`${server.url}/api/admin/orders/${order.id}/transition`, {
      headers: { authorization: first.auth },
      data: { status: 'shipped' },
    });
    expect(shipped.status()).toBe(200);
    await expect.poll(() => heading.textContent(), { timeout: 20_000 }).toContain('Shipped');
    // Sales → Payments opens (this fixture pays through markPaid directly, so it lists no payment row).
    await second.page.getByRole('menuitem', { name: 'Payments' }).click();
    await second.page
      .getByText(/No payments? yet|Provider/i)
      .first()
      .waitFor();
    await notReloaded(second);
  });

  it('warns an open edit form that someone else saved the record, and shows why its save is refused', async () => {
    const first = await signedInWindow();
    const second = await signedInWindow();
    const product = await createProduct(first, 'Shared kettle', 'SHARED-KETTLE', 3000);

    await open(second, `/products/${product.id}`);
    const secondTitle = second.page.getByLabel(/^Title/);
    await expect.poll(() => secondTitle.inputValue(), { timeout: 20_000 }).toBe('Shared kettle');
    await mark(second);

    await open(first, `/products/${product.id}`);
    const firstTitle = first.page.getByLabel(/^Title/);
    await expect.poll(() => firstTitle.inputValue(), { timeout: 20_000 }).toBe('Shared kettle');
    await firstTitle.fill('Shared kettle (A)');
    await first.page.getByRole('button', { name: 'Save' }).click();
    await first.page.getByText('Element updated').first().waitFor();

    const banner = second.page.getByTestId('stale-record-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('This record was changed by someone else');
    // B's typing is not replaced under it.
    expect(await secondTitle.inputValue()).toBe('Shared kettle');
    await secondTitle.fill('Shared kettle (B)');
    const refused = second.page.waitForResponse(
      (response) => response.request().method() === 'PATCH' && response.url().includes(product.id),
    );
    await second.page.getByRole('button', { name: 'Save' }).click();
    expect((await refused).status()).toBe(409);
    await second.page.getByText('Not saved: someone else changed this record meanwhile').waitFor();
    expect(second.page.url()).toContain(`/products/${product.id}`);
    const stored = (await (
      await first.api.get(`${server.url}/api/admin/products/${product.id}`, {
        headers: { authorization: first.auth },
      })
    ).json()) as { title: string };
    expect(stored.title).toBe('Shared kettle (A)');

    // Reload shows A's version; B's change then saves over it knowingly.
    await banner.getByRole('button', { name: 'Reload' }).click();
    await expect.poll(() => secondTitle.inputValue(), { timeout: 20_000 }).toBe('Shared kettle (A)');
    await secondTitle.fill('Shared kettle (B)');
    await second.page.getByRole('button', { name: 'Save' }).click();
    await second.page.getByText('Element updated').first().waitFor();
    await notReloaded(second);
  });

  it('remembers the dark theme across a reload', async () => {
    const { page } = await signedInWindow();
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const light = await background();
    await page.getByRole('button', { name: 'Toggle light/dark mode' }).click();
    await expect.poll(background, { timeout: 20_000 }).not.toBe(light);
    const dark = await background();
    await page.reload();
    await page.locator('[data-testid="live-status"][data-status="live"]').waitFor();
    expect(await background()).toBe(dark);
  });
});
