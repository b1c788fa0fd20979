import { randomInt, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import pg from 'pg';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { staffToken, testConfig, useTestApp } from '../../../test/app.ts';
import { createTestDatabase, createTestDatabaseInZone } from '../../../test/database.ts';
import { buildApp } from '../../app.ts';
import { createOrm } from '../../platform/db.ts';
import { listTables } from '../../platform/backup/dump.ts';
import { prepared } from '../../platform/prepared.ts';
import { commerceFixtures } from '../cart/test-helpers.ts';
import { manualCapturePayments } from '../../../test/support/orders.ts';
import { sellerFrom } from './index.ts';
import { documentsForEvent } from './invoice-events.ts';
import { pdfText, renderInvoicePdf, totalLines, visualOrder } from './invoice-pdf.ts';
import { REGISTER_COLUMNS } from './invoice-register.ts';
import { InvoicingService, type DocumentSnapshot } from './invoicing.service.ts';
import { paidEvent, pdfToText } from './test-helpers.ts';

const { app, config, databaseUrl } = await useTestApp({
  STORE_NAME: 'Invoice Test Shop',
  STORE_SUPPORT_EMAIL: 'help@invoice-shop.test',
  STORE_ADDRESS_LINE1: '9 Ledger Lane',
  STORE_TAX_ID: 'FR 12 345678901',
  TAX_RATE_BPS: '2000',
});
const staff = await staffToken(app);
const fx = commerceFixtures(app, staff);
const fork = () => app.orm.em.fork() as EntityManager;
const service = (em: EntityManager = fork()) => new InvoicingService(em, app.cipher, sellerFrom(config));
const year = new Date().getUTCFullYear();

const address = {
  name: 'Zoë Invoiceworth',
  company: 'Ledger & Sons',
  line1: '12 Billing Road',
  city: 'Portland',
  region: 'OR',
  postalCode: '97201',
  country: 'US',
};

interface InvoiceDto {
  id: string;
  kind: 'invoice' | 'credit_note';
  number: string;
  orderId: string;
  orderNumber: string;
  invoiceId: string | null;
  invoiceNumber: string | null;
  issuedAt: string;
  total: { amount: number; currency: string };
  tax: { amount: number; currency: string };
}

const admin = (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>, auth = staff) =>
  app.inject({ method, url, headers: { authorization: auth }, ...(payload ? { payload } : {}) });

/** A shopper's order through the store API; `tok_visa` pays at once, `tok_threeDSecure` leaves it unpaid. */
async function placeOrder(
  items: { variantId: string; quantity: number }[],
  options: { auth?: string; token?: string; address?: Record<string, string>; discountCode?: string } = {},
) {
  const cartId = await fx.cart(options.auth);
  for (const item of items)
    expect((await fx.add(cartId, item.variantId, item.quantity, options.auth)).statusCode).toBe(200);
  if (options.discountCode) {
    const applied = await app.inject({
      method: 'POST',
      url: `/api/store/carts/${cartId}/discount`,
      headers: options.auth ? { authorization: options.auth } : {},
      payload: { code: options.discountCode },
    });
    expect(applied.statusCode, applied.body).toBe(200);
  }
  const response = await app.inject({
    method: 'POST',
    url: `/api/store/carts/${cartId}/checkout`,
    headers: { 'idempotency-key': randomUUID(), ...(options.auth ? { authorization: options.auth } : {}) },
    payload: {
      email: 'zoe@example.test',
      shippingAddress: options.address ?? address,
      payment: { provider: 'test', token: options.token ?? 'tok_visa' },
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ order: { id: string; number: string; status: string } }>().order;
}

const documentsOf = async (orderId: string) => {
  const response = await admin('GET', `/api/admin/invoices?orderId=${orderId}&sort=issuedAt&order=ASC`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ data: InvoiceDto[]; total: number }>().data;
};

const counter = async (kind: 'invoice' | 'credit_note') => {
  const [row] = await prepared<{ next: number }>(
    fork(),
    `SELECT next FROM invoice_counter WHERE kind = ? AND year = ?::int`,
    [kind, year],
  );
  return row?.next ?? 1;
};

const seqOf = (number: string) => Number(/-(\d+)$/.exec(number)![1]);

async function pdfOf(id: string) {
  const response = await app.inject({
    method: 'GET',
    url: `/api/admin/invoices/${id}/pdf`,
    headers: { authorization: staff },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response;
}

async function staffOf(role: string) {
  const body = {
    email: `invoices-${role}-${randomUUID().slice(0, 6)}@mcart.test`,
    password: 'invoices passphrase for role',
    role,
    firstName: 'I',
    lastName: role,
  };
  const created = await admin('POST', '/api/admin/staff', body);
  expect(created.statusCode, created.body).toBe(201);
  return staffToken(app, { email: body.email, password: body.password });
}

describe('invoices', () => {
  it('prints names, addresses and titles as written, in fonts it embeds (DejaVu Sans)', async () => {
    const created = await admin('POST', '/api/admin/products', {
      title: 'Hőálló bögre',
      status: 'active',
      variants: [
        { sku: `MUG-${randomUUID().slice(0, 8)}`, title: 'Nagy', price: { amount: 1500, currency: 'USD' } },
      ],
    });
    expect(created.statusCode, created.body).toBe(201);
    const variant = created.json<{ variants: { id: string }[] }>().variants[0]!;
    await fx.stock(variant.id, 5);
    const order = await placeOrder([{ variantId: variant.id, quantity: 1 }], {
      address: {
        name: 'Łukasz Dvořák',
        company: 'חברת הקפה הטוב',
        line1: 'ул. Тверская, д. 7',
        line2: 'Οδός Ερμού 12',
        city: 'Praha',
        postalCode: '110 00',
        country: 'CZ',
      },
    });
    await app.outbox.drain();
    const [invoice] = await documentsOf(order.id);

    const pdf = (await pdfOf(invoice!.id)).rawPayload;
    const text = pdfToText(pdf);
    for (const expected of ['Łukasz Dvořák', 'ул. Тверская, д. 7', 'Οδός Ερμού 12', 'Hőálló bögre – Nagy'])
      expect(text, expected).toContain(expected);
    // Right to left: drawn with the first word rightmost (pdftotext reads such a line back from the right, marked
    // U+202B…U+202C), each word's letters turned by the font and the spaces between the words.
    expect(text).toContain('\u202bחברת הקפה הטוב\u202c');
    // Its fonts: subsets (ABCDEF+ prefix) of DejaVu Sans embedded in the file, and no standard font.
    const raw = pdf.toString('latin1');
    const fonts = new Set([...raw.matchAll(/\/BaseFont \/([\w+-]+)/g)].map((match) => match[1]));
    expect([...fonts].map((name) => name!.replace(/^[A-Z]{6}\+/, '')).sort()).toEqual([
      'DejaVuSans',
      'DejaVuSans-Bold',
    ]);
    expect([...fonts].every((name) => /^[A-Z]{6}\+/.test(name!))).toBe(true);
    expect(raw.match(/\/FontFile2 /g)).toHaveLength(2);
  });

  it('issues one invoice with the next number when an order is paid, frozen, sealed, printable', async () => {
    const product = await fx.product([2500, 1000], 50);
    const customer = await fx.customer();
    const before = await counter('invoice');
    const order = await placeOrder(
      [
        { variantId: product.variants[0]!.id, quantity: 2 },
        { variantId: product.variants[1]!.id, quantity: 1 },
      ],
      { auth: customer.auth },
    );
    await app.outbox.drain();

    const [invoice, ...others] = await documentsOf(order.id);
    expect(others).toEqual([]);
    expect(invoice).toMatchObject({
      kind: 'invoice',
      number: `INV-${year}-${String(before).padStart(6, '0')}`,
      orderId: order.id,
      orderNumber: order.number,
      invoiceId: null,
      // 2 × 25.00 + 10.00 = 60.00, tax 20% added: 72.00.
      total: { amount: 7200, currency: 'USD' },
      tax: { amount: 1200, currency: 'USD' },
    });
    expect(await counter('invoice')).toBe(before + 1);
    expect((await admin('GET', `/api/admin/invoices/${invoice!.id}`)).json()).toEqual(invoice);

    const { snapshot } = await service().snapshot(invoice!.id);
    expect(snapshot).toMatchObject({
      kind: 'invoice',
      number: invoice!.number,
      currency: 'USD',
      seller: {
        name: 'Invoice Test Shop',
        email: 'help@invoice-shop.test',
        taxId: 'FR 12 345678901',
        address: { line1: '9 Ledger Lane', country: 'US' },
      },
      buyer: { email: 'zoe@example.test', address },
      order: { id: order.id, number: order.number },
      lines: [
        { sku: product.variants[0]!.sku, quantity: 2, unitPrice: 2500, lineTotal: 5000 },
        { sku: product.variants[1]!.sku, quantity: 1, unitPrice: 1000, lineTotal: 1000 },
      ],
      subtotal: 6000,
      discount: 0,
      shipping: 0,
      taxRateBps: 2000,
      pricesIncludeTax: false,
      tax: 1200,
      total: 7200,
      corrects: null,
    } satisfies Partial<Record<keyof DocumentSnapshot, unknown>>);
    expect(snapshot.lines[0]!.title).toContain('Product');
    expect(snapshot.issuedAt).toBe(invoice!.issuedAt);

    // Sealed at rest: the buyer's name is not in the table.
    const [raw] = await prepared<{ snapshot: string }>(
      fork(),
      `SELECT snapshot FROM invoice WHERE id = ?::uuid`,
      [invoice!.id],
    );
    expect(raw!.snapshot).not.toContain('Invoiceworth');

    // Frozen: a later change of the order's lines or address does not change what the document says.
    await prepared(fork(), `UPDATE order_line SET unit_price = 1 WHERE order_id = ?::uuid`, [order.id]);
    expect((await service().snapshot(invoice!.id)).snapshot.lines[0]!.unitPrice).toBe(2500);

    const pdf = await pdfOf(invoice!.id);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toBe(`inline; filename="${invoice!.number}.pdf"`);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfToText(pdf.rawPayload);
    for (const expected of [
      'Invoice',
      invoice!.number,
      order.number,
      'Invoice Test Shop',
      '9 Ledger Lane',
      'help@invoice-shop.test',
      'Tax ID: FR 12 345678901',
      'Zoë Invoiceworth',
      'Ledger & Sons',
      'Portland, OR 97201',
      'United States',
      'zoe@example.test',
      product.variants[0]!.sku,
      '$25.00',
      '$50.00',
      '$60.00',
      'Tax (20%)',
      '$12.00',
      '$72.00',
      'Page 1 of 1',
    ])
      expect(text, expected).toContain(expected);
    expect(text).toMatch(new RegExp(`${product.variants[0]!.sku}\\s+2\\s+\\$25\\.00\\s+\\$50\\.00`));
    expect(text).toMatch(/Total\s+\$72\.00/);
    expect(text).toContain(`Date of issue`);
    expect(text).toContain(invoice!.issuedAt.slice(0, 4));
  });

  it('issues once when the event is delivered again, or twice at the same moment', async () => {
    const product = await fx.product([1500], 50);
    const order = await placeOrder([{ variantId: product.variants[0]!.id, quantity: 1 }]);
    await app.outbox.drain();
    const [invoice] = await documentsOf(order.id);
    const next = await counter('invoice');

    // The consumer replays everything from the start (a cursor restored from a backup, say).
    await prepared(fork(), `UPDATE outbox_cursor SET position = '0:0' WHERE consumer = 'invoicing'`);
    await app.outbox.drain();
    expect(await documentsOf(order.id)).toEqual([invoice]);

    // The same event handled again, and five issues of the same invoice on their own connections at once.
    await fork().transactional((tx) => documentsForEvent(paidEvent(order.id), service(tx), app.log));
    const results = await Promise.all(
      Array.from({ length: 5 }, () => fork().transactional((tx) => service(tx).issueInvoice(order.id))),
    );
    expect(new Set(results.map((row) => row!.id))).toEqual(new Set([invoice!.id]));
    expect(await documentsOf(order.id)).toEqual([invoice]);
    expect(await counter('invoice')).toBe(next);
  });

  it('issues a credit note for each refund, by amount and by line, referencing the invoice', async () => {
    const product = await fx.product([4000, 1000], 50);
    const order = await placeOrder([
      { variantId: product.variants[0]!.id, quantity: 2 },
      { variantId: product.variants[1]!.id, quantity: 1 },
    ]);
    await app.outbox.drain();
    const [invoice] = await documentsOf(order.id);
    // 2 × 40.00 + 10.00 = 90.00 + 20% = 108.00.
    expect(invoice!.total.amount).toBe(10800);
    const before = await counter('credit_note');

    // By amount: 12.00 back, tax 2.00 of it.
    const byAmount = await admin('POST', `/api/admin/orders/${order.id}/refund`, { amount: 1200 });
    expect(byAmount.statusCode, byAmount.body).toBe(200);
    // By line: one of the 40.00 units, which cost the customer 48.00 with its 20% tax.
    const detail = (await admin('GET', `/api/admin/orders/${order.id}`)).json<{
      lines: { id: string; sku: string }[];
    }>();
    const line = detail.lines.find((candidate) => candidate.sku === product.variants[0]!.sku)!;
    const byLine = await admin('POST', `/api/admin/orders/${order.id}/refund`, {
      lines: [{ orderLineId: line.id, quantity: 1 }],
    });
    expect(byLine.statusCode, byLine.body).toBe(200);
    await app.outbox.drain();

    const [, first, second] = await documentsOf(order.id);
    expect(first).toMatchObject({
      kind: 'credit_note',
      number: `CN-${year}-${String(before).padStart(6, '0')}`,
      invoiceId: invoice!.id,
      invoiceNumber: invoice!.number,
      total: { amount: 1200 },
      tax: { amount: 200 },
    });
    expect(second).toMatchObject({
      kind: 'credit_note',
      number: `CN-${year}-${String(before + 1).padStart(6, '0')}`,
      invoiceId: invoice!.id,
      total: { amount: 4800 },
      tax: { amount: 800 },
    });
    const firstSaid = (await service().snapshot(first!.id)).snapshot;
    expect(firstSaid).toMatchObject({ kind: 'credit_note', reason: 'refund', lines: [], total: 1200 });
    expect(firstSaid.corrects).toEqual({
      id: invoice!.id,
      number: invoice!.number,
      issuedAt: invoice!.issuedAt,
    });
    expect(firstSaid.buyer.address).toEqual(address);
    const secondSaid = (await service().snapshot(second!.id)).snapshot;
    expect(secondSaid.lines).toEqual([
      expect.objectContaining({
        sku: product.variants[0]!.sku,
        quantity: 1,
        unitPrice: 4000,
        lineTotal: 4000,
      }),
    ]);

    const text = pdfToText((await pdfOf(second!.id)).rawPayload);
    for (const expected of [
      'Credit note',
      second!.number,
      'Corrects invoice',
      invoice!.number,
      'Zoë Invoiceworth',
      product.variants[0]!.sku,
      '$40.00',
      'Total credited',
      '$48.00',
      '$8.00',
    ])
      expect(text, expected).toContain(expected);

    // The rest: the last credit note settles the invoice, its tax is exactly what is left of the invoice's.
    const rest = await admin('POST', `/api/admin/orders/${order.id}/refund`, { amount: 10800 - 1200 - 4800 });
    expect(rest.statusCode, rest.body).toBe(200);
    await app.outbox.drain();
    const notes = (await documentsOf(order.id)).filter((doc) => doc.kind === 'credit_note');
    expect(notes).toHaveLength(3);
    expect(notes.reduce((sum, note) => sum + note.total.amount, 0)).toBe(invoice!.total.amount);
    expect(notes.reduce((sum, note) => sum + note.tax.amount, 0)).toBe(invoice!.tax.amount);
  });

  it('adds up a credit note for a refund by line of a discounted order: the lines, their discount share, their tax', async () => {
    // Digits only: pdftotext splits some kerned letter pairs ("A E") of the code on the document.
    const code = `CN${String(randomInt(1_000_000)).padStart(6, '0')}`;
    const discount = await admin('POST', '/api/admin/discount-codes', {
      code,
      discountType: 'percent',
      discountValue: 25,
    });
    expect(discount.statusCode, discount.body).toBe(201);
    const product = await fx.product([4000], 50);
    const order = await placeOrder([{ variantId: product.variants[0]!.id, quantity: 2 }], {
      discountCode: code,
    });
    await app.outbox.drain();
    const [invoice] = await documentsOf(order.id);
    // 2 × 40.00 = 80.00, less 25% = 60.00, + 20% tax = 72.00.
    expect(invoice!.total.amount).toBe(7200);
    const line = (await admin('GET', `/api/admin/orders/${order.id}`)).json<{ lines: { id: string }[] }>()
      .lines[0]!;
    const refund = await admin('POST', `/api/admin/orders/${order.id}/refund`, {
      lines: [{ orderLineId: line.id, quantity: 1 }],
    });
    expect(refund.statusCode, refund.body).toBe(200);
    await app.outbox.drain();
    const [, note] = await documentsOf(order.id);
    // One unit: 40.00, less its 10.00 share of the discount = 30.00, + 20% tax = 36.00.
    expect(note).toMatchObject({ kind: 'credit_note', total: { amount: 3600 }, tax: { amount: 600 } });
    const said = (await service().snapshot(note!.id)).snapshot;
    expect(said).toMatchObject({ linesValue: 3600, discountShare: 1000, discountCode: code });

    const text = pdfToText((await pdfOf(note!.id)).rawPayload);
    // Every step from the line at its price to what is credited is on the document, and they add up.
    expect(text).toMatch(/1\s+\$40\.00\s+\$40\.00\n/);
    expect(text).toMatch(/Subtotal\s+\$40\.00\n/);
    expect(text).toMatch(new RegExp(`Discount share \\(${code}\\)\\s+-\\$10\\.00\\n`));
    expect(text).toMatch(/Tax \(20%\)\s+\$6\.00\n/);
    expect(text).toMatch(/Total credited\s+\$36\.00\n/);
    // The tax is a line of its own (prices exclude tax): not said twice.
    expect(text).not.toContain('Of which tax');
  });

  it('lists on each credit note the lines its refund covered when the consumer sees several refunds at once', async () => {
    const product = await fx.product([4000, 1000, 2500], 50);
    const order = await placeOrder(
      product.variants.map((variant) => ({ variantId: variant.id, quantity: 2 })),
    );
    await app.outbox.drain();
    const [invoice] = await documentsOf(order.id);
    const lines = (await admin('GET', `/api/admin/orders/${order.id}`)).json<{
      lines: { id: string; sku: string }[];
    }>().lines;
    const lineOf = (i: number) => lines.find((line) => line.sku === product.variants[i]!.sku)!.id;
    // Three refunds by line and one by amount, all made before the consumer handles the first.
    const refunds = [
      { lines: [{ orderLineId: lineOf(0), quantity: 1 }] },
      { lines: [{ orderLineId: lineOf(1), quantity: 2 }] },
      { amount: 500 },
      {
        lines: [
          { orderLineId: lineOf(0), quantity: 1 },
          { orderLineId: lineOf(2), quantity: 1 },
        ],
      },
    ];
    for (const body of refunds) {
      const refunded = await admin('POST', `/api/admin/orders/${order.id}/refund`, body);
      expect(refunded.statusCode, refunded.body).toBe(200);
    }
    await app.outbox.drain();

    const notes = (await documentsOf(order.id)).filter((doc) => doc.kind === 'credit_note');
    // With 20% tax: 48.00, 24.00, 5.00, then 48.00 + 30.00.
    expect(notes.map((note) => note.total.amount)).toEqual([4800, 2400, 500, 7800]);
    const listed = await Promise.all(
      notes.map(async (note) =>
        (await service().snapshot(note.id)).snapshot.lines.map((line) => [line.sku, line.quantity]),
      ),
    );
    const sku = (i: number) => product.variants[i]!.sku;
    expect(listed).toEqual([
      [[sku(0), 1]],
      [[sku(1), 2]],
      [],
      [
        [sku(0), 1],
        [sku(2), 1],
      ],
    ]);
    expect(notes.reduce((sum, note) => sum + note.total.amount, 0)).toBeLessThanOrEqual(
      invoice!.total.amount,
    );
  }, 120_000);

  it('issues no credit note for a refund the gateway refused, and one when it is tried again', async () => {
    const product = await fx.product([5000], 50);
    const order = await placeOrder([{ variantId: product.variants[0]!.id, quantity: 1 }]);
    await app.outbox.drain();
    const [invoice] = await documentsOf(order.id);
    const [{ provider_ref: intent }] = (await prepared<{ provider_ref: string }>(
      fork(),
      `SELECT provider_ref FROM payment WHERE order_id = ?::uuid`,
      [order.id],
    )) as [{ provider_ref: string }];
    // The gateway refuses: it counts the money as refunded already.
    await prepared(fork(), `UPDATE test_gateway_intent SET refunded_amount = captured_amount WHERE id = ?`, [
      intent,
    ]);
    const refused = await admin('POST', `/api/admin/orders/${order.id}/refund`, { amount: 1000 });
    expect(refused.statusCode, refused.body).toBe(502);
    await app.outbox.drain();
    expect(await documentsOf(order.id)).toEqual([invoice]);

    await prepared(fork(), `UPDATE test_gateway_intent SET refunded_amount = 0 WHERE id = ?`, [intent]);
    const retried = await admin('POST', `/api/admin/orders/${order.id}/refund`, { amount: 1000 });
    expect(retried.statusCode, retried.body).toBe(200);
    await app.outbox.drain();
    const [, note, ...none] = await documentsOf(order.id);
    expect(none).toEqual([]);
    expect(note).toMatchObject({ kind: 'credit_note', total: { amount: 1000 }, tax: { amount: 167 } });
  });

  it('credits the rest of the invoice when the payment that paid it is voided, and nothing for another payment', async () => {
    const product = await fx.product([2000], 50);
    const order = await placeOrder([{ variantId: product.variants[0]!.id, quantity: 1 }]);
    await app.outbox.drain();
    const [invoice] = await documentsOf(order.id);
    const [{ payment_id: paymentId }] = (await prepared<{ payment_id: string }>(
      fork(),
      `SELECT payment_id FROM orders WHERE id = ?::uuid`,
      [order.id],
    )) as [{ payment_id: string }];
    const event = (payment: string) => ({
      id: 0,
      resource: 'orders',
      ids: [order.id],
      type: 'updated' as const,
      payload: { event: 'payment_canceled', paymentId: payment },
      at: new Date(),
      position: '0:0',
    });
    await fork().transactional((tx) => documentsForEvent(event(randomUUID()), service(tx), app.log));
    expect(await documentsOf(order.id)).toHaveLength(1);
    await fork().transactional((tx) => documentsForEvent(event(paymentId), service(tx), app.log));
    const [, note] = await documentsOf(order.id);
    expect(note).toMatchObject({
      kind: 'credit_note',
      invoiceId: invoice!.id,
      total: invoice!.total,
      tax: invoice!.tax,
    });
    expect((await service().snapshot(note!.id)).snapshot.reason).toBe('void');
    expect(pdfToText((await pdfOf(note!.id)).rawPayload)).toContain('nothing was charged');
  });

  it('credits what a manual capture left uncaptured, and the rest when the order is cancelled', async () => {
    // Manual capture (Stripe's STRIPE_CAPTURE=manual): the authorization pays the order, staff capture less.
    const manual = manualCapturePayments(app);
    const product = await fx.product([2500], 50);
    const order = await placeOrder([{ variantId: product.variants[0]!.id, quantity: 2 }], {
      token: 'tok_threeDSecure',
    });
    // 2 × 25.00 + 20% = 60.00 (free shipping over 50.00).
    const authorized = await manual.startPayment({
      orderId: order.id,
      amount: 6000,
      currency: 'USD',
      provider: 'test',
      token: 'tok_visa',
      customerEmail: 'zoe@example.test',
      idempotencyKey: randomUUID(),
    });
    expect(authorized.status).toBe('authorized');
    await app.outbox.drain();
    const [invoice] = await documentsOf(order.id);
    expect(invoice).toMatchObject({ kind: 'invoice', total: { amount: 6000 }, tax: { amount: 1000 } });

    // 24.00 of the 60.00 captured (one unit out of stock): 36.00 is never charged.
    expect(await manual.capture(order.id, 2400)).toMatchObject({ status: 'captured', capturedAmount: 2400 });
    await app.outbox.drain();
    const [, uncaptured, ...none] = await documentsOf(order.id);
    expect(none).toEqual([]);
    expect(uncaptured).toMatchObject({
      kind: 'credit_note',
      invoiceId: invoice!.id,
      total: { amount: 3600 },
      tax: { amount: 600 },
    });
    const said = (await service().snapshot(uncaptured!.id)).snapshot;
    expect(said).toMatchObject({ reason: 'uncaptured', lines: [], total: 3600 });
    expect(pdfToText((await pdfOf(uncaptured!.id)).rawPayload)).toContain('was not captured');
    // Delivered again: one credit note.
    await prepared(fork(), `UPDATE outbox_cursor SET position = '0:0' WHERE consumer = 'invoicing'`);
    await app.outbox.drain();
    expect(await documentsOf(order.id)).toHaveLength(2);

    // The order cancelled: the 24.00 captured is refunded, and the invoice is settled.
    const cancelled = await admin('POST', `/api/admin/orders/${order.id}/cancel`, {});
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    await app.outbox.drain();
    const notes = (await documentsOf(order.id)).filter((doc) => doc.kind === 'credit_note');
    expect(notes.map((note) => note.total.amount)).toEqual([3600, 2400]);
    expect(notes.reduce((sum, note) => sum + note.tax.amount, 0)).toBe(invoice!.tax.amount);
  });

  it('gives 20 concurrent issues 20 distinct consecutive numbers, each on its own connection', async () => {
    const product = await fx.product([500], 100);
    const orders: string[] = [];
    for (let i = 0; i < 20; i++)
      orders.push(
        (
          await placeOrder([{ variantId: product.variants[0]!.id, quantity: 1 }], {
            token: 'tok_threeDSecure',
          })
        ).id,
      );
    await app.outbox.drain();
    // Paid without an event, so only the issues below invoice them.
    await prepared(fork(), `UPDATE orders SET status = 'paid', paid_at = now() WHERE id = ANY(?::uuid[])`, [
      `{${orders.join(',')}}`,
    ]);
    const before = await counter('invoice');

    const orm = await createOrm({ url: databaseUrl, poolMax: 21, entities: [] });
    try {
      // Every transaction has its connection and has started before any of them takes a number.
      let arrived = 0;
      let release!: () => void;
      const barrier = new Promise<void>((resolve) => (release = resolve));
      const issued = await Promise.all(
        orders.map((orderId) =>
          (orm.em.fork() as EntityManager).transactional(async (tx) => {
            const [{ pid }] = (await prepared<{ pid: number }>(tx, `SELECT pg_backend_pid() AS pid`)) as [
              { pid: number },
            ];
            if (++arrived === orders.length) release();
            await barrier;
            const row = await new InvoicingService(tx, app.cipher, sellerFrom(config)).issueInvoice(orderId);
            return { pid, number: row!.number };
          }),
        ),
      );
      expect(new Set(issued.map((result) => result.pid)).size).toBe(20);
      const numbers = issued.map((result) => result.number);
      expect(new Set(numbers).size).toBe(20);
      expect(numbers.map(seqOf).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 20 }, (_, i) => before + i),
      );
      expect(await counter('invoice')).toBe(before + 20);
    } finally {
      await orm.close(true);
    }
  });

  it('gives the number back when the issue rolls back: no gap', async () => {
    const product = await fx.product([700], 50);
    const order = await placeOrder([{ variantId: product.variants[0]!.id, quantity: 1 }], {
      token: 'tok_threeDSecure',
    });
    await app.outbox.drain();
    await prepared(fork(), `UPDATE orders SET status = 'paid', paid_at = now() WHERE id = ?::uuid`, [
      order.id,
    ]);
    const before = await counter('invoice');

    let attempted: string | undefined;
    await expect(
      fork().transactional(async (tx) => {
        attempted = (await service(tx).issueInvoice(order.id))!.number;
        throw new Error('forced failure after the insert');
      }),
    ).rejects.toThrow('forced failure');
    expect(seqOf(attempted!)).toBe(before);
    expect(await counter('invoice')).toBe(before);
    expect(await documentsOf(order.id)).toEqual([]);

    const issued = await service().issueInvoice(order.id);
    expect(issued!.number).toBe(attempted);
    expect(await counter('invoice')).toBe(before + 1);
  });

  it('numbers a document issued as the year turns (UTC) in the year of its date', async () => {
    const product = await fx.product([800], 50);
    const order = await placeOrder([{ variantId: product.variants[0]!.id, quantity: 1 }], {
      token: 'tok_threeDSecure',
    });
    await app.outbox.drain();
    await prepared(fork(), `UPDATE orders SET status = 'paid', paid_at = now() WHERE id = ?::uuid`, [
      order.id,
    ]);
    // A database clock read first at the last millisecond of 2098 (UTC), then in 2099: the counter is
    // locked for 2098, and the document is dated once the lock is held.
    const em = fork();
    await prepared(em, `CREATE SCHEMA IF NOT EXISTS test_clock`);
    await prepared(em, `CREATE SEQUENCE IF NOT EXISTS test_clock.readings`);
    await prepared(
      em,
      `CREATE OR REPLACE FUNCTION test_clock.clock_timestamp() RETURNS timestamptz LANGUAGE sql VOLATILE AS $$
         SELECT CASE WHEN nextval('test_clock.readings') = 1 THEN timestamptz '2098-12-31 23:59:59.999+00'
                     ELSE timestamptz '2099-01-01 00:00:00.001+00' END $$`,
    );
    let issued: { number: string; issuedAt: string } | undefined;
    await expect(
      fork().transactional(async (tx) => {
        await prepared(tx, `SET LOCAL search_path = test_clock, pg_catalog, public`);
        const row = (await service(tx).issueInvoice(order.id))!;
        issued = { number: row.number, issuedAt: (await service(tx).snapshot(row.id)).snapshot.issuedAt };
        // Nothing of 2099 stays behind for the other tests.
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(new Date(issued!.issuedAt).getUTCFullYear()).toBe(2099);
    expect(issued!.number).toBe('INV-2099-000001');
  });

  it('keeps issued documents unchanged: updates and deletes are refused', async () => {
    const [any] = (await admin('GET', '/api/admin/invoices?perPage=1')).json<{ data: InvoiceDto[] }>().data;
    await expect(
      prepared(fork(), `UPDATE invoice SET total = 0 WHERE id = ?::uuid`, [any!.id]),
    ).rejects.toThrow(/cannot be changed or deleted/);
    await expect(prepared(fork(), `DELETE FROM invoice WHERE id = ?::uuid`, [any!.id])).rejects.toThrow(
      /cannot be changed or deleted/,
    );
  });

  it("shows a customer their own order's documents only", async () => {
    const product = await fx.product([900], 50);
    const ann = await fx.customer();
    const bob = await fx.customer();
    const order = await placeOrder([{ variantId: product.variants[0]!.id, quantity: 1 }], { auth: ann.auth });
    const other = await placeOrder([{ variantId: product.variants[0]!.id, quantity: 1 }], { auth: bob.auth });
    await app.outbox.drain();
    const store = (url: string, auth?: string) =>
      app.inject({ method: 'GET', url, ...(auth ? { headers: { authorization: auth } } : {}) });

    const mine = await store(`/api/store/orders/${order.id}/invoices`, ann.auth);
    expect(mine.statusCode, mine.body).toBe(200);
    const [invoice] = mine.json<{ data: InvoiceDto[]; total: number }>().data;
    expect(invoice).toMatchObject({ kind: 'invoice', orderId: order.id });
    expect(mine.json().total).toBe(1);
    const pdf = await store(`/api/store/orders/${order.id}/invoices/${invoice!.id}/pdf`, ann.auth);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdfToText(pdf.rawPayload)).toContain(invoice!.number);

    // Someone else's order, or another order's document under mine: not found. No account: 401.
    const notMine = await store(`/api/store/orders/${order.id}/invoices`, bob.auth);
    expect(notMine.statusCode).toBe(404);
    expect(notMine.json().code).toBe('MCART_ERR_ORDER_NOT_FOUND');
    expect(
      (await store(`/api/store/orders/${order.id}/invoices/${invoice!.id}/pdf`, bob.auth)).statusCode,
    ).toBe(404);
    const [bobs] = (await documentsOf(other.id)) as [InvoiceDto];
    const crossed = await store(`/api/store/orders/${order.id}/invoices/${bobs.id}/pdf`, ann.auth);
    expect(crossed.statusCode).toBe(404);
    expect(crossed.json().code).toBe('MCART_ERR_INVOICE_NOT_FOUND');
    expect((await store(`/api/store/orders/${order.id}/invoices`)).statusCode).toBe(401);
  });

  it('exports the register for the books as CSV: oldest first, credit notes negative, buyers as issued', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const product = await fx.product([4000], 50);
    const cartId = await fx.cart();
    expect((await fx.add(cartId, product.variants[0]!.id, 1)).statusCode).toBe(200);
    // A name a spreadsheet would run as a formula.
    const checkout = await app.inject({
      method: 'POST',
      url: `/api/store/carts/${cartId}/checkout`,
      headers: { 'idempotency-key': randomUUID() },
      payload: {
        email: 'formula@example.test',
        shippingAddress: { ...address, name: '=HYPERLINK("http://evil.test")' },
        payment: { provider: 'test', token: 'tok_visa' },
      },
    });
    expect(checkout.statusCode, checkout.body).toBe(201);
    const order = checkout.json<{ order: { id: string; number: string } }>().order;
    await app.outbox.drain();
    expect((await admin('POST', `/api/admin/orders/${order.id}/refund`, { amount: 1200 })).statusCode).toBe(
      200,
    );
    await app.outbox.drain();
    const [invoice, note] = await documentsOf(order.id);

    const response = await admin('GET', `/api/admin/invoices/export?from=${encodeURIComponent(since)}`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="invoices-${since.slice(0, 10)}.csv"`,
    );
    const [header, ...all] = parse(response.body) as string[][];
    // Earlier tests' documents may still be issued in the range (the outbox runs in the background).
    const mine = (rows: string[][]) => rows.filter((row) => row[3] === order.number);
    const rows = mine(all);
    expect(all.map((row) => row[2])).toEqual(all.map((row) => row[2]).sort());
    expect(header).toEqual([...REGISTER_COLUMNS]);
    // (40.00 + 5.00 shipping) + 20% = 54.00; 12.00 back, of which 2.00 tax.
    const at = (iso: string) => new Date(iso).toISOString();
    const buyer = [`'=HYPERLINK("http://evil.test")`, 'Ledger & Sons', 'US', 'USD'];
    expect(rows).toEqual([
      [invoice!.number, 'invoice', at(invoice!.issuedAt), order.number, '', ...buyer, '4500', '900', '5400'],
      [note!.number, 'credit_note', at(note!.issuedAt), order.number, invoice!.number, ...buyer].concat([
        '-1000',
        '-200',
        '-1200',
      ]),
    ]);
    const notesOnly = await admin(
      'GET',
      `/api/admin/invoices/export?kind=credit_note&from=${encodeURIComponent(since)}`,
    );
    const notes = (parse(notesOnly.body) as string[][]).slice(1);
    expect(notes.every((row) => row[1] === 'credit_note')).toBe(true);
    expect(mine(notes).map((row) => row[0])).toEqual([note!.number]);
    const empty = await admin(
      'GET',
      `/api/admin/invoices/export?from=${year + 1}-01-01&to=${year + 1}-02-01`,
    );
    expect(empty.headers['content-disposition']).toBe(
      `attachment; filename="invoices-${year + 1}-01-01-to-${year + 1}-02-01.csv"`,
    );
    expect(parse(empty.body)).toHaveLength(1);

    // Who took the buyers' names out is on record.
    const [audited] = await prepared<{ staff_id: string; params: Record<string, string> }>(
      fork(),
      `SELECT staff_id, params FROM audit_entry WHERE action = 'invoices.exported' ORDER BY id DESC LIMIT 1`,
    );
    expect(audited!.params).toEqual({ from: `${year + 1}-01-01`, to: `${year + 1}-02-01` });

    for (const query of [
      'kind=receipt',
      'from=12%2F01%2F2026',
      'from=2026-13-45',
      'month=12',
      'from=2026-12-31&to=2026-12-01',
      'from=2026-12-01&to=2026-12-01',
    ]) {
      const refused = await admin('GET', `/api/admin/invoices/export?${query}`);
      expect(refused.statusCode, query).toBe(400);
      expect(refused.headers['content-type'], query).toContain('application/problem+json');
    }
    const warehouse = await staffOf('warehouse');
    expect((await admin('GET', '/api/admin/invoices/export', undefined, warehouse)).statusCode).toBe(403);
  });

  it('reads dates without an offset as UTC days on a database whose default zone is not UTC', async () => {
    // initdb takes the machine's zone: the embedded database on a desk in Auckland.
    const database = await createTestDatabaseInZone('Pacific/Auckland');
    const auckland = await buildApp(await testConfig(database.url));
    try {
      const auth = await staffToken(auckland);
      const sealed = auckland.cipher.encryptJson({ buyer: { address: { name: 'Kiri', country: 'NZ' } } });
      // 30 November in UTC (1 December in Auckland), 1 December, 31 December (1 January in Auckland).
      const issued = ['2026-11-30T12:00:00Z', '2026-12-01T05:00:00Z', '2026-12-31T20:00:00Z'];
      for (const [index, at] of issued.entries())
        await prepared(
          auckland.orm.em.fork() as EntityManager,
          `INSERT INTO invoice (id, kind, year, seq, number, order_id, order_number, source, currency, total,
                                tax_total, issued_at, snapshot)
           VALUES (gen_random_uuid(), 'invoice', 2026, ?::int, ?, gen_random_uuid(), 'MC-1', 'paid', 'NZD', 100, 0,
                   ?::timestamptz, ?)`,
          [index + 1, `INV-2026-00000${index + 1}`, at, sealed],
        );
      const get = (url: string) => auckland.inject({ url, headers: { authorization: auth } });
      const december = 'from=2026-12-01&to=2027-01-01';
      const listed = (await get(`/api/admin/invoices?${december}&sort=issuedAt&order=ASC`)).json<{
        data: InvoiceDto[];
      }>();
      expect(listed.data.map((doc) => doc.number)).toEqual(['INV-2026-000002', 'INV-2026-000003']);
      const register = parse((await get(`/api/admin/invoices/export?${december}`)).body) as string[][];
      expect(register.slice(1).map((row) => row[0])).toEqual(['INV-2026-000002', 'INV-2026-000003']);
      // A time without an offset is UTC too; one with an offset is as it says.
      const since = (from: string) =>
        get(`/api/admin/invoices?from=${encodeURIComponent(from)}&sort=issuedAt&order=ASC`).then((r) =>
          r.json<{ data: InvoiceDto[] }>().data.map((doc) => doc.number),
        );
      expect(await since('2026-12-01 05:00')).toEqual(['INV-2026-000002', 'INV-2026-000003']);
      expect(await since('2026-12-01T18:00+13:00')).toEqual(['INV-2026-000002', 'INV-2026-000003']);
      expect(await since('2026-12-01T18:00:01+13:00')).toEqual(['INV-2026-000003']);
    } finally {
      await auckland.close();
      await database.drop();
    }
  }, 90_000);

  it('lists with filters and refuses staff without invoices:read', async () => {
    const invoices = (await admin('GET', '/api/admin/invoices?kind=invoice&perPage=500')).json<{
      data: InvoiceDto[];
      total: number;
    }>();
    expect(invoices.total).toBeGreaterThan(20);
    expect(invoices.data.every((doc) => doc.kind === 'invoice')).toBe(true);
    const notes = (await admin('GET', '/api/admin/invoices?kind=credit_note')).json<{ data: InvoiceDto[] }>();
    expect(notes.data.length).toBeGreaterThan(0);
    expect(notes.data.every((doc) => doc.kind === 'credit_note' && doc.invoiceNumber)).toBe(true);
    const [newest] = invoices.data;
    const byNumber = (
      await admin('GET', `/api/admin/invoices?number=${newest!.number.toLowerCase()}`)
    ).json();
    expect(byNumber).toEqual({ data: [newest], total: 1 });
    const future = (await admin('GET', `/api/admin/invoices?from=${year + 1}-01-01`)).json();
    expect(future).toEqual({ data: [], total: 0 });
    const today = new Date().toISOString().slice(0, 10);
    const upToToday = (await admin('GET', `/api/admin/invoices?to=${today}T00:00:00Z`)).json();
    expect(upToToday.total).toBe(0);
    const sorted = (
      await admin('GET', '/api/admin/invoices?kind=invoice&sort=number&order=ASC&perPage=500')
    ).json<{
      data: InvoiceDto[];
    }>();
    const seqs = sorted.data.map((doc) => seqOf(doc.number));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect((await admin('GET', `/api/admin/invoices/${randomUUID()}`)).json().code).toBe(
      'MCART_ERR_INVOICE_NOT_FOUND',
    );
    expect((await admin('GET', '/api/admin/invoices?kind=receipt')).statusCode).toBe(400);

    const warehouse = await staffOf('warehouse');
    for (const url of [
      '/api/admin/invoices',
      `/api/admin/invoices/${newest!.id}`,
      `/api/admin/invoices/${newest!.id}/pdf`,
    ]) {
      const refused = await admin('GET', url, undefined, warehouse);
      expect(refused.statusCode, url).toBe(403);
      expect(refused.json().code).toBe('MCART_ERR_FORBIDDEN');
    }
    const support = await staffOf('support');
    expect((await admin('GET', `/api/admin/invoices/${newest!.id}/pdf`, undefined, support)).statusCode).toBe(
      200,
    );
  });

  it('migrates down and up again with issued documents in the table', async () => {
    const database = await createTestDatabase();
    const orm = await createOrm({ url: database.url, poolMax: 2, entities: [] });
    const regclass = async (name: string) =>
      (await orm.em.fork().execute<{ t: string | null }[]>(`SELECT to_regclass(?)::text AS t`, [name]))[0]!.t;
    try {
      await orm.em.fork().execute(
        `INSERT INTO invoice (id, kind, year, seq, number, order_id, order_number, source, currency, total, tax_total,
                              issued_at, snapshot)
         VALUES (gen_random_uuid(), 'invoice', 2026, 1, 'INV-2026-000001', gen_random_uuid(), 'MC-1', 'paid', 'USD',
                 100, 0, now(), 'sealed')`,
      );
      await orm.getMigrator().down({ migrations: ['Migration20261208040000Invoices'] });
      expect(await regclass('invoice')).toBeNull();
      expect(await regclass('invoice_counter')).toBeNull();
      await orm.getMigrator().up();
      expect(await regclass('invoice')).toBe('invoice');
    } finally {
      await orm.close(true);
      await database.drop();
    }
  }, 90_000);

  it('is in backups: the dump lists the new tables', async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const names = (await listTables(client)).map((table) => `${table.schema}.${table.name}`);
      expect(names).toEqual(expect.arrayContaining(['public.invoice', 'public.invoice_counter']));
    } finally {
      await client.end();
    }
  });
});

describe('pdf layout', () => {
  it('prints a total wider than the amount column on one line, clear of the tax under it', async () => {
    const shop = {
      name: 'Uhren AG',
      line1: 'Bahnhofstrasse 1',
      city: 'Zürich',
      postalCode: '8001',
      country: 'CH',
    };
    const text = pdfToText(
      await renderInvoicePdf({
        format: 'mcart.invoice.v1',
        kind: 'invoice',
        number: `INV-${year}-000001`,
        issuedAt: new Date().toISOString(),
        currency: 'CHF',
        seller: { name: 'Uhren AG', address: shop, email: null },
        buyer: { email: 'kunde@example.test', address: { ...shop, name: 'Kundin' } },
        order: { id: randomUUID(), number: 'MC-000001', placedAt: new Date().toISOString(), paidAt: null },
        lines: [{ title: 'Watch', sku: 'W-1', quantity: 2, unitPrice: 1_249_500, lineTotal: 2_499_000 }],
        subtotal: 2_499_000,
        discount: 0,
        discountCode: null,
        shipping: 0,
        shippingMethod: null,
        taxRateBps: 810,
        pricesIncludeTax: true,
        tax: 187_253,
        total: 2_499_000,
        corrects: null,
        reason: null,
      }),
    );
    expect(text).toMatch(/Total\s+CHF 24,990\.00\n/);
    expect(text).toMatch(/Of which tax \(8\.1%\)\s+CHF 1,872\.53\n/);
  });

  const shop = {
    name: 'Maison Dupré',
    line1: '3 Rue de la Paix',
    city: 'Paris',
    postalCode: '75002',
    country: 'FR',
  };
  /** An invoice of `lines` lines from a French shop; `over` sets what the case is about. */
  const invoiceOf = (lines: number, over: Partial<DocumentSnapshot> = {}): DocumentSnapshot => ({
    format: 'mcart.invoice.v1',
    kind: 'invoice',
    number: `INV-${year}-000042`,
    issuedAt: '2026-03-01T10:00:00Z',
    currency: 'EUR',
    seller: { name: shop.name, address: shop, email: 'bonjour@dupre.test' },
    buyer: { email: 'zoe@example.test', address: { ...shop, name: 'Zoë Lefèvre', line1: '8 Rue Œuf' } },
    order: { id: randomUUID(), number: 'MC-000042', placedAt: '2026-03-01T09:00:00Z', paidAt: null },
    lines: Array.from({ length: lines }, (_, index) => ({
      title: `Crème brûlée n° ${index + 1} – “spéciale”`,
      sku: `CB-${index + 1}`,
      quantity: 1,
      unitPrice: 950,
      lineTotal: 950,
    })),
    subtotal: 950 * lines,
    discount: 0,
    discountCode: null,
    shipping: 0,
    shippingMethod: null,
    taxRateBps: 2000,
    pricesIncludeTax: true,
    tax: Math.round((950 * lines) / 6),
    total: 950 * lines,
    corrects: null,
    reason: null,
    ...over,
  });
  const fontsOf = (pdf: Buffer) =>
    [...new Set([...pdf.toString('latin1').matchAll(/\/BaseFont \/([\w+-]+)/g)].map((match) => match[1]))]
      .map((name) => name!.replace(/^[A-Z]{6}\+/, ''))
      .sort();

  it('sets a document whose text is all WinAnsi in the standard fonts, nothing embedded, text as written', async () => {
    const pdf = await renderInvoicePdf(invoiceOf(3));
    expect(fontsOf(pdf)).toEqual(['Helvetica', 'Helvetica-Bold']);
    expect(pdf.toString('latin1')).not.toMatch(/\/FontFile/);
    const text = pdfToText(pdf);
    for (const expected of [
      'Maison Dupré',
      'Zoë Lefèvre',
      '8 Rue Œuf',
      'Crème brûlée n° 3 – “spéciale”',
      '€28.50',
    ])
      expect(text, expected).toContain(expected);
    expect(text).toContain('Page 1 of 1');
  });

  it('embeds DejaVu Sans when a text WinAnsi lacks is in the snapshot, or only made while drawing', async () => {
    // In the snapshot: a Polish name, Greek.
    const polish = invoiceOf(1, {
      buyer: { email: 'l@example.test', address: { ...shop, name: 'Łukasz Ωmega' } },
    });
    // Made while drawing: the shekel sign of the amounts (the snapshot says "ILS").
    const shekels = invoiceOf(1, { currency: 'ILS' });
    for (const [doc, expected] of [
      [polish, 'Łukasz Ωmega'],
      [shekels, '₪9.50'],
    ] as const) {
      const pdf = await renderInvoicePdf(doc);
      expect(fontsOf(pdf), expected).toEqual(['DejaVuSans', 'DejaVuSans-Bold']);
      expect(pdf.toString('latin1').match(/\/FontFile2 /g)).toHaveLength(2);
      const text = pdfToText(pdf);
      expect(text).toContain(expected);
      expect(text).toContain('Maison Dupré');
    }
  });

  it('breaks long documents into numbered pages with the header repeated, in either font', async () => {
    for (const buyer of ['Zoë Lefèvre', 'Łukasz Lefèvre']) {
      const doc = invoiceOf(40, { buyer: { email: 'zoe@example.test', address: { ...shop, name: buyer } } });
      const pages = pdfToText(await renderInvoicePdf(doc))
        .split('\f')
        .filter((page) => page.trim());
      expect(pages, buyer).toHaveLength(2);
      pages.forEach((page, index) => {
        expect(page).toContain(`Page ${index + 1} of 2`);
        expect(page).toMatch(/Description\s+SKU\s+Qty\s+Unit price\s+Amount/);
      });
      const all = pages.join('');
      for (let line = 1; line <= 40; line++) expect(all).toMatch(new RegExp(`CB-${line}\\s`));
      expect(pages[1]).toMatch(/Total\s+€380\.00/);
    }
  });

  it('renders a document the same every time, whatever was rendered before it (shared font caches)', async () => {
    const greek = invoiceOf(2, {
      buyer: { email: 'g@example.test', address: { ...shop, name: 'Γιώργος Łoś' } },
    });
    const other = invoiceOf(5, {
      buyer: { email: 'i@example.test', address: { ...shop, name: 'Иван Łoś' } },
    });
    const first = await renderInvoicePdf(greek);
    await renderInvoicePdf(other);
    const again = await renderInvoicePdf(greek);
    expect(again.equals(first)).toBe(true);
    expect(pdfToText(again)).toContain('Γιώργος Łoś');
  });
});

describe('credit note totals', () => {
  const shop = { name: 'Shop', line1: '1 Road', city: 'Portland', postalCode: '97201', country: 'US' };
  /** A credit note listing one 40.00 line; `over` sets what the case is about. */
  const note = (over: Partial<DocumentSnapshot>): DocumentSnapshot => ({
    format: 'mcart.invoice.v1',
    kind: 'credit_note',
    number: `CN-${year}-000001`,
    issuedAt: new Date().toISOString(),
    currency: 'USD',
    seller: { name: 'Shop', address: shop, email: null },
    buyer: { email: 'ann@example.test', address: { ...shop, name: 'Ann' } },
    order: { id: randomUUID(), number: 'MC-000001', placedAt: new Date().toISOString(), paidAt: null },
    lines: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: 4000, lineTotal: 4000 }],
    subtotal: 0,
    discount: 0,
    discountCode: null,
    shipping: 0,
    shippingMethod: null,
    taxRateBps: 2000,
    pricesIncludeTax: false,
    tax: 0,
    total: 0,
    corrects: { id: randomUUID(), number: `INV-${year}-000001`, issuedAt: new Date().toISOString() },
    reason: 'refund',
    ...over,
  });
  const shown = (doc: DocumentSnapshot) => totalLines(doc).map(({ label, amount }) => [label, amount]);
  /** The lines above the total add up to it. */
  const addsUp = (doc: DocumentSnapshot) => {
    const lines = totalLines(doc);
    const at = lines.findIndex((line) => line.label === 'Total credited');
    expect(lines.slice(0, at).reduce((sum, line) => sum + line.amount, 0)).toBe(doc.total);
  };

  it('takes the lines at their prices to what is credited, step by step, whatever the tax mode and cap', () => {
    const cases: [DocumentSnapshot, (string | number)[][]][] = [
      // Prices including tax, 25% off: 40.00 − 10.00 = 30.00, of which 5.00 tax.
      [
        note({
          pricesIncludeTax: true,
          discountCode: 'SAVE25',
          linesValue: 3000,
          discountShare: 1000,
          total: 3000,
          tax: 500,
        }),
        [
          ['Subtotal', 4000],
          ['Discount share (SAVE25)', -1000],
          ['Total credited', 3000],
          ['Of which tax (20%)', 500],
        ],
      ],
      // Prices excluding tax, capped at 30.00 left on the invoice: the lines' 36.00, then the cap.
      [
        note({ discountCode: 'SAVE25', linesValue: 3600, discountShare: 1000, total: 3000, tax: 500 }),
        [
          ['Subtotal', 4000],
          ['Discount share (SAVE25)', -1000],
          ['Tax (20%)', 600],
          ['Limited to what was left to refund', -600],
          ['Total credited', 3000],
          ['Of which tax (20%)', 500],
        ],
      ],
      // No discount: the line and its tax.
      [
        note({ linesValue: 4800, discountShare: 0, total: 4800, tax: 800 }),
        [
          ['Subtotal', 4000],
          ['Tax (20%)', 800],
          ['Total credited', 4800],
        ],
      ],
      // Issued before the discount share was recorded (linesValue only when capped): read the same way.
      [
        note({ total: 3600, tax: 600 }),
        [
          ['Subtotal', 4000],
          ['Discount share', -1000],
          ['Tax (20%)', 600],
          ['Total credited', 3600],
        ],
      ],
      [
        note({ pricesIncludeTax: true, linesValue: 3000, total: 2500, tax: 417 }),
        [
          ['Subtotal', 4000],
          ['Discount share', -1000],
          ['Limited to what was left to refund', -500],
          ['Total credited', 2500],
          ['Of which tax (20%)', 417],
        ],
      ],
    ];
    for (const [doc, expected] of cases) {
      expect(shown(doc)).toEqual(expected);
      addsUp(doc);
    }
    // Without lines, the one row is the amount: nothing to take it anywhere.
    expect(shown(note({ lines: [], total: 1200, tax: 200 }))).toEqual([
      ['Total credited', 1200],
      ['Of which tax (20%)', 200],
    ]);
  });
});

describe('pdf text', () => {
  it('keeps what the embedded font prints, composed, with its spaces normalized', () => {
    expect(pdfText('Zoë “Ann” O’Brien – €5')).toBe('Zoë “Ann” O’Brien – €5');
    expect(pdfText('Łódź Gdańsk  Őrség\u202f1')).toBe('Łódź Gdańsk Őrség 1');
    expect(pdfText('Łukasz Łapiński, Đorđe Hadžić, Yıldız')).toBe('Łukasz Łapiński, Đorđe Hadžić, Yıldız');
    expect(pdfText('Γιώργος Παπαδόπουλος, Иван Петров, Nguyễn Thị')).toBe(
      'Γιώργος Παπαδόπουλος, Иван Петров, Nguyễn Thị',
    );
    expect(pdfText(' Dvor\u030cák\n\t\u00a0Praha ')).toBe('Dvořák Praha');
  });

  it('puts right-to-left words in drawing order, left to right, and leaves other lines alone', () => {
    // A line that starts right to left reads from the right: its first word is drawn last (rightmost).
    expect(visualOrder('דוד כהן')).toBe('כהן דוד');
    expect(visualOrder('ספל קפה גדול')).toBe('גדול קפה ספל');
    // Numbers and Latin words keep their own order inside it.
    expect(visualOrder('محمد علي 123 شارع')).toBe('شارع 123 علي محمد');
    expect(visualOrder('רחוב Main Street 5')).toBe('Main Street 5 רחוב');
    // A left-to-right line turns only its right-to-left runs around.
    expect(visualOrder('Mug ספל קפה, large')).toBe('Mug קפה, ספל large');
    expect(visualOrder('Order 42: שלום Ann')).toBe('Order 42: שלום Ann');
    for (const line of ['Łukasz Dvořák', 'Οδός Ερμού 12', 'ул. Тверская, д. 7', '東京'])
      expect(visualOrder(line)).toBe(line);
  });

  it('replaces a character the font lacks (CJK, Thai) with ?', () => {
    expect(pdfText('東京')).toBe('??');
    expect(pdfText('Tōkyō 東京都')).toBe('Tōkyō ???');
    expect(pdfText('กรุงเทพ')).toBe('???????');
    expect(pdfText('\u0007bell\u0085')).toBe('?bell?');
  });

  it('keeps exactly the characters both DejaVu faces have a glyph for, as fontkit reads them', async () => {
    const { create } = await import('fontkit');
    const resolve = createRequire(import.meta.url).resolve;
    const characters = (file: string) => {
      const font = create(readFileSync(resolve(`dejavu-fonts-ttf/ttf/${file}`)));
      if ('fonts' in font) throw new Error(`${file} is a collection`);
      return new Set(font.characterSet);
    };
    const regular = characters('DejaVuSans.ttf');
    const bold = characters('DejaVuSans-Bold.ttf');
    const wrong: string[] = [];
    let kept = 0;
    for (let code = 0x20; code <= 0x2ffff; code++) {
      const char = String.fromCodePoint(code);
      // Surrogates, spaces (made one space, trimmed) and what NFC changes are not printed as themselves.
      if ((code >= 0xd800 && code <= 0xdfff) || /\s/.test(char) || char.normalize('NFC') !== char) continue;
      const printed = regular.has(code) && bold.has(code) && (code < 0x7f || code > 0x9f);
      if (printed) kept++;
      if ((pdfText(char) === char) !== printed) wrong.push(code.toString(16));
    }
    expect(wrong).toEqual([]);
    expect(kept).toBeGreaterThan(5000);
  });
});
