import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../apps/server/src/config.ts';
import { buildApp } from '../apps/server/src/app.ts';
import {
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from '../apps/server/src/platform/embedded-postgres.ts';

export const ADMIN = { email: 'bench@mcart.test', password: 'bench password 123456' };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

export interface BenchServer {
  app: FastifyInstance;
  base: string;
  databaseUrl: string;
  staffAuth: string;
  /** Stops the in-process server only (the database stays, e.g. for a spawned production server). */
  stopApp: () => Promise<void>;
  close: () => Promise<void>;
}

/**
 * The real server (same buildApp as production) on a fresh database: DATABASE_URL's server when set
 * (a database named mcart_bench_<pid> is created and dropped), else an embedded PostgreSQL in a temp folder.
 */
export async function startBenchServer(poolMax = 10): Promise<BenchServer> {
  let embedded: EmbeddedPostgres | undefined;
  let dir: string | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    dir = mkdtempSync(join(tmpdir(), 'mcart-bench-pg-'));
    embedded = await startEmbeddedPostgres({ dir, port: await freePort() });
    adminUrl = embedded.url('postgres');
  }
  const dbName = `mcart_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName}`);
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const databaseUrl = url.toString();

  const base = loadConfig({
    TLS: 'off',
    LOG_LEVEL: 'warn',
    MCART_SEED: 'off',
    MCART_JOBS: 'off',
    NODE_ENV: 'development',
    MCART_DATA_DIR: dir ?? tmpdir(),
  });
  const app = await buildApp({
    ...base,
    database: { ...base.database, url: databaseUrl, poolMax },
    // This in-process server only writes the catalogue (not measured): no overload refusals while it does.
    overload: { ...base.overload, maxEventLoopDelayMs: 0 },
    secrets: {
      jwt: 'bench-secret-that-is-long-enough-0123456789',
      encryptionKeys: `k1:${Buffer.alloc(32, 9).toString('base64')}`,
    },
    admin: { email: ADMIN.email, password: ADMIN.password },
    logLevel: 'warn',
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const login = await app.inject({ method: 'POST', url: '/api/admin/auth/login', payload: ADMIN });
  const staffAuth = `Bearer ${login.json<{ accessToken: string }>().accessToken}`;
  let stopped: Promise<void> | undefined;
  const stopApp = () => (stopped ??= app.close());
  return {
    app,
    base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    databaseUrl,
    staffAuth,
    stopApp,
    close: async () => {
      await stopApp();
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
      await embedded?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Products with one variant each, priced, with stock, through the admin API. */
let batch = 0;
export async function createVariants(server: BenchServer, count: number, stock: number): Promise<string[]> {
  const ids: string[] = [];
  batch++;
  for (let i = 0; i < count; i++) {
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/admin/products',
      headers: { authorization: server.staffAuth },
      payload: {
        title: `Bench ${batch}-${i}`,
        status: 'active',
        variants: [{ sku: `BENCH-${batch}-${i}`, price: { amount: 1000 + i, currency: 'USD' } }],
      },
    });
    if (response.statusCode !== 201) throw new Error(`product: ${response.body}`);
    const variantId = response.json<{ variants: { id: string }[] }>().variants[0]!.id;
    const adjust = await server.app.inject({
      method: 'POST',
      url: '/api/admin/inventory/adjustments',
      headers: { authorization: server.staffAuth },
      payload: { variantId, delta: stock, reason: 'bench' },
    });
    if (adjust.statusCode !== 201) throw new Error(`stock: ${adjust.body}`);
    ids.push(variantId);
  }
  return ids;
}

/** Guest carts made in bulk with SQL (setup speed only; checkout itself goes through HTTP). */
export async function createCarts(
  databaseUrl: string,
  lines: string[][],
  unitPrices: Map<string, number>,
): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const ids: string[] = [];
  try {
    await client.query('BEGIN');
    for (const variants of lines) {
      const id = (await import('node:crypto')).randomBytes(24).toString('base64url');
      await client.query(`INSERT INTO cart (id, currency) VALUES ($1, 'USD')`, [id]);
      for (const variantId of variants) {
        await client.query(
          `INSERT INTO cart_item (cart_id, variant_id, quantity, unit_price) VALUES ($1, $2, 1, $3)`,
          [id, variantId, unitPrices.get(variantId)],
        );
      }
      ids.push(id);
    }
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
  return ids;
}

export const CHECKOUT_BODY = JSON.stringify({
  email: 'bench@example.com',
  shippingAddress: {
    name: 'Bench Shopper',
    line1: '1 Load St',
    city: 'Loopback',
    postalCode: '12345',
    country: 'US',
  },
  payment: { provider: 'test', token: 'tok_visa' },
});

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Runs `task` from `concurrency` workers over the items; returns per-item latencies (ms) and statuses. */
export async function drive<T>(items: T[], concurrency: number, task: (item: T) => Promise<number>) {
  let next = 0;
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const index = next++;
        if (index >= items.length) return;
        const t0 = performance.now();
        const status = await task(items[index]!);
        latencies.push(performance.now() - t0);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { seconds, latencies, statuses: Object.fromEntries(statuses), perSecond: items.length / seconds };
}
