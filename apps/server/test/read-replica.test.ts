import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { staffToken, testConfig } from './app.ts';
import { createTestDatabase } from './database.ts';
import { orderFixtures } from './support/orders.ts';

/*
 * DATABASE_READ_URL points at a read replica: only catalogue reads may go there (docs/operations.md). The
 * replica is stood in for by the same database with every transaction read-only, so anything that writes
 * through the read pool fails here as it would on a hot standby.
 */
const database = await createTestDatabase();
const readOnly = new URL(database.url);
readOnly.searchParams.set('options', '-c default_transaction_read_only=on');
const base = await testConfig(database.url);
const config = { ...base, database: { ...base.database, readUrl: readOnly.toString() } };
const app = await buildApp(config);
afterAll(async () => {
  await app.close();
  await database.drop();
});
const owner = await staffToken(app);
const fixtures = orderFixtures(app, config, owner);

describe('with a read replica (DATABASE_READ_URL)', () => {
  it('really is read-only there', async () => {
    await expect(app.readPool.query('CREATE TEMP TABLE t (x int)')).rejects.toThrow(/read-only transaction/);
  });

  it('serves the catalogue from it, and runs the outbox, its consumers and shipments on the primary', async () => {
    const product = await fixtures.product([{ weightGrams: 400 }]);
    await app.outbox.drain();
    const listed = await app.inject(`/api/store/products?q=${encodeURIComponent(product.variants[0]!.sku)}`);
    expect(listed.statusCode).toBe(200);

    const order = await fixtures.order([{ variantId: product.variants[0]!.id, quantity: 1 }]);
    await app.outbox.drain();
    const shipment = await app.inject({
      method: 'POST',
      url: `/api/admin/orders/${order.id}/shipments`,
      headers: { authorization: owner },
      payload: {},
    });
    expect(shipment.statusCode, shipment.body).toBe(201);
    expect(shipment.json<{ trackingNumber: string }>().trackingNumber).toEqual(expect.any(String));
    await app.outbox.drain();
    // Every outbox consumer ran to the newest event (cursors are written on the primary), and the order's
    // confirmation e-mail was queued by one of them.
    const [state] = await app.orm.em.fork().execute<{ behind: string; mails: string }[]>(
      `SELECT (SELECT count(*) FROM outbox_cursor
                WHERE position <> (SELECT tx::text || ':' || id FROM outbox_event ORDER BY tx DESC, id DESC LIMIT 1)) AS behind,
              (SELECT count(*) FROM outgoing_mail) AS mails`,
    );
    expect(state).toEqual({ behind: '0', mails: expect.not.stringMatching(/^0$/) });
  });
});
