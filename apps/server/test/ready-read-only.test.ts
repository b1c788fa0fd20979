import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { testConfig } from './app.ts';
import { createTestDatabase } from './database.ts';

/*
 * /ready when the database the instance writes to answers but refuses writes: after a failover its address
 * may lead to a hot standby (pg_is_in_recovery()), or the database is set read-only. Stood in for by
 * `ALTER DATABASE ... SET default_transaction_read_only = on`, which new sessions take (a standby's
 * sessions report transaction_read_only = on the same way).
 */
const database = await createTestDatabase();
const name = new URL(database.url).pathname.slice(1);
const app = await buildApp(await testConfig(database.url));
const admin = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
await admin.connect();

/** Sets the database read-only or back, and ends its sessions so the pools reconnect with the setting. */
async function readOnly(on: boolean): Promise<void> {
  await admin.query(
    on
      ? `ALTER DATABASE ${name} SET default_transaction_read_only = on`
      : `ALTER DATABASE ${name} RESET default_transaction_read_only`,
  );
  await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [name]);
}

afterAll(async () => {
  await readOnly(false).catch(() => {});
  await app.close();
  await admin.end();
  await database.drop();
});

const ready = async () => {
  const response = await app.inject('/ready');
  return { status: response.statusCode, body: response.json<{ status: string }>() };
};

describe('/ready with a read-only database', () => {
  it('is unavailable while the primary takes no writes, and ready again once it does, without a restart', async () => {
    expect(await ready()).toEqual({ status: 200, body: { status: 'ready' } });

    await readOnly(true);
    // The ORM pool has reconnected (the first query after the sessions ended may fail on a dead connection)
    // and its sessions are read-only: a write through it is refused...
    await expect
      .poll(
        async () =>
          app.orm.em
            .getConnection()
            .execute<{ ro: string }[]>(`SELECT current_setting('transaction_read_only') AS ro`)
            .then(
              (rows) => rows[0]?.ro,
              () => 'reconnecting',
            ),
        { timeout: 10_000, interval: 100 },
      )
      .toBe('on');
    await expect(
      app.orm.em.getConnection().execute(`CREATE TEMP TABLE probe (id int) ON COMMIT DROP`),
    ).rejects.toThrow(/read-only transaction/);
    // ...so the instance is not ready, every time it is asked (not a passing glitch of the reconnect).
    for (let i = 0; i < 3; i++)
      expect(await ready()).toEqual({ status: 503, body: { status: 'unavailable' } });
    expect((await app.inject('/ready')).headers['retry-after']).toBe('5');

    await readOnly(false);
    await expect.poll(async () => (await ready()).status, { timeout: 10_000, interval: 100 }).toBe(200);
  }, 30_000);
});
