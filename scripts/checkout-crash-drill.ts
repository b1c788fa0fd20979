/**
 * Crash drill (issue 6): kill -9 the server in the middle of a checkout load, then check that
 *  - every checkout that answered 201 exists whole (order + all its lines + its reservations),
 *  - no order is half-written (an order without lines, lines without an order),
 *  - stock equals the ledger for every level (on_hand = Σ on_hand_delta, reserved = Σ reserved_delta),
 *  - nothing is oversold, and orders caught between commit and payment are still pending with their stock held.
 * Run: `npx tsx scripts/checkout-crash-drill.ts` (DATABASE_URL optional: else an embedded PostgreSQL in a temp folder).
 * Not part of the test suite (it kills processes and takes ~half a minute).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from '../apps/server/src/platform/embedded-postgres.ts';

const ADMIN = { email: 'drill@mcart.test', password: 'drill password 123456' };
const CHECKOUTS = Number(process.env.DRILL_CHECKOUTS ?? 400);
const STOCK = 150;

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      server.close(() => resolve(port));
    });
  });

async function startServer(databaseUrl: string, port: number, dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      TLS: 'off',
      LOG_LEVEL: 'warn',
      MCART_SEED: 'off',
      MCART_JOBS: 'off',
      MCART_DATA_DIR: dataDir,
      JWT_SECRET: 'drill-secret-that-is-long-enough-0123456789',
      MCART_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 5).toString('base64')}`,
      MCART_ADMIN_EMAIL: ADMIN.email,
      MCART_ADMIN_PASSWORD: ADMIN.password,
      NODE_ENV: 'development',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/ready`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('server did not become ready');
}

async function main(): Promise<void> {
  let embedded: EmbeddedPostgres | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'mcart-drill-'));
  const pgDir = mkdtempSync(join(tmpdir(), 'mcart-drill-pg-'));
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    embedded = await startEmbeddedPostgres({ dir: pgDir, port: await freePort() });
    adminUrl = embedded.url('postgres');
  }
  const dbName = `mcart_drill_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const databaseUrl = url.toString();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const db = new pg.Client({ connectionString: databaseUrl });
  let failures = 0;
  try {
    let server = await startServer(databaseUrl, port, dir);
    await db.connect();
    const login = await (
      await fetch(`${base}/api/admin/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(ADMIN),
      })
    ).json();
    const auth = {
      authorization: `Bearer ${(login as { accessToken: string }).accessToken}`,
      'content-type': 'application/json',
    };
    const variants: string[] = [];
    for (let i = 0; i < 3; i++) {
      const product = (await (
        await fetch(`${base}/api/admin/products`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify({
            title: `Drill ${i}`,
            status: 'active',
            variants: [{ sku: `DRILL-${i}`, price: { amount: 1000, currency: 'USD' } }],
          }),
        })
      ).json()) as { variants: { id: string }[] };
      const variantId = product.variants[0]!.id;
      await fetch(`${base}/api/admin/inventory/adjustments`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ variantId, delta: STOCK, reason: 'drill' }),
      });
      variants.push(variantId);
    }
    const carts: string[] = [];
    await db.query('BEGIN');
    for (let i = 0; i < CHECKOUTS; i++) {
      const id = randomBytes(24).toString('base64url');
      await db.query(`INSERT INTO cart (id, currency) VALUES ($1, 'USD')`, [id]);
      for (const variantId of i % 2 ? variants : [variants[i % 3]!]) {
        await db.query(
          `INSERT INTO cart_item (cart_id, variant_id, quantity, unit_price) VALUES ($1, $2, 1, 1000)`,
          [id, variantId],
        );
      }
      carts.push(id);
    }
    await db.query('COMMIT');

    const body = JSON.stringify({
      email: 'drill@example.com',
      shippingAddress: { name: 'Drill', line1: '1 Crash Rd', city: 'Kill', postalCode: '9', country: 'US' },
      payment: { provider: 'test', token: 'tok_visa' },
    });
    const created: string[] = [];
    const statuses: Record<string, number> = {};
    let next = 0;
    const load = Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < carts.length) {
          const cartId = carts[next++]!;
          try {
            const response = await fetch(`${base}/api/store/carts/${cartId}/checkout`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'idempotency-key': `drill-${cartId}` },
              body,
            });
            statuses[response.status] = (statuses[response.status] ?? 0) + 1;
            if (response.status === 201)
              created.push(((await response.json()) as { order: { id: string } }).order.id);
            else await response.arrayBuffer();
          } catch {
            statuses.connectionLost = (statuses.connectionLost ?? 0) + 1;
          }
        }
      }),
    );
    // Let the load run, then pull the plug without warning.
    await new Promise((r) => setTimeout(r, Number(process.env.DRILL_KILL_AFTER_MS ?? 2500)));
    server.kill('SIGKILL');
    await load;
    console.log('answers before/after the kill:', statuses);

    const check = async (name: string, sql: string, values: unknown[] = []) => {
      const { rows } = await db.query(sql, values);
      const ok = rows.length === 0;
      if (!ok) failures++;
      console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${ok ? '' : `: ${JSON.stringify(rows.slice(0, 5))}`}`);
    };
    await check(
      'every 201 order exists with all its lines',
      `SELECT id FROM unnest($1::uuid[]) AS c(id) WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = c.id)`,
      [created],
    );
    await check(
      'no order without lines (half-written)',
      `SELECT o.id FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_line l WHERE l.order_id = o.id)`,
    );
    await check(
      'order totals equal their lines',
      `SELECT o.id FROM orders o JOIN (SELECT order_id, sum(line_total) AS s FROM order_line GROUP BY order_id) l ON l.order_id = o.id WHERE o.subtotal <> l.s`,
    );
    await check(
      'every order holds exactly its reservations',
      `SELECT o.id FROM orders o WHERE (SELECT COALESCE(sum(quantity), 0) FROM order_line WHERE order_id = o.id) <> (SELECT COALESCE(sum(quantity), 0) FROM stock_reservation WHERE order_id = o.id)`,
    );
    await check(
      'stock equals the ledger',
      `SELECT s.variant_id FROM stock_level s LEFT JOIN (SELECT variant_id, location_id, sum(on_hand_delta) AS oh, sum(reserved_delta) AS rs FROM stock_movement GROUP BY 1, 2) m
         ON m.variant_id = s.variant_id AND m.location_id = s.location_id WHERE s.on_hand <> COALESCE(m.oh, 0) OR s.reserved <> COALESCE(m.rs, 0)`,
    );
    await check(
      'nothing oversold',
      `SELECT variant_id FROM stock_level WHERE on_hand < 0 OR on_hand < reserved`,
    );
    await check(
      'paid orders sold their stock, pending ones still hold it',
      `SELECT o.id FROM orders o JOIN stock_reservation r ON r.order_id = o.id
        WHERE (o.status = 'paid' AND r.status <> 'sold') OR (o.status = 'pending_payment' AND r.status <> 'active')`,
    );
    const { rows: summary } = await db.query(
      `SELECT status, count(*)::int AS n FROM orders GROUP BY status ORDER BY status`,
    );
    console.log('orders after the crash:', summary, `(${created.length} answered 201)`);

    // The server comes back on the same database and the interrupted (pending) checkouts can be paid by retrying.
    server = await startServer(databaseUrl, port, dir);
    const { rows: pending } = await db.query<{ cart_id: string }>(
      `SELECT cart_id FROM orders WHERE status = 'pending_payment' LIMIT 5`,
    );
    for (const { cart_id } of pending) {
      // The same key is still claimed by the request that died (409 until the claim is 2 minutes old);
      // a new attempt resumes the pending order and pays it (one payment per order, whatever the key).
      const sameKey = await fetch(`${base}/api/store/carts/${cart_id}/checkout`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `drill-${cart_id}` },
        body,
      });
      const resumed = await fetch(`${base}/api/store/carts/${cart_id}/checkout`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `drill-retry-${cart_id}` },
        body,
      });
      const answer = (await resumed.json()) as { order?: { status: string } };
      const ok = resumed.status === 201 && answer.order?.status === 'paid';
      if (!ok) failures++;
      console.log(
        `${ok ? 'ok  ' : 'FAIL'} interrupted checkout: same key ${sameKey.status} (${((await sameKey.json()) as { code?: string }).code}), new attempt ${resumed.status} ${answer.order?.status ?? ''}`,
      );
    }
    server.kill('SIGTERM');
  } finally {
    await db.end().catch(() => {});
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => {});
    await admin.end();
    await embedded?.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(pgDir, { recursive: true, force: true });
  }
  console.log(failures ? `${failures} check(s) FAILED` : 'all checks passed');
  process.exit(failures ? 1 : 0);
}

void main();
