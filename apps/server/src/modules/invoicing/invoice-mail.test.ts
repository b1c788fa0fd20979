import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { staffToken, useTestApp } from '../../../test/app.ts';
import { decodeQuotedPrintable, startSmtpServer, type ReceivedMail } from '../../../test/support/smtp.ts';
import { prepared } from '../../platform/prepared.ts';
import { commerceFixtures } from '../cart/test-helpers.ts';
import { sellerFrom } from './index.ts';
import { documentsForEvent } from './invoice-events.ts';
import { documentMailKey, mailIssuedDocument } from './invoice-mail.ts';
import { InvoicingService } from './invoicing.service.ts';
import { paidEvent, pdfToText } from './test-helpers.ts';

const smtp = await startSmtpServer();
afterAll(() => smtp.close());
const { app, config } = await useTestApp({
  SMTP_URL: smtp.url,
  MAIL_FROM: 'Ledger Shop <shop@ledger.test>',
  STORE_NAME: 'Ledger Shop',
  TAX_RATE_BPS: '2000',
});
const staff = await staffToken(app);
const fx = commerceFixtures(app, staff);
const fork = () => app.orm.em.fork() as EntityManager;
/** The service as the module wires it: issuing queues the document's e-mail. */
const service = (em: EntityManager) =>
  new InvoicingService(em, app.cipher, sellerFrom(config), mailIssuedDocument(app.mailer));

const address = {
  name: 'Quinn Ledger',
  line1: '3 Receipt Row',
  city: 'Portland',
  region: 'OR',
  postalCode: '97201',
  country: 'US',
};

interface Document {
  id: string;
  kind: 'invoice' | 'credit_note';
  number: string;
  total: { amount: number; currency: string };
}

/** An order through the store API, paid at once with `tok_visa` (`tok_threeDSecure` leaves it unpaid). */
async function placeOrder(
  email: string,
  prices: number[],
  options: { auth?: string; token?: string } = {},
): Promise<{ id: string; number: string }> {
  const product = await fx.product(prices, 50);
  const cartId = await fx.cart(options.auth);
  for (const variant of product.variants)
    expect((await fx.add(cartId, variant.id, 1, options.auth)).statusCode).toBe(200);
  const response = await app.inject({
    method: 'POST',
    url: `/api/store/carts/${cartId}/checkout`,
    headers: { 'idempotency-key': randomUUID(), ...(options.auth ? { authorization: options.auth } : {}) },
    payload: {
      email,
      shippingAddress: address,
      payment: { provider: 'test', token: options.token ?? 'tok_visa' },
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ order: { id: string; number: string } }>().order;
}

const documentsOf = async (orderId: string) => {
  const response = await app.inject({
    url: `/api/admin/invoices?orderId=${orderId}&sort=issuedAt&order=ASC`,
    headers: { authorization: staff },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ data: Document[] }>().data;
};

/** The consumers issue the documents (and queue their e-mails); the sender sends what is queued. */
async function deliver() {
  await app.outbox.drain();
  await app.mailer.sendPending(fork());
}

const mailRows = (documentId: string) =>
  prepared<{ id: string; status: string; template: string; envelope: string; last_error: string | null }>(
    fork(),
    `SELECT id, status, template, envelope, last_error FROM outgoing_mail WHERE dedupe_key = ?`,
    [documentMailKey(documentId)],
  );

interface MimePart {
  headers: Map<string, string>;
  body: string;
}

/** A MIME entity's headers (unfolded, names lower-cased) and body. */
function mimeEntity(raw: string): MimePart {
  const split = /\r?\n\r?\n/.exec(raw);
  const head = split ? raw.slice(0, split.index) : raw;
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: split ? raw.slice(split.index + split[0].length) : '' };
}

/** The leaf parts of a MIME message, multiparts walked through. */
function mimeParts(raw: string): MimePart[] {
  const { headers, body } = mimeEntity(raw);
  const boundary = /boundary="?([^";]+)"?/i.exec(headers.get('content-type') ?? '')?.[1];
  if (!boundary) return [{ headers, body }];
  return body
    .split(`--${boundary}`)
    .slice(1)
    .filter((chunk) => !chunk.startsWith('--'))
    .flatMap((chunk) => mimeParts(chunk.replace(/^\r?\n/, '')));
}

/** A received e-mail as its reader sees it: subject, plain-text part, attachments (decoded). */
function opened(mail: ReceivedMail) {
  const parts = mimeParts(mail.raw);
  const text = parts.find((part) => part.headers.get('content-type')?.startsWith('text/plain'));
  return {
    subject: mimeEntity(mail.raw).headers.get('subject'),
    text: text ? decodeQuotedPrintable(text.body) : '',
    attachments: parts
      .filter((part) => /^attachment/i.test(part.headers.get('content-disposition') ?? ''))
      .map((part) => ({
        filename: /filename="?([^";]+)"?/i.exec(part.headers.get('content-disposition')!)?.[1],
        contentType: part.headers.get('content-type')!.split(';')[0],
        content: Buffer.from(part.body.replace(/\s+/g, ''), 'base64'),
      })),
  };
}

const receivedBy = (to: string) => smtp.received.filter((mail) => mail.to.includes(to)).map(opened);
const documentMails = (to: string) =>
  receivedBy(to).filter((mail) => /^Your (invoice|credit note) /.test(mail.subject ?? ''));

describe('the invoice e-mail', () => {
  it("sends the paid order's invoice once to the order's address, its PDF attached and drawn at send time", async () => {
    const customer = await fx.customer();
    const email = `quinn-${randomUUID().slice(0, 8)}@example.test`;
    const order = await placeOrder(email, [2500, 3000], { auth: customer.auth });
    await deliver();

    const [invoice, ...none] = await documentsOf(order.id);
    expect(none).toEqual([]);
    const mails = documentMails(email);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail!.subject).toBe(`Your invoice ${invoice!.number} for order ${order.number}`);
    // 25.00 + 30.00 = 55.00 (shipping free over 50.00), tax 20% added: 66.00.
    for (const fact of [`Order: ${order.number}`, `Invoice: ${invoice!.number}`, 'Total: $66.00'])
      expect(mail!.text, fact).toContain(fact);
    expect(mail!.text).toContain('Hello Quinn Ledger,');
    expect(mail!.attachments).toHaveLength(1);
    const [pdf] = mail!.attachments;
    expect(pdf).toMatchObject({ filename: `${invoice!.number}.pdf`, contentType: 'application/pdf' });
    expect(pdf!.content.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfToText(pdf!.content);
    for (const expected of ['Invoice', invoice!.number, order.number, 'Quinn Ledger', '$66.00'])
      expect(text, expected).toContain(expected);

    // The queue holds the document's id and the e-mail's facts, sealed; never the PDF.
    const [row, ...more] = await mailRows(invoice!.id);
    expect(more).toEqual([]);
    expect(row).toMatchObject({ status: 'sent', template: 'invoice-issued', last_error: null });
    expect(app.cipher.decryptJson(row!.envelope)).toEqual({
      to: email,
      data: {
        documentId: invoice!.id,
        documentNumber: invoice!.number,
        orderNumber: order.number,
        customerName: 'Quinn Ledger',
        total: 6600,
        currency: 'USD',
      },
    });
  });

  it('sends a guest their invoice too', async () => {
    const email = `guest-${randomUUID().slice(0, 8)}@example.test`;
    const order = await placeOrder(email, [1800]);
    await deliver();
    const [invoice] = await documentsOf(order.id);
    const [mail, ...none] = documentMails(email);
    expect(none).toEqual([]);
    expect(mail!.subject).toBe(`Your invoice ${invoice!.number} for order ${order.number}`);
    expect(mail!.attachments.map((file) => file.filename)).toEqual([`${invoice!.number}.pdf`]);
    expect(pdfToText(mail!.attachments[0]!.content)).toContain(invoice!.number);
  });

  it('sends one e-mail per document when the issuing consumer runs twice', async () => {
    const email = `twice-${randomUUID().slice(0, 8)}@example.test`;
    const order = await placeOrder(email, [1200]);
    await deliver();
    const [invoice] = await documentsOf(order.id);

    // The consumer replays every event (a cursor restored from a backup), and the paid event is handled
    // again by hand.
    await prepared(fork(), `UPDATE outbox_cursor SET position = '0:0' WHERE consumer = 'invoicing'`);
    await deliver();
    await fork().transactional((tx) => documentsForEvent(paidEvent(order.id), service(tx), app.log));
    await deliver();

    expect(await documentsOf(order.id)).toEqual([invoice]);
    expect(await mailRows(invoice!.id)).toHaveLength(1);
    expect(documentMails(email)).toHaveLength(1);
  });

  it('is queued by the transaction that issues the document: none when it rolls back', async () => {
    const email = `rollback-${randomUUID().slice(0, 8)}@example.test`;
    const order = await placeOrder(email, [900], { token: 'tok_threeDSecure' });
    await app.outbox.drain();
    // Paid without an event: only the issue below invoices it.
    await prepared(fork(), `UPDATE orders SET status = 'paid', paid_at = now() WHERE id = ?::uuid`, [
      order.id,
    ]);
    let attempted: string | undefined;
    let queuedInside: number | undefined;
    await expect(
      fork().transactional(async (tx) => {
        attempted = (await service(tx).issueInvoice(order.id))!.id;
        [{ n: queuedInside }] = (await prepared<{ n: number }>(
          tx,
          `SELECT count(*)::int AS n FROM outgoing_mail WHERE dedupe_key = ?`,
          [documentMailKey(attempted)],
        )) as [{ n: number }];
        throw new Error('forced failure after the issue');
      }),
    ).rejects.toThrow('forced failure');
    expect(queuedInside).toBe(1);
    expect(await documentsOf(order.id)).toEqual([]);
    expect(await mailRows(attempted!)).toEqual([]);

    const issued = (await fork().transactional((tx) => service(tx).issueInvoice(order.id)))!;
    await app.mailer.sendPending(fork());
    expect(documentMails(email).map((mail) => mail.subject)).toEqual([
      `Your invoice ${issued.number} for order ${order.number}`,
    ]);
  });
});

describe('the credit note e-mail', () => {
  it('sends each credit note with its PDF, naming the invoice it corrects', async () => {
    const email = `refund-${randomUUID().slice(0, 8)}@example.test`;
    const order = await placeOrder(email, [5000]);
    await deliver();
    const refund = await app.inject({
      method: 'POST',
      url: `/api/admin/orders/${order.id}/refund`,
      headers: { authorization: staff },
      payload: { amount: 1500 },
    });
    expect(refund.statusCode, refund.body).toBe(200);
    await deliver();

    const [invoice, note, ...none] = await documentsOf(order.id);
    expect(none).toEqual([]);
    expect(note).toMatchObject({ kind: 'credit_note', total: { amount: 1500 } });
    const mails = documentMails(email);
    expect(mails.map((mail) => mail.subject)).toEqual([
      `Your invoice ${invoice!.number} for order ${order.number}`,
      `Your credit note ${note!.number} for order ${order.number}`,
    ]);
    const mail = mails[1]!;
    for (const fact of [
      `Credit note: ${note!.number}`,
      `Corrects invoice: ${invoice!.number}`,
      'Credited: $15.00',
    ])
      expect(mail.text, fact).toContain(fact);
    expect(mail.attachments).toHaveLength(1);
    const [pdf] = mail.attachments;
    expect(pdf).toMatchObject({ filename: `${note!.number}.pdf`, contentType: 'application/pdf' });
    expect(pdf!.content.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfToText(pdf!.content);
    for (const expected of ['Credit note', note!.number, 'Corrects invoice', invoice!.number, '$15.00'])
      expect(text, expected).toContain(expected);
    expect((await mailRows(note!.id))[0]).toMatchObject({ status: 'sent', template: 'credit-note-issued' });
  });
});

describe('an erased customer', () => {
  it('gets no credit note e-mail: one waiting is withdrawn, one issued after the erasure is not queued', async () => {
    const customer = await fx.customer();
    const email = `erased-${randomUUID().slice(0, 8)}@example.test`;
    const waiting = await placeOrder(email, [3000], { auth: customer.auth });
    const late = await placeOrder(email, [2000], { auth: customer.auth });
    await deliver();
    expect(documentMails(email)).toHaveLength(2); // the two invoices

    const cancel = (orderId: string) =>
      app.inject({
        method: 'POST',
        url: `/api/admin/orders/${orderId}/cancel`,
        headers: { authorization: staff },
        payload: {},
      });
    // Cancelled and refunded: the first order's credit note is issued and its e-mail waits to be sent...
    expect((await cancel(waiting.id)).statusCode).toBe(200);
    await app.outbox.drain();
    const [, waitingNote] = await documentsOf(waiting.id);
    expect(await mailRows(waitingNote!.id)).toMatchObject([{ status: 'pending' }]);
    // ...and the second order's refund is issued around the erasure (the outbox pump runs in the background).
    expect((await cancel(late.id)).statusCode).toBe(200);
    const erased = await app.inject({
      method: 'POST',
      url: `/api/admin/customers/${customer.id}/erase`,
      headers: { authorization: staff },
    });
    expect(erased.statusCode, erased.body).toBe(200);
    await deliver();

    // The second credit note names the invoice's buyer, but the order no longer names their address.
    const [, lateNote] = await documentsOf(late.id);
    expect(lateNote).toMatchObject({ kind: 'credit_note' });
    // Issued after the erasure: nothing queued (the order names a `.invalid` placeholder); issued just before
    // it: queued, then withdrawn at send time. Either way nothing goes out.
    const lateMail = await mailRows(lateNote!.id);
    expect(lateMail.map((row) => row.status)).toEqual(lateMail.length ? ['failed'] : []);
    const [withdrawn] = await mailRows(waitingNote!.id);
    expect(withdrawn).toMatchObject({ status: 'failed' });
    expect(withdrawn!.last_error).toMatch(/^withdrawn: /);
    expect(documentMails(email)).toHaveLength(2);
    expect(await app.mailer.send(fork(), withdrawn!.id)).toBe('skipped');
  });
});
