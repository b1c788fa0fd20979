import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { staffToken, useTestApp } from '../../../test/app.ts';
import { orderFixtures } from '../../../test/support/orders.ts';
import { OrdersService, SYSTEM } from '../orders/orders.service.ts';
import { recordStatements } from '../../../test/support/statements.ts';
import { reconcileOrderSales, reconcileOrdersSales } from './sold-count.ts';

const { app, config, databaseUrl } = await useTestApp();
const staff = await staffToken(app);
const fixtures = orderFixtures(app, config, staff);

async function bestSelling(): Promise<string[]> {
  await app.outbox.drain();
  app.storeCatalog.dropAnswers();
  const response = await app.inject({ url: '/api/store/products?sort=best_selling&perPage=50' });
  expect(response.statusCode).toBe(200);
  return response.json<{ data: { id: string }[] }>().data.map((p) => p.id);
}

async function soldCount(productId: string): Promise<number | undefined> {
  const rows = await app.orm.em
    .fork()
    .execute<{ sold_count: number }[]>(`SELECT sold_count FROM product_search WHERE product_id = ?`, [
      productId,
    ]);
  return rows[0]?.sold_count;
}

describe('best-selling follows real sales', () => {
  it('counts paid orders per product, ignores unpaid ones, takes back cancellations, survives re-publishing', async () => {
    const lamp = await fixtures.product([{}, {}]);
    const mug = await fixtures.product([{}]);
    const vase = await fixtures.product([{}]);
    const lampRed = lamp.variants[0]!;
    const lampBlue = lamp.variants[1]!;

    // Lamp: 1 + 1 units (two variants, one order); mug: 3 units; vase: 5 units but never paid.
    await fixtures.order([
      { variantId: lampRed.id, quantity: 1 },
      { variantId: lampBlue.id, quantity: 1 },
    ]);
    const mugOrder = await fixtures.order([{ variantId: mug.variants[0]!.id, quantity: 3 }]);
    await fixtures.order([{ variantId: vase.variants[0]!.id, quantity: 5 }], { pay: false });

    let order = await bestSelling();
    expect(order.slice(0, 2)).toEqual([mug.id, lamp.id]);
    expect(await soldCount(mug.id)).toBe(3);
    expect(await soldCount(lamp.id)).toBe(2);
    expect(await soldCount(vase.id)).toBe(0);

    // Replayed or repeated events count nothing twice.
    await app.orm.em
      .fork()
      .transactional((em) => reconcileOrderSales(em as EntityManager, app.cipher, mugOrder.id));
    expect(await soldCount(mug.id)).toBe(3);

    // The mug order is cancelled: its 3 units go, the lamp leads.
    await new OrdersService(app.orm.em.fork() as EntityManager, app.cipher).transition(
      mugOrder.id,
      'cancelled',
      SYSTEM,
      'customer changed their mind',
    );
    order = await bestSelling();
    expect(await soldCount(mug.id)).toBe(0);
    expect(order[0]).toBe(lamp.id);
    expect(order.indexOf(lamp.id)).toBeLessThan(order.indexOf(mug.id));

    // Archived then published again: the count is kept (it lives outside the store's read-model row).
    for (const action of ['archive', 'publish']) {
      const bulk = await app.inject({
        method: 'POST',
        url: '/api/admin/products/bulk',
        headers: { authorization: staff },
        payload: { ids: [lamp.id], action },
      });
      expect(bulk.statusCode).toBe(200);
    }
    expect(await soldCount(lamp.id)).toBe(2);
    expect((await bestSelling())[0]).toBe(lamp.id);
  });

  it('a batch of orders: read once, each counted as it stands (sold, undone, unpaid, unknown, named twice)', async () => {
    const lamp = await fixtures.product([{}, {}]);
    const mug = await fixtures.product([{}]);
    const vase = await fixtures.product([{}]);
    const [lampRed, lampBlue] = lamp.variants.map((v) => v.id) as [string, string];
    const mugId = mug.variants[0]!.id;
    // The consumer's cursor held while the orders are placed, so this test reconciles them first.
    const holder = new pg.Client({ connectionString: databaseUrl });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM outbox_cursor WHERE consumer = 'catalog-sold' FOR UPDATE`);
      const twoLines = await fixtures.order([
        { variantId: lampRed, quantity: 2 },
        { variantId: lampBlue, quantity: 1 },
      ]);
      const mugSold = await fixtures.order([{ variantId: mugId, quantity: 1 }]);
      const mugCancelled = await fixtures.order([{ variantId: mugId, quantity: 4 }]);
      await new OrdersService(app.orm.em.fork() as EntityManager, app.cipher).transition(
        mugCancelled.id,
        'cancelled',
        SYSTEM,
        'test',
      );
      const unpaid = await fixtures.order([{ variantId: vase.variants[0]!.id, quantity: 5 }], { pay: false });
      const ids = [
        twoLines.id,
        randomUUID(),
        mugSold.id,
        mugCancelled.id,
        unpaid.id,
        twoLines.id.toUpperCase(),
      ];
      const { statements } = await recordStatements(() =>
        app.orm.em.fork().transactional((em) => reconcileOrdersSales(em as EntityManager, app.cipher, ids)),
      );
      expect(statements.filter((s) => /\bFROM orders\b/.test(s))).toHaveLength(1);
      expect(statements.filter((s) => /\bFROM order_line\b/.test(s))).toHaveLength(1);
      expect(await soldCount(lamp.id)).toBe(3);
      expect(await soldCount(mug.id)).toBe(1);
      expect(await soldCount(vase.id)).toBe(0);
      await holder.query('COMMIT');
    } finally {
      await holder.end();
    }
    // The consumer then sees the same orders: nothing counted twice.
    await app.outbox.drain();
    expect(await soldCount(lamp.id)).toBe(3);
    expect(await soldCount(mug.id)).toBe(1);
    expect(await soldCount(vase.id)).toBe(0);
  });
});
