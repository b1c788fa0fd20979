import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { staffToken, useTestApp } from './app.ts';
import { orderFixtures } from './support/orders.ts';
import type { CommittedEvent } from '../src/platform/outbox.ts';
import type { Mailer } from '../src/modules/notifications/mailer.ts';
import {
  batchLookup,
  mailForEvent,
  type OrderForMail,
  type OrderLookup,
} from '../src/modules/notifications/order-events.ts';

// The notifications consumer reads the orders a batch's e-mails name once for the batch (ADR 0040's profile):
// events that mail nothing read nothing, and every e-mail still names its own order.
const { app, config } = await useTestApp();
const fixtures = orderFixtures(app, config, await staffToken(app));
const em = () => app.orm.em.fork() as EntityManager;

let seq = 0;
const event = (resource: string, ids: string[], payload: Record<string, unknown>): CommittedEvent => ({
  id: ++seq,
  resource,
  ids,
  type: 'updated',
  payload,
  at: new Date(),
  position: `0:${seq}`,
});

describe('customer e-mails a batch at a time', () => {
  it('reads only the orders that get an e-mail, once, and mails each with its own order', async () => {
    const product = await fixtures.product([{ price: 1200 }]);
    const variantId = product.variants[0]!.id;
    const first = await fixtures.order([{ variantId, quantity: 1 }], { email: 'first@example.test' });
    const second = await fixtures.order([{ variantId, quantity: 2 }], { email: 'second@example.test' });
    const quiet = await fixtures.order([{ variantId, quantity: 1 }], { email: 'quiet@example.test' });
    const events = [
      event('orders', [first.id], { event: 'placed' }),
      event('orders', [first.id], { event: 'paid' }),
      event('orders', [quiet.id], { event: 'payment_captured', amount: 1 }),
      event('orders', [quiet.id], { event: 'cancelled', reason: 'payment_failed: card_declined' }),
      event('shipments', [randomUUID()], { event: 'shipped', orderId: second.id, carrier: 'UPS' }),
      event('orders', [second.id], { event: 'paid' }),
      event('orders', [randomUUID()], { event: 'paid' }), // no such order: no e-mail, the others go on
    ];
    const asked: string[][] = [];
    const single: string[] = [];
    const one: OrderLookup = async (_em, id) => {
      single.push(id);
      return null;
    };
    const { OrdersService } = await import('../src/modules/orders/index.ts');
    const many = async (tx: EntityManager, ids: string[]) => {
      asked.push(ids);
      const orders = await new OrdersService(tx, app.cipher).getOrdersForFulfilment(ids);
      return new Map<string, OrderForMail>(
        orders.map((order) => [
          order.id,
          { email: order.email, number: order.number, lines: order.lines.map((line) => ({ ...line })) },
        ]),
      );
    };
    const queued: { template: string; to: string; data: Record<string, unknown>; dedupeKey: string }[] = [];
    const mailer = {
      queueOnce: async (_em: EntityManager, mail: (typeof queued)[number]) => {
        queued.push(mail);
        return true;
      },
    } as unknown as Mailer;
    await em().transactional(async (tx) => {
      const lookup = await batchLookup(tx, events, many, one);
      for (const e of events) await mailForEvent(e, tx, mailer, lookup);
    });
    // One read, for the three e-mails' orders and the unknown one; none for the events that mail nothing.
    expect(asked).toHaveLength(1);
    expect(new Set(asked[0])).toEqual(new Set([first.id, second.id, events[6]!.ids[0]]));
    expect(single).toEqual([]);
    expect(queued.map(({ template, to, data }) => ({ template, to, orderNumber: data.orderNumber }))).toEqual(
      [
        { template: 'order-confirmation', to: 'first@example.test', orderNumber: first.number },
        { template: 'order-shipped', to: 'second@example.test', orderNumber: second.number },
        { template: 'order-confirmation', to: 'second@example.test', orderNumber: second.number },
      ],
    );
    expect(queued[2]!.data.lines).toMatchObject([{ quantity: 2 }]);
  });

  it('still e-mails every paid checkout through the consumer', async () => {
    const product = await fixtures.product([{ price: 900 }]);
    const orders = [
      await fixtures.order([{ variantId: product.variants[0]!.id, quantity: 1 }], {
        email: 'b1@example.test',
      }),
      await fixtures.order([{ variantId: product.variants[0]!.id, quantity: 3 }], {
        email: 'b2@example.test',
      }),
    ];
    await app.outbox.drain();
    const rows = await em().execute<{ dedupe_key: string; template: string }[]>(
      `SELECT m.dedupe_key, m.template FROM outgoing_mail m JOIN outbox_event e ON m.dedupe_key = 'event:' || e.id || ':order-confirmation'
        WHERE e.ids[1] = ANY(?::text[]) AND e.payload->>'event' = 'paid'`,
      [`{${orders.map((order) => order.id).join(',')}}`],
    );
    expect(rows).toHaveLength(2);
  });
});
