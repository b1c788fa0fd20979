import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Relative on purpose: @mcart/server's package exports map `./*` to `./src/*`, not to test/.
import { buildTestApp, staffToken, TEST_OWNER, type TestApp } from '../../server/test/app.ts';
import { createStaff } from '../../server/test/live-harness.ts';
import { commerceFixtures } from '../../server/src/modules/cart/test-helpers.ts';
import { ensureRendererBuild } from './renderer-build.ts';
import { hasChromium, launchChromium, signIn, newPage } from './browser.ts';

describe.skipIf(!hasChromium)('reports: the owner sees this month’s sales and downloads them', () => {
  let testApp: TestApp;
  let url: string;
  let browser: Browser;
  let page: Page;
  let sku: string;

  beforeAll(async () => {
    ensureRendererBuild();
    testApp = await buildTestApp({ TLS: 'on' });
    await testApp.app.listen({ host: '127.0.0.1', port: 0 });
    url = `https://127.0.0.1:${(testApp.app.server.address() as AddressInfo).port}`;
    const fixtures = commerceFixtures(testApp.app, await staffToken(testApp.app));
    const product = await fixtures.product([2_000], 10);
    sku = product.variants[0]!.sku;
    const cartId = await fixtures.cart();
    expect((await fixtures.add(cartId, product.variants[0]!.id, 3)).statusCode).toBe(200);
    const checkout = await testApp.app.inject({
      method: 'POST',
      url: `/api/store/carts/${cartId}/checkout`,
      headers: { 'idempotency-key': randomUUID() },
      payload: {
        email: 'report-shopper@example.test',
        shippingAddress: {
          name: 'Rae Port',
          line1: '1 Test Street',
          city: 'Testville',
          postalCode: '12345',
          country: 'US',
        },
        payment: { provider: 'test', token: 'tok_visa' },
      },
    });
    expect(checkout.statusCode).toBe(201);

    browser = await launchChromium();
    // The desk counts days in UTC, the day the order was just paid on.
    page = await newPage(browser, { timezoneId: 'UTC' });
  });

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  it('opens Reports from the menu: today’s row, the totals, the product, and the CSV', async () => {
    await signIn(page, TEST_OWNER, `${url}/admin/`);
    await page.getByRole('menuitem', { name: 'Reports', exact: true }).click();

    const today = new Date();
    const label = today.toLocaleDateString('en-US', { dateStyle: 'medium', timeZone: 'UTC' });
    // 3 × $20.00, free shipping over $50.00, no tax: $60.00 gross and net.
    const sales = page.getByRole('table', { name: 'Sales', exact: true });
    const row = sales.getByRole('row').filter({ hasText: label });
    await expect
      .poll(() => row.textContent(), { timeout: 20_000 })
      .toBe(`${label}13$60.00$0.00$0.00$0.00$0.00$60.00`);
    await expect
      .poll(() => sales.getByRole('row').filter({ hasText: 'Total' }).textContent())
      .toBe('Total13$60.00$0.00$0.00$0.00$0.00$60.00');
    const products = page.getByRole('table', { name: 'Products sold', exact: true });
    await expect
      .poll(() => products.getByRole('row').filter({ hasText: sku }).textContent())
      .toMatch(new RegExp(`^${sku}Product .+ — V03\\$60\\.000$`));

    const day = today.toISOString().slice(0, 10);
    const from = `${day.slice(0, 8)}01`;
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download the sales report as CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`sales-${from}-${day}.csv`);
    const lines = readFileSync((await file.path())!, 'utf8')
      .trim()
      .split('\n');
    expect(lines[0]).toBe(
      'period,orders,units,gross_minor,discounts_minor,shipping_minor,tax_minor,refunds_minor,net_minor,currency',
    );
    expect(lines).toContain(`${day},1,3,6000,0,0,0,0,6000,USD`);
  });

  it('shows the takings on the dashboard to the owner; the warehouse sees only the orders to pack', async () => {
    const owner = await newPage(browser, { timezoneId: 'UTC' });
    await signIn(owner, TEST_OWNER, `${url}/admin/`);
    await expect
      .poll(() => owner.getByTestId('revenue-today').textContent(), { timeout: 20_000 })
      .toBe('$60.00');
    expect(await owner.getByTestId('orders-to-pack').textContent()).toBe('1');

    const warehouse = await newPage(browser, { timezoneId: 'UTC' });
    await signIn(warehouse, await createStaff(testApp.app, 'warehouse'), `${url}/admin/`);
    await expect
      .poll(() => warehouse.getByTestId('orders-to-pack').textContent(), { timeout: 20_000 })
      .toBe('1');
    expect(await warehouse.getByTestId('revenue-today').count()).toBe(0);
    expect(await warehouse.getByTestId('revenue-30d').count()).toBe(0);
  });
});
