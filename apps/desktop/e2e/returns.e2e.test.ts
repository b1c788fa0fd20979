import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Relative on purpose: @mcart/server's package exports map `./*` to `./src/*`, not to test/.
import { buildTestApp, staffToken, TEST_OWNER, type TestApp } from '../../server/test/app.ts';
import { commerceFixtures } from '../../server/src/modules/cart/test-helpers.ts';
import { ensureRendererBuild } from './renderer-build.ts';
import { hasChromium, launchChromium, signIn, newPage } from './browser.ts';

describe.skipIf(!hasChromium)('returns: staff approve, reject and receive customers’ return requests', () => {
  let testApp: TestApp;
  let url: string;
  let browser: Browser;
  let page: Page;
  let auth: string;
  let fixtures: ReturnType<typeof commerceFixtures>;
  let shopper: { id: string; auth: string };
  let variantId: string;
  let order: { id: string; number: string; lines: { id: string }[] };

  const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000 });
  const api = (method: 'GET' | 'POST', path: string, authorization: string, payload?: object) =>
    testApp.app.inject({ method, url: path, headers: { authorization }, ...(payload ? { payload } : {}) });
  const onHand = async () =>
    (await api('GET', `/api/admin/inventory/levels?variantId=${variantId}`, auth)).json<{
      data: { onHand: number }[];
    }>().data[0]!.onHand;

  /** The shopper asks, through the store API, to send `quantity` units of the order back. */
  async function askReturn(quantity: number, comment: string) {
    const response = await api('POST', `/api/store/orders/${order.id}/return-requests`, shopper.auth, {
      lines: [{ orderLineId: order.lines[0]!.id, quantity }],
      reason: 'damaged',
      comment,
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ id: string; number: string }>();
  }

  /**
   * An order of the shopper's (`[variantId, quantity]` per line), shipped outside the shipping module and marked
   * delivered by hand: every unit reached the shopper.
   */
  async function placeDelivered(lines: [string, number][]) {
    const cartId = await fixtures.cart(shopper.auth);
    for (const [variant, quantity] of lines)
      expect((await fixtures.add(cartId, variant, quantity, shopper.auth)).statusCode).toBe(200);
    const checkout = await testApp.app.inject({
      method: 'POST',
      url: `/api/store/carts/${cartId}/checkout`,
      headers: { 'idempotency-key': randomUUID(), authorization: shopper.auth },
      payload: {
        email: 'returning-shopper@example.test',
        shippingAddress: {
          name: 'Rita Return',
          line1: '1 Test Street',
          city: 'Testville',
          postalCode: '12345',
          country: 'US',
        },
        payment: { provider: 'test', token: 'tok_visa' },
      },
    });
    expect(checkout.statusCode).toBe(201);
    const placed = checkout.json<{ order: { id: string } }>().order;
    for (const status of ['processing', 'shipped', 'delivered'])
      expect(
        (await api('POST', `/api/admin/orders/${placed.id}/transition`, auth, { status })).statusCode,
      ).toBe(200);
    return (await api('GET', `/api/store/orders/${placed.id}`, shopper.auth)).json<typeof order>();
  }

  beforeAll(async () => {
    ensureRendererBuild();
    testApp = await buildTestApp({ TLS: 'on' });
    await testApp.app.listen({ host: '127.0.0.1', port: 0 });
    url = `https://127.0.0.1:${(testApp.app.server.address() as AddressInfo).port}`;
    auth = await staffToken(testApp.app);
    fixtures = commerceFixtures(testApp.app, auth);
    const product = await fixtures.product([2_500], 10);
    variantId = product.variants[0]!.id;
    shopper = await fixtures.customer();
    order = await placeDelivered([[variantId, 3]]);

    browser = await launchChromium();
    page = await newPage(browser);
  });

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  it('lists a new request live, approves it with a note, receives it with a refund: stock and money back', async () => {
    await signIn(page, TEST_OWNER, `${url}/admin/`);
    await page.getByRole('menuitem', { name: 'Returns', exact: true }).click();
    await page.waitForURL(/\/return-requests/);

    // Asked while the list is open: it appears without a reload.
    const request = await askReturn(2, 'Both mugs arrived cracked');
    const row = page.getByRole('row').filter({ hasText: request.number });
    await poll(() => row.textContent()).toContain('Requested');
    await poll(() => row.textContent()).toContain(order.number);
    await row.getByText(request.number).click();

    await page.getByRole('heading', { name: `Return ${request.number} · Requested` }).waitFor();
    await poll(() => page.getByTestId('return-comment').textContent()).toBe('Both mugs arrived cracked');

    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByLabel('Note for the customer').fill('Keep the original box');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('heading', { name: `Return ${request.number} · Approved` }).waitFor();

    const stock = await onHand();
    await page.getByRole('button', { name: 'Receive the goods' }).click();
    await expect(page.getByLabel('Put the items back in stock').isChecked()).resolves.toBe(true);
    await expect(page.getByLabel('Refund these lines').isChecked()).resolves.toBe(true);
    // What will go back is said before staff confirm: 2 × $25.00, no discount, no tax.
    await poll(() => page.getByTestId('receive-refund').textContent()).toBe('Refund to the customer: $50.00');
    await page.getByLabel('Refund these lines').uncheck();
    expect(await page.getByTestId('receive-refund').count()).toBe(0);
    await page.getByLabel('Refund these lines').check();
    await page.getByTestId('receive-refund').waitFor();
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('heading', { name: `Return ${request.number} · Received` }).waitFor();
    await poll(() => page.getByTestId('return-facts').textContent()).toContain('Refunded: $50.00');
    expect(await onHand()).toBe(stock + 2);

    // The order's page lists it, and leads back to it.
    await page.getByRole('link', { name: order.number }).click();
    const section = page.getByTestId('order-return-requests');
    await poll(() => section.textContent()).toContain(`${request.number} · Received · 2 units · Damaged`);
  });

  it('rejects only with a reason, and the order page follows live', async () => {
    const request = await askReturn(1, 'Changed my mind after all');
    const section = page.getByTestId('order-return-requests');
    await poll(() => section.textContent()).toContain(`${request.number} · Requested`);
    await section.getByRole('link', { name: request.number }).click();
    await page.getByRole('heading', { name: `Return ${request.number} · Requested` }).waitFor();

    await page.getByRole('button', { name: 'Reject' }).click();
    const confirm = page.getByRole('button', { name: 'Confirm' });
    await expect(confirm.isDisabled()).resolves.toBe(true);
    await page.getByLabel(/^Reason given to the customer/).fill('Opened items cannot be returned');
    await confirm.click();
    await page.getByRole('heading', { name: `Return ${request.number} · Rejected` }).waitFor();
    const detail = await api('GET', `/api/admin/return-requests/${request.id}`, auth);
    expect(detail.json()).toMatchObject({
      status: 'rejected',
      rejectionReason: 'Opened items cannot be returned',
    });
  });

  it('follows live a request the customer withdraws: no action is left, and the status filter finds it', async () => {
    // The unit rejected above may be asked for again.
    const request = await askReturn(1, 'Ordered the wrong size');
    await page.getByRole('link', { name: order.number }).click();
    const section = page.getByTestId('order-return-requests');
    await poll(() => section.textContent()).toContain(`${request.number} · Requested`);
    await section.getByRole('link', { name: request.number }).click();
    await page.getByRole('heading', { name: `Return ${request.number} · Requested` }).waitFor();
    await page.getByRole('button', { name: 'Approve' }).waitFor();

    // The shopper changes their mind while staff look at it.
    const withdrawn = await api(
      'POST',
      `/api/store/orders/${order.id}/return-requests/${request.id}/withdraw`,
      shopper.auth,
    );
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    await page.getByRole('heading', { name: `Return ${request.number} · Withdrawn` }).waitFor();
    await poll(() => page.getByTestId('return-facts').textContent()).toContain('Withdrawn by the customer:');
    for (const name of ['Approve', 'Reject', 'Receive the goods'])
      expect(await page.getByRole('button', { name }).count(), name).toBe(0);

    await page.getByRole('menuitem', { name: 'Returns', exact: true }).click();
    await poll(() => page.getByRole('row').filter({ hasText: order.number }).count()).toBe(3);
    await page.getByRole('combobox', { name: 'Status' }).click();
    await page.getByRole('option', { name: 'Withdrawn' }).click();
    await poll(() => page.getByRole('row').filter({ hasText: order.number }).count()).toBe(1);
    const row = page.getByRole('row').filter({ hasText: order.number });
    await poll(() => row.textContent()).toContain(request.number);
    expect(await row.textContent()).toContain('Withdrawn');
  });
  it('receives a parcel partly damaged: per line, only the units chosen go back to stock', async () => {
    const product = await fixtures.product([1_200, 800], 10);
    const [mugs, plates] = [product.variants[0]!, product.variants[1]!];
    const mixed = await placeDelivered([
      [mugs.id, 2],
      [plates.id, 1],
    ]);
    const asked = await api('POST', `/api/store/orders/${mixed.id}/return-requests`, shopper.auth, {
      lines: mixed.lines.map((line, i) => ({ orderLineId: line.id, quantity: i === 0 ? 2 : 1 })),
      reason: 'damaged',
    });
    expect(asked.statusCode, asked.body).toBe(201);
    const request = asked.json<{ id: string; number: string }>();
    expect((await api('POST', `/api/admin/return-requests/${request.id}/approve`, auth)).statusCode).toBe(
      200,
    );
    const levels = async (variant: string) =>
      (await api('GET', `/api/admin/inventory/levels?variantId=${variant}`, auth)).json<{
        data: { onHand: number }[];
      }>().data[0]!.onHand;
    const before = { mugs: await levels(mugs.id), plates: await levels(plates.id) };

    // Straight to it (the list above was left filtered on withdrawn requests).
    await page.goto(`${url}/admin/#/return-requests/${request.id}/show`);
    await page.getByRole('heading', { name: `Return ${request.number} · Approved` }).waitFor();

    await page.getByRole('button', { name: 'Receive the goods' }).click();
    // Every unit back in stock by default, line by line.
    const all = page.getByLabel('Put the items back in stock');
    const mugUnits = page.getByLabel(`Units of ${mugs.sku} back in stock`);
    const plateUnits = page.getByLabel(`Units of ${plates.sku} back in stock`);
    await expect(all.isChecked()).resolves.toBe(true);
    await expect(mugUnits.inputValue()).resolves.toBe('2');
    await expect(plateUnits.inputValue()).resolves.toBe('1');
    // Not more than arrived.
    const confirm = page.getByRole('button', { name: 'Confirm' });
    await mugUnits.fill('3');
    await poll(() => page.getByTestId('receive-restock-lines').textContent()).toContain('From 0 to 2');
    await expect(confirm.isDisabled()).resolves.toBe(true);
    // Unticking puts none back; then one mug is resellable, the other mug and the plate are broken.
    await mugUnits.fill('2');
    await all.uncheck();
    await expect(mugUnits.inputValue()).resolves.toBe('0');
    await expect(plateUnits.inputValue()).resolves.toBe('0');
    await mugUnits.fill('1');
    await expect(all.isChecked()).resolves.toBe(false);
    await page.getByLabel('Refund these lines').uncheck();
    await confirm.click();
    await page.getByRole('heading', { name: `Return ${request.number} · Received` }).waitFor();
    await poll(() => page.getByTestId('return-facts').textContent()).toContain('partly back in stock');

    const detail = await api('GET', `/api/admin/return-requests/${request.id}`, auth);
    expect(detail.json()).toMatchObject({
      status: 'received',
      restocked: true,
      lines: [
        { sku: mugs.sku, quantity: 2, restockedQuantity: 1 },
        { sku: plates.sku, quantity: 1, restockedQuantity: 0 },
      ],
    });
    expect(await levels(mugs.id)).toBe(before.mugs + 1);
    expect(await levels(plates.id)).toBe(before.plates);
  });
});
