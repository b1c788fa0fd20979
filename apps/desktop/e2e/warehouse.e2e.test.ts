import type { AddressInfo } from 'node:net';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Relative on purpose: @mcart/server's package exports map `./*` to `./src/*`, not to test/.
import { buildTestApp, staffToken, TEST_OWNER, type TestApp } from '../../server/test/app.ts';
import { orderFixtures } from '../../server/test/support/orders.ts';
import { ensureRendererBuild } from './renderer-build.ts';
import { hasChromium, launchChromium } from './browser.ts';

describe.skipIf(!hasChromium)('warehouse: from a paid order to a printed label, in a browser', () => {
  let testApp: TestApp;
  let url: string;
  let browser: Browser;
  let page: Page;
  let order: { id: string; number: string };
  let skus: string[];

  beforeAll(async () => {
    ensureRendererBuild();
    testApp = await buildTestApp({ TLS: 'on' });
    await testApp.app.listen({ host: '127.0.0.1', port: 0 });
    url = `https://127.0.0.1:${(testApp.app.server.address() as AddressInfo).port}`;
    const fixtures = orderFixtures(testApp.app, testApp.config, await staffToken(testApp.app));
    const product = await fixtures.product([{ weightGrams: 400 }, { weightGrams: 300 }]);
    skus = product.variants.map((variant) => variant.sku);
    order = await fixtures.order([
      { variantId: product.variants[0]!.id, quantity: 2 },
      { variantId: product.variants[1]!.id, quantity: 1 },
    ]);
    browser = await launchChromium();
    const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'en-US' });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
  });

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  const scan = async (code: string) => {
    await page.keyboard.type(code);
    await page.keyboard.press('Enter');
  };
  const feedback = () => page.getByTestId('scan-feedback').textContent();

  it('packs the order with scan-to-verify, creates the shipment and previews its label', async () => {
    await page.goto(`${url}/admin/`);
    await page.getByLabel('Email').fill(TEST_OWNER.email);
    await page.getByLabel(/^Password/).fill(TEST_OWNER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('menuitem', { name: 'Orders to pack' }).click();

    const row = page.getByRole('row').filter({ hasText: order.number });
    await row.getByRole('link', { name: 'Pack' }).click();
    await page.getByTestId('pick-list').waitFor();

    // The SKU field has the focus: a scanner types straight into it.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')))
      .toBe('scan-input');
    const create = page.getByRole('button', { name: 'Create shipment' });

    await scan('NOT-ON-THIS-ORDER');
    await expect.poll(feedback).toContain('Wrong item: NOT-ON-THIS-ORDER');
    await scan(skus[0]!.toLowerCase());
    await expect.poll(feedback).toContain('1 of 2');
    expect(await create.isDisabled()).toBe(true);
    await scan(skus[0]!);
    await scan(skus[0]!);
    await expect.poll(feedback).toContain('Too many');
    await scan(skus[1]!);
    await expect.poll(() => create.isEnabled()).toBe(true);

    await create.click();
    await page.getByTestId('shipment-created').waitFor();
    // The preview is the server's PDF, fetched with the staff token into an object URL.
    const label = page.waitForResponse((response) => response.url().includes('/label?format=pdf'));
    await page.getByRole('button', { name: 'Print label' }).click();
    const response = await label;
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('application/pdf');
    const preview = page.getByTestId('label-preview');
    await preview.waitFor();
    expect(await preview.getAttribute('src')).toMatch(/^blob:/);
    if (process.env.WAREHOUSE_SHOT) await page.screenshot({ path: process.env.WAREHOUSE_SHOT });
    await page.getByRole('link', { name: 'Download PDF' }).waitFor();
  });
});
