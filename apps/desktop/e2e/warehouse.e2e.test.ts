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
  let partOrder: { id: string; number: string };
  let skus: string[];
  let auth: string;

  beforeAll(async () => {
    ensureRendererBuild();
    testApp = await buildTestApp({ TLS: 'on' });
    await testApp.app.listen({ host: '127.0.0.1', port: 0 });
    url = `https://127.0.0.1:${(testApp.app.server.address() as AddressInfo).port}`;
    auth = await staffToken(testApp.app);
    const fixtures = orderFixtures(testApp.app, testApp.config, auth);
    const product = await fixtures.product([{ weightGrams: 400 }, { weightGrams: 300 }]);
    skus = product.variants.map((variant) => variant.sku);
    order = await fixtures.order([
      { variantId: product.variants[0]!.id, quantity: 2 },
      { variantId: product.variants[1]!.id, quantity: 1 },
    ]);
    partOrder = await fixtures.order([
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

  const api = async <T>(path: string): Promise<T> => {
    const response = await testApp.app.inject({ method: 'GET', url: path, headers: { authorization: auth } });
    expect(response.statusCode).toBe(200);
    return response.json<T>();
  };
  type Shipment = {
    id: string;
    weightGrams: number;
    heightMm: number;
    lines: { sku: string; quantity: number }[];
  };
  const shipmentsOf = async (orderId: string) => {
    const list = await api<{ data: { id: string }[] }>(`/api/admin/shipments?orderId=${orderId}`);
    return Promise.all(list.data.map((row) => api<Shipment>(`/api/admin/shipments/${row.id}`)));
  };
  const queued = async (orderId: string) =>
    (
      await api<{ data: { orderId: string; lines: { sku: string; remaining: number }[] }[] }>(
        '/api/admin/shipping/to-pack',
      )
    ).data.find((entry) => entry.orderId === orderId);

  it('ships part of an order with an edited parcel; the rest stays in the queue until packed', async () => {
    await page.goto(`${url}/admin/#/to-pack`);
    const row = page.getByRole('row').filter({ hasText: partOrder.number });
    await row.getByRole('link', { name: 'Pack' }).click();
    await page.getByTestId('pick-list').waitFor();

    // Defaults: every unit left, weight from the variants (2 x 400 g + 300 g), the default carton.
    const weight = page.getByLabel('Weight (g)');
    await expect.poll(() => weight.inputValue()).toBe('1100');
    expect(await page.getByLabel('Height (mm)').inputValue()).toBe('100');

    // Only one of the two mugs of the first line, none of the second: the weight follows.
    await page.getByLabel(`In this parcel: ${skus[0]}`).fill('1');
    await page.getByLabel(`In this parcel: ${skus[1]}`).fill('0');
    await expect.poll(() => weight.inputValue()).toBe('400');
    await expect.poll(() => page.getByTestId('partial-notice').textContent()).toContain('2 units stay');
    await weight.fill('450');
    await page.getByLabel('Height (mm)').fill('150');

    await page.getByTestId('scan-input').focus();
    await scan(skus[1]!);
    await expect.poll(feedback).toContain('Too many');
    await scan(skus[0]!);
    const create = page.getByRole('button', { name: 'Create shipment' });
    await expect.poll(() => create.isEnabled()).toBe(true);
    await create.click();
    await page.getByTestId('shipment-created').waitFor();

    const [first] = await shipmentsOf(partOrder.id);
    expect(first).toMatchObject({ weightGrams: 450, heightMm: 150, lines: [{ sku: skus[0], quantity: 1 }] });
    // The order waits for the rest: processing, still in the queue with what is left.
    expect((await api<{ status: string }>(`/api/admin/orders/${partOrder.id}`)).status).toBe('processing');
    expect((await queued(partOrder.id))?.lines).toEqual([
      expect.objectContaining({ sku: skus[0], remaining: 1 }),
      expect.objectContaining({ sku: skus[1], remaining: 1 }),
    ]);

    await page.getByRole('button', { name: 'Pack the rest' }).click();
    await expect.poll(() => page.getByLabel(`In this parcel: ${skus[0]}`).inputValue()).toBe('1');
    await expect.poll(() => weight.inputValue()).toBe('700');
    await page.getByTestId('scan-input').focus();
    await scan(skus[0]!);
    await scan(skus[1]!);
    await expect.poll(() => create.isEnabled()).toBe(true);
    await create.click();
    await page.getByTestId('shipment-created').waitFor();

    expect((await shipmentsOf(partOrder.id)).length).toBe(2);
    expect(await queued(partOrder.id)).toBeUndefined();
  });
});
