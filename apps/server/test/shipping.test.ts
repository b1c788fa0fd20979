import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { staffToken, useTestApp } from './app.ts';
import { decodeQuotedPrintable, startSmtpServer } from './support/smtp.ts';
import { ADDRESS, orderFixtures } from './support/orders.ts';
import type { FastifyBaseLogger } from 'fastify';
import { isValidS10, makeS10 } from '../src/modules/shipping/tracking-number.ts';
import { BuiltinProvider } from '../src/modules/shipping/providers/builtin.ts';
import type { ShippingService } from '../src/modules/shipping/shipping.service.ts';
import { importTrackingCsv } from '../src/modules/shipping/tracking-import.ts';
import { signWebhook } from '../src/modules/shipping/webhook-signature.ts';
import { StaffService } from '../src/modules/identity/staff.service.ts';
import { OrdersService } from '../src/modules/orders/index.ts';

const SECRET = 'whsec_builtin_0123456789';
const smtp = await startSmtpServer();
afterAll(() => smtp.close());
const { app, config } = await useTestApp({
  SMTP_URL: smtp.url,
  SHIPPING_WEBHOOK_SECRETS: `builtin:${SECRET}`,
  PUBLIC_URL: 'https://shop.example.test',
});
const owner = await staffToken(app);
const fixtures = orderFixtures(app, config, owner);
const em = () => app.orm.em.fork() as EntityManager;

const post = (url: string, payload?: unknown, auth = owner) =>
  app.inject({
    method: 'POST',
    url,
    headers: { authorization: auth },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
const get = (url: string, auth = owner) =>
  app.inject({ method: 'GET', url, headers: { authorization: auth } });
const orderStatus = async (id: string) =>
  (await get(`/api/admin/orders/${id}`)).json<{ status: string }>().status;
const shipmentCount = async (orderId: string) =>
  (await get(`/api/admin/shipments?orderId=${orderId}`)).json<{ total: number }>().total;
const webhook = (body: unknown, signature?: string) =>
  app.inject({
    method: 'POST',
    url: '/api/webhooks/shipping/builtin',
    headers: { 'content-type': 'application/json', ...(signature ? { 'x-mcart-signature': signature } : {}) },
    payload: JSON.stringify(body),
  });
const signed = (body: unknown) => {
  const raw = JSON.stringify(body);
  return app.inject({
    method: 'POST',
    url: '/api/webhooks/shipping/builtin',
    headers: { 'content-type': 'application/json', 'x-mcart-signature': signWebhook(SECRET, raw) },
    payload: raw,
  });
};
const csvUpload = (csv: string | Buffer) => {
  const boundary = '----mcart' + Date.now();
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="tracking.csv"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
    Buffer.isBuffer(csv) ? csv : Buffer.from(csv),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return app.inject({
    method: 'POST',
    url: '/api/admin/shipments/tracking-import',
    headers: { authorization: owner, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: body,
  });
};
async function deliverMail() {
  await app.outbox.drain();
  await app.outbox.drain();
  await app.mailer.sendPending(em());
}

let product: Awaited<ReturnType<typeof fixtures.product>>;
let order: { id: string; number: string };
let lines: { id: string; variantId: string; quantity: number }[];
let first: { id: string; trackingNumber: string; status: string };
let second: { id: string; trackingNumber: string; status: string };

beforeAll(async () => {
  product = await fixtures.product([{ weightGrams: 400 }, { weightGrams: 300 }]);
  order = await fixtures.order([
    { variantId: product.variants[0]!.id, quantity: 2 },
    { variantId: product.variants[1]!.id, quantity: 1 },
  ]);
  const detail = (await get(`/api/admin/orders/${order.id}`)).json<{
    status: string;
    lines: { id: string; variantId: string; quantity: number }[];
  }>();
  expect(detail.status).toBe('paid');
  lines = detail.lines;
});

describe('creating shipments', () => {
  it('ships a whole order with no body, as the API contract has it, at the default weight when the variants have none', async () => {
    const weightless = await fixtures.product([{}]);
    const placed = await fixtures.order([{ variantId: weightless.variants[0]!.id, quantity: 2 }]);
    const response = await post(`/api/admin/orders/${placed.id}/shipments`);
    expect(response.statusCode, response.body).toBe(201);
    const created = response.json<{ id: string; trackingNumber: string; status: string }>();
    expect(created).toMatchObject({ status: 'label_created' });
    const shipment = (await get(`/api/admin/shipments/${created.id}`)).json<{ weightGrams: number }>();
    expect(shipment.weightGrams).toBe(config.shipping.defaultWeightGrams);
    expect(config.shipping.defaultWeightGrams).toBe(500);
  });

  it('ships part of a paid order and moves the order to processing', async () => {
    const response = await post(`/api/admin/orders/${order.id}/shipments`, {
      lines: [{ orderLineId: lines[0]!.id, quantity: 1 }],
    });
    expect(response.statusCode).toBe(201);
    first = response.json();
    expect(first.status).toBe('label_created');
    expect(isValidS10(first.trackingNumber)).toBe(true);
    expect(await orderStatus(order.id)).toBe('processing');
    const shipment = (await get(`/api/admin/shipments/${first.id}`)).json<{
      weightGrams: number;
      lines: { quantity: number; sku: string }[];
      recipient: { name: string };
      events: { status: string }[];
    }>();
    expect(shipment.weightGrams).toBe(400); // from the variant
    expect(shipment.lines).toEqual([expect.objectContaining({ quantity: 1, sku: product.variants[0]!.sku })]);
    expect(shipment.recipient.name).toBe(ADDRESS.name);
    expect(shipment.events.map((e) => e.status)).toEqual(['label_created']);
  });

  it('refuses more units than are left, writing nothing', async () => {
    const response = await post(`/api/admin/orders/${order.id}/shipments`, {
      lines: [{ orderLineId: lines[0]!.id, quantity: 2 }],
    });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({
      code: 'MCART_ERR_OVER_SHIPMENT',
      errors: [{ path: 'body/lines/0/quantity', message: 'only 1 of 2 left to ship' }],
    });
    expect(await shipmentCount(order.id)).toBe(1);
  });

  it('ships everything remaining when no lines are given, then has nothing left', async () => {
    const response = await post(`/api/admin/orders/${order.id}/shipments`, {
      package: { lengthMm: 400, widthMm: 300, heightMm: 200 },
    });
    expect(response.statusCode).toBe(201);
    second = response.json();
    const shipment = (await get(`/api/admin/shipments/${second.id}`)).json<{
      weightGrams: number;
      lengthMm: number;
      lines: { quantity: number }[];
    }>();
    expect(shipment.lines.map((l) => l.quantity).sort()).toEqual([1, 1]);
    expect(shipment.weightGrams).toBe(700);
    expect(shipment.lengthMm).toBe(400);
    const again = await post(`/api/admin/orders/${order.id}/shipments`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'MCART_ERR_NOTHING_TO_SHIP' });
  });

  it('never ships units that came back: what is left subtracts returned quantities', async () => {
    const returned = await fixtures.order([{ variantId: product.variants[0]!.id, quantity: 2 }]);
    const [line] = (await get(`/api/admin/orders/${returned.id}`)).json<{ lines: { id: string }[] }>().lines;
    // Units returned (and restocked) without a shipment, as returns could be recorded before they were capped
    // at what was shipped: they are back on the shelf, not to be sent.
    await em().execute(`UPDATE order_line SET returned_quantity = 1 WHERE id = ?`, [line!.id]);
    const over = await post(`/api/admin/orders/${returned.id}/shipments`, {
      lines: [{ orderLineId: line!.id, quantity: 2 }],
    });
    expect(over.statusCode).toBe(422);
    expect(over.json()).toMatchObject({
      errors: [{ path: 'body/lines/0/quantity', message: 'only 1 of 2 left to ship' }],
    });
    const rest = await post(`/api/admin/orders/${returned.id}/shipments`, {});
    expect(rest.statusCode, rest.body).toBe(201);
    const shipment = (await get(`/api/admin/shipments/${rest.json<{ id: string }>().id}`)).json<{
      lines: { quantity: number }[];
    }>();
    expect(shipment.lines).toEqual([expect.objectContaining({ quantity: 1 })]);
    // A returned unit that was shipped is not shipped again either.
    await em().execute(`UPDATE order_line SET returned_quantity = 2 WHERE id = ?`, [line!.id]);
    expect((await post(`/api/admin/orders/${returned.id}/shipments`, {})).json()).toMatchObject({
      code: 'MCART_ERR_NOTHING_TO_SHIP',
    });
    const queue = (await get('/api/admin/shipping/to-pack')).json<{ data: { orderId: string }[] }>();
    expect(queue.data.map((entry) => entry.orderId)).not.toContain(returned.id);
  });

  it('refuses unpaid orders', async () => {
    const unpaid = await fixtures.order([{ variantId: product.variants[0]!.id, quantity: 1 }], {
      pay: false,
    });
    const response = await post(`/api/admin/orders/${unpaid.id}/shipments`, {});
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'MCART_ERR_ORDER_NOT_SHIPPABLE' });
    expect(await shipmentCount(unpaid.id)).toBe(0);
  });

  it('refuses cancelled orders', async () => {
    const paid = await fixtures.order([{ variantId: product.variants[1]!.id, quantity: 1 }]);
    await new OrdersService(em(), app.cipher).transition(
      paid.id,
      'cancelled',
      { type: 'staff', id: null },
      'customer asked',
    );
    const response = await post(`/api/admin/orders/${paid.id}/shipments`, {});
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'MCART_ERR_ORDER_NOT_SHIPPABLE' });
    expect(await shipmentCount(paid.id)).toBe(0);
    expect(await orderStatus(paid.id)).toBe('cancelled');
  });

  it('refuses an address the label cannot fit (422), leaving the order untouched', async () => {
    const long = await fixtures.order([{ variantId: product.variants[0]!.id, quantity: 1 }], {
      address: {
        ...ADDRESS,
        line1: 'Building 7, Entrance C, Floor 12, Apartment 1204, Extraordinarily Long Boulevard 1234',
      },
    });
    const response = await post(`/api/admin/orders/${long.id}/shipments`, {});
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({
      code: 'MCART_ERR_LABEL_ADDRESS_TOO_LONG',
      errors: [{ path: 'shippingAddress/line1' }],
    });
    expect(await shipmentCount(long.id)).toBe(0);
    expect(await orderStatus(long.id)).toBe('paid');
  });

  it('needs shipping:write', async () => {
    await new StaffService(em()).create({
      email: 'support@mcart.test',
      password: 'support password 123',
      role: 'support',
    });
    const support = await staffToken(app, { email: 'support@mcart.test', password: 'support password 123' });
    expect((await post(`/api/admin/orders/${order.id}/shipments`, {}, support)).statusCode).toBe(403);
    expect((await get(`/api/admin/shipments/${first.id}`, support)).statusCode).toBe(200);
  });
});

describe('labels', () => {
  it('serves a PDF label whose barcode decodes to the tracking number, and ZPL', async () => {
    const pdf = await get(`/api/admin/shipments/${first.id}/label?format=pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const dir = mkdtempSync(join(tmpdir(), 'mcart-shipment-label-'));
    writeFileSync(join(dir, 'label.pdf'), pdf.rawPayload);
    execFileSync('pdftoppm', ['-r', '203', '-png', join(dir, 'label.pdf'), join(dir, 'page')]);
    const page = readdirSync(dir).find((name) => name.endsWith('.png'))!;
    expect(execFileSync('zbarimg', ['--raw', '-q', join(dir, page)], { encoding: 'utf8' }).trim()).toBe(
      first.trackingNumber,
    );

    const zpl = await get(`/api/admin/shipments/${first.id}/label?format=zpl`);
    expect(zpl.headers['content-type']).toContain('text/plain');
    expect(zpl.body).toContain(`^FD${first.trackingNumber}^FS`);
    expect(zpl.body).toContain(`Order ${order.number}`);
  });

  it('prints several labels as one PDF', async () => {
    const batch = await get(`/api/admin/shipments/labels?ids=${first.id}&ids=${second.id}&format=pdf`);
    expect(batch.statusCode).toBe(200);
    expect(batch.rawPayload.toString('latin1').match(/\/Type \/Page\b(?!s)/g)).toHaveLength(2);
  });

  it('voids a label before hand-over; the units can then ship again', async () => {
    const other = await fixtures.order([{ variantId: product.variants[1]!.id, quantity: 1 }]);
    const created = (await post(`/api/admin/orders/${other.id}/shipments`, {})).json<{ id: string }>();
    const voided = await post(`/api/admin/shipments/${created.id}/void`);
    expect(voided.statusCode, voided.body).toBe(200);
    expect(voided.json()).toMatchObject({ status: 'voided' });
    expect((await get(`/api/admin/shipments/${created.id}/label`)).json()).toMatchObject({
      code: 'MCART_ERR_LABEL_NOT_AVAILABLE',
    });
    expect((await post(`/api/admin/shipments/${created.id}/void`)).statusCode).toBe(409);
    expect((await post(`/api/admin/orders/${other.id}/shipments`, {})).statusCode).toBe(201);
  });

  it('two staff voiding one label at once: one voids it, the other is told it was voided meanwhile', async () => {
    const other = await fixtures.order([{ variantId: product.variants[1]!.id, quantity: 1 }]);
    const created = (await post(`/api/admin/orders/${other.id}/shipments`, {})).json<{ id: string }>();
    const answers = await Promise.all([
      post(`/api/admin/shipments/${created.id}/void`),
      post(`/api/admin/shipments/${created.id}/void`),
    ]);
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([200, 409]);
    // Before: "The shipment was handed over meanwhile", of a label nobody handed over. (Had the second come
    // after the first finished, it would read "The shipment is voided".)
    expect(answers.find((answer) => answer.statusCode === 409)!.json()).toMatchObject({
      code: 'MCART_ERR_LABEL_NOT_VOIDABLE',
      detail: expect.stringMatching(/voided/),
    });
  });
});

describe('to-pack queue', () => {
  it('lists paid orders with units left, oldest first, with their pick list', async () => {
    const waiting = await fixtures.order([{ variantId: product.variants[0]!.id, quantity: 3 }]);
    const response = await get('/api/admin/shipping/to-pack');
    expect(response.statusCode, response.body).toBe(200);
    const queue = response.json<{
      data: { orderId: string; lines: { sku: string; remaining: number }[] }[];
    }>();
    const ids = queue.data.map((entry) => entry.orderId);
    expect(ids).toContain(waiting.id);
    expect(ids).not.toContain(order.id); // fully in shipments
    expect(queue.data.find((entry) => entry.orderId === waiting.id)!.lines).toEqual([
      expect.objectContaining({ sku: product.variants[0]!.sku, remaining: 3 }),
    ]);
  });
});

/** Event times after the labels were created (the timeline is ordered by time). */
const at = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

describe('tracking', () => {
  const event = (id: string, trackingNumber: string, status: string, occurredAt: string) => ({
    events: [{ id, trackingNumber, status, occurredAt, location: 'Portland, OR' }],
  });

  it('refuses unsigned and badly signed webhooks with 400 and no effect', async () => {
    const body = event('evt-unsigned', first.trackingNumber, 'in_transit', at(1));
    expect((await webhook(body)).statusCode).toBe(400);
    const bad = await webhook(body, signWebhook('not-the-secret-000000', JSON.stringify(body)));
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'MCART_ERR_WEBHOOK_SIGNATURE' });
    expect((await get(`/api/admin/shipments/${first.id}`)).json()).toMatchObject({ status: 'label_created' });
  });

  it('applies a signed event once; a replay answers 200 with no second effect', async () => {
    const body = event('evt-1', first.trackingNumber, 'in_transit', at(1));
    const applied = await signed(body);
    expect(applied.statusCode).toBe(200);
    expect(applied.json()).toEqual({ received: 1, applied: 1, recorded: 0, duplicates: 0, unknown: 0 });
    const replay = await signed(body);
    expect(replay.json()).toEqual({ received: 1, applied: 0, recorded: 0, duplicates: 1, unknown: 0 });
    const shipment = (await get(`/api/admin/shipments/${first.id}`)).json<{
      status: string;
      events: { status: string }[];
      handedOverAt: string;
    }>();
    expect(shipment.status).toBe('in_transit');
    expect(shipment.events.map((e) => e.status)).toEqual(['label_created', 'in_transit']);
    expect(Date.parse(shipment.handedOverAt)).toBeGreaterThan(Date.now());
    // One parcel of two is on its way: the order is not fully shipped yet.
    expect(await orderStatus(order.id)).toBe('processing');
  });

  it('imports a CSV: good rows apply, bad rows are reported, and the order becomes shipped then delivered', async () => {
    const csv = [
      'tracking_number,status,time,location',
      `${second.trackingNumber},in_transit,${at(2)},Springfield`,
      `RR999999990US,delivered,${at(3)},Nowhere`,
      `${second.trackingNumber},teleported,${at(3)},Space`,
      `${first.trackingNumber},delivered,not a time,Portland`,
    ].join('\n');
    const report = await csvUpload(csv);
    expect(report.statusCode).toBe(200);
    expect(report.json()).toEqual({
      rows: 4,
      imported: 1,
      applied: 1,
      recorded: 0,
      duplicates: 0,
      notApplied: [],
      rejected: [
        { row: 3, field: 'tracking_number', reason: 'unknown tracking number', value: 'RR999999990US' },
        { row: 4, field: 'status', reason: 'unknown status', value: 'teleported' },
        { row: 5, field: 'time', reason: expect.stringContaining('unreadable time'), value: 'not a time' },
      ],
    });
    expect(await orderStatus(order.id)).toBe('shipped');

    const delivered = await csvUpload(
      ['order_number,status,time,location', `${order.number},delivered,${at(4)},Portland`, ''].join('\n'),
    );
    // The order has two parcels: an order number alone cannot say which one.
    expect(delivered.json()).toMatchObject({
      imported: 0,
      rejected: [{ row: 2, reason: 'the order has several shipments: give the tracking number' }],
    });
    const deliveredAt = at(4);
    const both = await csvUpload(
      [
        'tracking_number,status,time,location',
        `${first.trackingNumber},delivered,${deliveredAt},Portland`,
        `${second.trackingNumber},delivered,${at(5)},Portland`,
      ].join('\n'),
    );
    expect(both.json()).toMatchObject({ imported: 2, applied: 2, rejected: [], notApplied: [] });
    expect(await orderStatus(order.id)).toBe('delivered');
    // Importing the same file again changes nothing.
    const again = await csvUpload(
      [
        'tracking_number,status,time,location',
        `${first.trackingNumber},delivered,${deliveredAt},Portland`,
      ].join('\n'),
    );
    expect(again.json()).toMatchObject({ imported: 0, duplicates: 1 });
  });

  it('shows the public timeline by tracking number without personal data', async () => {
    const response = await app.inject(`/api/store/tracking/${first.trackingNumber}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ trackingNumber: first.trackingNumber, status: 'delivered' });
    expect(response.body).not.toContain(ADDRESS.name);
  });

  it('shows the shopper a tracking page at the e-mailed link: plain HTML, no personal data, clear when not found', async () => {
    const response = await app.inject(`/track/${first.trackingNumber.toLowerCase()}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).toContain('<h1>Delivered</h1>');
    expect(response.body).toContain(`tracking number ${first.trackingNumber}`);
    expect(response.body).toContain('Portland');
    expect(response.body).not.toContain('<script');
    expect(response.body).not.toContain(ADDRESS.name);
    expect(response.body).not.toContain(order.number);

    const unknown = await app.inject('/track/RR999999999ZZ');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(unknown.body).toContain('Parcel not found');
    const malformed = await app.inject(`/track/${encodeURIComponent('RR1<b>')}`);
    expect(malformed.statusCode).toBe(400);
    expect(malformed.body).toContain('only letters and digits');
    expect(malformed.body).not.toContain('<b>');
  });

  it('e-mails the customer: confirmation, shipped (with the tracking link) and delivered, once each', async () => {
    // Consumers catch up asynchronously (other transactions in the cluster can hold events back briefly):
    // deliver until the five expected e-mails are out, then check that nothing more comes.
    const mailsFor = () =>
      smtp.received.filter((m) => m.to.includes('ann@example.test') && m.raw.includes(order.number));
    const mine = () => mailsFor().map((m) => decodeQuotedPrintable(m.raw));
    const subject = (text: string) => mine().filter((m) => m.includes(`Subject: ${text}`));
    // Five about the parcels (the invoice comes by its own e-mail too, ADR 0049).
    const parcelMails = () =>
      subject(`Order ${order.number} confirmed`).length +
      subject(`Order ${order.number} has shipped`).length +
      subject(`Order ${order.number} was delivered`).length;
    for (let round = 0; round < 50 && parcelMails() < 5; round++) await deliverMail();
    await deliverMail();
    expect(subject(`Order ${order.number} confirmed`)).toHaveLength(1);
    const shipped = subject(`Order ${order.number} has shipped`);
    expect(shipped).toHaveLength(2); // one per parcel
    expect(shipped.some((m) => m.includes(`https://shop.example.test/track/${first.trackingNumber}`))).toBe(
      true,
    );
    expect(shipped.some((m) => m.includes(`https://shop.example.test/track/${second.trackingNumber}`))).toBe(
      true,
    );
    expect(subject(`Order ${order.number} was delivered`)).toHaveLength(2);
  });
});

describe('tracking times', () => {
  it('refuses times a database cannot hold or far ahead of ours, applying the other rows; webhooks alike', async () => {
    const placed = await fixtures.order([{ variantId: product.variants[0]!.id, quantity: 1 }], {
      email: 'times@example.test',
    });
    const created = await post(`/api/admin/orders/${placed.id}/shipments`, {});
    expect(created.statusCode, created.body).toBe(201);
    const parcel = created.json<{ id: string; trackingNumber: string }>();
    const report = await csvUpload(
      [
        'tracking_number,status,time',
        `${parcel.trackingNumber},in_transit,0000-01-01T00:00:00Z`,
        `${parcel.trackingNumber},in_transit,${new Date(Date.now() + 20 * 3600_000).toISOString()}`,
        `${parcel.trackingNumber},in_transit,1`,
        `${parcel.trackingNumber},in_transit,${at(-5)}`,
      ].join('\n'),
    );
    expect(report.statusCode).toBe(200);
    expect(report.json()).toMatchObject({
      imported: 1,
      rejected: [
        { row: 2, reason: 'time is before 2000' },
        { row: 3, reason: 'time is in the future' },
        { row: 4, reason: expect.stringMatching(/^unreadable time/) },
      ],
    });
    // Nothing from the far future blocks what comes next.
    const delivered = await csvUpload(
      ['tracking_number,status,time', `${parcel.trackingNumber},delivered,${at(-1)}`].join('\n'),
    );
    expect(delivered.json()).toMatchObject({ imported: 1, rejected: [] });
    expect((await get(`/api/admin/shipments/${parcel.id}`)).json()).toMatchObject({ status: 'delivered' });

    const ancient = await signed({
      events: [
        {
          id: 'evt-ancient',
          trackingNumber: parcel.trackingNumber,
          status: 'delivered',
          occurredAt: '-010000-01-01T00:00:00Z',
        },
      ],
    });
    expect(ancient.statusCode).toBe(400);
    expect(ancient.json()).toMatchObject({ code: 'MCART_ERR_WEBHOOK_PAYLOAD' });
  });
});

describe('tracking times that do not exist', () => {
  it("refuses February 30 and 25 o'clock instead of rolling them over to another day", async () => {
    const { parcel } = await oneParcel({ email: 'calendar@example.test' });
    const report = await csvUpload(
      [
        'tracking_number,status,time',
        `${parcel.trackingNumber},in_transit,2026-02-30T10:00:00Z`,
        `${parcel.trackingNumber},in_transit,2026-11-26T25:00:00Z`,
        `${parcel.trackingNumber},in_transit,2026-04-31T10:00:00+02:00`,
        `${parcel.trackingNumber},in_transit,2024-02-29T10:00:00Z`,
      ].join('\n'),
    );
    expect(report.json()).toMatchObject({
      imported: 1,
      rejected: [
        { row: 2, reason: 'no such date or time', value: '2026-02-30T10:00:00Z' },
        { row: 3, reason: 'no such date or time' },
        { row: 4, reason: 'no such date or time' },
      ],
    });
    const shipment = await timeline(parcel.id);
    expect(
      shipment.events.filter((event) => event.source === 'csv').map((event) => event.occurredAt),
    ).toEqual(['2024-02-29T10:00:00.000Z']);
  });
});

describe('bad input leaves nothing half-done', () => {
  let fresh: { id: string; number: string };
  let freshLines: { id: string; quantity: number }[];
  beforeAll(async () => {
    fresh = await fixtures.order(
      [
        { variantId: product.variants[0]!.id, quantity: 2 },
        { variantId: product.variants[1]!.id, quantity: 1 },
      ],
      { email: 'bad-input@example.test' },
    );
    freshLines = (await get(`/api/admin/orders/${fresh.id}`)).json<{
      lines: { id: string; quantity: number }[];
    }>().lines;
  });
  const untouched = async () => {
    expect(await shipmentCount(fresh.id)).toBe(0);
    expect(await orderStatus(fresh.id)).toBe('paid');
  };

  it('refuses more units than were ordered, even next to a valid line', async () => {
    const response = await post(`/api/admin/orders/${fresh.id}/shipments`, {
      lines: [
        { orderLineId: freshLines[0]!.id, quantity: 1 },
        { orderLineId: freshLines[1]!.id, quantity: 5 },
      ],
    });
    expect(response.statusCode).toBe(422);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({
      code: 'MCART_ERR_OVER_SHIPMENT',
      errors: [{ path: 'body/lines/1/quantity', message: 'only 1 of 1 left to ship' }],
    });
    await untouched();
  });

  it('refuses lines of another order, a line twice and zero units', async () => {
    const foreign = await post(`/api/admin/orders/${fresh.id}/shipments`, {
      lines: [{ orderLineId: lines[0]!.id, quantity: 1 }],
    });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json()).toMatchObject({
      code: 'MCART_ERR_VALIDATION',
      errors: [{ path: 'body/lines/0/orderLineId', message: 'is not a line of this order' }],
    });
    const twice = await post(`/api/admin/orders/${fresh.id}/shipments`, {
      lines: [
        { orderLineId: freshLines[0]!.id, quantity: 1 },
        { orderLineId: freshLines[0]!.id, quantity: 1 },
      ],
    });
    expect(twice.statusCode).toBe(400);
    expect(twice.json()).toMatchObject({
      errors: [{ path: 'body/lines/1/orderLineId', message: 'appears twice' }],
    });
    const zero = await post(`/api/admin/orders/${fresh.id}/shipments`, {
      lines: [{ orderLineId: freshLines[0]!.id, quantity: 0 }],
    });
    expect(zero.statusCode).toBe(400);
    expect(zero.json()).toMatchObject({ code: 'MCART_ERR_VALIDATION' });
    await untouched();
  });

  it('refuses an order that does not exist', async () => {
    const response = await post(`/api/admin/orders/${crypto.randomUUID()}/shipments`, {});
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'MCART_ERR_ORDER_NOT_FOUND' });
  });

  it('refuses tampered, stale and unknown-provider webhooks without any effect', async () => {
    const shipped = (await post(`/api/admin/orders/${fresh.id}/shipments`, {})).json<{
      id: string;
      trackingNumber: string;
    }>();
    const body = {
      events: [
        { id: 'evt-bad-1', trackingNumber: shipped.trackingNumber, status: 'delivered', occurredAt: at(1) },
      ],
    };
    const genuine = JSON.stringify(body);
    // Signed, then altered in transit.
    const tampered = await webhook(
      { events: [{ ...body.events[0], status: 'returned_to_sender' }] },
      signWebhook(SECRET, genuine),
    );
    expect(tampered.statusCode).toBe(400);
    expect(tampered.json()).toMatchObject({ code: 'MCART_ERR_WEBHOOK_SIGNATURE' });
    // Captured and replayed after the tolerance window.
    const stale = await webhook(body, signWebhook(SECRET, genuine, Math.floor(Date.now() / 1000) - 3600));
    expect(stale.json()).toMatchObject({ code: 'MCART_ERR_WEBHOOK_SIGNATURE' });
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/webhooks/shipping/no-such-carrier',
      headers: { 'content-type': 'application/json', 'x-mcart-signature': signWebhook(SECRET, genuine) },
      payload: genuine,
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'MCART_ERR_UNKNOWN_SHIPPING_PROVIDER' });
    // Signed but not an event batch: refused as a whole.
    const malformed = await signed({ events: [{ id: 'evt-bad-2', status: 'delivered' }] });
    expect(malformed.statusCode).toBe(400);

    const shipment = (await get(`/api/admin/shipments/${shipped.id}`)).json<{
      status: string;
      events: { status: string }[];
    }>();
    expect(shipment.status).toBe('label_created');
    expect(shipment.events.map((e) => e.status)).toEqual(['label_created']);
    expect(await orderStatus(fresh.id)).toBe('processing');
  });

  it('imports the good rows of a CSV and reports every rejected row', async () => {
    const [shipment] = (await get(`/api/admin/shipments?orderId=${fresh.id}`)).json<{
      data: { id: string; trackingNumber: string }[];
    }>().data;
    const report = await csvUpload(
      [
        'tracking_number,status,time,location',
        `RR000000000US,in_transit,${at(2)},Nowhere`,
        `${shipment!.trackingNumber},in_transit,${at(2)},Springfield`,
        `,in_transit,${at(2)},Nowhere`,
        `RR111111111US,delivered,${at(3)},Nowhere`,
      ].join('\n'),
    );
    expect(report.statusCode).toBe(200);
    const json = report.json<{
      rows: number;
      imported: number;
      rejected: { row: number; reason: string }[];
    }>();
    expect(json).toMatchObject({ rows: 4, imported: 1 });
    expect(json.rejected.map((r) => r.row)).toEqual([2, 4, 5]);
    expect(json.rejected[0]).toMatchObject({ reason: 'unknown tracking number', value: 'RR000000000US' });
    expect((await get(`/api/admin/shipments/${shipment!.id}`)).json()).toMatchObject({
      status: 'in_transit',
    });

    const notCsv = await csvUpload('');
    expect(notCsv.statusCode).toBe(400);
    expect(notCsv.json()).toMatchObject({ code: expect.stringMatching(/^MCART_ERR_/) });
  });
});

/** A fresh paid order of one unit, shipped in one parcel (label created). */
async function oneParcel(options: Parameters<typeof fixtures.order>[1] = {}) {
  const placed = await fixtures.order([{ variantId: product.variants[0]!.id, quantity: 1 }], options);
  const created = await post(`/api/admin/orders/${placed.id}/shipments`, {});
  expect(created.statusCode, created.body).toBe(201);
  return { order: placed, parcel: created.json<{ id: string; trackingNumber: string }>() };
}
const timeline = async (id: string) =>
  (await get(`/api/admin/shipments/${id}`)).json<{
    status: string;
    events: { status: string; occurredAt: string; location: string | null; source: string }[];
  }>();

describe('tracking under concurrency', () => {
  it('applies parallel webhooks for one parcel one after the other: none is acknowledged as unknown and lost', async () => {
    const { order: placed, parcel } = await oneParcel({ email: 'burst@example.test' });
    const base = Date.now() - 10 * 60_000;
    const bodies = Array.from({ length: 6 }, (_, i) => ({
      events: [
        {
          id: `evt-burst-${i}`,
          trackingNumber: parcel.trackingNumber,
          status: i === 5 ? 'delivered' : 'in_transit',
          occurredAt: new Date(base + i * 60_000).toISOString(),
          location: `Hub ${i}`,
        },
      ],
    }));
    const acks = (await Promise.all(bodies.map((body) => signed(body)))).map((response) => {
      expect(response.statusCode).toBe(200);
      return response.json<{ applied: number; recorded: number; duplicates: number; unknown: number }>();
    });
    expect(acks.reduce((sum, ack) => sum + ack.unknown + ack.duplicates, 0)).toBe(0);
    expect(acks.reduce((sum, ack) => sum + ack.applied + ack.recorded, 0)).toBe(6);
    const shipment = await timeline(parcel.id);
    expect(shipment.status).toBe('delivered');
    expect(
      shipment.events.filter((event) => event.source === 'webhook').map((event) => event.location),
    ).toEqual(['Hub 0', 'Hub 1', 'Hub 2', 'Hub 3', 'Hub 4', 'Hub 5']);
    expect(await orderStatus(placed.id)).toBe('delivered');
  });

  it('keeps an out-of-order event in the timeline without moving the parcel back, and says so', async () => {
    const { parcel } = await oneParcel({ email: 'late-scan@example.test' });
    const delivered = await signed({
      events: [
        { id: 'evt-ooo-2', trackingNumber: parcel.trackingNumber, status: 'delivered', occurredAt: at(2) },
      ],
    });
    expect(delivered.json()).toEqual({ received: 1, applied: 1, recorded: 0, duplicates: 0, unknown: 0 });
    const late = await signed({
      events: [
        { id: 'evt-ooo-1', trackingNumber: parcel.trackingNumber, status: 'in_transit', occurredAt: at(1) },
      ],
    });
    expect(late.json()).toEqual({ received: 1, applied: 0, recorded: 1, duplicates: 0, unknown: 0 });
    const shipment = await timeline(parcel.id);
    expect(shipment.status).toBe('delivered');
    expect(shipment.events.map((event) => event.status)).toEqual([
      'label_created',
      'in_transit',
      'delivered',
    ]);
  });
});

describe('tracking import report', () => {
  it('tells rows that moved a parcel from rows only kept in its timeline, with the reason', async () => {
    const { parcel } = await oneParcel({ email: 'report@example.test' });
    const deliveredAt = at(-2);
    const report = await csvUpload(
      [
        'tracking_number,status,time,location',
        `${parcel.trackingNumber},in_transit,${at(-10)},Springfield`,
        `${parcel.trackingNumber},delivered,${deliveredAt},Portland`,
        // A scan the carrier exported late: older than the delivery.
        `${parcel.trackingNumber},out_for_delivery,${at(-3)},Portland`,
        // After delivery nothing moves the parcel.
        `${parcel.trackingNumber},returned_to_sender,${at(-1)},Portland`,
      ].join('\n'),
    );
    expect(report.statusCode, report.body).toBe(200);
    expect(report.json()).toEqual({
      rows: 4,
      imported: 4,
      applied: 2,
      recorded: 2,
      duplicates: 0,
      rejected: [],
      notApplied: [
        {
          row: 4,
          reason: `older than the shipment's latest event (${deliveredAt}): kept in its timeline, status stays delivered`,
          value: parcel.trackingNumber,
        },
        {
          row: 5,
          reason: 'the shipment is delivered; returned_to_sender cannot follow: kept in its timeline only',
          value: parcel.trackingNumber,
        },
      ],
    });
    expect((await timeline(parcel.id)).status).toBe('delivered');
  });

  it('reads semicolon-separated Windows-1252 files from European Excel, CRLF and quoted fields included', async () => {
    const { parcel } = await oneParcel({ email: 'excel@example.test' });
    const time = at(-4);
    const file = Buffer.from(
      `"Tracking number";"Status";"Time";"Location"\r\n"${parcel.trackingNumber}";"In transit";"${time}";"Köln; Hbf"\r\n`,
      'latin1',
    );
    const report = await csvUpload(file);
    expect(report.statusCode, report.body).toBe(200);
    expect(report.json()).toMatchObject({ rows: 1, imported: 1, applied: 1, rejected: [] });
    const tabs = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(
        `tracking_number\tstatus\ttime\tlocation\r\n${parcel.trackingNumber}\tout_for_delivery\t${at(-3)}\tMünchen\r\n`,
        'utf16le',
      ),
    ]);
    expect((await csvUpload(tabs)).json()).toMatchObject({ rows: 1, imported: 1, applied: 1, rejected: [] });
    const shipment = await timeline(parcel.id);
    expect(shipment.status).toBe('out_for_delivery');
    expect(shipment.events.filter((event) => event.source === 'csv').map((event) => event.location)).toEqual([
      'Köln; Hbf',
      'München',
    ]);
  });
});

describe('label addresses', () => {
  const zplOf = async (id: string) => (await get(`/api/admin/shipments/${id}/label?format=zpl`)).body;

  it('prints typographic apostrophes, dashes and decomposed accents as the plain characters they stand for', async () => {
    const { parcel } = await oneParcel({
      email: 'obrien@example.test',
      address: {
        ...ADDRESS,
        name: 'Siobha\u0301n O\u2019Brien', // "á" typed as a + combining accent, a phone's apostrophe
        line1: 'St Mary\u2019s Road \u2013 Flat 2',
      },
    });
    const zpl = await zplOf(parcel.id);
    expect(zpl).toContain("^FDSiobhán O'Brien^FS");
    expect(zpl).toContain("^FDSt Mary's Road - Flat 2^FS");
    const pdf = await get(`/api/admin/shipments/${parcel.id}/label?format=pdf`);
    expect(pdf.statusCode).toBe(200);
    const dir = mkdtempSync(join(tmpdir(), 'mcart-label-text-'));
    writeFileSync(join(dir, 'label.pdf'), pdf.rawPayload);
    const text = execFileSync('pdftotext', [join(dir, 'label.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain("Siobhán O'Brien");
    expect(text).toContain("St Mary's Road - Flat 2");
  });

  it('names the characters a label cannot print, and ships once staff write the address for the label', async () => {
    const { region: _state, ...american } = ADDRESS;
    const polish = { ...american, name: 'Łukasz Żak', city: 'Łódź', postalCode: '90-001', country: 'PL' };
    const placed = await fixtures.order([{ variantId: product.variants[0]!.id, quantity: 1 }], {
      email: 'lukasz@example.test',
      address: polish,
    });
    const refused = await post(`/api/admin/orders/${placed.id}/shipments`, {});
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({
      code: 'MCART_ERR_LABEL_ADDRESS_TOO_LONG',
      errors: [
        { path: 'shippingAddress/name', message: 'has characters the label printer cannot print (Ł Ż)' },
        { path: 'shippingAddress/city', message: 'has characters the label printer cannot print (Ł ź)' },
      ],
    });
    // What staff write must fit too.
    const stillBad = await post(`/api/admin/orders/${placed.id}/shipments`, {
      shippingAddress: { ...polish, name: 'Lukasz Zak' },
    });
    expect(stillBad.statusCode).toBe(422);
    expect(stillBad.json()).toMatchObject({ errors: [{ path: 'shippingAddress/city' }] });
    // Rewritten, never redirected to another country.
    const abroad = await post(`/api/admin/orders/${placed.id}/shipments`, {
      shippingAddress: { ...polish, name: 'Lukasz Zak', city: 'Berlin', postalCode: '10115', country: 'DE' },
    });
    expect(abroad.statusCode).toBe(400);
    expect(abroad.json()).toMatchObject({
      code: 'MCART_ERR_VALIDATION',
      errors: [{ path: 'body/shippingAddress/country', message: "must be the order's country (PL)" }],
    });
    expect(await shipmentCount(placed.id)).toBe(0);

    const label = { ...polish, name: 'Lukasz Zak', city: 'Lodz', country: 'pl' };
    const created = await post(`/api/admin/orders/${placed.id}/shipments`, { shippingAddress: label });
    expect(created.statusCode, created.body).toBe(201);
    const shipment = (await get(`/api/admin/shipments/${created.json<{ id: string }>().id}`)).json<{
      recipient: unknown;
    }>();
    expect(shipment.recipient).toEqual({ ...label, country: 'PL' });
    const zpl = await zplOf(created.json<{ id: string }>().id);
    expect(zpl).toContain('^FDLukasz Zak^FS');
    expect(zpl).toContain('^FD90-001 Lodz^FS');
    // The order keeps the customer's own address.
    expect(
      (await get(`/api/admin/orders/${placed.id}`)).json<{ shippingAddress: { city: string } }>()
        .shippingAddress.city,
    ).toBe('Łódź');
  });

  it("refuses a label address staff left blank or wrote over several lines, as the checkout's", async () => {
    const placed = await fixtures.order([{ variantId: product.variants[0]!.id, quantity: 1 }], {
      email: 'blank-label@example.test',
    });
    // Before, this bought a label whose "ship to" held only the country.
    const blank = await post(`/api/admin/orders/${placed.id}/shipments`, {
      shippingAddress: { name: '   ', line1: ' ', city: 'Portland', postalCode: '\t', country: 'US' },
    });
    expect(blank.statusCode).toBe(400);
    expect(blank.json()).toMatchObject({
      code: 'MCART_ERR_VALIDATION',
      errors: expect.arrayContaining([
        expect.objectContaining({ path: 'body/shippingAddress/name' }),
        expect.objectContaining({ path: 'body/shippingAddress/line1' }),
        expect.objectContaining({ path: 'body/shippingAddress/postalCode' }),
      ]),
    });
    const twoLines = await post(`/api/admin/orders/${placed.id}/shipments`, {
      shippingAddress: { ...ADDRESS, line2: 'Flat 2\nDeliver to the neighbour' },
    });
    expect(twoLines.statusCode).toBe(400);
    expect(twoLines.json()).toMatchObject({ errors: [{ path: 'body/shippingAddress/line2' }] });
    expect(await shipmentCount(placed.id)).toBe(0);
    // Blank optional lines are left out, as at checkout.
    const created = await post(`/api/admin/orders/${placed.id}/shipments`, {
      shippingAddress: { ...ADDRESS, company: ' ', line2: '' },
    });
    expect(created.statusCode, created.body).toBe(201);
  });

  it('prints the company under the name and the state on the city line: "Springfield, IL 62701"', async () => {
    const { parcel } = await oneParcel({
      email: 'homer@example.test',
      address: {
        name: 'Homer Simpson',
        company: 'Springfield Nuclear Plant',
        line1: '742 Evergreen Terrace',
        city: 'Springfield',
        region: 'il',
        postalCode: '62701',
        country: 'US',
      },
    });
    const shipment = (await get(`/api/admin/shipments/${parcel.id}`)).json<{ recipient: unknown }>();
    expect(shipment.recipient).toMatchObject({ company: 'Springfield Nuclear Plant', region: 'IL' });
    const zpl = await zplOf(parcel.id);
    const shipTo = zpl.slice(zpl.indexOf('SHIP TO'));
    expect(shipTo.match(/\^FD([^^]*)\^FS/g)!.slice(0, 5)).toEqual([
      '^FDHomer Simpson^FS',
      '^FDSpringfield Nuclear Plant^FS',
      '^FD742 Evergreen Terrace^FS',
      '^FDSpringfield, IL 62701^FS',
      '^FDUS^FS',
    ]);
    const text = pdfText((await get(`/api/admin/shipments/${parcel.id}/label?format=pdf`)).rawPayload);
    expect(text).toMatch(
      /Homer Simpson\s+Springfield Nuclear Plant\s+742 Evergreen Terrace\s+Springfield, IL 62701\s+US/,
    );
  });

  it('still prints the label of an order placed before addresses had a region', async () => {
    const placed = await fixtures.order([{ variantId: product.variants[0]!.id, quantity: 1 }], {
      email: 'legacy-label@example.test',
    });
    // Sealed as orders were before ADR 0047: a US address without its state.
    const { region: _state, ...legacy } = ADDRESS;
    await em().execute(`UPDATE orders SET shipping_address = ? WHERE id = ?`, [
      app.cipher.encryptJson(legacy),
      placed.id,
    ]);
    expect((await get(`/api/admin/orders/${placed.id}`)).json()).toMatchObject({ shippingAddress: legacy });
    const created = await post(`/api/admin/orders/${placed.id}/shipments`, {});
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ id: string }>().id;
    expect((await get(`/api/admin/shipments/${id}`)).json<{ recipient: unknown }>().recipient).toEqual(
      legacy,
    );
    expect(await zplOf(id)).toContain('^FDPortland 97201^FS');
    expect(pdfText((await get(`/api/admin/shipments/${id}/label?format=pdf`)).rawPayload)).toContain(
      'Portland 97201',
    );
  });

  it("holds staff's label address to the checkout's rules: a US state is its 2-letter code", async () => {
    const placed = await fixtures.order([{ variantId: product.variants[0]!.id, quantity: 1 }], {
      email: 'label-state@example.test',
    });
    const wrong = await post(`/api/admin/orders/${placed.id}/shipments`, {
      shippingAddress: { ...ADDRESS, region: 'Oregon' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({
      code: 'MCART_ERR_VALIDATION',
      errors: [
        { path: 'body/shippingAddress/region', message: 'must be a 2-letter US state code (e.g. IL)' },
      ],
    });
    expect(await shipmentCount(placed.id)).toBe(0);
  });
});

const pdfText = (pdf: Buffer) => {
  const dir = mkdtempSync(join(tmpdir(), 'mcart-label-text-'));
  writeFileSync(join(dir, 'label.pdf'), pdf);
  return execFileSync('pdftotext', [join(dir, 'label.pdf'), '-'], { encoding: 'utf8' });
};
const inHand = async (variantId: string) =>
  (await get(`/api/admin/inventory/levels?variantId=${variantId}`)).json<{
    data: { onHand: number; reserved: number }[];
  }>().data[0]!;

describe('parcels returned to sender', () => {
  const zplOf = async (id: string) => (await get(`/api/admin/shipments/${id}/label?format=zpl`)).body;
  const tracked = (id: string, trackingNumber: string, status: string, occurredAt: string) =>
    signed({ events: [{ id, trackingNumber, status, occurredAt, location: 'Portland, OR' }] });
  interface Detail {
    status: string;
    lines: { id: string; quantity: number }[];
    timeline: { kind: string; fromStatus: string | null; toStatus: string | null; message: string | null }[];
  }
  const detail = async (id: string) => (await get(`/api/admin/orders/${id}`)).json<Detail>();
  /** Units per order line in the order's shipments that are out (not voided, not returned to sender). */
  const unitsOut = async (orderId: string) => {
    const list = (await get(`/api/admin/shipments?orderId=${orderId}&perPage=100`)).json<{
      data: { id: string; status: string }[];
    }>().data;
    const out = new Map<string, number>();
    for (const summary of list.filter((s) => !['voided', 'returned_to_sender'].includes(s.status))) {
      const shipment = (await get(`/api/admin/shipments/${summary.id}`)).json<{
        lines: { orderLineId: string; quantity: number }[];
      }>();
      for (const line of shipment.lines)
        out.set(line.orderLineId, (out.get(line.orderLineId) ?? 0) + line.quantity);
    }
    return out;
  };

  it('puts the units of a returned parcel back to ship: the order goes back to processing, says so, and ships again to a corrected address', async () => {
    const placed = await fixtures.order(
      [
        { variantId: product.variants[0]!.id, quantity: 2 },
        { variantId: product.variants[1]!.id, quantity: 1 },
      ],
      { email: 'rts@example.test' },
    );
    const orderLines = (await detail(placed.id)).lines;
    const created = await post(`/api/admin/orders/${placed.id}/shipments`, {});
    expect(created.statusCode, created.body).toBe(201);
    const parcel = created.json<{ id: string; trackingNumber: string }>();
    expect((await tracked('evt-rts-out', parcel.trackingNumber, 'in_transit', at(1))).json()).toMatchObject({
      applied: 1,
    });
    expect(await orderStatus(placed.id)).toBe('shipped');
    expect((await post(`/api/admin/orders/${placed.id}/shipments`, {})).json()).toMatchObject({
      code: 'MCART_ERR_ORDER_NOT_SHIPPABLE',
    });
    const stock = [await inHand(product.variants[0]!.id), await inHand(product.variants[1]!.id)];

    // The carrier brings the parcel back (address unknown).
    const back = await tracked('evt-rts-back', parcel.trackingNumber, 'returned_to_sender', at(2));
    expect(back.json()).toMatchObject({ applied: 1 });
    expect((await get(`/api/admin/shipments/${parcel.id}`)).json()).toMatchObject({
      status: 'returned_to_sender',
    });
    const reopened = await detail(placed.id);
    expect(reopened.status).toBe('processing');
    expect(reopened.timeline.at(-1)).toMatchObject({
      kind: 'return',
      fromStatus: 'shipped',
      toStatus: 'processing',
      message: `Parcel ${parcel.trackingNumber} returned to sender: 3 item(s) back in the warehouse, to ship again`,
    });
    // A replayed event has no second effect.
    expect(
      (await tracked('evt-rts-back', parcel.trackingNumber, 'returned_to_sender', at(2))).json(),
    ).toMatchObject({ duplicates: 1 });
    expect((await detail(placed.id)).timeline).toHaveLength(reopened.timeline.length);
    // The goods are the order's, to be sent again: nothing goes back to stock.
    expect([await inHand(product.variants[0]!.id), await inHand(product.variants[1]!.id)]).toEqual(stock);
    // The warehouse's queue offers the whole order again.
    const queue = (await get('/api/admin/shipping/to-pack?limit=200')).json<{
      data: { orderId: string; lines: { orderLineId: string; remaining: number }[] }[];
    }>();
    expect(queue.data.find((entry) => entry.orderId === placed.id)?.lines).toEqual([
      expect.objectContaining({ orderLineId: orderLines[0]!.id, remaining: 2 }),
      expect.objectContaining({ orderLineId: orderLines[1]!.id, remaining: 1 }),
    ]);

    // Staff ship again, never more than was ordered, to the address they corrected.
    const over = await post(`/api/admin/orders/${placed.id}/shipments`, {
      lines: [{ orderLineId: orderLines[0]!.id, quantity: 3 }],
    });
    expect(over.statusCode).toBe(422);
    expect(over.json()).toMatchObject({
      errors: [{ path: 'body/lines/0/quantity', message: 'only 2 of 2 left to ship' }],
    });
    const corrected = { ...ADDRESS, company: 'Acme Returns', line1: '23 Acacia Avenue', region: 'or' };
    const again = await post(`/api/admin/orders/${placed.id}/shipments`, { shippingAddress: corrected });
    expect(again.statusCode, again.body).toBe(201);
    const resent = again.json<{ id: string; trackingNumber: string }>();
    expect(resent.trackingNumber).not.toBe(parcel.trackingNumber);
    expect((await get(`/api/admin/shipments/${resent.id}`)).json()).toMatchObject({
      recipient: { ...corrected, region: 'OR' },
      lines: [{ quantity: 2 }, { quantity: 1 }],
    });
    expect(await zplOf(resent.id)).toContain('^FDPortland, OR 97201^FS');
    expect((await post(`/api/admin/orders/${placed.id}/shipments`, {})).json()).toMatchObject({
      code: 'MCART_ERR_NOTHING_TO_SHIP',
    });
    expect(await unitsOut(placed.id)).toEqual(
      new Map([
        [orderLines[0]!.id, 2],
        [orderLines[1]!.id, 1],
      ]),
    );
    // The returned parcel's label stays printable (its history), and the new parcel takes the order on.
    expect((await get(`/api/admin/shipments/${parcel.id}/label?format=zpl`)).statusCode).toBe(200);
    expect((await tracked('evt-rts-out-2', resent.trackingNumber, 'in_transit', at(3))).json()).toMatchObject(
      {
        applied: 1,
      },
    );
    expect(await orderStatus(placed.id)).toBe('shipped');
    await tracked('evt-rts-delivered-2', resent.trackingNumber, 'delivered', at(4));
    expect(await orderStatus(placed.id)).toBe('delivered');
  });

  it('takes back only the returned parcel\'s units (CSV "returned"); the delivered parcel keeps the order from being cancelled', async () => {
    const placed = await fixtures.order(
      [
        { variantId: product.variants[0]!.id, quantity: 2 },
        { variantId: product.variants[1]!.id, quantity: 1 },
      ],
      { email: 'rts-partial@example.test' },
    );
    const [first, second] = (await detail(placed.id)).lines;
    const ship = async (line: { id: string }, quantity: number) => {
      const response = await post(`/api/admin/orders/${placed.id}/shipments`, {
        lines: [{ orderLineId: line.id, quantity }],
      });
      expect(response.statusCode, response.body).toBe(201);
      return response.json<{ id: string; trackingNumber: string }>();
    };
    const big = await ship(first!, 2);
    const small = await ship(second!, 1);
    const report = await csvUpload(
      [
        'tracking_number,status,time,location',
        `${big.trackingNumber},in_transit,${at(1)},Portland`,
        `${small.trackingNumber},in_transit,${at(1)},Portland`,
        `${small.trackingNumber},delivered,${at(2)},Portland`,
        `${big.trackingNumber},returned,${at(3)},Portland`,
      ].join('\n'),
    );
    expect(report.json()).toMatchObject({ applied: 4, rejected: [], notApplied: [] });
    const reopened = await detail(placed.id);
    expect(reopened.status).toBe('processing');
    expect(reopened.timeline.at(-1)).toMatchObject({
      kind: 'return',
      message: `Parcel ${big.trackingNumber} returned to sender: 2 item(s) back in the warehouse, to ship again`,
    });
    const over = await post(`/api/admin/orders/${placed.id}/shipments`, {
      lines: [{ orderLineId: second!.id, quantity: 1 }],
    });
    expect(over.json()).toMatchObject({
      errors: [{ path: 'body/lines/0/quantity', message: 'only 0 of 1 left to ship' }],
    });
    // The delivered parcel is with the customer: no cancelling (a return and a refund instead).
    const cancel = await post(`/api/admin/orders/${placed.id}/cancel`, {});
    expect(cancel.statusCode).toBe(409);
    expect(cancel.json()).toMatchObject({ code: 'MCART_ERR_ILLEGAL_TRANSITION' });
    const resent = await post(`/api/admin/orders/${placed.id}/shipments`, {});
    expect(resent.statusCode, resent.body).toBe(201);
    expect(await unitsOut(placed.id)).toEqual(
      new Map([
        [first!.id, 2],
        [second!.id, 1],
      ]),
    );
  });

  it('does not e-mail "has shipped" for a parcel whose first news is its return; the parcel sent again does', async () => {
    const placed = await fixtures.order([{ variantId: product.variants[0]!.id, quantity: 1 }], {
      email: 'rts-mail@example.test',
    });
    const parcel = (await post(`/api/admin/orders/${placed.id}/shipments`, {})).json<{
      trackingNumber: string;
    }>();
    // A weekly CSV only has the parcel's last status: it went out and came back.
    const report = await csvUpload(
      ['tracking_number,status,time,location', `${parcel.trackingNumber},returned,${at(1)},Portland`].join(
        '\n',
      ),
    );
    expect(report.json()).toMatchObject({ applied: 1, rejected: [] });
    expect(await orderStatus(placed.id)).toBe('processing');
    const again = (await post(`/api/admin/orders/${placed.id}/shipments`, {})).json<{
      trackingNumber: string;
    }>();
    await tracked('evt-rts-mail-out', again.trackingNumber, 'in_transit', at(2));
    const mailsFor = () =>
      smtp.received
        .filter((m) => m.to.includes('rts-mail@example.test'))
        .map((m) => decodeQuotedPrintable(m.raw));
    const shippedMails = () =>
      mailsFor().filter((m) => m.includes(`Subject: Order ${placed.number} has shipped`));
    for (let round = 0; round < 50 && shippedMails().length < 1; round++) await deliverMail();
    await deliverMail();
    const shipped = shippedMails();
    expect(shipped).toHaveLength(1);
    expect(shipped[0]).toContain(again.trackingNumber);
    expect(shipped[0]).not.toContain(parcel.trackingNumber);
  });

  it('lets staff cancel an order whose only parcel came back: its goods go back to stock', async () => {
    const variantId = product.variants[1]!.id;
    const placed = await fixtures.order([{ variantId, quantity: 1 }], { email: 'rts-cancel@example.test' });
    const created = await post(`/api/admin/orders/${placed.id}/shipments`, {});
    const parcel = created.json<{ id: string; trackingNumber: string }>();
    await tracked('evt-rts-cancel-out', parcel.trackingNumber, 'in_transit', at(1));
    expect(await orderStatus(placed.id)).toBe('shipped');
    expect((await post(`/api/admin/orders/${placed.id}/cancel`, {})).statusCode).toBe(409);
    await tracked('evt-rts-cancel-back', parcel.trackingNumber, 'returned_to_sender', at(2));
    expect(await orderStatus(placed.id)).toBe('processing');
    const before = await inHand(variantId);
    const cancelled = await post(`/api/admin/orders/${placed.id}/cancel`, { reason: 'moved away' });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled' });
    expect((await inHand(variantId)).onHand).toBe(before.onHand + 1);
  });
});

describe('tracking import, row by row', () => {
  it('refuses a row with a NUL or another control character, and imports the rows after it', async () => {
    const parcels = [];
    for (const email of ['nul-1@example.test', 'nul-2@example.test', 'nul-3@example.test'])
      parcels.push((await oneParcel({ email })).parcel);
    const [a, b, c] = parcels;
    const report = await csvUpload(
      [
        'tracking_number,status,time,location',
        `${a!.trackingNumber},in_transit,${at(-30)},Depot`,
        `${b!.trackingNumber},in_transit,${at(-30)},Dep\u0000ot`,
        `${c!.trackingNumber},in_transit\u0007,${at(-30)},Depot`,
        `${c!.trackingNumber},in_transit,${at(-29)},Depot`,
      ].join('\n'),
    );
    expect(report.statusCode, report.body).toBe(200);
    expect(report.json()).toMatchObject({
      rows: 4,
      imported: 2,
      applied: 2,
      rejected: [
        { row: 3, reason: 'control character U+0000 in column "location"', value: 'Dep\ufffdot' },
        { row: 4, reason: 'control character U+0007 in column "status"', value: 'in_transit\ufffd' },
      ],
    });
    expect((await timeline(a!.id)).status).toBe('in_transit');
    expect((await timeline(b!.id)).events.map((event) => event.status)).toEqual(['label_created']);
    expect((await timeline(c!.id)).status).toBe('in_transit');
  });

  it('names each row by the line of the file it starts on: cells over several lines, blank lines, CRLF', async () => {
    const { parcel } = await oneParcel({ email: 'lines@example.test' });
    const n = parcel.trackingNumber;
    const csv = [
      'tracking_number,status,time,location', // 1
      `${n},in_transit,${at(-20)},"Depot`, // 2
      'Hall 2"', // 3
      '', // 4
      '   ', // 5
      `${n},teleported,${at(-20)},Depot`, // 6
      `${n},in_transit,${at(-19)},"Dock\r\nGate 4\r\nBay 9"`, // 7-9
      `${n},beamed,${at(-19)},Depot`, // 10
    ].join('\r\n');
    const report = await csvUpload(csv);
    expect(report.statusCode, report.body).toBe(200);
    expect(report.json()).toMatchObject({
      rows: 4,
      imported: 2,
      rejected: [
        { row: 6, reason: 'unknown status', value: 'teleported' },
        { row: 10, reason: 'unknown status', value: 'beamed' },
      ],
    });
    // A file starting with a byte order mark (Excel's "CSV UTF-8") counts its lines the same way.
    const bom = await csvUpload(
      Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from(['tracking_number,status,time', '', `${n},lost,${at(-18)}`].join('\n')),
      ]),
    );
    expect(bom.json()).toMatchObject({ rejected: [{ row: 3, reason: 'unknown status' }] });
  });

  it('reports a row that fails unexpectedly, logs why, and goes on; repeated failures stop the rest', async () => {
    const parcels = [];
    for (const email of ['boom-1@example.test', 'boom-2@example.test'])
      parcels.push((await oneParcel({ email })).parcel);
    const [good, bad] = parcels;
    const logged: unknown[] = [];
    const log = { error: (...args: unknown[]) => void logged.push(args) } as unknown as FastifyBaseLogger;
    const failingFor = (ids: Set<string>, error: () => Error = () => new TypeError('a bug in one row')) =>
      ({
        applyTracking: async (ref: { id: string }, update: { status: string }) => {
          if (ids.has(ref.id)) throw error();
          return { outcome: 'applied', shipmentId: ref.id, status: update.status };
        },
      }) as unknown as ShippingService;
    const rows = (numbers: string[]) =>
      Buffer.from(
        ['tracking_number,status,time', ...numbers.map((n, i) => `${n},in_transit,${at(-10 + i)}`)].join(
          '\n',
        ),
      );

    const report = await importTrackingCsv(
      rows([bad!.trackingNumber, good!.trackingNumber]),
      em(),
      failingFor(new Set([bad!.id])),
      log,
    );
    expect(report).toMatchObject({
      rows: 2,
      imported: 1,
      applied: 1,
      rejected: [{ row: 2, reason: 'could not be imported because of a server error (logged)' }],
    });
    expect(logged).toEqual([
      [{ err: expect.any(TypeError), row: 2 }, 'tracking import: a row failed unexpectedly'],
    ]);

    // A value the database refuses is the row's fault: said in the report, nothing to log.
    logged.length = 0;
    const refused = await importTrackingCsv(
      rows([bad!.trackingNumber, good!.trackingNumber]),
      em(),
      failingFor(new Set([bad!.id]), () => Object.assign(new Error('value too long'), { sqlState: '22003' })),
      log,
    );
    expect(refused.rejected).toEqual([
      { row: 2, reason: 'A value is out of range or not in a form that can be stored' },
    ]);
    expect(logged).toEqual([]);

    // The database gone: five failures in a row, then the rest is not tried (and not logged 5000 times).
    logged.length = 0;
    const down = await importTrackingCsv(
      rows(Array.from({ length: 8 }, () => bad!.trackingNumber)),
      em(),
      failingFor(new Set([bad!.id])),
      log,
    );
    expect(logged).toHaveLength(5);
    expect(down.rejected.map((note) => note.row)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(down.rejected.slice(5).every((note) => note.reason.startsWith('not tried'))).toBe(true);
  });

  it('answers a file over 2 MB with 413, and an upload cut short with 400 "incomplete"', async () => {
    const upload = (content: Buffer, close: boolean) => {
      const boundary = '----mcart-cut' + Date.now();
      return app.inject({
        method: 'POST',
        url: '/api/admin/shipments/tracking-import',
        headers: { authorization: owner, 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload: Buffer.concat([
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="t.csv"\r\nContent-Type: text/csv\r\n\r\n`,
          ),
          content,
          Buffer.from(close ? `\r\n--${boundary}--\r\n` : ''),
        ]),
      });
    };
    const tooLarge = await upload(Buffer.alloc(2 * 1024 * 1024 + 1, 'a'), true);
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.headers['content-type']).toContain('application/problem+json');
    expect(tooLarge.json()).toMatchObject({ code: 'MCART_ERR_CSV_TOO_LARGE', status: 413 });
    const cutShort = await upload(
      Buffer.from('tracking_number,status,time\nX,in_transit,2026-01-01T00:00:00Z'),
      false,
    );
    expect(cutShort.statusCode).toBe(400);
    expect(cutShort.json()).toMatchObject({
      code: 'MCART_ERR_CSV_INVALID',
      detail: expect.stringMatching(/upload is incomplete/),
    });
  });
});

describe('tracking numbers', () => {
  it('are drawn at random: the next parcel’s number does not follow from one’s own', async () => {
    const serials: number[] = [];
    let last = '';
    for (let i = 0; i < 4; i++) {
      const { parcel } = await oneParcel({ email: `serial-${i}@example.test` });
      expect(isValidS10(parcel.trackingNumber)).toBe(true);
      serials.push(Number(parcel.trackingNumber.slice(2, 10)));
      last = parcel.trackingNumber;
    }
    // Sequential numbers differ by one; four random draws out of 10^8 essentially never do.
    expect(serials.slice(1).filter((serial, i) => Math.abs(serial - serials[i]!) <= 1)).toEqual([]);
    // A guess next to one's own number finds nothing.
    const guessed = makeS10(last.slice(0, 2), (serials[3]! + 1) % 100_000_000, last.slice(-2));
    expect((await app.inject(`/api/store/tracking/${guessed}`)).statusCode).toBe(404);
  });

  it('draws again when a number is taken, and gives up with an error rather than reusing one', async () => {
    const taken = new Set([makeS10('RR', 12345678, 'US'), makeS10('RR', 23456789, 'US')]);
    const draws = [12345678, 23456789, 34567890];
    const provider = new BuiltinProvider({
      carrier: 'Test Post',
      prefix: 'RR',
      originCountry: 'US',
      currency: 'USD',
      trackingUrl: 'https://shop.example.test/track/{trackingNumber}',
      isTaken: async (number) => taken.has(number),
      randomSerial: () => draws.shift()!,
    });
    const input = {
      reference: crypto.randomUUID(),
      orderNumber: 'MC-1',
      from: ADDRESS,
      to: ADDRESS,
      parcel: { weightGrams: 100, lengthMm: 100, widthMm: 100, heightMm: 100 },
    };
    expect((await provider.createShipment(input)).trackingNumber).toBe(makeS10('RR', 34567890, 'US'));
    const full = new BuiltinProvider({
      carrier: 'Test Post',
      prefix: 'RR',
      originCountry: 'US',
      currency: 'USD',
      trackingUrl: 'https://shop.example.test/track/{trackingNumber}',
      isTaken: async () => true,
    });
    await expect(full.createShipment(input)).rejects.toMatchObject({ code: 'MCART_ERR_SHIPPING_PROVIDER' });
  });
});

describe('a parcel reported handed over and delivered at once', () => {
  /** The subjects of the e-mails about an order, once the consumers and the sender have caught up. */
  const subjectsFor = async (email: string, expected: number) => {
    const mails = () =>
      smtp.received
        .filter((m) => m.to.includes(email))
        .map((m) => decodeQuotedPrintable(m.raw))
        .filter((m) => /Subject: Order \S+ (has shipped|was delivered)/.test(m));
    for (let round = 0; round < 50 && mails().length < expected; round++) await deliverMail();
    await deliverMail();
    return mails();
  };
  const history = async (id: string) =>
    (await get(`/api/admin/orders/${id}`))
      .json<{ timeline: { kind: string; fromStatus: string | null; toStatus: string | null }[] }>()
      .timeline.filter((entry) => entry.kind === 'status')
      .map((entry) => `${entry.fromStatus}>${entry.toStatus}`);

  it('e-mails only "was delivered" (with the carrier and the tracking link) when the first news is the delivery; the order still passes through shipped', async () => {
    const { order: placed, parcel } = await oneParcel({ email: 'straight-delivered@example.test' });
    const response = await signed({
      events: [
        {
          id: 'evt-straight-1',
          trackingNumber: parcel.trackingNumber,
          status: 'delivered',
          occurredAt: at(-5),
        },
      ],
    });
    expect(response.json()).toMatchObject({ applied: 1 });
    expect(await orderStatus(placed.id)).toBe('delivered');
    expect(await history(placed.id)).toEqual(
      expect.arrayContaining(['processing>shipped', 'shipped>delivered']),
    );
    const shipment = (await get(`/api/admin/shipments/${parcel.id}`)).json<{
      handedOverAt: string;
      deliveredAt: string;
    }>();
    expect(shipment.handedOverAt).toBe(shipment.deliveredAt);

    const mails = await subjectsFor('straight-delivered@example.test', 1);
    expect(mails.filter((m) => m.includes(`Subject: Order ${placed.number} has shipped`))).toHaveLength(0);
    const delivered = mails.filter((m) => m.includes(`Subject: Order ${placed.number} was delivered`));
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toContain('delivered by MCart Post');
    expect(delivered[0]).toContain(`https://shop.example.test/track/${parcel.trackingNumber}`);
  });

  it('e-mails once for a file or a webhook call that has both the hand-over and the delivery; a parcel only handed over still gets "has shipped"', async () => {
    const both = await oneParcel({ email: 'csv-both@example.test' });
    const onlyOut = await oneParcel({ email: 'csv-out@example.test' });
    const hook = await oneParcel({ email: 'hook-both@example.test' });
    const report = await csvUpload(
      [
        'tracking_number,status,time,location',
        `${both.parcel.trackingNumber},in_transit,${at(-30)},Springfield`,
        `${onlyOut.parcel.trackingNumber},in_transit,${at(-30)},Springfield`,
        `${both.parcel.trackingNumber},out_for_delivery,${at(-20)},Portland`,
        `${both.parcel.trackingNumber},delivered,${at(-10)},Portland`,
      ].join('\n'),
    );
    expect(report.json()).toMatchObject({ applied: 4, rejected: [], notApplied: [] });
    await signed({
      events: [
        {
          id: 'evt-both-1',
          trackingNumber: hook.parcel.trackingNumber,
          status: 'in_transit',
          occurredAt: at(-30),
        },
        {
          id: 'evt-both-2',
          trackingNumber: hook.parcel.trackingNumber,
          status: 'delivered',
          occurredAt: at(-10),
        },
      ],
    });
    for (const { order: placed } of [both, hook]) {
      expect(await orderStatus(placed.id)).toBe('delivered');
      expect(await history(placed.id)).toEqual(
        expect.arrayContaining(['processing>shipped', 'shipped>delivered']),
      );
    }

    for (const [email, { order: placed }] of [
      ['csv-both@example.test', both],
      ['hook-both@example.test', hook],
    ] as const) {
      const mails = await subjectsFor(email, 1);
      expect(mails.map((m) => /Subject: (.*)/.exec(m)![1])).toEqual([`Order ${placed.number} was delivered`]);
    }
    const out = await subjectsFor('csv-out@example.test', 1);
    expect(out.map((m) => /Subject: (.*)/.exec(m)![1])).toEqual([
      `Order ${onlyOut.order.number} has shipped`,
    ]);
  });
});

describe('guessing tracking numbers', () => {
  const lookup = (path: string, remoteAddress: string) => app.inject({ url: path, remoteAddress });
  /** Numbers no parcel has (S10 form, valid check digit: what a guesser would try). */
  const unknownNumbers = (count: number, from: number) =>
    Array.from({ length: count }, (_, i) => makeS10('RR', 90_000_000 + from + i, 'US'));

  it('refuses every lookup from a client that asked for 20 unknown numbers, on the page and the JSON alike, for an hour', async () => {
    const { parcel } = await oneParcel({ email: 'guessed@example.test' });
    const guesser = '198.51.100.7';
    // A shopper's own number, several times, is never held against them.
    for (let i = 0; i < 5; i++)
      expect((await lookup(`/api/store/tracking/${parcel.trackingNumber}`, guesser)).statusCode).toBe(200);
    const numbers = unknownNumbers(20, 1000);
    for (const [i, number] of numbers.entries()) {
      const path = i % 2 ? `/track/${number}` : `/api/store/tracking/${number}`;
      expect((await lookup(path, guesser)).statusCode, number).toBe(404);
    }
    // Now even a number that exists answers 429: a refusal of only the misses would still tell which exist.
    const json = await lookup(`/api/store/tracking/${parcel.trackingNumber}`, guesser);
    expect(json.statusCode).toBe(429);
    expect(json.headers['content-type']).toContain('application/problem+json');
    expect(json.json()).toMatchObject({ code: 'MCART_ERR_RATE_LIMITED' });
    expect(Number(json.headers['retry-after'])).toBeGreaterThan(3500);
    const html = await lookup(`/track/${parcel.trackingNumber}`, guesser);
    expect(html.statusCode).toBe(429);
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(html.body).toContain('Too many lookups');
    expect(html.body).not.toContain(parcel.trackingNumber);
    // The same address written as IPv4-mapped IPv6 is the same client; another client is unaffected.
    expect((await lookup(`/track/${parcel.trackingNumber}`, `::ffff:${guesser}`)).statusCode).toBe(429);
    expect((await lookup(`/track/${parcel.trackingNumber}`, '198.51.100.8')).statusCode).toBe(200);
  });

  it('counts an IPv6 network (/64) as one client: a fresh address per guess gains nothing', async () => {
    const { parcel } = await oneParcel({ email: 'guessed-v6@example.test' });
    for (const [i, number] of unknownNumbers(20, 2000).entries())
      expect(
        (await lookup(`/api/store/tracking/${number}`, `2001:db8:77:1::${(i + 1).toString(16)}`)).statusCode,
      ).toBe(404);
    expect(
      (await lookup(`/api/store/tracking/${parcel.trackingNumber}`, '2001:db8:77:1:ffff::9')).statusCode,
    ).toBe(429);
    expect(
      (await lookup(`/api/store/tracking/${parcel.trackingNumber}`, '2001:db8:77:2::1')).statusCode,
    ).toBe(200);
    // The per-minute request limit too: 60 lookups a minute per /64, whatever the address.
    const codes: number[] = [];
    for (let i = 1; i <= 61; i++)
      codes.push(
        (await lookup(`/track/${parcel.trackingNumber}`, `2001:db8:77:3::${i.toString(16)}`)).statusCode,
      );
    expect(codes.slice(0, 60).every((code) => code === 200)).toBe(true);
    expect(codes[60]).toBe(429);
  });
});

describe('e-mails about one parcel of several', () => {
  it('says which items a parcel holds, and that it is part of the order when it is', async () => {
    const placed = await fixtures.order(
      [
        { variantId: product.variants[0]!.id, quantity: 2 },
        { variantId: product.variants[1]!.id, quantity: 1 },
      ],
      { email: 'split-mail@example.test' },
    );
    const detail = (await get(`/api/admin/orders/${placed.id}`)).json<{
      lines: { id: string; variantId: string }[];
    }>();
    const first = detail.lines.find((line) => line.variantId === product.variants[0]!.id)!;
    const parcelA = (
      await post(`/api/admin/orders/${placed.id}/shipments`, {
        lines: [{ orderLineId: first.id, quantity: 2 }],
      })
    ).json<{ trackingNumber: string }>();
    const parcelB = (await post(`/api/admin/orders/${placed.id}/shipments`, {})).json<{
      trackingNumber: string;
    }>();
    await signed({
      events: [
        {
          id: 'evt-split-a',
          trackingNumber: parcelA.trackingNumber,
          status: 'in_transit',
          occurredAt: at(-9),
        },
      ],
    });
    await signed({
      events: [
        {
          id: 'evt-split-b',
          trackingNumber: parcelB.trackingNumber,
          status: 'delivered',
          occurredAt: at(-3),
        },
      ],
    });
    const mails = () =>
      smtp.received
        .filter((m) => m.to.includes('split-mail@example.test'))
        .map((m) => decodeQuotedPrintable(m.raw))
        .filter((m) => /Subject: Order \S+ (has shipped|was delivered)/.test(m));
    for (let round = 0; round < 50 && mails().length < 2; round++) await deliverMail();
    const [shipped, delivered] = [
      mails().find((m) => m.includes(parcelA.trackingNumber))!,
      mails().find((m) => m.includes(parcelB.trackingNumber))!,
    ];
    expect(shipped).toContain('Part of your order is on its way');
    // Each lists its own items (the plain-text part: "- <title> x <units>").
    expect(shipped).toMatch(/^- .*Colour 0 x 2\r?$/m);
    expect(shipped).not.toMatch(/^- .* x 1\r?$/m);
    expect(delivered).toContain(`A parcel with part of your order ${placed.number} was delivered`);
    expect(delivered).toMatch(/^- .*Colour 1 x 1\r?$/m);
    expect(delivered).not.toMatch(/^- .* x 2\r?$/m);

    // A parcel with the whole order is "your order".
    const { order: whole, parcel } = await oneParcel({ email: 'whole-mail@example.test' });
    await signed({
      events: [
        { id: 'evt-whole', trackingNumber: parcel.trackingNumber, status: 'in_transit', occurredAt: at(-2) },
      ],
    });
    const wholeMail = () =>
      smtp.received
        .filter((m) => m.to.includes('whole-mail@example.test'))
        .map((m) => decodeQuotedPrintable(m.raw))
        .find((m) => m.includes(`Subject: Order ${whole.number} has shipped`));
    for (let round = 0; round < 50 && !wholeMail(); round++) await deliverMail();
    expect(wholeMail()).toContain('Your order is on its way');
    expect(wholeMail()).not.toContain('Part of your order');
  });
});
