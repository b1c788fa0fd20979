import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { buildTestApp, staffToken, type TestApp } from './app.ts';
import { DEFAULT_ACQUIRE_TIMEOUT_MS } from '../src/config.ts';

/*
 * A full connection pool: every connection held by a statement that waits (here on a table another session
 * locked; in production a slow database, a lock queue). A request that needs a connection then waits at most
 * DATABASE_ACQUIRE_TIMEOUT_MS (the ORM pool) or DATABASE_CONNECT_TIMEOUT_MS (the read pool, whose `pg` pool has
 * one setting for both) and is answered 503 MCART_ERR_UNAVAILABLE with Retry-After; it used to wait for knex's
 * 60 s and end in a 500. Test apps have DATABASE_POOL_MAX = 4 (test/app.ts).
 */

const POOL_MAX = 4;

/** Holds `table` locked from a session of its own (so every statement reading it waits) until released. */
async function lockTable(databaseUrl: string, table: string) {
  const holder = new pg.Client({ connectionString: databaseUrl });
  await holder.connect();
  await holder.query('BEGIN');
  await holder.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    await holder.query('ROLLBACK').catch(() => {});
    await holder.end();
  };
}

/** The answer of `request`, or 'no answer' once `limitMs` has passed (the test never waits longer). */
async function within<T>(limitMs: number, request: Promise<T>): Promise<T | 'no answer'> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      request,
      new Promise<'no answer'>((resolve) => (timer = setTimeout(() => resolve('no answer'), limitMs))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits until `count` of this database's sessions of the server wait on a lock. */
async function waitForBlocked(t: TestApp, count: number) {
  const observer = new pg.Client({ connectionString: t.databaseUrl });
  await observer.connect();
  try {
    await expect
      .poll(
        async () => {
          const { rows } = await observer.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE datname = current_database() AND application_name = 'mcart' AND wait_event_type = 'Lock'`,
          );
          return rows[0]!.n;
        },
        { timeout: 10_000, interval: 50 },
      )
      .toBe(count);
  } finally {
    await observer.end();
  }
}

describe('a full connection pool', () => {
  it(`answers a request that gets no ORM connection 503 within the default ${DEFAULT_ACQUIRE_TIMEOUT_MS} ms, then serves again`, async () => {
    const t = await buildTestApp({ DATABASE_ACQUIRE_TIMEOUT_MS: String(DEFAULT_ACQUIRE_TIMEOUT_MS) });
    let release = async () => {};
    try {
      expect(t.config.database).toMatchObject({
        poolMax: POOL_MAX,
        acquireTimeoutMs: DEFAULT_ACQUIRE_TIMEOUT_MS,
      });
      const auth = await staffToken(t.app);
      const admin = (url: string) => t.app.inject({ url, headers: { authorization: auth } });
      expect((await admin('/api/admin/orders')).statusCode).toBe(200);

      release = await lockTable(t.databaseUrl, 'product');
      const busy = Array.from({ length: POOL_MAX }, () => admin('/api/admin/products'));
      await waitForBlocked(t, POOL_MAX);

      // A request that needs no locked table, only a connection.
      const started = Date.now();
      const answer = await within(
        DEFAULT_ACQUIRE_TIMEOUT_MS + 2000,
        admin('/api/admin/orders').then((r) => ({
          status: r.statusCode,
          retryAfter: r.headers['retry-after'],
          type: r.headers['content-type'],
          body: r.json<{ code?: string; detail?: string }>(),
        })),
      );
      const waited = Date.now() - started;
      expect(answer).toEqual({
        status: 503,
        retryAfter: '5',
        type: expect.stringContaining('application/problem+json'),
        body: expect.objectContaining({
          code: 'MCART_ERR_UNAVAILABLE',
          detail: 'No database connection became free in time; retry shortly',
        }),
      });
      // It waited for a connection as long as the pool lets it (a moment of load passes), and no longer.
      expect(waited).toBeGreaterThanOrEqual(DEFAULT_ACQUIRE_TIMEOUT_MS - 100);
      expect(waited).toBeLessThan(DEFAULT_ACQUIRE_TIMEOUT_MS + 1500);

      // The lock gone, the requests that held the connections finish, and the pool serves as before.
      await release();
      expect((await Promise.all(busy)).map((r) => r.statusCode)).toEqual(Array(POOL_MAX).fill(200));
      expect((await admin('/api/admin/orders')).statusCode).toBe(200);
    } finally {
      await release();
      await t.close();
    }
  }, 60_000);

  it('waits as long as DATABASE_ACQUIRE_TIMEOUT_MS says', async () => {
    const t = await buildTestApp({ DATABASE_ACQUIRE_TIMEOUT_MS: '400' });
    let release = async () => {};
    try {
      const auth = await staffToken(t.app);
      const admin = (url: string) => t.app.inject({ url, headers: { authorization: auth } });
      release = await lockTable(t.databaseUrl, 'product');
      const busy = Array.from({ length: POOL_MAX }, () => admin('/api/admin/products'));
      await waitForBlocked(t, POOL_MAX);
      const started = Date.now();
      const answer = await within(
        3000,
        admin('/api/admin/orders').then((r) => [r.statusCode, r.json<{ code: string }>().code]),
      );
      const waited = Date.now() - started;
      expect(answer).toEqual([503, 'MCART_ERR_UNAVAILABLE']);
      expect(waited).toBeGreaterThanOrEqual(300);
      expect(waited).toBeLessThan(1500);
      // A write: its transaction never began (knex's error comes from the transaction, not a query).
      const write = await within(
        3000,
        t.app
          .inject({ method: 'POST', url: '/api/store/carts' })
          .then((r) => [r.statusCode, r.json<{ code: string }>().code]),
      );
      expect(write).toEqual([503, 'MCART_ERR_UNAVAILABLE']);
      await release();
      expect((await Promise.all(busy)).map((r) => r.statusCode)).toEqual(Array(POOL_MAX).fill(200));
    } finally {
      await release();
      await t.close();
    }
  }, 60_000);

  it('answers a store read that gets no read-pool connection 503 too (within DATABASE_CONNECT_TIMEOUT_MS)', async () => {
    const t = await buildTestApp({ DATABASE_CONNECT_TIMEOUT_MS: '800' });
    let release = async () => {};
    try {
      const store = (page: number) => t.app.inject({ url: `/api/store/products?page=${page}` });
      expect((await store(1)).statusCode).toBe(200);
      release = await lockTable(t.databaseUrl, 'product_search');
      // Distinct pages: each is a query of its own (no shared cache entry), each holding a read-pool connection.
      const busy = Array.from({ length: POOL_MAX }, (_, i) => store(i + 2));
      await waitForBlocked(t, POOL_MAX);
      const started = Date.now();
      const answer = await within(
        4000,
        store(POOL_MAX + 2).then((r) => [
          r.statusCode,
          r.headers['retry-after'],
          r.json<{ code: string }>().code,
        ]),
      );
      expect(answer).toEqual([503, '5', 'MCART_ERR_UNAVAILABLE']);
      expect(Date.now() - started).toBeLessThan(2500);
      await release();
      expect((await Promise.all(busy)).map((r) => r.statusCode)).toEqual(Array(POOL_MAX).fill(200));
    } finally {
      await release();
      await t.close();
    }
  }, 60_000);
});
