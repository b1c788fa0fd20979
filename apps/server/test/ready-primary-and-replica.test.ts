import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { testConfig } from './app.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

/*
 * /ready with a read replica (DATABASE_READ_URL): the instance needs both the primary (ORM: writes, most
 * reads) and the read pool, so either one unreachable takes it out of the balancer. The replica is stood in
 * for by a second database; "unreachable" is a database that accepts no connections, its sessions ended.
 */
const primary = await createTestDatabase();
const replica = await createTestDatabase();
const base = await testConfig(primary.url);
const app = await buildApp({ ...base, database: { ...base.database, readUrl: replica.url } });
const admin = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
await admin.connect();
afterAll(async () => {
  await allowConnections(primary, true);
  await allowConnections(replica, true);
  await app.close();
  await admin.end();
  await primary.drop();
  await replica.drop();
});

const nameOf = (database: TestDatabase) => new URL(database.url).pathname.slice(1);
async function allowConnections(database: TestDatabase, allow: boolean): Promise<void> {
  const name = nameOf(database);
  await admin.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS ${allow}`);
  if (!allow) {
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [name]);
  }
}
const ready = async () => {
  const response = await app.inject('/ready');
  return { status: response.statusCode, body: response.json<{ status: string }>() };
};

describe('/ready with a read replica', () => {
  it('reads through the replica: the pools really are on two databases', async () => {
    const { rows } = await app.readPool.query<{ db: string }>('SELECT current_database() AS db');
    expect(rows[0]!.db).toBe(nameOf(replica));
    expect(await ready()).toEqual({ status: 200, body: { status: 'ready' } });
  });

  it('is unavailable while the primary is unreachable, even though the replica answers', async () => {
    await allowConnections(primary, false);
    expect(await ready()).toEqual({ status: 503, body: { status: 'unavailable' } });
    await allowConnections(primary, true);
    await expect.poll(async () => (await ready()).status, { timeout: 10_000 }).toBe(200);
  });

  it('is unavailable while the replica is unreachable', async () => {
    await allowConnections(replica, false);
    expect(await ready()).toEqual({ status: 503, body: { status: 'unavailable' } });
    await allowConnections(replica, true);
    await expect.poll(async () => (await ready()).status, { timeout: 10_000 }).toBe(200);
  });
});
