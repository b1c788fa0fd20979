import type { AddressInfo } from 'node:net';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Relative on purpose: @mcart/server's package exports map `./*` to `./src/*`, not to test/.
import { buildTestApp, staffToken, TEST_OWNER, type TestApp } from '../../server/test/app.ts';
import { queuedMail, tokenFrom } from '../../server/test/identity/helpers.ts';
import { commerceFixtures } from '../../server/src/modules/cart/test-helpers.ts';
import { ensureRendererBuild } from './renderer-build.ts';
import { hasChromium, launchChromium, signIn, newPage } from './browser.ts';

describe.skipIf(!hasChromium)('restock requests: what shoppers wait for, live', () => {
  let testApp: TestApp;
  let url: string;
  let browser: Browser;
  let page: Page;
  let fixtures: ReturnType<typeof commerceFixtures>;
  let variant: { id: string; sku: string };

  const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000 });
  /**
   * A shopper leaves an address for the sold-out variant, through the store API, and confirms it with the link
   * the store e-mailed (double opt-in, ADR 0052).
   */
  const waitFor = async (email: string) => {
    const response = await testApp.app.inject({
      method: 'POST',
      url: `/api/store/variants/${variant.id}/stock-alerts`,
      payload: { email },
    });
    expect(response.statusCode, response.body).toBe(202);
    const link = (await queuedMail(testApp.app, testApp.databaseUrl)).find(
      (mail) => (mail.template as string) === 'back-in-stock-confirm' && mail.to === email,
    );
    const confirmed = await testApp.app.inject({
      method: 'POST',
      url: '/api/store/stock-alerts/confirm',
      payload: { token: tokenFrom(link?.data.confirmUrl) },
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
  };

  beforeAll(async () => {
    ensureRendererBuild();
    testApp = await buildTestApp({ TLS: 'on' });
    await testApp.app.listen({ host: '127.0.0.1', port: 0 });
    url = `https://127.0.0.1:${(testApp.app.server.address() as AddressInfo).port}`;
    fixtures = commerceFixtures(testApp.app, await staffToken(testApp.app));
    // Never stocked: sold out from the start.
    const product = await fixtures.product([3_900], null);
    variant = product.variants[0]! as { id: string; sku: string };

    browser = await launchChromium();
    page = await newPage(browser);
  });

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  it('counts shoppers as they ask, and drops the variant once stock arrives and they are e-mailed', async () => {
    await signIn(page, TEST_OWNER, `${url}/admin/`);
    await page.getByRole('menuitem', { name: 'Restock requests', exact: true }).click();
    await page.waitForURL(/\/stock-alerts/);

    // Asked while the list is open: the variant appears, then its count grows, without a reload.
    await waitFor('first@example.test');
    const row = page.getByRole('row').filter({ hasText: variant.sku });
    await poll(() => row.count()).toBe(1);
    await waitFor('second@example.test');
    await poll(async () =>
      (await row.getByRole('cell').allTextContents()).map((cell) => cell.trim()),
    ).toContain('2');

    // Stock arrives: both are e-mailed, and nobody waits any more.
    await fixtures.stock(variant.id, 5);
    await poll(() => row.count()).toBe(0);
  });
});
