import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from './database.ts';
import { startMainProcess } from './support/main-process.ts';

/*
 * Issue 6's crash test: the server is killed with SIGKILL in the middle of a checkout load (16 shoppers, baskets
 * of one or three variants), then, on the database as the kill left it: every checkout answered 201 exists and
 * is whole, no order is half-written, stock equals its ledger, no payment was taken twice; after a restart the
 * interrupted checkouts are paid by a retry, still with one capture each.
 */
const ADMIN = { email: 'drill@mcart.test', password: 'drill password 123456' };
const CHECKOUTS = 240;
const KILL_AFTER_ANSWERS = 60;
const STOCK = 150;

const freePort = () =>
  new Promise<number>((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => done(port));
    });
  });

// No reconciliation or expiry job (MCART_JOBS off): what the database shows is what the crash left.
const startServer = (databaseUrl: string, port: number, dataDir: string): Promise<ChildProcess> =>
  startMainProcess({ databaseUrl, port, dataDir, admin: ADMIN });

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((done) => child.once('exit', () => done()));

const CHECKOUT_BODY = JSON.stringify({
  email: 'drill@example.com',
  shippingAddress: { name: 'Drill', line1: '1 Crash Rd', city: 'Kill', postalCode: '9', country: 'US' },
  payment: { provider: 'test', token: 'tok_visa' },
});

/** Each check is a query for the rows that break a rule: it must find none. */
const INVARIANTS: Record<string, string> = {
  'no order without lines (half-written)': `SELECT o.id FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_line l WHERE l.order_id = o.id)`,
  'order totals equal their lines': `SELECT o.id FROM orders o JOIN (SELECT order_id, sum(line_total) AS s FROM order_line GROUP BY order_id) l
      ON l.order_id = o.id WHERE o.subtotal <> l.s`,
  'every order holds exactly its reservations': `SELECT o.id FROM orders o
      WHERE (SELECT COALESCE(sum(quantity), 0) FROM order_line WHERE order_id = o.id)
         <> (SELECT COALESCE(sum(quantity), 0) FROM stock_reservation WHERE order_id = o.id)`,
  'stock equals the ledger': `SELECT s.variant_id FROM stock_level s
      LEFT JOIN (SELECT variant_id, location_id, sum(on_hand_delta) AS oh, sum(reserved_delta) AS rs FROM stock_movement GROUP BY 1, 2) m
        ON m.variant_id = s.variant_id AND m.location_id = s.location_id
     WHERE s.on_hand <> COALESCE(m.oh, 0) OR s.reserved <> COALESCE(m.rs, 0)`,
  'nothing oversold': `SELECT variant_id FROM stock_level WHERE on_hand < 0 OR on_hand < reserved`,
  'paid orders sold their stock, pending ones still hold it': `SELECT o.id FROM orders o JOIN stock_reservation r ON r.order_id = o.id
      WHERE (o.status = 'paid' AND r.status <> 'sold') OR (o.status = 'pending_payment' AND r.status <> 'active')`,
  'every order has its one payment': `SELECT o.id FROM orders o WHERE (SELECT count(*) FROM payment p WHERE p.order_id = o.id) <> 1`,
  'a captured payment always has a paid order, a paid order its captured payment': `SELECT o.id FROM orders o JOIN payment p ON p.order_id = o.id
      WHERE (p.status = 'captured') <> (o.status = 'paid')`,
  'no payment captured twice at the gateway': `SELECT id FROM test_gateway_intent WHERE capture_count > 1`,
};

describe('a checkout load killed with SIGKILL', () => {
  it('leaves every answered order whole, stock equal to its ledger, no payment taken twice; a retry pays the rest', async () => {
    const database = await createTestDatabase();
    const dataDir = mkdtempSync(join(tmpdir(), 'mcart-crash-'));
    const db = new pg.Client({ connectionString: database.url });
    let server: ChildProcess | undefined;
    afterAll(async () => {
      server?.kill('SIGKILL');
      await db.end().catch(() => undefined);
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    });
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    server = await startServer(database.url, port, dataDir);
    await db.connect();

    const login = await fetch(`${base}/api/admin/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    const auth = {
      authorization: `Bearer ${((await login.json()) as { accessToken: string }).accessToken}`,
      'content-type': 'application/json',
    };
    const variants: string[] = [];
    for (let i = 0; i < 3; i++) {
      const product = await fetch(`${base}/api/admin/products`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({
          title: `Drill ${i}`,
          status: 'active',
          variants: [{ sku: `DRILL-${i}`, price: { amount: 1000, currency: 'USD' } }],
        }),
      });
      expect(product.status).toBe(201);
      const variantId = ((await product.json()) as { variants: { id: string }[] }).variants[0]!.id;
      const stocked = await fetch(`${base}/api/admin/inventory/adjustments`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ variantId, delta: STOCK, reason: 'drill' }),
      });
      expect(stocked.status).toBe(201);
      variants.push(variantId);
    }
    // Carts in bulk with SQL (setup only); every checkout goes through HTTP.
    const carts = Array.from({ length: CHECKOUTS }, () => randomBytes(24).toString('base64url'));
    await db.query(
      `WITH c AS (INSERT INTO cart (id, currency) SELECT id, 'USD' FROM unnest($1::text[]) AS id RETURNING id)
       INSERT INTO cart_item (cart_id, variant_id, quantity, unit_price)
       SELECT c.id, v, 1, 1000 FROM c CROSS JOIN unnest($2::uuid[]) WITH ORDINALITY AS x(v, n)
        WHERE (SELECT array_position($1::text[], c.id)) % 2 = 0 OR x.n = 1`,
      [carts, variants],
    );

    const created: string[] = [];
    let answers = 0;
    let lost = 0;
    let next = 0;
    let killed!: () => void;
    const killNow = new Promise<void>((done) => (killed = done));
    const load = Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < carts.length) {
          const cartId = carts[next++]!;
          try {
            const response = await fetch(`${base}/api/store/carts/${cartId}/checkout`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'idempotency-key': `drill-${cartId}` },
              body: CHECKOUT_BODY,
            });
            if (response.status === 201)
              created.push(((await response.json()) as { order: { id: string } }).order.id);
            else await response.arrayBuffer();
            if (++answers === KILL_AFTER_ANSWERS) killed();
          } catch {
            lost++;
          }
        }
      }),
    );
    // Pull the plug without warning while the load runs.
    await killNow;
    server.kill('SIGKILL');
    await Promise.all([load, exited(server)]);
    expect(created.length).toBeGreaterThanOrEqual(KILL_AFTER_ANSWERS - 16);
    expect(lost, 'the kill interrupted checkouts in flight').toBeGreaterThan(0);

    const { rows: missing } = await db.query(
      `SELECT id FROM unnest($1::uuid[]) AS c(id) WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = c.id AND o.status = 'paid')`,
      [created],
    );
    expect(missing, 'every 201 order exists, paid').toEqual([]);
    for (const [rule, sql] of Object.entries(INVARIANTS))
      expect((await db.query(sql)).rows, rule).toEqual([]);

    // Back on the same database: an interrupted checkout, retried, is paid once. Its own key is still claimed by
    // the request that died (409 until the claim is old); a new key resumes the pending order.
    server = await startServer(database.url, port, dataDir);
    const { rows: interrupted } = await db.query<{ cart_id: string }>(
      `SELECT cart_id FROM orders WHERE status = 'pending_payment' LIMIT 3`,
    );
    for (const { cart_id: cartId } of interrupted) {
      const sameKey = await fetch(`${base}/api/store/carts/${cartId}/checkout`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `drill-${cartId}` },
        body: CHECKOUT_BODY,
      });
      expect(sameKey.status).toBe(409);
      const retried = await fetch(`${base}/api/store/carts/${cartId}/checkout`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `retry-${cartId}` },
        body: CHECKOUT_BODY,
      });
      expect(retried.status).toBe(201);
      expect(((await retried.json()) as { order: { status: string } }).order.status).toBe('paid');
    }
    for (const [rule, sql] of Object.entries(INVARIANTS))
      expect((await db.query(sql)).rows, rule).toEqual([]);
    server.kill('SIGTERM');
    await exited(server);
  }, 180_000);
});
