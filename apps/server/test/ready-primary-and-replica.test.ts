import { connect, createServer, type Socket } from 'node:net';
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

/**
 * A TCP relay to the test PostgreSQL that can freeze: while frozen it accepts connections and never answers,
 * as a database host that hung, or an address that went dark in a failover, looks to a client.
 */
async function freezableRelay(target: URL) {
  let frozen = false;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    if (frozen) return;
    const upstream = connect(Number(target.port || 5432), target.hostname);
    upstream.on('error', () => socket.destroy());
    socket.on('close', () => upstream.destroy());
    upstream.on('close', () => socket.destroy());
    socket.pipe(upstream).pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  return {
    port,
    freeze: () => (frozen = true),
    thaw: () => (frozen = false),
    /** Connections accepted while frozen and still hanging. */
    hanging: () => [...sockets].filter((socket) => socket.listenerCount('data') === 0).length,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('/ready with a database that does not answer', () => {
  it('answers 503 at once, piles up no connections, and recovers without a restart', async () => {
    const relay = await freezableRelay(new URL(replica.url));
    const viaRelay = Object.assign(new URL(replica.url), { hostname: '127.0.0.1', port: String(relay.port) });
    const config = await testConfig(primary.url, { DATABASE_CONNECT_TIMEOUT_MS: '1000' });
    const instance = await buildApp({
      ...config,
      database: { ...config.database, readUrl: viaRelay.toString() },
    });
    try {
      expect((await instance.inject('/ready')).statusCode).toBe(200);
      // Frozen: the pooled connections are cut, new ones hang.
      relay.freeze();
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [
        nameOf(replica),
      ]);
      const started = Date.now();
      expect((await instance.inject('/ready')).statusCode).toBe(503);
      expect(Date.now() - started).toBeLessThan(5_000);
      // A balancer probes every few seconds: one pending check at a time, never a pool full of them.
      await Promise.all(Array.from({ length: 10 }, () => instance.inject('/ready')));
      expect(relay.hanging()).toBeLessThanOrEqual(2);

      relay.thaw();
      await expect
        .poll(async () => (await instance.inject('/ready')).statusCode, { timeout: 15_000, interval: 250 })
        .toBe(200);
      const { rows } = await instance.readPool.query<{ db: string }>('SELECT current_database() AS db');
      expect(rows[0]!.db).toBe(nameOf(replica));
    } finally {
      await instance.close();
      await relay.close();
    }
  }, 60_000);
});
