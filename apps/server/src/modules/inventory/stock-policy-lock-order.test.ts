import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { staffToken, useTestApp } from '../../../test/app.ts';
import { commerceFixtures } from '../cart/test-helpers.ts';
import { InventoryService } from './inventory.service.ts';
import { query } from './sql.ts';

/*
 * setPolicy sets the backorder flag of every level of its variant. It used to do so with a plain UPDATE, which
 * locks the rows in the order it scans them (the heap's): a later location first when its level was written first.
 * A settlement of an order reserving the variant at two locations (SETTLE_SQL) locks them in (variant, location)
 * order, as checkout, transfers and batches do: each side held one level and waited for the other, and PostgreSQL
 * broke the deadlock by failing one of them. setPolicy now takes them in that order too.
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

async function newLocation(): Promise<string> {
  const created = await app.inject({
    method: 'POST',
    url: '/api/admin/stock-locations',
    headers: { authorization: auth },
    payload: { code: `order-${randomUUID().slice(0, 8)}`, name: 'Lock order depot' },
  });
  expect(created.statusCode, created.body).toBe(201);
  return created.json<{ id: string }>().id;
}

describe("setPolicy locks its variant's levels in (variant, location) order", () => {
  it('does not deadlock with a session locking them in that order (a settlement)', async () => {
    const [variantId] = (await catalog.unstockedVariants(1)) as [string];
    const [first, second] = [await newLocation(), await newLocation()].sort() as [string, string];
    // The later location's level written first: earlier in the heap, where a plain UPDATE starts.
    for (const locationId of [second, first])
      await query(
        fork(),
        `INSERT INTO stock_level (variant_id, location_id, on_hand) VALUES (?::uuid, ?::uuid, 5)`,
        [variantId, locationId],
      );
    const heap = await query<{ location_id: string }>(
      fork(),
      `SELECT location_id FROM stock_level WHERE variant_id = ?::uuid ORDER BY ctid`,
      [variantId],
    );
    expect(heap.map((row) => row.location_id)).toEqual([second, first]);

    // A settlement's first lock: the earlier location's level.
    const settlement = await session();
    await settlement.query(`SET lock_timeout = '10s'`);
    const settlementPid = (await settlement.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!
      .pid;
    await settlement.query('BEGIN');
    await settlement.query(
      `SELECT 1 FROM stock_level WHERE variant_id = $1 AND location_id = $2 FOR UPDATE`,
      [variantId, first],
    );
    const setting = fork()
      .transactional((em) =>
        new InventoryService(em).setPolicy(variantId, { allowBackorder: true, lowStockThreshold: 3 }),
      )
      .then(
        () => 'set',
        (err: unknown) => err,
      );
    // setPolicy now waits for the settlement, on a level.
    const observer = await session();
    await expect
      .poll(
        async () =>
          (
            await observer.query<{ n: number }>(
              `SELECT count(*)::int AS n FROM pg_stat_activity
                WHERE $1::int = ANY (pg_blocking_pids(pid)) AND wait_event_type = 'Lock'`,
              [settlementPid],
            )
          ).rows[0]!.n,
        { timeout: 10_000 },
      )
      .toBe(1);

    // The settlement's second lock: the later location's level, which setPolicy must not hold meanwhile.
    const secondLock = await settlement
      .query(`SELECT 1 FROM stock_level WHERE variant_id = $1 AND location_id = $2 FOR UPDATE`, [
        variantId,
        second,
      ])
      .then(
        () => 'locked',
        (err: Error) => err.message,
      );
    await settlement.query(secondLock === 'locked' ? 'COMMIT' : 'ROLLBACK');
    // Before: "deadlock detected" on one side or the other.
    expect(secondLock).toBe('locked');
    expect(await setting).toBe('set');

    const levels = await query<{ allow_backorder: boolean }>(
      fork(),
      `SELECT allow_backorder FROM stock_level WHERE variant_id = ?::uuid AND location_id IN (?::uuid, ?::uuid)`,
      [variantId, first, second],
    );
    expect(levels.map((row) => row.allow_backorder)).toEqual([true, true]);
  });
});
