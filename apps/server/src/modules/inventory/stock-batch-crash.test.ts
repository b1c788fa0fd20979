import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { staffToken, useTestApp } from '../../../test/app.ts';
import { commerceFixtures } from '../cart/test-helpers.ts';
import { query } from './sql.ts';

/*
 * A batch's Idempotency-Key and the batch itself commit together (ADR 0033): these tests stop the server's work at
 * the moments where the two used to come apart, from other sessions of the same database, and then send the
 * clerk's retry with the same key.
 */
const { app, databaseUrl } = await useTestApp();
const auth = await staffToken(app);
const fork = () => app.orm.em.fork() as EntityManager;
const catalog = commerceFixtures(app, auth);
const staffId = (
  await app.inject({ method: 'GET', url: '/api/admin/auth/me', headers: { authorization: auth } })
).json<{ id: string }>().id;
const scope = `staff:${staffId}`;

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

const post = (url: string, payload: unknown, key: string) =>
  app.inject({
    method: 'POST',
    url,
    headers: { authorization: auth, 'idempotency-key': key },
    payload: payload as object,
  });

async function stock(variantId: string): Promise<{ onHand: number; movements: number }> {
  const [row] = await query<{ onHand: number; movements: number }>(
    fork(),
    `SELECT (SELECT COALESCE(sum(on_hand), 0)::int FROM stock_level WHERE variant_id = ?::uuid) AS "onHand",
            (SELECT count(*)::int FROM stock_movement WHERE variant_id = ?::uuid) AS movements`,
    [variantId, variantId],
  );
  return row!;
}

/** The backend of the app's pool that waits for a lock with a statement on `table`, once there is one. */
async function waiterOn(observer: pg.Client, table: string, count = 1): Promise<number[]> {
  for (let i = 0; i < 400; i++) {
    const { rows } = await observer.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
          AND query LIKE '%' || $1 || '%' AND pid <> pg_backend_pid() ORDER BY backend_start`,
      [table],
    );
    if (rows.length >= count) return rows.map((row) => row.pid);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`nobody waits on ${table}`);
}

/** Some level of the variant exists, so that a session can lock it. */
async function stocked(variantId: string): Promise<void> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/admin/inventory/receipts',
    headers: { authorization: auth },
    payload: { variantId, quantity: 1 },
  });
  expect(response.statusCode).toBe(201);
}

describe('stock batch Idempotency-Key: the answer commits with the batch', () => {
  it('a batch whose server dies after its work and before its answer was stored is booked once by the retry', async () => {
    const [variantId] = (await catalog.unstockedVariants(1)) as [string];
    await stocked(variantId);
    const key = randomUUID();
    const body = { reason: 'PO-crash', lines: [{ variantId, quantity: 5 }] };
    const [shelf, keys, observer] = [await session(), await session(), await session()];

    // Hold the batch at its stock row, until its key is claimed (a committed row another session can lock).
    await shelf.query('BEGIN');
    await shelf.query(`SELECT 1 FROM stock_level WHERE variant_id = $1 FOR UPDATE`, [variantId]);
    const first = post('/api/admin/inventory/receipts/batch', body, key);
    await waiterOn(observer, 'stock_level');
    // Now hold the key's row: whatever writes the answer waits there, the batch's own work done.
    await keys.query('BEGIN');
    const claimed = await keys.query(
      `SELECT 1 FROM idempotency_key WHERE scope = $1 AND key = $2 FOR UPDATE`,
      [scope, key],
    );
    expect(claimed.rowCount).toBe(1);
    await shelf.query('COMMIT');
    const [writer] = await waiterOn(observer, 'idempotency_key');

    // The server dies there: its connection goes, nothing more runs on it. Its claim is stale by the time the clerk
    // retries (what a restart and a few minutes look like to the key).
    await observer.query(`SELECT pg_terminate_backend($1)`, [writer]);
    await keys.query(
      `UPDATE idempotency_key SET locked_at = now() - interval '1 hour' WHERE scope = $1 AND key = $2`,
      [scope, key],
    );
    await keys.query('COMMIT');
    expect((await first).statusCode).toBeGreaterThanOrEqual(409);

    const retry = await post('/api/admin/inventory/receipts/batch', body, key);
    expect(retry.statusCode, retry.body).toBe(201);
    expect(await stock(variantId)).toEqual({ onHand: 1 + 5, movements: 2 });
    // And from then on the key replays.
    const again = await post('/api/admin/inventory/receipts/batch', body, key);
    expect([again.statusCode, again.headers['idempotent-replayed']]).toEqual([201, 'true']);
    expect(again.json()).toEqual(retry.json());
    expect(await stock(variantId)).toEqual({ onHand: 6, movements: 2 });
  });

  it('a retry that takes over a slow batch still running books it once: the slow one rolls back with 409', async () => {
    const [variantId] = (await catalog.unstockedVariants(1)) as [string];
    await stocked(variantId);
    const key = randomUUID();
    const body = { reason: 'count', lines: [{ variantId, delta: 2 }] };
    const [shelf, observer] = [await session(), await session()];

    await shelf.query('BEGIN');
    await shelf.query(`SELECT 1 FROM stock_level WHERE variant_id = $1 FOR UPDATE`, [variantId]);
    const slow = post('/api/admin/inventory/adjustments/batch', body, key);
    await waiterOn(observer, 'stock_level');
    // The first attempt is past the stale-claim age (a lock wait, a paused VM): the retry takes its claim over.
    await observer.query(
      `UPDATE idempotency_key SET locked_at = now() - interval '1 hour' WHERE scope = $1 AND key = $2`,
      [scope, key],
    );
    const retry = post('/api/admin/inventory/adjustments/batch', body, key);
    await waiterOn(observer, 'stock_level', 2);
    await shelf.query('COMMIT');
    const answers = await Promise.all([slow, retry]);

    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([201, 409]);
    const lost = answers.find((answer) => answer.statusCode === 409)!;
    expect(lost.json()).toMatchObject({ code: 'MCART_ERR_IDEMPOTENCY_IN_PROGRESS' });
    expect(await stock(variantId)).toEqual({ onHand: 1 + 2, movements: 2 });
    const replay = await post('/api/admin/inventory/adjustments/batch', body, key);
    expect([replay.statusCode, replay.headers['idempotent-replayed']]).toEqual([201, 'true']);
    expect(await stock(variantId)).toEqual({ onHand: 3, movements: 2 });
  });
});
