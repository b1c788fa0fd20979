import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Relative on purpose: @mcart/server's package exports map `./*` to `./src/*`, not to test/.
import { buildTestApp, staffToken, TEST_OWNER, type TestApp } from '../../server/test/app.ts';
import { commerceFixtures } from '../../server/src/modules/cart/test-helpers.ts';
import { ensureRendererBuild } from './renderer-build.ts';
import { hasChromium, launchChromium, signIn } from './browser.ts';

describe.skipIf(!hasChromium)('invoices: staff see and download an order’s invoice and credit note', () => {
  let testApp: TestApp;
  let url: string;
  let browser: Browser;
  let page: Page;
  let auth: string;
  let order: { id: string; number: string; total: { amount: number } };
  let invoiceNumber: string;
  let invoiceDate: string;

  const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000 });
  const section = () => page.getByTestId('order-invoices').textContent();

  beforeAll(async () => {
    ensureRendererBuild();
    testApp = await buildTestApp({ TLS: 'on' });
    await testApp.app.listen({ host: '127.0.0.1', port: 0 });
    url = `https://127.0.0.1:${(testApp.app.server.address() as AddressInfo).port}`;
    auth = await staffToken(testApp.app);
    const fixtures = commerceFixtures(testApp.app, auth);
    const product = await fixtures.product([2_000], 10);
    const cartId = await fixtures.cart();
    expect((await fixtures.add(cartId, product.variants[0]!.id, 2)).statusCode).toBe(200);
    const checkout = await testApp.app.inject({
      method: 'POST',
      url: `/api/store/carts/${cartId}/checkout`,
      headers: { 'idempotency-key': randomUUID() },
      payload: {
        email: 'invoice-shopper@example.test',
        shippingAddress: {
          name: 'Ida Invoice',
          line1: '1 Test Street',
          city: 'Testville',
          postalCode: '12345',
          country: 'US',
        },
        payment: { provider: 'test', token: 'tok_visa' },
      },
    });
    expect(checkout.statusCode).toBe(201);
    order = checkout.json<{ order: typeof order }>().order;
    // The invoice is issued by the outbox consumer once the payment committed.
    await testApp.app.outbox.drain();
    const invoices = await testApp.app.inject({
      method: 'GET',
      url: `/api/admin/invoices?orderId=${order.id}`,
      headers: { authorization: auth },
    });
    const [invoice] = invoices.json<{ data: { number: string; issuedAt: string }[] }>().data;
    invoiceNumber = invoice!.number;
    // Its date as the PDF prints it: the UTC day, the one its number's year counts in.
    invoiceDate = new Date(invoice!.issuedAt).toLocaleDateString('en-US', { timeZone: 'UTC' });
    expect(invoiceNumber).toMatch(/^INV-\d{4}-\d{6}$/);

    browser = await launchChromium();
    // A desk whose local date is not the UTC date right now (12 hours behind before noon UTC, 14 ahead after).
    const context = await browser.newContext({
      ignoreHTTPSErrors: true,
      locale: 'en-US',
      timezoneId: new Date().getUTCHours() < 12 ? 'Etc/GMT+12' : 'Pacific/Kiritimati',
    });
    // Headless Chromium has no save dialog to drive: without the picker, streamed downloads take their Blob
    // path, the same authenticated request, and the browser's download hands us the file.
    await context.addInitScript(() => {
      Object.defineProperty(window, 'showSaveFilePicker', { value: undefined, configurable: true });
    });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
  });

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  it('opens the paid order, sees its invoice and downloads the PDF under its number', async () => {
    await signIn(page, TEST_OWNER, `${url}/admin/`);
    await page.getByRole('menuitem', { name: 'Orders', exact: true }).click();
    await page.getByRole('row').filter({ hasText: order.number }).getByText(order.number).click();
    await page.getByRole('heading', { name: `${order.number} · Paid` }).waitFor();

    await poll(section).toContain('Invoices and credit notes');
    await poll(section).toContain(`Invoice ${invoiceNumber} · ${invoiceDate} ·`);
    // Two units of $20.00 and the shipping.
    await poll(section).toContain(`$${(order.total.amount / 100).toFixed(2)}`);

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: `Download ${invoiceNumber} as PDF` }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`${invoiceNumber}.pdf`);
    expect(
      readFileSync((await file.path())!)
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  });

  it('shows the credit note of a refund as it is issued, and lists both in Invoices', async () => {
    const refund = await testApp.app.inject({
      method: 'POST',
      url: `/api/admin/orders/${order.id}/refund`,
      headers: { authorization: auth },
      payload: { amount: 1_500 },
    });
    expect(refund.statusCode).toBe(200);
    // Live: the credit note appears on the open order page without a reload.
    await poll(section).toMatch(
      new RegExp(`Credit note CN-\\d{4}-\\d{6} · .* · \\$15\\.00 · corrects ${invoiceNumber}`),
    );

    await page.getByRole('menuitem', { name: 'Invoices', exact: true }).click();
    await poll(() => page.getByRole('row').filter({ hasText: order.number }).count()).toBe(2);
    await page.getByLabel('Type').click();
    await page.getByRole('option', { name: 'Credit note' }).click();
    await poll(() => page.getByRole('row').filter({ hasText: order.number }).count()).toBe(1);
    await poll(() => page.getByRole('row').filter({ hasText: order.number }).textContent()).toContain(
      invoiceNumber,
    );

    // The register of what the filters select, for the books: the credit note, negative, its buyer named.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export register (CSV)' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('invoices.csv');
    const csv = readFileSync((await file.path())!, 'utf8');
    const mine = csv.split('\n').filter((line) => line.includes(order.number));
    expect(mine).toEqual([
      expect.stringMatching(
        new RegExp(
          `^CN-\\d{4}-\\d{6},credit_note,[^,]+,${order.number},${invoiceNumber},Ida Invoice,,US,USD,-1500,0,-1500$`,
        ),
      ),
    ]);
  });
});
