import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CommittedEvent } from '../../platform/outbox.ts';
import { staffToken, useTestApp } from '../../../test/app.ts';
import { orderFixtures } from '../../../test/support/orders.ts';
import { markPaymentFailed } from '../orders/orders.service.ts';
import { salesOrdersOf, stockVariantsOf } from './index.ts';

/**
 * The catalog's outbox consumers skip events that cannot change their state (ADR 0040's profile): a settlement's
 * `inventory` event (no level's availability moved), order events that never change a status. These tests show
 * the state is still updated whenever it must be: the stock copy on every availability change, the in-stock flag
 * when a variant goes in or out of stock, the sold counts when an order is paid or cancelled.
 */
const { app, config, databaseUrl } = await useTestApp();
const staff = await staffToken(app);
const fixtures = orderFixtures(app, config, staff);

const sql = <T>(text: string, params: unknown[] = []) => app.orm.em.fork().execute<T[]>(text, params);

const event = (resource: string, ids: string[], payload?: Record<string, unknown>): CommittedEvent => ({
  id: 1,
  resource,
  ids,
  type: 'updated',
  ...(payload ? { payload } : {}),
  at: new Date(),
  position: '1:1',
});

async function adjust(variantId: string, delta: number): Promise<void> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/admin/inventory/adjustments',
    headers: { authorization: staff },
    payload: { variantId, delta, reason: 'test' },
  });
  expect(response.statusCode).toBe(201);
}

async function copy(variantId: string) {
  await app.outbox.drain();
  const [stock] = await sql<{ available: number }>(
    `SELECT available FROM catalog_variant_stock WHERE variant_id = ?`,
    [variantId],
  );
  const [search] = await sql<{ in_stock: boolean; sold_count: number }>(
    `SELECT ps.in_stock, ps.sold_count FROM product_search ps JOIN variant v ON v.product_id = ps.product_id WHERE v.id = ?`,
    [variantId],
  );
  return { available: stock?.available, inStock: search?.in_stock, sold: search?.sold_count };
}

const inventoryEvents = async (orderId: string) =>
  (
    await sql<{ payload: string }>(
      `SELECT payload::text AS payload FROM outbox_event WHERE resource = 'inventory' AND payload->>'orderId' = ? ORDER BY id`,
      [orderId],
    )
  ).map((row) => JSON.parse(row.payload) as Record<string, unknown>);

describe('which events the catalog consumers act on', () => {
  it('stock: inventory events, except those saying no availability moved; each variant once', () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    expect(
      stockVariantsOf([
        event('inventory', [a], { event: 'reserved', availabilityChanged: true }),
        event('inventory', [b], { event: 'sold', availabilityChanged: false }),
        event('inventory', [c, a]), // written before the fact existed: acted on
        event('orders', [b], { event: 'paid' }),
        event('inventory', ['not-a-uuid'], { event: 'adjusted' }),
      ]).sort(),
    ).toEqual([a, c].sort());
  });

  it('sold counts: order events that can change a status, each order once', () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    expect(
      salesOrdersOf([
        event('orders', [a], { event: 'placed' }),
        event('orders', [a], { event: 'payment_captured' }),
        event('orders', [a], { event: 'paid' }),
        event('orders', [a], { event: 'invoice_issued' }),
        event('orders', [b], { event: 'payment_authorized' }),
        event('orders', [b], { event: 'credit_note_issued' }),
        event('orders', [c], { event: 'refund_reversed' }),
        event('orders', [c]),
        event('inventory', [b], { event: 'sold' }),
      ]).sort(),
    ).toEqual([a, c].sort());
  });
});

describe('the catalog state still follows every change that matters', () => {
  it('inventory events say whether availability moved: a reservation does, its settlement does not', async () => {
    const product = await fixtures.product([{}]);
    const order = await fixtures.order([{ variantId: product.variants[0]!.id, quantity: 2 }]);
    const payloads = await inventoryEvents(order.id);
    expect(payloads.map((p) => [p.event, p.availabilityChanged])).toEqual([
      ['reserved', true],
      ['sold', false],
    ]);
  });

  it('copies every availability change, flips the in-stock flag at zero and back, counts the sale', async () => {
    const product = await fixtures.product([{}]);
    const variantId = product.variants[0]!.id;
    expect(await copy(variantId)).toEqual({ available: 100, inStock: true, sold: 0 });

    // Stays in stock: the copy still follows the reservation (settling it leaves availability as it was).
    await fixtures.order([{ variantId, quantity: 3 }]);
    expect(await copy(variantId)).toEqual({ available: 97, inStock: true, sold: 3 });

    // The last units: out of stock, announced as catalog_stock.
    await adjust(variantId, -95);
    const before = await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox_event WHERE resource = 'catalog_stock' AND ? = ANY (ids)`,
      [variantId],
    );
    await fixtures.order([{ variantId, quantity: 2 }]);
    expect(await copy(variantId)).toEqual({ available: 0, inStock: false, sold: 5 });
    const after = await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox_event WHERE resource = 'catalog_stock' AND ? = ANY (ids)`,
      [variantId],
    );
    expect(after[0]!.n).toBe(before[0]!.n + 1);

    // Restocked: in stock again.
    await adjust(variantId, 4);
    expect(await copy(variantId)).toEqual({ available: 4, inStock: true, sold: 5 });

    // An unpaid order reserves (the copy follows) and sells nothing; its payment failing gives the units back.
    const unpaid = await fixtures.order([{ variantId, quantity: 4 }], { pay: false });
    expect(await copy(variantId)).toEqual({ available: 0, inStock: false, sold: 5 });
    await markPaymentFailed(app.orm.em.fork() as EntityManager, unpaid.id, 'declined');
    expect(await copy(variantId)).toEqual({ available: 4, inStock: true, sold: 5 });
  });

  it('events handled in one batch: the copy, the flag and the counts are as after one event at a time', async () => {
    const product = await fixtures.product([{}, {}]);
    const [red, blue] = product.variants.map((v) => v.id) as [string, string];
    await adjust(red, -98);
    await adjust(blue, -99);
    await app.outbox.drain();
    // The catalog consumers' cursors held (they skip locked cursors) while three orders are placed and paid: their
    // events then reach each consumer together.
    const holder = new pg.Client({ connectionString: databaseUrl });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(
        `SELECT 1 FROM outbox_cursor WHERE consumer IN ('catalog-stock', 'catalog-sold') FOR UPDATE`,
      );
      await fixtures.order([{ variantId: red, quantity: 1 }]);
      await fixtures.order([{ variantId: blue, quantity: 1 }]);
      await fixtures.order([{ variantId: red, quantity: 1 }]);
      await holder.query('COMMIT');
    } finally {
      await holder.end();
    }
    expect(await copy(red)).toEqual({ available: 0, inStock: false, sold: 3 });
    expect(await copy(blue)).toEqual({ available: 0, inStock: false, sold: 3 });
    const announced = await sql<{ ids: string[] }>(
      `SELECT ids FROM outbox_event WHERE resource = 'catalog_stock' AND (? = ANY (ids) OR ? = ANY (ids))`,
      [red, blue],
    );
    // In stock when first copied, out of stock now: both announced (stock alerts and live screens follow).
    expect(new Set(announced.flatMap((e) => e.ids).filter((id) => id === red || id === blue))).toEqual(
      new Set([red, blue]),
    );
  });
});
