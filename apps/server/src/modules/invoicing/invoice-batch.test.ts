import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { staffToken, useTestApp } from '../../../test/app.ts';
import type { CommittedEvent } from '../../platform/outbox.ts';
import { prepared } from '../../platform/prepared.ts';
import { commerceFixtures } from '../cart/test-helpers.ts';
import { sellerFrom } from './index.ts';
import { documentsForEvents } from './invoice-events.ts';
import { InvoicingService } from './invoicing.service.ts';
import { paidEvent } from './test-helpers.ts';

// The invoicing consumer a batch at a time (ADR 0040's profile): what its `paid` events need is read once, and a
// capture whose invoice the batch already knows is decided without a look. These tests show that every document
// that must be issued still is.
const { app, config } = await useTestApp({ TAX_RATE_BPS: '2000' });
const staff = await staffToken(app);
const fx = commerceFixtures(app, staff);
const fork = () => app.orm.em.fork() as EntityManager;
const service = (em: EntityManager) => new InvoicingService(em, app.cipher, sellerFrom(config));

interface Doc {
  id: string;
  kind: 'invoice' | 'credit_note';
  number: string;
  seq: number;
  total: number;
  source: string;
}
const docsOf = (orderId: string) =>
  prepared<Doc>(
    fork(),
    `SELECT id, kind, number, seq, total, source FROM invoice WHERE order_id = ?::uuid ORDER BY kind DESC, seq`,
    [orderId],
  );

/**
 * An order paid without its `paid` event (so without an invoice yet): placed unpaid (`tok_threeDSecure`), then
 * marked paid by its payment in SQL, for the batches below to invoice.
 */
async function paidOrderWithoutInvoice(): Promise<{ id: string; paymentId: string; total: number }> {
  const product = await fx.product([2500], 50);
  const cartId = await fx.cart();
  expect((await fx.add(cartId, product.variants[0]!.id, 1)).statusCode).toBe(200);
  const response = await app.inject({
    method: 'POST',
    url: `/api/store/carts/${cartId}/checkout`,
    headers: { 'idempotency-key': randomUUID() },
    payload: {
      email: 'batch@example.test',
      shippingAddress: {
        name: 'Bea Batch',
        line1: '1 Run Road',
        city: 'Portland',
        postalCode: '97201',
        country: 'US',
      },
      payment: { provider: 'test', token: 'tok_threeDSecure' },
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  const orderId = response.json<{ order: { id: string } }>().order.id;
  const [order] = await prepared<{ payment_id: string; total: number }>(
    fork(),
    `UPDATE orders SET status = 'paid', paid_at = now(), payment_id = (SELECT id FROM payment WHERE order_id = orders.id)
      WHERE id = ?::uuid RETURNING payment_id, total`,
    [orderId],
  );
  expect(order!.payment_id).toBeTruthy();
  return { id: orderId, paymentId: order!.payment_id, total: order!.total };
}

const captured = (orderId: string, paymentId: string, amount: number): CommittedEvent => ({
  ...paidEvent(orderId),
  payload: { event: 'payment_captured', paymentId, currency: 'USD', amount },
});

const batch = (events: CommittedEvent[]) =>
  fork().transactional((tx) => documentsForEvents(events, service(tx), app.log));

describe('invoicing a batch at a time', () => {
  it('issues each paid order of a batch its invoice, in event order, once; a capture in the batch credits only what it left', async () => {
    const [a, b, c] = [
      await paidOrderWithoutInvoice(),
      await paidOrderWithoutInvoice(),
      await paidOrderWithoutInvoice(),
    ];
    await batch([
      paidEvent(a.id),
      captured(a.id, a.paymentId, a.total), // captured in full: nothing to credit
      paidEvent(b.id),
      captured(b.id, b.paymentId, b.total - 700), // 7.00 never charged: a credit note
      paidEvent(c.id),
      paidEvent(a.id), // delivered twice in the batch
    ]);
    const [docsA, docsB, docsC] = [await docsOf(a.id), await docsOf(b.id), await docsOf(c.id)];
    expect(docsA).toMatchObject([{ kind: 'invoice', total: a.total, source: 'paid' }]);
    expect(docsC).toMatchObject([{ kind: 'invoice', total: c.total }]);
    expect(docsB).toMatchObject([
      { kind: 'invoice', total: b.total },
      { kind: 'credit_note', total: 700, source: `uncaptured:${b.paymentId}` },
    ]);
    // Consecutive numbers in the order of the events.
    expect([docsA[0]!.seq + 1, docsA[0]!.seq + 2]).toEqual([docsB[0]!.seq, docsC[0]!.seq]);

    // The batch again (the cursor restored from a backup, say): nothing new, no number taken.
    const [next] = await prepared<{ next: number }>(
      fork(),
      `SELECT max(seq) + 1 AS next FROM invoice WHERE kind = 'invoice'`,
    );
    await batch([
      paidEvent(a.id),
      paidEvent(b.id),
      captured(b.id, b.paymentId, b.total - 700),
      paidEvent(c.id),
    ]);
    expect([await docsOf(a.id), await docsOf(b.id), await docsOf(c.id)]).toEqual([docsA, docsB, docsC]);
    const [after] = await prepared<{ next: number }>(
      fork(),
      `SELECT max(seq) + 1 AS next FROM invoice WHERE kind = 'invoice'`,
    );
    expect(after!.next).toBe(next!.next);
  });

  it('credits a partial capture that comes in a later batch, or in a batch that found the invoice already issued', async () => {
    const first = await paidOrderWithoutInvoice();
    await batch([paidEvent(first.id)]);
    await batch([captured(first.id, first.paymentId, first.total - 300)]);
    expect(await docsOf(first.id)).toMatchObject([
      { kind: 'invoice', total: first.total },
      { kind: 'credit_note', total: 300 },
    ]);

    const second = await paidOrderWithoutInvoice();
    await batch([paidEvent(second.id)]);
    // `paid` seen again: the batch finds the invoice issued (under the counter's lock) and the capture uses it.
    await batch([paidEvent(second.id), captured(second.id, second.paymentId, second.total - 400)]);
    expect(await docsOf(second.id)).toMatchObject([
      { kind: 'invoice', total: second.total },
      { kind: 'credit_note', total: 400 },
    ]);
  });

  it('issues nothing for an order never paid or missing, and still invoices the others of the batch', async () => {
    const paid = await paidOrderWithoutInvoice();
    const unpaid = await paidOrderWithoutInvoice();
    await prepared(fork(), `UPDATE orders SET paid_at = NULL WHERE id = ?::uuid`, [unpaid.id]);
    await batch([paidEvent(randomUUID()), paidEvent(unpaid.id), paidEvent(paid.id)]);
    expect(await docsOf(unpaid.id)).toEqual([]);
    expect(await docsOf(paid.id)).toMatchObject([{ kind: 'invoice', total: paid.total }]);
  });
});
