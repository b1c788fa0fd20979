import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { staffToken, useTestApp } from '../../../test/app.ts';
import { commerceFixtures } from '../cart/test-helpers.ts';
import { query } from './sql.ts';

/*
 * A batch takes its levels in (variant, location) order, as checkout's reservation does, new levels included: a level
 * created by another session while the batch waited used to be locked after the batch's later levels, and the batch
 * deadlocked with whoever held it (a checkout, a single-line transfer), one of them failing with a 500.
 */
const { app, databaseUrl } = await useTestApp();
const auth = await staffToken(app);
const fork = () => app.orm.em.fork() as EntityManager;
const catalog = commerceFixtures(app, auth);

const clients: pg.Client[] = [];
afterAll(async () => {
  await Promise.all(clients.map((client) => client.end().catch(() => undefined)));
});
async function session(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  clients.push(client);
  return client;
}

const post = (url: string, payload: unknown) =>
  app.inject({ method: 'POST', url, headers: { authorization: auth }, payload: payload as object });

async function location(): Promise<string> {
  const created = await post('/api/admin/stock-locations', {
    code: `lo-${randomUUID().slice(0, 8)}`,
    name: 'Depot',
  });
  expect(created.statusCode).toBe(201);
  return created.json<{ id: string }>().id;
}

/**
 * Waits until `count` sessions wait for a lock behind `holder`, directly or behind one of them (other sessions of
 * the database are not counted), or until `done` says the awaited work finished without waiting.
 */
async function lockWaiters(
  observer: pg.Client,
  holder: number,
  count: number,
  done = () => false,
): Promise<boolean> {
  for (let i = 0; i < 400 && !done(); i++) {
    const { rows } = await observer.query<{ n: number }>(
      `WITH RECURSIVE w (pid) AS (
         SELECT pid FROM pg_stat_activity WHERE $1::int = ANY (pg_blocking_pids(pid))
         UNION
         SELECT a.pid FROM pg_stat_activity a JOIN w ON w.pid = ANY (pg_blocking_pids(a.pid)))
       SELECT count(*)::int AS n FROM w`,
      [holder],
    );
    if (rows[0]!.n >= count) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  if (done()) return false;
  throw new Error(`fewer than ${count} sessions wait for a lock`);
}

async function onHand(variantId: string, locationId: string): Promise<number> {
  const [row] = await query<{ n: number }>(
    fork(),
    `SELECT COALESCE(sum(on_hand), 0)::int AS n FROM stock_level WHERE variant_id = ?::uuid AND location_id = ?::uuid`,
    [variantId, locationId],
  );
  return row!.n;
}

describe('stock batches lock levels in checkout order, new levels included', () => {
  it.each(['destination', 'source'])(
    'a batch transfer and a single-line transfer to a level neither found both go through (%s first in location order)',
    async (first) => {
      const [variantId] = (await catalog.unstockedVariants(1)) as [string];
      const [low, high] = [await location(), await location()].sort() as [string, string];
      const [to, from] = first === 'destination' ? [low, high] : [high, low];
      expect(
        (await post('/api/admin/inventory/receipts', { variantId, locationId: from, quantity: 10 }))
          .statusCode,
      ).toBe(201);
      const holder = await session();
      const observer = await session();
      // A checkout holds the source level while the batch and then the single transfer come.
      await holder.query('BEGIN');
      const holderPid = (await holder.query<{ pid: number }>(`SELECT pg_backend_pid() AS pid`)).rows[0]!.pid;
      await holder.query(`SELECT 1 FROM stock_level WHERE variant_id = $1 AND location_id = $2 FOR UPDATE`, [
        variantId,
        from,
      ]);
      const batch = post('/api/admin/inventory/transfers/batch', {
        fromLocationId: from,
        toLocationId: to,
        lines: [{ variantId, quantity: 1 }],
      });
      await lockWaiters(observer, holderPid, 1);
      // It inserts the destination level, then waits for the source level behind the batch.
      const single = post('/api/admin/inventory/transfers', {
        variantId,
        fromLocationId: from,
        toLocationId: to,
        quantity: 2,
      });
      await lockWaiters(observer, holderPid, 2);
      await holder.query('COMMIT');
      const [batched, alone] = await Promise.all([batch, single]);
      expect([batched.statusCode, alone.statusCode], `${batched.body}\n${alone.body}`).toEqual([201, 201]);
      expect([await onHand(variantId, from), await onHand(variantId, to)]).toEqual([7, 3]);
    },
  );

  it('a batch receipt and a checkout go through when a level the batch did not find is created while it waits', async () => {
    const [first, second] = ((await catalog.unstockedVariants(2)) as string[]).sort() as [string, string];
    const depot = await location();
    expect(
      (await post('/api/admin/inventory/receipts', { variantId: second, locationId: depot, quantity: 10 }))
        .statusCode,
    ).toBe(201);
    const holder = await session();
    const checkout = await session();
    const observer = await session();
    await holder.query('BEGIN');
    const holderPid = (await holder.query<{ pid: number }>(`SELECT pg_backend_pid() AS pid`)).rows[0]!.pid;
    await holder.query(`SELECT 1 FROM stock_level WHERE variant_id = $1 AND location_id = $2 FOR UPDATE`, [
      second,
      depot,
    ]);
    const batch = post('/api/admin/inventory/receipts/batch', {
      locationId: depot,
      lines: [
        { variantId: second, quantity: 1 },
        { variantId: first, quantity: 1 },
      ],
    });
    await lockWaiters(observer, holderPid, 1);
    // Meanwhile the first variant's level is created (or, now, waits for the batch's own new level).
    let received = false;
    const receipt = post('/api/admin/inventory/receipts', {
      variantId: first,
      locationId: depot,
      quantity: 5,
    }).then((response) => {
      received = true;
      return response;
    });
    const waiting = (await lockWaiters(observer, holderPid, 2, () => received)) ? 2 : 1;
    // A checkout locks both levels in (variant, location) order, as RESERVE_ALL_SQL does.
    await checkout.query('BEGIN');
    const reserved = checkout
      .query(
        `SELECT 1 FROM stock_level WHERE variant_id = ANY($1::uuid[]) AND location_id = $2
          ORDER BY variant_id, location_id FOR UPDATE`,
        [`{${first},${second}}`, depot],
      )
      .then(
        async () => (await checkout.query('COMMIT'), 'reserved'),
        async (err: Error) => (await checkout.query('ROLLBACK'), err.message),
      );
    await lockWaiters(observer, holderPid, waiting + 1);
    await holder.query('COMMIT');
    const [batched, outcome, receiptAnswer] = await Promise.all([batch, reserved, receipt]);
    expect([batched.statusCode, outcome, receiptAnswer.statusCode], batched.body).toEqual([
      201,
      'reserved',
      201,
    ]);
    expect([await onHand(first, depot), await onHand(second, depot)]).toEqual([6, 11]);
  });
});
