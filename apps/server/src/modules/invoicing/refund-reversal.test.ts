import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { staffToken, useTestApp } from '../../../test/app.ts';
import { prepared } from '../../platform/prepared.ts';
import { commerceFixtures } from '../cart/test-helpers.ts';
import { pdfToText } from './test-helpers.ts';

const { app } = await useTestApp({ STORE_NAME: 'Reversal Test Shop', TAX_RATE_BPS: '2000' });
const staff = await staffToken(app);
const fx = commerceFixtures(app, staff);
const fork = () => app.orm.em.fork() as EntityManager;

interface DocumentDto {
  id: string;
  kind: 'invoice' | 'credit_note';
  number: string;
  total: { amount: number };
  tax: { amount: number };
}

const admin = (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) =>
  app.inject({ method, url, headers: { authorization: staff }, ...(payload ? { payload } : {}) });

const documentsOf = async (orderId: string) => {
  const response = await admin('GET', `/api/admin/invoices?orderId=${orderId}&sort=issuedAt&order=ASC`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ data: DocumentDto[] }>().data;
};

/** The gateway says a refund that went through failed afterwards (Stripe's `refund.failed`). */
async function reverse(refundId: string) {
  const [row] = await prepared<{ payment_ref: string; refund_ref: string | null; amount: number }>(
    fork(),
    `SELECT p.provider_ref AS payment_ref, r.provider_ref AS refund_ref, r.amount::int AS amount
       FROM payment_refund r JOIN payment p ON p.id = r.payment_id WHERE r.id = ?::uuid`,
    [refundId],
  );
  // The test gateway's side of it: the money is the payment's again.
  await prepared(
    fork(),
    `UPDATE test_gateway_intent SET refunded_amount = refunded_amount - ? WHERE id = ?`,
    [row!.amount, row!.payment_ref],
  );
  await app.payments.handleWebhook({
    id: `evt_${randomUUID()}`,
    type: 'refund.failed',
    refund: {
      paymentRef: row!.payment_ref,
      ref: row!.refund_ref ?? `re_${refundId}`,
      refundId,
      amount: row!.amount,
      status: 'failed',
      failureReason: 'expired_or_canceled_card',
    },
  });
}

describe('credit notes of refunds reversed later', () => {
  it('cancels the credit note with an invoice, and credits the same units and money again when refunded again', async () => {
    const product = await fx.product([2500], 50);
    const cartId = await fx.cart();
    expect((await fx.add(cartId, product.variants[0]!.id, 2)).statusCode).toBe(200);
    const checkout = await app.inject({
      method: 'POST',
      url: `/api/store/carts/${cartId}/checkout`,
      headers: { 'idempotency-key': randomUUID() },
      payload: {
        email: 'reversal@example.test',
        shippingAddress: {
          name: 'Ренат Возвратов',
          line1: '1 Ledger Lane',
          city: 'Portland',
          region: 'OR',
          postalCode: '97201',
          country: 'US',
        },
        payment: { provider: 'test', token: 'tok_visa' },
      },
    });
    expect(checkout.statusCode, checkout.body).toBe(201);
    const order = checkout.json<{ order: { id: string } }>().order;
    await app.outbox.drain();
    const [invoice] = await documentsOf(order.id);
    const detail = (await admin('GET', `/api/admin/orders/${order.id}`)).json<{ lines: { id: string }[] }>();
    const line = detail.lines[0]!;

    // One unit back by line: 25.00 + 20% = 30.00.
    const refund = await admin('POST', `/api/admin/orders/${order.id}/refund`, {
      lines: [{ orderLineId: line.id, quantity: 1 }],
    });
    expect(refund.statusCode, refund.body).toBe(200);
    await app.outbox.drain();
    const [refunded] = await prepared<{ id: string }>(
      fork(),
      `SELECT r.id FROM payment_refund r JOIN payment p ON p.id = r.payment_id
        WHERE p.order_id = ?::uuid AND r.status = 'succeeded'`,
      [order.id],
    );
    const [, note] = await documentsOf(order.id);
    expect(note).toMatchObject({ kind: 'credit_note', total: { amount: 3000 }, tax: { amount: 500 } });

    // The refund fails at the gateway after it went through: the money stayed with the store.
    await reverse(refunded!.id);
    await app.outbox.drain();
    const [, , reversal, ...none] = await documentsOf(order.id);
    expect(none).toEqual([]);
    expect(reversal).toMatchObject({ kind: 'invoice', total: { amount: 3000 }, tax: { amount: 500 } });
    const pdf = await admin('GET', `/api/admin/invoices/${reversal!.id}/pdf`);
    expect(pdf.statusCode).toBe(200);
    const text = pdfToText(pdf.rawPayload);
    expect(text).toMatch(new RegExp(`Cancels credit note\\s+${note!.number}`));
    expect(text).toContain('Ренат Возвратов');
    expect(text).toMatch(/Total\s+\$30\.00/);

    // The register adds up to what the store holds: the invoice, less nothing.
    const register = await admin('GET', `/api/admin/invoices/export?kind=invoice`);
    const rows = (parse(register.body) as string[][]).filter((row) =>
      [invoice!.number, reversal!.number].includes(row[0]!),
    );
    expect(rows.map((row) => row[1])).toEqual(['invoice', 'invoice']);

    // The same unit refunded again, then the rest of the order: each has its credit note, the first listing
    // the unit, and together they credit the whole invoice.
    const again = await admin('POST', `/api/admin/orders/${order.id}/refund`, {
      lines: [{ orderLineId: line.id, quantity: 1 }],
    });
    expect(again.statusCode, again.body).toBe(200);
    await app.outbox.drain();
    const rest = await admin('POST', `/api/admin/orders/${order.id}/refund`, {
      amount: invoice!.total.amount - 3000,
    });
    expect(rest.statusCode, rest.body).toBe(200);
    await app.outbox.drain();
    const [, , , second, third, ...more] = await documentsOf(order.id);
    expect(more).toEqual([]);
    expect(second).toMatchObject({ kind: 'credit_note', total: { amount: 3000 }, tax: { amount: 500 } });
    expect(third).toMatchObject({
      kind: 'credit_note',
      total: { amount: invoice!.total.amount - 3000 },
      tax: { amount: invoice!.tax.amount - 500 },
    });
    const [listed] = await prepared<{ line_quantities: { orderLineId: string; quantity: number }[] }>(
      fork(),
      `SELECT line_quantities FROM invoice WHERE id = ?::uuid`,
      [second!.id],
    );
    expect(listed!.line_quantities).toEqual([{ orderLineId: line.id, quantity: 1 }]);
  });

  it('issues the cancelling invoice once, however often the reversal is delivered', async () => {
    const product = await fx.product([1000], 50);
    const cartId = await fx.cart();
    expect((await fx.add(cartId, product.variants[0]!.id, 1)).statusCode).toBe(200);
    const checkout = await app.inject({
      method: 'POST',
      url: `/api/store/carts/${cartId}/checkout`,
      headers: { 'idempotency-key': randomUUID() },
      payload: {
        email: 'twice@example.test',
        shippingAddress: {
          name: 'Ada Twice',
          line1: '2 Ledger Lane',
          city: 'Portland',
          region: 'OR',
          postalCode: '97201',
          country: 'US',
        },
        payment: { provider: 'test', token: 'tok_visa' },
      },
    });
    const order = checkout.json<{ order: { id: string } }>().order;
    await app.outbox.drain();
    expect((await admin('POST', `/api/admin/orders/${order.id}/refund`, { amount: 600 })).statusCode).toBe(
      200,
    );
    await app.outbox.drain();
    const [refunded] = await prepared<{ id: string }>(
      fork(),
      `SELECT r.id FROM payment_refund r JOIN payment p ON p.id = r.payment_id WHERE p.order_id = ?::uuid`,
      [order.id],
    );
    await reverse(refunded!.id);
    await reverse(refunded!.id);
    await app.outbox.drain();
    const kinds = (await documentsOf(order.id)).map((doc) => [doc.kind, doc.total.amount]);
    expect(kinds).toEqual([
      ['invoice', expect.any(Number)],
      ['credit_note', 600],
      ['invoice', 600],
    ]);
  });
});
