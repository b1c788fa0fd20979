import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Relative on purpose: @mcart/server's package exports map `./*` to `./src/*`, not to test/.
import { buildTestApp, staffToken, TEST_OWNER, type TestApp } from '../../server/test/app.ts';
import { orderFixtures } from '../../server/test/support/orders.ts';
import { ensureRendererBuild } from './renderer-build.ts';
import { hasChromium, launchChromium, signIn, newPage } from './browser.ts';

interface Created {
  id: string;
  trackingNumber: string;
}

describe.skipIf(!hasChromium)('shipments and mailbox, in a browser', () => {
  let testApp: TestApp;
  let url: string;
  let browser: Browser;
  let page: Page;
  let auth: string;
  let travelling: { order: { id: string; number: string }; shipment: Created };
  let spare: { order: { id: string; number: string }; shipment: Created };

  const api = async <T>(method: 'GET' | 'POST', path: string, payload?: object): Promise<T> => {
    const response = await testApp.app.inject({
      method,
      url: path,
      headers: { authorization: auth },
      ...(payload ? { payload } : {}),
    });
    if (response.statusCode >= 300) throw new Error(`${path}: ${response.statusCode} ${response.body}`);
    return response.json<T>();
  };
  const at = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

  beforeAll(async () => {
    ensureRendererBuild();
    // No SMTP_URL: e-mails land in the mailbox folder that staff read in the app.
    testApp = await buildTestApp({ TLS: 'on' });
    await testApp.app.listen({ host: '127.0.0.1', port: 0 });
    url = `https://127.0.0.1:${(testApp.app.server.address() as AddressInfo).port}`;
    auth = await staffToken(testApp.app);
    const fixtures = orderFixtures(testApp.app, testApp.config, auth);
    const product = await fixtures.product([{ weightGrams: 500 }]);
    const ship = async (email: string) => {
      const order = await fixtures.order([{ variantId: product.variants[0]!.id, quantity: 1 }], { email });
      const shipment = await api<Created>('POST', `/api/admin/orders/${order.id}/shipments`, {});
      return { order, shipment };
    };
    travelling = await ship('traveller@example.test');
    spare = await ship('spare@example.test');
    browser = await launchChromium();
    page = await newPage(browser);
    await signIn(page, TEST_OWNER, `${url}/admin/`);
    await page.getByRole('menuitem', { name: 'Shipments' }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  const openShipments = async () => {
    await page.goto(`${url}/admin/#/shipments`);
    await page.getByRole('row').filter({ hasText: travelling.shipment.trackingNumber }).waitFor();
  };
  const row = (trackingNumber: string) => page.getByRole('row').filter({ hasText: trackingNumber });

  it('prints the selected labels as one PDF, previewed with a download in the browser', async () => {
    await openShipments();
    await row(travelling.shipment.trackingNumber).getByRole('checkbox').check();
    await row(spare.shipment.trackingNumber).getByRole('checkbox').check();
    const batch = page.waitForResponse((response) => response.url().includes('/api/admin/shipments/labels?'));
    await page.getByRole('button', { name: 'Print labels' }).click();
    const response = await batch;
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('application/pdf');
    const query = new URL(response.url()).searchParams;
    expect(query.getAll('ids').sort()).toEqual([travelling.shipment.id, spare.shipment.id].sort());
    // Both labels in the one file: two 4x6 pages (the same request, read on the server side).
    const again = await testApp.app.inject({
      method: 'GET',
      url: response.url().slice(url.length),
      headers: { authorization: auth },
    });
    expect(again.rawPayload.toString('latin1').match(/\/Type \/Page\b/g)).toHaveLength(2);
    expect(again.rawPayload.toString('latin1')).toContain('/MediaBox [0 0 288 432]');
    await page.getByTestId('label-preview').waitFor();
    const download = page.getByRole('link', { name: 'Download PDF' });
    expect(await download.getAttribute('download')).toBe('labels-2.pdf');
    await page.keyboard.press('Escape');
    await page.getByTestId('label-preview').waitFor({ state: 'detached' });
    // The list keeps its selection: clear it for the next steps.
    await row(travelling.shipment.trackingNumber).getByRole('checkbox').uncheck();
    await row(spare.shipment.trackingNumber).getByRole('checkbox').uncheck();
  });

  it('imports a tracking CSV with a report of the rejected rows, then shows the timeline', async () => {
    await openShipments();
    await page.getByRole('button', { name: 'Import tracking' }).click();
    const csv = [
      'tracking_number,status,time,location',
      `${travelling.shipment.trackingNumber},in_transit,${at(1)},Springfield hub`,
      `RR999999990US,delivered,${at(2)},Nowhere`,
      `${travelling.shipment.trackingNumber},teleported,${at(2)},Space`,
      `${travelling.shipment.trackingNumber},delivered,${at(3)},Portland`,
    ].join('\n');
    await page.getByTestId('tracking-csv').setInputFiles({
      name: 'tracking.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const report = page.getByTestId('tracking-import-report');
    await report.waitFor();
    expect(await report.textContent()).toContain('4 rows: 2 imported, 0 duplicates, 2 rejected');
    const rejected = report.getByRole('row');
    await expect.poll(() => rejected.count()).toBe(3); // header + 2
    // Row, the column at fault (as the file's header spells it), the reason, the value.
    expect(await rejected.nth(1).textContent()).toBe('3tracking_numberunknown tracking numberRR999999990US');
    expect(await rejected.nth(2).textContent()).toBe('4statusunknown statusteleported');
    await page.getByRole('button', { name: 'Close' }).click();

    await row(travelling.shipment.trackingNumber).getByText(travelling.order.number).click();
    const timeline = page.getByTestId('tracking-timeline');
    await timeline.waitFor();
    const entries = timeline.getByRole('listitem');
    await expect.poll(() => entries.count()).toBe(3);
    expect(await entries.nth(0).textContent()).toContain('Label created');
    expect(await entries.nth(1).textContent()).toContain('In transit');
    expect(await entries.nth(1).textContent()).toContain('Springfield hub');
    expect(await entries.nth(1).textContent()).toContain('from csv');
    expect(await entries.nth(2).textContent()).toContain('Delivered');
    // A delivered parcel cannot be voided.
    expect(await page.getByRole('button', { name: 'Void label' }).count()).toBe(0);
    expect((await api<{ status: string }>('GET', `/api/admin/orders/${travelling.order.id}`)).status).toBe(
      'delivered',
    );
  });

  it('voids a label that was not handed over; its order goes back to the packing queue', async () => {
    await openShipments();
    await row(spare.shipment.trackingNumber).getByText(spare.order.number).click();
    await page.getByRole('button', { name: 'Void label' }).click();
    await page.getByRole('dialog').getByText('The carrier label becomes unusable').waitFor();
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('Label voided', { exact: true }).waitFor();
    await expect.poll(() => page.getByRole('button', { name: 'Void label' }).count()).toBe(0);
    await expect.poll(() => page.getByTestId('tracking-timeline').textContent()).toContain('Voided');
    expect(await page.getByRole('button', { name: 'Print label' }).count()).toBe(0);
    expect(await api<{ status: string }>('GET', `/api/admin/shipments/${spare.shipment.id}`)).toMatchObject({
      status: 'voided',
    });
    const queue = await api<{ data: { orderId: string }[] }>('GET', '/api/admin/shipping/to-pack');
    expect(queue.data.map((entry) => entry.orderId)).toContain(spare.order.id);
  });

  it('lets staff read the delivery e-mail with its tracking link in the mailbox', async () => {
    // Jobs are off in tests: run the outbox consumers and the sender until the e-mail is out. The import reported
    // the parcel in transit and delivered at once: the customer gets the delivery e-mail only (ADR 0012).
    const subject = `Order ${travelling.order.number} was delivered`;
    const em = () => testApp.app.orm.em.fork() as EntityManager;
    await expect
      .poll(
        async () => {
          await testApp.app.outbox.drain();
          await testApp.app.mailer.sendPending(em());
          const box = await api<{ data: { subject: string }[] }>(
            'GET',
            `/api/admin/mailbox?q=${encodeURIComponent(travelling.order.number)}`,
          );
          return box.data.map((mail) => mail.subject);
        },
        { timeout: 30_000 },
      )
      .toContain(subject);

    await page.getByRole('menuitem', { name: 'Mailbox' }).click();
    await page.getByRole('row').filter({ hasText: subject }).click();
    await page.getByTestId('mail-html').waitFor();
    expect(await page.getByText('traveller@example.test').count()).toBe(1);
    // The HTML part sits in a sandboxed iframe (no scripts, opaque origin): read what it renders.
    const html = await page.getByTestId('mail-html').getAttribute('srcdoc');
    expect(html).toMatch(
      new RegExp(
        `<a href="https://[^"]+/track/${travelling.shipment.trackingNumber}"[^>]*>Track your parcel</a>`,
      ),
    );
    await page.getByRole('tab', { name: 'Plain text' }).click();
    const text = page.locator('pre').filter({ hasText: 'Track your parcel' });
    expect(await text.textContent()).toMatch(
      new RegExp(`Track your parcel: https://\\S+/track/${travelling.shipment.trackingNumber}`),
    );
  });

  it('lets staff save the invoice an e-mail carried, as it was sent', async () => {
    const subject = new RegExp(`Your invoice INV-\\d{4}-\\d{6} for order ${travelling.order.number}`);
    const em = () => testApp.app.orm.em.fork() as EntityManager;
    await expect
      .poll(
        async () => {
          await testApp.app.outbox.drain();
          await testApp.app.mailer.sendPending(em());
          const box = await api<{ data: { subject: string }[] }>(
            'GET',
            `/api/admin/mailbox?q=${encodeURIComponent(travelling.order.number)}`,
          );
          return box.data.some((mail) => subject.test(mail.subject));
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    await page.getByRole('menuitem', { name: 'Mailbox' }).click();
    await page.getByRole('row').filter({ hasText: subject }).click();
    const file = page.getByRole('button', { name: /^INV-\d{4}-\d{6}\.pdf \(\d+ KB\)$/ });
    await file.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), file.click()]);
    expect(download.suggestedFilename()).toMatch(/^INV-\d{4}-\d{6}\.pdf$/);
    const bytes = await readFile((await download.path())!);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
  });
});
