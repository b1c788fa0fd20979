import type { AddressInfo } from 'node:net';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Relative on purpose: @mcart/server's package exports map `./*` to `./src/*`, not to test/.
import { buildTestApp, staffToken, TEST_OWNER, type TestApp } from '../../server/test/app.ts';
import { ADDRESS, orderFixtures } from '../../server/test/support/orders.ts';
import { ensureRendererBuild } from './renderer-build.ts';
import { hasChromium, launchChromium, signIn, newPage } from './browser.ts';

describe.skipIf(!hasChromium)('warehouse: from a paid order to a printed label, in a browser', () => {
  let testApp: TestApp;
  let url: string;
  let browser: Browser;
  let page: Page;
  let order: { id: string; number: string };
  let partOrder: { id: string; number: string };
  /** Its first address line is too long for a label: the server refuses to print it as it is. */
  let longOrder: { id: string; number: string };
  /** Shipped, then returned to sender by the carrier: in the queue again. */
  let returnedOrder: { id: string; number: string };
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
    longOrder = await fixtures.order([{ variantId: product.variants[0]!.id, quantity: 1 }], {
      address: { ...ADDRESS, company: 'Acme', line1: 'Apartment 12, The Long Name Residences' },
    });
    returnedOrder = await fixtures.order([{ variantId: product.variants[1]!.id, quantity: 1 }]);
    browser = await launchChromium();
    page = await newPage(browser);
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
    await signIn(page, TEST_OWNER, `${url}/admin/`);
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
    trackingNumber: string;
    status: string;
    weightGrams: number;
    heightMm: number;
    lines: { sku: string; quantity: number }[];
    recipient: Record<string, string>;
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

  /** The body of the next shipment the page posts. */
  const nextShipmentRequest = () =>
    page.waitForRequest(
      (request) =>
        request.method() === 'POST' && /\/api\/admin\/orders\/[^/]+\/shipments$/.test(request.url()),
    );
  // Required fields' labels end with MUI's asterisk.
  const addressInput = (label: string) => page.getByLabel(new RegExp(`^${label}(\\s*\\*)?$`));
  const fieldText = (field: string) => page.getByTestId(`ship-to-${field}`).textContent();

  it("opens the address form when the order's address cannot be printed, marks refused fields and ships to the corrected one", async () => {
    await page.goto(`${url}/admin/#/to-pack/${longOrder.id}`);
    await page.getByTestId('pick-list').waitFor();
    await page.getByTestId('scan-input').focus();
    await scan(skus[0]!);
    const create = page.getByRole('button', { name: 'Create shipment' });
    await expect.poll(() => create.isEnabled()).toBe(true);
    expect(await page.getByTestId('ship-to-form').count()).toBe(0);

    // The order's own address: refused (MCART_ERR_LABEL_ADDRESS_TOO_LONG); the form opens on it.
    let sent = nextShipmentRequest();
    await create.click();
    expect((await sent).postDataJSON()).not.toHaveProperty('shippingAddress');
    const refusal = page.getByTestId('ship-to-refusal');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain(
      'The order’s address cannot be printed on a label as it is',
    );
    expect(await refusal.textContent()).toContain('shippingAddress/line1 is 38 characters');
    const line1 = addressInput('Address line 1');
    expect(await line1.inputValue()).toBe('Apartment 12, The Long Name Residences');
    expect(await line1.getAttribute('aria-invalid')).toBe('true');
    expect(await fieldText('line1')).toContain('is 38 characters; the label prints at most 35');
    expect(await addressInput('Company').inputValue()).toBe('Acme');
    expect(await addressInput('State, province or region').inputValue()).toBe('OR');
    const country = addressInput('Country');
    expect(await country.inputValue()).toBe('US');
    expect(await country.getAttribute('readonly')).not.toBeNull();

    // The packer shortens the line but writes the state out: the server refuses the region, on its input.
    await line1.fill('Apt 12, Long Name Residences');
    expect(await line1.getAttribute('aria-invalid')).toBe('false');
    await addressInput('State, province or region').fill('Oregon');
    await addressInput('Phone').fill('+1 503 555 0100');
    sent = nextShipmentRequest();
    await create.click();
    expect((await sent).postDataJSON().shippingAddress).toMatchObject({ region: 'Oregon' });
    await expect.poll(() => fieldText('region')).toContain('must be a 2-letter US state code (e.g. IL)');
    expect(await addressInput('State, province or region').getAttribute('aria-invalid')).toBe('true');
    expect(await refusal.textContent()).toContain('The label address was refused');
    // Nothing the packer typed is lost.
    expect(await line1.inputValue()).toBe('Apt 12, Long Name Residences');
    expect(await addressInput('Phone').inputValue()).toBe('+1 503 555 0100');
    expect(await page.getByTestId('shipment-created').count()).toBe(0);

    await addressInput('State, province or region').fill('or');
    sent = nextShipmentRequest();
    await create.click();
    expect((await sent).postDataJSON().shippingAddress).toEqual({
      name: 'Ann Example',
      company: 'Acme',
      line1: 'Apt 12, Long Name Residences',
      city: 'Portland',
      region: 'or',
      postalCode: '97201',
      country: 'US',
      phone: '+1 503 555 0100',
    });
    await page.getByTestId('shipment-created').waitFor();
    expect(await page.getByTestId('shipped-to').textContent()).toContain('Apt 12, Long Name Residences');

    const [shipment] = await shipmentsOf(longOrder.id);
    expect(shipment!.recipient).toEqual({
      name: 'Ann Example',
      company: 'Acme',
      line1: 'Apt 12, Long Name Residences',
      city: 'Portland',
      region: 'OR',
      postalCode: '97201',
      country: 'US',
      phone: '+1 503 555 0100',
    });
    // The order keeps its address; only the label has the corrected one.
    expect(
      (await api<{ shippingAddress: { line1: string } }>(`/api/admin/orders/${longOrder.id}`)).shippingAddress
        .line1,
    ).toBe('Apartment 12, The Long Name Residences');
  });

  it('says when a parcel came back, and ships it again to the address the packer corrected', async () => {
    const shipped = await testApp.app.inject({
      method: 'POST',
      url: `/api/admin/orders/${returnedOrder.id}/shipments`,
      headers: { authorization: auth },
      payload: {},
    });
    expect(shipped.statusCode, shipped.body).toBe(201);
    const parcel = shipped.json<{ id: string; trackingNumber: string }>();
    const at = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
    const boundary = `----mcart${Date.now()}`;
    const csv = [
      'tracking_number,status,time,location',
      `${parcel.trackingNumber},in_transit,${at(-30)},Portland`,
      `${parcel.trackingNumber},returned_to_sender,${at(-10)},Portland`,
    ].join('\n');
    const imported = await testApp.app.inject({
      method: 'POST',
      url: '/api/admin/shipments/tracking-import',
      headers: { authorization: auth, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload:
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="tracking.csv"\r\n` +
        `Content-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`,
    });
    expect(imported.json()).toMatchObject({ applied: 2, rejected: [] });
    expect(await queued(returnedOrder.id)).toBeDefined();

    await page.goto(`${url}/admin/#/to-pack/${returnedOrder.id}`);
    await page.getByTestId('pick-list').waitFor();
    const hint = page.getByTestId('returned-hint');
    await hint.waitFor();
    expect(await hint.textContent()).toContain(`A parcel for this order came back (${parcel.trackingNumber}`);

    // Pre-filled from the order's address.
    await page.getByRole('button', { name: 'Ship to another address' }).click();
    await page.getByTestId('ship-to-form').waitFor();
    const line1 = addressInput('Address line 1');
    await expect.poll(() => line1.inputValue()).toBe('22 Acacia Avenue');
    expect(await addressInput('Name').inputValue()).toBe('Ann Example');
    expect(await addressInput('Postal code').inputValue()).toBe('97201');
    expect(await addressInput('Company').inputValue()).toBe('');
    await line1.fill('23 Acacia Avenue');
    await addressInput('Address line 2').fill('Back door');

    await page.getByTestId('scan-input').focus();
    await scan(skus[1]!);
    const create = page.getByRole('button', { name: 'Create shipment' });
    await expect.poll(() => create.isEnabled()).toBe(true);
    const sent = nextShipmentRequest();
    await create.click();
    expect((await sent).postDataJSON().shippingAddress).toEqual({
      ...ADDRESS,
      line1: '23 Acacia Avenue',
      line2: 'Back door',
    });
    await page.getByTestId('shipment-created').waitFor();

    const again = (await shipmentsOf(returnedOrder.id)).find((shipment) => shipment.id !== parcel.id);
    expect(again).toMatchObject({
      status: 'label_created',
      recipient: { ...ADDRESS, line1: '23 Acacia Avenue', line2: 'Back door' },
      lines: [{ sku: skus[1], quantity: 1 }],
    });
    expect(await queued(returnedOrder.id)).toBeUndefined();
  });
});
