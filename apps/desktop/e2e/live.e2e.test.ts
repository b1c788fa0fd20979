import { type APIRequestContext, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Relative on purpose: @mcart/server's package exports map `./*` to `./src/*`, not to test/.
import { startTestServer, type RunningTestServer } from '../../server/test/server-harness.ts';
import { ensureRendererBuild } from './renderer-build.ts';
import { hasChromium, launchChromium } from './browser.ts';

/**
 * Two staff windows on the same server: what one changes shows up in the other without a reload,
 * through the live socket (no polling: the dashboard query has no refetch interval).
 */
describe.skipIf(!hasChromium)('live back-office in two browser windows', () => {
  let server: RunningTestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    ensureRendererBuild();
    server = await startTestServer();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signedInWindow(): Promise<{ page: Page; api: APIRequestContext; auth: string }> {
    const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'en-US' });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${server.url}/admin/`);
    await page.getByLabel('Email').fill(server.admin.email);
    await page.getByLabel(/^Password/).fill(server.admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('[data-testid="live-status"][data-status="live"]').waitFor();
    const login = await context.request.post(`${server.url}/api/admin/auth/login`, {
      data: { email: server.admin.email, password: server.admin.password },
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    return { page, api: context.request, auth: `Bearer ${accessToken}` };
  }

  it('shows a stock change made in one window in the other, without a reload', async () => {
    const first = await signedInWindow();
    const second = await signedInWindow();
    await second.page.getByTestId('low-stock-count').waitFor();
    expect(await second.page.getByTestId('low-stock-count').textContent()).toBe('0');
    // A reload would clear this marker.
    await second.page.evaluate(() => ((window as unknown as { liveMarker: number }).liveMarker = 1));

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
    expect(await second.page.evaluate(() => (window as unknown as { liveMarker?: number }).liveMarker)).toBe(
      1,
    );
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
});
