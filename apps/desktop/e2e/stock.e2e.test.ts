import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Relative on purpose: @mcart/server's package exports map `./*` to `./src/*`, not to test/.
import { buildTestApp, staffToken, type TestApp } from '../../server/test/app.ts';
import { StaffService } from '../../server/src/modules/identity/staff.service.ts';
import { ensureRendererBuild } from './renderer-build.ts';
import { hasChromium, launchChromium, signIn, newPage } from './browser.ts';

describe.skipIf(!hasChromium)('stock: receive, adjust and transfer by SKU, then read the history', () => {
  let testApp: TestApp;
  let url: string;
  let browser: Browser;
  let page: Page;
  let skus: [string, string];
  const tag = randomUUID().slice(0, 6).toUpperCase();
  const east = `East depot ${tag}`;
  const clerk = { email: `clerk-${tag}@mcart.test`, password: 'warehouse password 123' };
  const support = { email: `support-${tag}@mcart.test`, password: 'support password 123' };

  beforeAll(async () => {
    ensureRendererBuild();
    testApp = await buildTestApp({ TLS: 'on' });
    await testApp.app.listen({ host: '127.0.0.1', port: 0 });
    url = `https://127.0.0.1:${(testApp.app.server.address() as AddressInfo).port}`;
    const { app, config } = testApp;
    const owner = await staffToken(app);
    // A product with no stock yet, and a second location, through the admin API.
    const product = await app.inject({
      method: 'POST',
      url: '/api/admin/products',
      headers: { authorization: owner },
      payload: {
        // A long title, as real products have: it must not widen the stock list past a small window.
        title: `Stoneware teapot with bamboo handle and infuser, 1.2 litres ${tag}`,
        status: 'active',
        variants: ['BLUE', 'GREEN'].map((colour) => ({
          sku: `TEA-${tag}-${colour}`,
          title: colour,
          price: { amount: 3200, currency: config.store.currency },
        })),
      },
    });
    expect(product.statusCode).toBe(201);
    skus = [`TEA-${tag}-BLUE`, `TEA-${tag}-GREEN`];
    const location = await app.inject({
      method: 'POST',
      url: '/api/admin/stock-locations',
      headers: { authorization: owner },
      payload: { code: `east-${tag}`, name: east },
    });
    expect(location.statusCode).toBe(201);
    const staff = new StaffService(app.orm.em.fork() as EntityManager);
    await staff.create({ ...clerk, role: 'warehouse' });
    await staff.create({ ...support, role: 'support' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  const signInAs = async (credentials: { email: string; password: string }) => {
    page = await newPage(browser);
    await signIn(page, credentials, `${url}/admin/`);
  };
  const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
  /** What a barcode scanner does: type the code into the focused field, then Enter. */
  const scan = async (code: string) => {
    await page.keyboard.type(code);
    await page.keyboard.press('Enter');
  };
  const line = (sku: string) => page.locator(`[data-testid="pending-line"][data-sku="${sku}"]`);
  const lineQuantity = (sku: string) => line(sku).getByRole('spinbutton').inputValue();
  const result = () => page.getByTestId('stock-result').textContent();
  /** STOCK_SHOT=<folder> keeps screenshots of each screen for a look by eye. */
  const shot = async (name: string) => {
    if (process.env.STOCK_SHOT) await page.screenshot({ path: `${process.env.STOCK_SHOT}/${name}.png` });
  };

  it('a warehouse clerk receives and adjusts by scanning SKUs, with the focus kept on the SKU field', async () => {
    await signInAs(clerk);
    await page.getByRole('menuitem', { name: 'Receive / adjust' }).click();
    await expect.poll(focused).toBe('sku-input');

    // An unknown code: an inline error, the field keeps the focus for the next scan.
    await scan('NO-SUCH-SKU');
    await page.getByText('Unknown SKU: NO-SUCH-SKU').waitFor();
    expect(await focused()).toBe('sku-input');
    expect(await page.getByTestId('pending-lines').count()).toBe(0);

    // The selected bad code is replaced by the next scan; the same SKU twice makes one line of 2.
    await scan(skus[0].toLowerCase());
    await line(skus[0]).waitFor();
    await scan(skus[0]);
    await expect.poll(() => lineQuantity(skus[0])).toBe('2');
    expect(await focused()).toBe('sku-input');
    // A typed quantity applies to the next scan, then goes back to 1.
    await page.getByTestId('quantity-input').fill('5');
    await page.getByTestId('sku-input').fill(skus[1]);
    await page.getByTestId('sku-input').press('Enter');
    await expect.poll(() => lineQuantity(skus[1])).toBe('5');
    expect(await page.getByTestId('quantity-input').inputValue()).toBe('1');

    await page.getByTestId('reason-input').fill('PO-4711');
    await page.getByRole('button', { name: 'Receive 7 unit(s)' }).click();
    await expect.poll(result).toContain(`${skus[0]}: 2 on hand, 2 available at Main warehouse`);
    expect(await result()).toContain(`${skus[1]}: 5 on hand`);
    await shot('receive');
    expect(await page.getByTestId('pending-lines').count()).toBe(0);

    // Adjust: a counted correction needs a reason; "-1" before the scan removes one.
    await page.getByRole('button', { name: 'Adjust', exact: true }).click();
    await page.getByTestId('quantity-input').fill('-1');
    await page.getByTestId('sku-input').fill(skus[1]);
    await page.getByTestId('sku-input').press('Enter');
    await expect.poll(() => lineQuantity(skus[1])).toBe('-1');
    await page.getByRole('button', { name: 'Adjust by -1' }).click();
    await page.getByText('An adjustment needs a reason').waitFor();
    await page.getByTestId('reason-input').fill('broken in the aisle');
    await page.getByRole('button', { name: 'Adjust by -1' }).click();
    await expect.poll(result).toContain(`${skus[1]}: 4 on hand`);
  });

  it('manages locations: creates one, deactivates it, and it is no longer offered for transfers', async () => {
    const north = `North ${tag}`;
    await page.getByRole('menuitem', { name: 'Locations' }).click();
    await page.getByRole('link', { name: 'Create' }).click();
    await page.getByLabel(/^Code/).fill(`north-${tag}`);
    await page.getByLabel(/^Name/).fill(north);
    await page.getByRole('button', { name: 'Save' }).click();
    const row = page.getByRole('row').filter({ hasText: north });
    await row.waitFor();
    await shot('locations');
    await row.getByRole('button', { name: 'Deactivate' }).click();
    await row.getByRole('button', { name: 'Activate' }).waitFor();
    // The default location cannot be deactivated.
    const main = page.getByRole('row').filter({ hasText: 'Main warehouse' });
    expect(await main.getByRole('button', { name: 'Deactivate' }).isDisabled()).toBe(true);

    await page.getByRole('menuitem', { name: 'Transfers' }).click();
    await page.getByTestId('transfer-to').click();
    await page.getByRole('option', { name: east }).waitFor();
    expect(await page.getByRole('option', { name: north }).count()).toBe(0);
    await page.keyboard.press('Escape');
  });

  it('transfers between locations, showing the server’s errors on the fields they concern', async () => {
    await page.getByTestId('sku-input').click();
    await page.getByTestId('quantity-input').fill('3');
    await page.getByTestId('sku-input').fill(skus[0]);
    await page.getByTestId('sku-input').press('Enter');
    await expect.poll(() => lineQuantity(skus[0])).toBe('3');

    // Same location: refused by the server, shown under "To".
    await page.getByTestId('transfer-to').click();
    await page.getByRole('option', { name: 'Main warehouse (default)' }).click();
    await page.getByRole('button', { name: 'Transfer 3 unit(s)' }).click();
    await page.getByText('Choose a different location').waitFor();

    // Only 2 available: the line says so, nothing moved.
    await page.getByTestId('transfer-to').click();
    await page.getByRole('option', { name: east }).click();
    await page.getByRole('button', { name: 'Transfer 3 unit(s)' }).click();
    await line(skus[0]).getByText('Not enough available stock at this location').waitFor();
    await shot('transfer-error');

    await line(skus[0]).getByRole('spinbutton').fill('2');
    await page.getByRole('button', { name: 'Transfer 2 unit(s)' }).click();
    await expect.poll(result).toContain(`${skus[0]}: Main warehouse now 0, ${east} now 2`);
  });

  it('leads from a stock level row to the variant’s movement history', async () => {
    await page.getByRole('menuitem', { name: 'Stock levels' }).click();
    const row = page.getByRole('row').filter({ hasText: skus[0] }).filter({ hasText: east });
    await row.waitFor();
    await shot('levels');
    await row.getByRole('link', { name: 'History' }).click();
    await expect.poll(() => page.url()).toContain('#/stock-movements');
    const movements = page.getByRole('row').filter({ hasText: skus[0] });
    await movements.filter({ hasText: 'Transferred in' }).waitFor();
    await movements.filter({ hasText: 'Transferred out' }).waitFor();
    await movements.filter({ hasText: 'Received' }).filter({ hasText: 'PO-4711' }).waitFor();
    // Only this variant's movements: two transfer rows and one receipt.
    expect(await movements.count()).toBe(3);
    await shot('history');
    expect(await page.getByRole('row').filter({ hasText: skus[1] }).count()).toBe(0);
  });

  it('sets a variant’s low-stock threshold from its stock row; the low-stock list then shows it', async () => {
    await page.getByRole('menuitem', { name: 'Low stock' }).click();
    await page.getByText('No Stock levels found').waitFor();
    await page.getByRole('menuitem', { name: 'Stock levels' }).click();
    const row = page.getByRole('row').filter({ hasText: skus[0] }).filter({ hasText: 'Main warehouse' });
    await row.getByRole('button', { name: 'Threshold' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Low-stock threshold').fill('5');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Low-stock threshold saved').waitFor();
    // Still on the levels list (the dialog's click does not open the row's history).
    expect(page.url()).not.toContain('stock-movements');
    await page.getByRole('menuitem', { name: 'Low stock' }).click();
    // 0 available at the main warehouse after the transfer, at or below 5.
    await page.getByRole('row').filter({ hasText: skus[0] }).filter({ hasText: 'Main warehouse' }).waitFor();
    expect(await page.getByRole('row').filter({ hasText: skus[1] }).count()).toBe(0);
    await page.context().close();
  });

  it('fits the stock levels, row actions included, in a 1024x768 window; wider windows show more', async () => {
    // A warehouse PC's small screen: the 240px menu leaves the list about 780px.
    page = await newPage(browser, { viewport: { width: 1024, height: 768 } });
    await signIn(page, clerk, `${url}/admin/`);
    await page.getByRole('menuitem', { name: 'Stock levels' }).click();
    await page.getByRole('row').filter({ hasText: skus[0] }).first().waitFor();
    const first = page.locator('.RaDatagrid-table tbody tr').first();
    const history = first.getByRole('link', { name: 'History' });
    const threshold = first.getByRole('button', { name: 'Threshold' });
    const when = page.getByRole('columnheader', { name: 'When' });
    /** Nothing to scroll sideways, neither inside the list's card nor the page. */
    const overflow = () =>
      page.evaluate(() => {
        const wrapper = document.querySelector('.RaDatagrid-tableWrapper') as HTMLElement;
        const root = document.documentElement;
        return {
          table: wrapper.scrollWidth - wrapper.clientWidth,
          page: root.scrollWidth - root.clientWidth,
        };
      });
    for (const width of [1024, 1280, 1600]) {
      await page.setViewportSize({ width, height: 768 });
      await shot(`levels-${width}`);
      // Polled: a new width swaps labelled buttons and icon buttons, re-rendering the row's actions.
      for (const action of [history, threshold]) {
        await expect
          .poll(async () => {
            const box = await action.boundingBox();
            return box ? box.x + box.width : Infinity;
          })
          .toBeLessThanOrEqual(width);
      }
      await expect.poll(overflow).toEqual({ table: 0, page: 0 });
    }
    // Only the small window leaves out "When" and labels the actions by tooltip alone.
    await when.waitFor();
    expect(await threshold.textContent()).toBe('Threshold');
    await page.setViewportSize({ width: 1280, height: 768 });
    await when.waitFor();
    await page.setViewportSize({ width: 1024, height: 768 });
    await when.waitFor({ state: 'hidden' });
    await threshold.hover();
    await page.getByRole('tooltip', { name: 'Threshold' }).waitFor();
    await page.context().close();
  });

  it('keeps the batch’s key when staff edit it after a lost answer, and says it may already be booked', async () => {
    const { app } = testApp;
    const owner = await staffToken(app);
    const variant = (
      await app.inject({
        method: 'GET',
        url: `/api/admin/variants?sku=${encodeURIComponent(skus[1])}`,
        headers: { authorization: owner },
      })
    ).json<{ data: { id: string }[] }>().data[0]!;
    const onHand = async () =>
      (
        await app.inject({
          method: 'GET',
          url: `/api/admin/inventory/levels?variantId=${variant.id}`,
          headers: { authorization: owner },
        })
      )
        .json<{ data: { onHand: number; locationName: string }[] }>()
        .data.filter((level) => level.locationName === 'Main warehouse')
        .reduce((sum, level) => sum + level.onHand, 0);
    const before = await onHand();
    await signInAs(clerk);
    await page.getByRole('menuitem', { name: 'Receive / adjust' }).click();
    await expect.poll(focused).toBe('sku-input');
    await scan(`6*${skus[1]}`);
    await expect.poll(() => lineQuantity(skus[1])).toBe('6');
    await page.getByTestId('reason-input').fill('PO-5000');

    // The delivery is booked, but its answer never reaches the desk (the connection drops).
    const keys: string[] = [];
    let dropAnswer = true;
    await page.route('**/api/admin/inventory/receipts/batch', async (route) => {
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      const answer = await route.fetch();
      if (dropAnswer) await route.abort('connectionreset');
      else await route.fulfill({ response: answer });
    });
    try {
      await page.getByRole('button', { name: 'Receive 6 unit(s)' }).click();
      await page.getByText('The server cannot be reached').first().waitFor();
      await expect
        .poll(() => page.getByTestId('batch-conflict').textContent())
        .toContain('No answer came back: this batch may or may not have been booked.');
      await expect.poll(onHand).toBe(before + 6);
      // Staff correct the reason and book again: the same key, so the server refuses the changed batch
      // instead of booking the 6 units a second time, and the screen says what that means.
      dropAnswer = false;
      await page.getByTestId('reason-input').fill('PO-5000 (second try)');
      await page.getByRole('button', { name: 'Receive 6 unit(s)' }).click();
      await expect
        .poll(() => page.getByTestId('batch-conflict').textContent())
        .toContain('This batch may already have been booked');
      expect(keys).toHaveLength(2);
      expect(keys[1]).toBe(keys[0]);
      expect(await onHand()).toBe(before + 6);
      expect(await page.getByTestId('pending-lines').count()).toBe(1);
      await shot('batch-conflict');

      // The unchanged batch sent again under its key is the first booking, answered again: nothing added.
      await page.getByTestId('reason-input').fill('PO-5000');
      await page.getByRole('button', { name: 'Receive 6 unit(s)' }).click();
      await expect.poll(result).toContain(`${skus[1]}: ${before + 6} on hand`);
      expect(await onHand()).toBe(before + 6);
      expect(await page.getByTestId('batch-conflict').count()).toBe(0);

      // Booked: the next delivery is a new batch with a new key.
      await scan(`1*${skus[1]}`);
      await page.getByRole('button', { name: 'Receive 1 unit(s)' }).click();
      await expect.poll(result).toContain(`${skus[1]}: ${before + 7} on hand`);
      expect(keys).toHaveLength(4);
      expect(keys[3]).not.toBe(keys[0]);

      // A new batch is staff's explicit choice (after checking the history): its lines go under a new key and
      // are booked, even though the earlier attempt went through.
      dropAnswer = true;
      await scan(`2*${skus[1]}`);
      await page.getByRole('button', { name: 'Receive 2 unit(s)' }).click();
      await page.getByText('The server cannot be reached').first().waitFor();
      dropAnswer = false;
      await page.getByTestId('reason-input').fill('recount');
      await page.getByRole('button', { name: 'Receive 2 unit(s)' }).click();
      await page.getByTestId('batch-conflict').waitFor();
      await page.getByRole('button', { name: 'Start a new batch' }).click();
      expect(await page.getByTestId('batch-conflict').count()).toBe(0);
      await page.getByRole('button', { name: 'Receive 2 unit(s)' }).click();
      await expect.poll(result).toContain(`${skus[1]}: ${before + 11} on hand`);
      expect(new Set(keys).size).toBe(4);
    } finally {
      await page.unrouteAll();
      await page.context().close();
    }
  });

  it('support staff read stock but get no receive, adjust or transfer screens', async () => {
    await signInAs(support);
    await page.getByRole('menuitem', { name: 'Stock levels' }).click();
    await page.getByRole('row').filter({ hasText: skus[0] }).first().waitFor();
    expect(await page.getByRole('button', { name: 'Threshold' }).count()).toBe(0);
    expect(await page.getByRole('menuitem', { name: 'Receive / adjust' }).count()).toBe(0);
    expect(await page.getByRole('menuitem', { name: 'Transfers' }).count()).toBe(0);
    await page.goto(`${url}/admin/#/stock-entry`);
    await page
      .getByText(/not authorized|access denied|unauthorized/i)
      .first()
      .waitFor();
    expect(await page.getByTestId('sku-input').count()).toBe(0);
    await page.context().close();
  });
});
