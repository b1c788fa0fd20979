import type { AddressInfo } from 'node:net';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Relative on purpose: @mcart/server's package exports map `./*` to `./src/*`, not to test/.
import { buildTestApp, staffToken, TEST_OWNER, type TestApp } from '../../server/test/app.ts';
import { commerceFixtures } from '../../server/src/modules/cart/test-helpers.ts';
import { ensureRendererBuild } from './renderer-build.ts';
import { hasChromium, launchChromium, newPage, signIn } from './browser.ts';

/**
 * A second day in the back-office (docs/adr/0058): what a warehouse worker and a store owner met once the
 * first walk's fixes were in.
 */
describe.skipIf(!hasChromium)('a second day in the back-office', () => {
  let testApp: TestApp;
  let url: string;
  let browser: Browser;
  let page: Page;
  let skus: string[];

  beforeAll(async () => {
    ensureRendererBuild();
    testApp = await buildTestApp({ TLS: 'on' });
    await testApp.app.listen({ host: '127.0.0.1', port: 0 });
    url = `https://127.0.0.1:${(testApp.app.server.address() as AddressInfo).port}`;
    const auth = await staffToken(testApp.app);
    const fixtures = commerceFixtures(testApp.app, auth);
    const product = await fixtures.product([2_500, 1_000, 700], 20);
    skus = product.variants.map((variant) => variant.sku);
    browser = await launchChromium();
    page = await newPage(browser, { viewport: { width: 1280, height: 800 } });
    await signIn(page, TEST_OWNER, `${url}/admin/`);
    await page.getByRole('menuitem', { name: 'Orders', exact: true }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000 });

  it('keeps every code of a scanner that scans the next item before the last one is looked up', async () => {
    await page.goto(`${url}/admin/#/stock-entry`);
    const field = page.getByTestId('sku-input');
    await poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'sku-input',
    );
    // Each lookup answers late, as on a slow network: the scanner does not wait for it.
    await page.route('**/api/admin/variants?**', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await route.continue();
    });
    for (const code of [skus[0]!, 'NO-SUCH-SKU', skus[1]!, skus[0]!, skus[2]!]) {
      await page.keyboard.type(code, { delay: 5 });
      await page.keyboard.press('Enter');
    }
    const lines = page.getByTestId('pending-line');
    await poll(() => lines.count()).toBe(3);
    const quantities = await lines.evaluateAll((rows) =>
      Object.fromEntries(
        rows.map((row) => [row.getAttribute('data-sku'), row.querySelector('input')!.value]),
      ),
    );
    expect(quantities).toEqual({ [skus[0]!]: '2', [skus[1]!]: '1', [skus[2]!]: '1' });
    // The unknown code is said, and stays said while the codes after it go in; the field was free for them.
    await page.getByText('Unknown SKU: NO-SUCH-SKU').waitFor();
    expect(await field.inputValue()).toBe('');
    await page.unroute('**/api/admin/variants?**');
    // Enter in the empty field puts it away.
    await page.keyboard.press('Enter');
    await page.getByText('Unknown SKU: NO-SUCH-SKU').waitFor({ state: 'detached' });

    // Scanned alone, an unknown code stays in the field, selected, for the next scan to replace.
    await page.keyboard.type('NOT-A-SKU');
    await page.keyboard.press('Enter');
    await page.getByText('Unknown SKU: NOT-A-SKU').waitFor();
    await poll(() => field.inputValue()).toBe('NOT-A-SKU');
    await page.keyboard.type(skus[2]!);
    await page.keyboard.press('Enter');
    await poll(() => lines.filter({ hasText: skus[2]! }).locator('input').inputValue()).toBe('2');
    expect(await page.getByText('Unknown SKU: NOT-A-SKU').count()).toBe(0);
  });
});
