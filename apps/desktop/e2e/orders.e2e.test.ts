import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Relative on purpose: @mcart/server's package exports map `./*` to `./src/*`, not to test/.
import { buildTestApp, staffToken, TEST_OWNER, type TestApp } from '../../server/test/app.ts';
import { commerceFixtures } from '../../server/src/modules/cart/test-helpers.ts';
import { ensureRendererBuild } from './renderer-build.ts';
import { chooseOwnPassword, hasChromium, launchChromium, signIn, newPage } from './browser.ts';

const address = {
  name: 'Ada Shopper',
  line1: '1 Test Street',
  city: 'Testville',
  postalCode: '12345',
  country: 'US',
};

describe.skipIf(!hasChromium)('orders: staff manage a paid order and cancel another, in a browser', () => {
  let testApp: TestApp;
  let url: string;
  let browser: Browser;
  let page: Page;
  let auth: string;
  let skus: string[];
  let variantIds: string[];
  let paid: { id: string; number: string };
  let unpaid: { id: string; number: string };
  let fixtures: ReturnType<typeof commerceFixtures>;

  /** A shopper's checkout through the store API alone, paid (or not) with a test-gateway token. */
  async function placeOrder(
    fixtures: ReturnType<typeof commerceFixtures>,
    items: { variantId: string; quantity: number }[],
    token: string,
  ) {
    const cartId = await fixtures.cart();
    for (const item of items) {
      const added = await fixtures.add(cartId, item.variantId, item.quantity);
      expect(added.statusCode).toBe(200);
    }
    const response = await testApp.app.inject({
      method: 'POST',
      url: `/api/store/carts/${cartId}/checkout`,
      headers: { 'idempotency-key': randomUUID() },
      payload: {
        email: `shopper-${randomUUID().slice(0, 8)}@example.test`,
        shippingAddress: address,
        payment: { provider: 'test', token },
      },
    });
    expect(response.statusCode).toBe(201);
    return response.json<{ order: { id: string; number: string; status: string } }>().order;
  }

  const available = async (variantId: string) =>
    (
      await testApp.app.inject({
        method: 'GET',
        url: `/api/admin/inventory/levels?variantId=${variantId}`,
        headers: { authorization: auth },
      })
    ).json<{ data: { available: number }[] }>().data[0]!.available;

  beforeAll(async () => {
    ensureRendererBuild();
    testApp = await buildTestApp({ TLS: 'on' });
    await testApp.app.listen({ host: '127.0.0.1', port: 0 });
    url = `https://127.0.0.1:${(testApp.app.server.address() as AddressInfo).port}`;
    auth = await staffToken(testApp.app);
    fixtures = commerceFixtures(testApp.app, auth);
    const product = await fixtures.product([2_500, 1_000], 10);
    skus = product.variants.map((variant) => variant.sku);
    variantIds = product.variants.map((variant) => variant.id);
    paid = await placeOrder(
      fixtures,
      [
        { variantId: variantIds[0]!, quantity: 2 },
        { variantId: variantIds[1]!, quantity: 1 },
      ],
      'tok_visa',
    );
    // 3-D Secure never completed: the order waits for its payment and holds its stock.
    unpaid = await placeOrder(fixtures, [{ variantId: variantIds[1]!, quantity: 3 }], 'tok_threeDSecure');
    browser = await launchChromium();
    page = await newPage(browser);
  });

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  // The server answers under load from other tests: give the screen time to follow.
  const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000 });
  const timeline = () => page.getByTestId('order-timeline').textContent();
  const payments = () => page.getByTestId('order-payments').textContent();

  it('opens the paid order from its status tab, adds a note, refunds one line partially after confirming', async () => {
    await signIn(page, TEST_OWNER, `${url}/admin/`);
    await page.getByRole('menuitem', { name: 'Orders', exact: true }).click();

    await page.getByRole('tab', { name: 'Paid (1)' }).click();

    await poll(() => page.getByRole('row').filter({ hasText: unpaid.number }).count()).toBe(0);
    await page.getByRole('row').filter({ hasText: paid.number }).getByText(paid.number).click();
    await page.getByRole('heading', { name: `${paid.number} · Paid` }).waitFor();

    await poll(payments).toContain('Captured · test');
    await poll(payments).toContain('visa ending 4242');
    // The payment is captured already: nothing to capture, so no button that would pretend to.
    expect(await page.getByRole('button', { name: 'Capture payment' }).count()).toBe(0);
    // Not shipped yet: the shipments summary says so.
    await poll(() => page.getByTestId('order-shipments').textContent()).toContain('Not shipped yet');

    await page.getByLabel('Staff note').fill('Customer called: one mug arrived chipped');
    await page.getByRole('button', { name: 'Add note' }).click();
    await poll(timeline).toContain('Note — Customer called: one mug arrived chipped');

    // Refund one of the two units of the first line, by line, with confirmation.
    await page.getByRole('button', { name: 'Refund', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(`Refund order ${paid.number}`).waitFor();
    // More than was paid is refused before it reaches the gateway, in money rather than cents.
    await dialog.getByLabel('Amount (USD)').fill('60.01');
    await dialog.getByText('At most $60.00 can still be refunded').waitFor();
    expect(await dialog.getByRole('button', { name: 'Confirm' }).isDisabled()).toBe(true);
    await dialog.getByRole('button', { name: 'Lines' }).click();
    await dialog.getByLabel(`Refund quantity: ${skus[0]}`).fill('1');
    await poll(() => dialog.getByTestId('refund-total').textContent()).toBe('To refund: $25.00');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('Refunded $25.00').first().waitFor();

    await page.getByRole('heading', { name: `${paid.number} · Partially refunded` }).waitFor();
    await poll(payments).toContain('Refund $25.00 (succeeded)');
    await poll(payments).toContain('Refunded $25.00');
    await poll(timeline).toContain('Refund $25.00');
    const detail = await testApp.app.inject({
      method: 'GET',
      url: `/api/admin/orders/${paid.id}`,
      headers: { authorization: auth },
    });
    expect(detail.json()).toMatchObject({
      status: 'partially_refunded',
      refunded: { amount: 2_500 },
      payments: [{ status: 'captured', refundedAmount: 2_500 }],
    });

    // The unit refunded is not offered again: 1 of the 2 is left, and 2 is refused before Confirm, even
    // with another line filled in (it is not silently left out of the refund).
    await page.getByRole('button', { name: 'Refund', exact: true }).click();
    await dialog.getByRole('button', { name: 'Lines' }).click();
    await dialog.getByText(/× 2 · .* · 1 left to refund/).waitFor();
    await dialog.getByLabel(`Refund quantity: ${skus[0]}`).fill('2');
    await dialog.getByLabel(`Refund quantity: ${skus[1]}`).fill('1');
    await dialog.getByText('Only 1 unit left to refund').waitFor();
    await poll(() => dialog.getByTestId('refund-total').textContent()).toBe('To refund: $10.00');
    expect(await dialog.getByRole('button', { name: 'Confirm' }).isDisabled()).toBe(true);
    await dialog.getByLabel(`Refund quantity: ${skus[0]}`).fill('1.5');
    await dialog.getByText('A whole number of units').waitFor();
    expect(await dialog.getByRole('button', { name: 'Confirm' }).isDisabled()).toBe(true);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('names each payment’s order by its number in the payments list, and leads to it', async () => {
    await page.getByRole('menuitem', { name: 'Payments', exact: true }).click();
    // The order's number, not the first characters of its id.
    const row = page.getByRole('row').filter({ hasText: paid.number });
    await poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain('Captured');
    expect(await row.textContent()).not.toContain(paid.id.slice(0, 8));
    await poll(() => page.getByRole('row').filter({ hasText: unpaid.number }).count()).toBe(1);
    await row.getByRole('link', { name: paid.number }).click();
    await page.getByRole('heading', { name: `${paid.number} · Partially refunded` }).waitFor();
  });

  it('filters by a total typed in dollars and exports amounts in dollars', async () => {
    await page.getByRole('menuitem', { name: 'Orders', exact: true }).click();
    await page.getByRole('tab', { name: /^All/ }).click();
    await poll(() => page.getByRole('row').filter({ hasText: unpaid.number }).count()).toBe(1);
    await page.getByRole('button', { name: 'Add filter' }).click();
    await page.getByRole('menuitemcheckbox', { name: 'Minimum total' }).click();
    // $60.00 paid, $35.00 unpaid: "40" is forty dollars (minTotal=4000), not forty cents.
    await page.getByLabel('Minimum total').fill('40');
    await poll(() => page.getByRole('row').filter({ hasText: unpaid.number }).count()).toBe(0);
    await poll(() => page.getByRole('row').filter({ hasText: paid.number }).count()).toBe(1);

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export' }).click();
    const csv = readFileSync((await (await download).path())!, 'utf8');
    expect(csv.split('\n')[0]).toBe('number,createdAt,paidAt,email,status,total,refunded,currency,itemCount');
    expect(csv).toContain(`${paid.number},`);
    expect(csv).toContain(',partially_refunded,60.00,25.00,USD,3');
    expect(csv).not.toContain(unpaid.number);
    await page.getByRole('button', { name: 'Remove this filter' }).click();
  });

  it('cancels the unpaid order after confirming: the stock is released', async () => {
    expect(await available(variantIds[1]!)).toBe(6); // 10 - 1 sold - 3 held by the unpaid order
    await page.getByRole('menuitem', { name: 'Orders', exact: true }).click();
    await page.getByRole('tab', { name: 'Awaiting payment (1)' }).click();
    await page.getByRole('row').filter({ hasText: unpaid.number }).getByText(unpaid.number).click();
    await page.getByRole('heading', { name: `${unpaid.number} · Awaiting payment` }).waitFor();

    await page.getByRole('button', { name: 'Cancel order' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(`Cancel order ${unpaid.number}?`).waitFor();
    // The buttons say what they do: not "Cancel" beside "Confirm" in a dialog about cancelling.
    expect(await dialog.getByRole('button', { name: 'Keep the order' }).count()).toBe(1);
    await dialog.getByRole('button', { name: 'Cancel order' }).click();
    await page.getByText('Order cancelled: the stock was released').waitFor();
    await page.getByRole('heading', { name: `${unpaid.number} · Cancelled` }).waitFor();
    // The timeline's key (ADR 0069), in the staff's language.
    await poll(timeline).toContain('Cancelled by staff');
    expect(await available(variantIds[1]!)).toBe(9);
  });

  it('offers no refund once the order is refunded in full', async () => {
    const product = await fixtures.product([1_000], 10);
    const order = await placeOrder(
      fixtures,
      [{ variantId: product.variants[0]!.id, quantity: 1 }],
      'tok_visa',
    );
    const detail = await testApp.app.inject({
      method: 'GET',
      url: `/api/admin/orders/${order.id}`,
      headers: { authorization: auth },
    });
    const refund = await testApp.app.inject({
      method: 'POST',
      url: `/api/admin/orders/${order.id}/refund`,
      headers: { authorization: auth },
      payload: { amount: detail.json<{ totals: { total: { amount: number } } }>().totals.total.amount },
    });
    expect(refund.statusCode).toBe(200);
    await page.goto(`${url}/admin/#/orders/${order.id}/show`);
    await page.getByRole('heading', { name: `${order.number} · Refunded` }).waitFor();
    await page.getByTestId('order-timeline').waitFor();
    expect(await page.getByRole('button', { name: 'Refund', exact: true }).count()).toBe(0);
  });

  it('says so when the order’s shipments or invoices cannot be read, rather than "not shipped" or "no invoice"', async () => {
    const unavailable = {
      status: 503,
      contentType: 'application/problem+json',
      body: JSON.stringify({
        type: 'about:blank',
        status: 503,
        title: 'Service unavailable',
        code: 'MCART_ERR_OVERLOADED',
        detail: 'The server is busy',
      }),
    };
    await page.route('**/api/admin/shipments?**', (route) => route.fulfill(unavailable));
    await page.route(`**/api/admin/invoices?orderId=${paid.id}**`, (route) => route.fulfill(unavailable));
    try {
      await page.goto(`${url}/admin/#/orders/${paid.id}/show`);
      await page.reload();
      await page.getByRole('heading', { name: `${paid.number} · Partially refunded` }).waitFor();
      await poll(() => page.getByTestId('order-shipments').textContent()).toBe(
        'Could not read the shipments: The server is busy',
      );
      await poll(() => page.getByTestId('order-invoices').textContent()).toBe(
        'Could not read the invoices: The server is busy',
      );
    } finally {
      await page.unrouteAll();
    }
  });

  it('says the status counts are unknown when they cannot be read, rather than showing 0 or old figures', async () => {
    // Every order (an earlier test left a status tab chosen).
    await page.goto(`${url}/admin/#/orders?filter=${encodeURIComponent('{}')}`);
    // Read once: true figures.
    await page.getByRole('tab', { name: /^All \(\d+\)$/ }).waitFor();
    let failing = true;
    await page.route('**/api/admin/orders/counts', (route) =>
      failing
        ? route.fulfill({
            status: 503,
            contentType: 'application/problem+json',
            body: JSON.stringify({
              type: 'about:blank',
              status: 503,
              title: 'Service unavailable',
              code: 'MCART_ERR_OVERLOADED',
              detail: 'The server is busy',
            }),
          })
        : route.fallback(),
    );
    try {
      // An order changes (the list refetches its counts), and that read fails: no tab keeps its earlier figure
      // as if it were still true.
      const note = await testApp.app.inject({
        method: 'POST',
        url: `/api/admin/orders/${paid.id}/notes`,
        headers: { authorization: auth },
        payload: { body: 'Counted again' },
      });
      expect(note.statusCode).toBe(201);
      await page.getByRole('tab', { name: 'Awaiting payment (?)' }).waitFor();
      await page.getByRole('tab', { name: 'All (?)' }).waitFor();
      expect(await page.getByRole('tab', { name: /\(\d+\)$/ }).count()).toBe(0);
      await poll(() => page.getByTestId('order-counts-failed').textContent()).toContain(
        'Order counts unknown (?): they could not be read. The server is busy',
      );
      // The list itself still reads: only the counts are unknown.
      await poll(() => page.getByRole('row').filter({ hasText: paid.number }).count()).toBe(1);
      // Nor does a new visit to the list show 0 for what it could not read.
      await page.reload();
      await page.getByRole('tab', { name: 'All (?)' }).waitFor();
      expect(await page.getByRole('tab', { name: /\(\d+\)$/ }).count()).toBe(0);
      failing = false;
      await page.getByTestId('order-counts-failed').getByRole('button', { name: 'Refresh' }).click();
      await page.getByRole('tab', { name: /^All \(\d+\)$/ }).waitFor();
      expect(await page.getByRole('tab', { name: /\(\?\)$/ }).count()).toBe(0);
      expect(await page.getByTestId('order-counts-failed').count()).toBe(0);
    } finally {
      await page.unrouteAll();
    }
  });

  it('shows the staff note only to roles that may add one, and fits the lines in a narrow window', async () => {
    const product = await fixtures.product([123_456, 99_999], 50);
    const order = await placeOrder(
      fixtures,
      [
        { variantId: product.variants[0]!.id, quantity: 12 },
        { variantId: product.variants[1]!.id, quantity: 1 },
      ],
      'tok_visa',
    );
    const member = { email: `wh-${randomUUID().slice(0, 8)}@shop.test`, password: 'Crate-Heron-57-Rope' };
    const created = await testApp.app.inject({
      method: 'POST',
      url: '/api/admin/staff',
      headers: { authorization: auth },
      payload: { ...member, role: 'warehouse', firstName: 'Pat', lastName: 'W' },
    });
    expect(created.statusCode).toBe(201);
    // 1024x700: the 240px menu leaves the order page too little room for its two cards side by side.
    const narrow = await newPage(browser, { viewport: { width: 1024, height: 700 } });
    try {
      await signIn(narrow, member, `${url}/admin/`);
      await chooseOwnPassword(narrow, member.password, 'Lantern-Otter-48-Moss');
      await narrow.getByRole('menuitem', { name: 'Orders', exact: true }).waitFor();
      await narrow.goto(`${url}/admin/#/orders/${order.id}/show`);
      await narrow.getByRole('heading', { name: `${order.number} · Paid` }).waitFor();
      await narrow.getByTestId('order-timeline').waitFor();
      // The warehouse may not annotate orders (orders:annotate): no note that the server would refuse.
      expect(await narrow.getByRole('button', { name: 'Print packing slip' }).count()).toBe(1);
      expect(await narrow.getByLabel('Staff note').count()).toBe(0);
      expect(await narrow.getByRole('button', { name: 'Add note' }).count()).toBe(0);
      const slip = await narrow.evaluate(() => {
        const card = document.querySelector('.packing-slip') as HTMLElement;
        const table = card.querySelector('table') as HTMLElement;
        return {
          cardFits: card.scrollWidth <= card.clientWidth,
          tableReachable:
            table.parentElement!.scrollWidth <= table.parentElement!.clientWidth ||
            getComputedStyle(table.parentElement!).overflowX === 'auto',
        };
      });
      expect(slip).toEqual({ cardFits: true, tableReachable: true });
      await narrow.getByRole('cell', { name: '$14,814.72' }).waitFor();
    } finally {
      await narrow.context().close();
    }
  });
});
