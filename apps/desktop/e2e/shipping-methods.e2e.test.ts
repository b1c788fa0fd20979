import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Relative on purpose: @mcart/server's package exports map `./*` to `./src/*`, not to test/.
import { startTestServer, type RunningTestServer } from '../../server/test/server-harness.ts';
import { ensureRendererBuild } from './renderer-build.ts';
import { hasChromium, launchChromium, signIn, newPage } from './browser.ts';

describe.skipIf(!hasChromium)('shipping methods in a browser', () => {
  let server: RunningTestServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    ensureRendererBuild();
    server = await startTestServer();
    browser = await launchChromium();
    page = await newPage(browser);
    await signIn(page, server.admin, `${server.url}/admin/`);
    await page.getByTestId('staff-email').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const storeMethods = async () =>
    (await (await page.request.get(`${server.url}/api/store/shipping-methods`)).json()) as {
      data: { code: string; amount: { amount: number }; freeOverAmount: { amount: number } | null }[];
    };

  it('lists the seeded methods with their rates', async () => {
    await page.goto(`${server.url}/admin/#/shipping-methods`);
    const standard = page.getByRole('row', { name: /Standard shipping/ });
    await standard.waitFor();
    expect(await standard.textContent()).toContain('$5.00, free from $50.00');
    expect(await page.getByRole('row', { name: /Express shipping/ }).textContent()).toContain('$15.00');
  });

  it('creates a method with amounts typed in major units, lists it and the store offers it', async () => {
    await page.goto(`${server.url}/admin/#/shipping-methods/create`);
    await page.getByLabel(/^Code/).fill('e2e-courier');
    await page.getByLabel(/^Name/).fill('E2E Courier');
    await page.getByRole('combobox', { name: /^Rate/ }).click();
    await page.getByRole('option', { name: 'Free over a threshold' }).click();
    await page.getByLabel(/^Shipping price/).fill('4.50');
    await page.getByLabel(/^Free from/).fill('40');
    await page.getByRole('button', { name: 'Save' }).click();

    const row = page.getByRole('row', { name: /E2E Courier/ });
    await row.waitFor();
    expect(page.url()).toMatch(/#\/shipping-methods$/);
    expect(await row.textContent()).toContain('e2e-courier');
    expect(await row.textContent()).toContain('$4.50, free from $40.00');
    expect((await storeMethods()).data).toContainEqual(
      expect.objectContaining({
        code: 'e2e-courier',
        amount: { amount: 450, currency: 'USD' },
        freeOverAmount: { amount: 4000, currency: 'USD' },
      }),
    );
  });

  it('changes the rate and deactivates it from the edit form', async () => {
    await page.goto(`${server.url}/admin/#/shipping-methods`);
    await page
      .getByRole('row', { name: /E2E Courier/ })
      .getByText('E2E Courier')
      .click();
    const price = page.getByLabel(/^Shipping price/);
    await expect.poll(() => price.inputValue(), { timeout: 20_000 }).toBe('4.50');
    await price.fill('6');
    await page.getByLabel(/^Active/).uncheck();
    await page.getByRole('button', { name: 'Save' }).click();

    const row = page.getByRole('row', { name: /E2E Courier/ });
    await expect
      .poll(async () => row.textContent(), { timeout: 20_000 })
      .toContain('$6.00, free from $40.00');
    expect((await storeMethods()).data.map((method) => method.code)).not.toContain('e2e-courier');
  });

  it('refreshes the open list live when someone else changes a method', async () => {
    await page.goto(`${server.url}/admin/#/shipping-methods`);
    const express = page.getByRole('row', { name: /Express shipping/ });
    await express.waitFor();
    expect(await express.textContent()).toContain('$15.00');
    // Another staff session (the API, as a script or a second desktop would) changes the rate.
    const login = await page.request.post(`${server.url}/api/admin/auth/login`, {
      data: server.admin,
    });
    const headers = {
      authorization: `Bearer ${((await login.json()) as { accessToken: string }).accessToken}`,
    };
    const listed = (await (
      await page.request.get(`${server.url}/api/admin/shipping-methods?q=express`, { headers })
    ).json()) as { data: { id: string; version: number }[] };
    const method = listed.data[0]!;
    const changed = await page.request.patch(`${server.url}/api/admin/shipping-methods/${method.id}`, {
      headers,
      data: { version: method.version, amount: { amount: 1750, currency: 'USD' } },
    });
    expect(changed.status()).toBe(200);
    await expect.poll(async () => express.textContent(), { timeout: 20_000 }).toContain('$17.50');
  });

  it('shows the server’s duplicate-code error on the code field', async () => {
    await page.goto(`${server.url}/admin/#/shipping-methods/create`);
    await page.getByLabel(/^Code/).fill('express');
    await page.getByLabel(/^Name/).fill('Another express');
    await page.getByLabel(/^Shipping price/).fill('9');
    await page.getByRole('button', { name: 'Save' }).click();
    const code = page.getByLabel(/^Code/);
    await expect.poll(() => code.getAttribute('aria-invalid'), { timeout: 20_000 }).toBe('true');
    await page.getByText('already exists', { exact: true }).waitFor();
    expect(page.url()).toContain('/shipping-methods/create');
  });
});
