/**
 * Rolling-restart and kill drill (not part of the test suite): two MCart instances on one PostgreSQL
 * database behind HAProxy (health checks on /ready), ~100 req/s of catalog reads, cart reads and
 * checkouts, then
 *   1. each instance in turn gets SIGTERM and is started again: expect zero failed requests;
 *   2. one instance gets SIGKILL: expect errors only for requests in flight on it;
 * and every acknowledged order (201) must be in the database afterwards.
 *
 *   apt-get install -y haproxy
 *   npx tsx bench/drill-rolling-restart.ts            # DRILL_PG_URL=postgres://postgres@127.0.0.1:5432/postgres
 *
 * Loopback only; runs about a minute and stops by itself.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const PG_ADMIN = process.env.DRILL_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB = 'mcart_drill';
const LB_PORT = 18_080;
const PORTS = { a: 18_081, b: 18_082 } as const;
type Name = keyof typeof PORTS;
const RATE = Number(process.env.DRILL_RATE ?? 100); // operations per second
const ADMIN = { email: 'drill@mcart.test', password: 'drill password 0123456789' };
const dir = mkdtempSync(join(tmpdir(), 'mcart-drill-'));
const dbUrl = (() => {
  const url = new URL(PG_ADMIN);
  url.pathname = `/${DB}`;
  return url.toString();
})();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (msg: string) => console.log(`[${new Date().toISOString().slice(11, 23)}] ${msg}`);

// --- processes -------------------------------------------------------------------------------------
const instances = new Map<Name, ChildProcess>();
let balancer: ChildProcess | undefined;

function startInstance(name: Name): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PAYMENT_PROVIDER: 'test',
      DATABASE_URL: dbUrl,
      HOST: '127.0.0.1',
      PORT: String(PORTS[name]),
      TLS: 'off',
      PUBLIC_URL: `http://127.0.0.1:${LB_PORT}`,
      TRUST_PROXY: '127.0.0.1',
      JWT_SECRET: 'drill-secret-that-is-long-enough-0123456789',
      MCART_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 3).toString('base64')}`,
      TEST_GATEWAY_WEBHOOK_SECRET: 'drill-test-gateway-webhook-secret-0123456789',
      MCART_ADMIN_EMAIL: ADMIN.email,
      MCART_ADMIN_PASSWORD: ADMIN.password,
      MCART_SEED: 'off',
      MCART_DATA_DIR: join(dir, name),
      BACKUP_CRON: 'off',
      LOG_LEVEL: 'warn',
      DATABASE_POOL_MAX: '8',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    const text = chunk.toString().trim();
    if (text) console.error(`  [${name}] ${text.slice(0, 300)}`);
  });
  instances.set(name, child);
  return child;
}

async function waitReady(port: number, timeoutMs = 180_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/ready`)).status === 200) return;
    } catch {
      /* not listening yet */
    }
    await sleep(200);
  }
  throw new Error(`port ${port} not ready after ${timeoutMs} ms`);
}

function startHaproxy(): ChildProcess {
  const config = `
global
  maxconn 4096
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  timeout http-keep-alive 10s
  option http-buffer-request
  retries 3
  option redispatch 1
  # A request refused by a draining instance (503 on close) or cut at connect is sent to the other one.
  # Safe for POSTs here: a 503 from return503OnClosing never reached a handler, and checkouts carry an
  # Idempotency-Key anyway.
  retry-on conn-failure empty-response 503
frontend store
  bind 127.0.0.1:${LB_PORT}
  default_backend mcart
backend mcart
  balance roundrobin
  option httpchk GET /ready
  http-check expect status 200
  timeout check 5s
  default-server inter 1s fall 3 rise 2
  server a 127.0.0.1:${PORTS.a} check
  server b 127.0.0.1:${PORTS.b} check
`;
  const file = join(dir, 'haproxy.cfg');
  writeFileSync(file, config);
  const check = spawnSync('haproxy', ['-c', '-f', file], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`haproxy config: ${check.stderr}`);
  return spawn('haproxy', ['-db', '-f', file], { stdio: ['ignore', 'ignore', 'inherit'] });
}

// --- traffic -------------------------------------------------------------------------------------
interface Outcome {
  phase: string;
  kind: string;
  status: number; // 0 = network error
  error?: string;
}
const outcomes: Outcome[] = [];
const acknowledged = new Map<string, string>(); // order id -> idempotency key
const unanswered: Array<{ cartId: string; key: string }> = [];
let phase = 'warmup';
let inFlight = 0;
const base = `http://127.0.0.1:${LB_PORT}`;

async function call(kind: string, path: string, init: RequestInit = {}): Promise<Response | undefined> {
  const at = phase;
  try {
    const response = await fetch(base + path, { ...init, signal: AbortSignal.timeout(15_000) });
    // HAProxy's own 503 (no server up) is HTML; MCart's are problem+json with a code.
    const origin =
      response.status === 503
        ? (response.headers.get('content-type') ?? '').includes('problem')
          ? 'app'
          : 'lb'
        : undefined;
    outcomes.push({ phase: at, kind, status: response.status, ...(origin ? { error: origin } : {}) });
    return response;
  } catch (err) {
    outcomes.push({
      phase: at,
      kind,
      status: 0,
      error: (err as Error).cause ? String((err as Error).cause) : (err as Error).message,
    });
    return undefined;
  }
}

const json = { 'content-type': 'application/json' };
const CHECKOUT = {
  email: 'drill@example.com',
  shippingAddress: {
    name: 'Drill Shopper',
    line1: '1 Loopback Rd',
    city: 'Localhost',
    postalCode: '12345',
    country: 'US',
  },
  payment: { provider: 'test', token: 'tok_visa' },
};

let checkoutWorks = true;
let adminToken = '';

async function checkoutFlow(variantId: string): Promise<void> {
  if (!checkoutWorks) {
    const cart = await call('cart.create', '/api/store/carts', { method: 'POST', headers: json, body: '{}' });
    if (cart?.status === 201) {
      const cartId = ((await cart.json()) as { id: string }).id;
      await call('cart.add', `/api/store/carts/${cartId}/items`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ variantId, quantity: 1 }),
      });
    }
    await call('stock.adjust', '/api/admin/inventory/adjustments', {
      method: 'POST',
      headers: { ...json, authorization: adminToken },
      body: JSON.stringify({ variantId, delta: 1, reason: 'drill' }),
    });
    return;
  }
  const cart = await call('cart.create', '/api/store/carts', { method: 'POST', headers: json, body: '{}' });
  if (cart?.status !== 201) return;
  const cartId = ((await cart.json()) as { id: string }).id;
  const item = await call('cart.add', `/api/store/carts/${cartId}/items`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ variantId, quantity: 1 }),
  });
  if (item?.status !== 200) return;
  const key = randomUUID();
  const done = await call('checkout', `/api/store/carts/${cartId}/checkout`, {
    method: 'POST',
    headers: { ...json, 'idempotency-key': key },
    body: JSON.stringify(CHECKOUT),
  });
  if (done?.status === 201) {
    const { order } = (await done.json()) as { order: { id: string } };
    acknowledged.set(order.id, key);
  } else if (!done || done.status >= 500) {
    unanswered.push({ cartId, key });
  }
}

async function operation(variants: string[], slugs: string[]): Promise<void> {
  inFlight++;
  try {
    const roll = Math.random();
    if (roll < 0.4) await call('products.list', '/api/store/products?perPage=20');
    else if (roll < 0.75)
      await call('products.detail', `/api/store/products/${slugs[Math.floor(Math.random() * slugs.length)]}`);
    else if (roll < 0.85) await call('categories', '/api/store/categories');
    else await checkoutFlow(variants[Math.floor(Math.random() * variants.length)]!);
  } finally {
    inFlight--;
  }
}

// --- drill -------------------------------------------------------------------------------------------
async function main(): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DB}`);
  log(`database ${DB} created`);

  // Staggered: on an empty database, two first starts together race to create the owner account
  // (identity's ensureOwner; reported). Migrations themselves are safe together (advisory lock).
  startInstance('a');
  await waitReady(PORTS.a);
  startInstance('b');
  await waitReady(PORTS.b);
  log('instances a and b ready');
  const haproxy = startHaproxy();
  balancer = haproxy;
  await sleep(1500);

  const login = await fetch(`${base}/api/admin/auth/login`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify(ADMIN),
  });
  const token = `Bearer ${((await login.json()) as { accessToken: string }).accessToken}`;
  const variants: string[] = [];
  const slugs: string[] = [];
  for (let i = 0; i < 10; i++) {
    const product = await fetch(`${base}/api/admin/products`, {
      method: 'POST',
      headers: { ...json, authorization: token },
      body: JSON.stringify({
        title: `Drill product ${i}`,
        status: 'active',
        variants: [{ sku: `DRILL-${i}`, price: { amount: 1500 + i, currency: 'USD' } }],
      }),
    });
    if (product.status !== 201) throw new Error(`product: ${product.status} ${await product.text()}`);
    const body = (await product.json()) as { id: string; slug?: string; variants: { id: string }[] };
    variants.push(body.variants[0]!.id);
    slugs.push(body.slug ?? body.id);
    const stock = await fetch(`${base}/api/admin/inventory/adjustments`, {
      method: 'POST',
      headers: { ...json, authorization: token },
      body: JSON.stringify({ variantId: body.variants[0]!.id, delta: 100_000, reason: 'drill' }),
    });
    if (stock.status !== 201) throw new Error(`stock: ${stock.status} ${await stock.text()}`);
  }
  log('catalog seeded: 10 products with stock');

  // Checkout needs a payment provider; until one is installed, writes are carts and stock adjustments.
  const probeCart = (await (
    await fetch(`${base}/api/store/carts`, { method: 'POST', headers: json, body: '{}' })
  ).json()) as { id: string };
  await fetch(`${base}/api/store/carts/${probeCart.id}/items`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ variantId: variants[0], quantity: 1 }),
  });
  const probe = await fetch(`${base}/api/store/carts/${probeCart.id}/checkout`, {
    method: 'POST',
    headers: { ...json, 'idempotency-key': randomUUID() },
    body: JSON.stringify(CHECKOUT),
  });
  checkoutWorks = probe.status === 201;
  adminToken = token;
  log(
    checkoutWorks
      ? 'checkout works: writes are checkouts'
      : `checkout answers ${probe.status} (${(await probe.text()).slice(0, 120)}): writes are carts + stock adjustments`,
  );

  let running = true;
  const traffic = (async () => {
    const interval = 1000 / RATE;
    let next = performance.now();
    while (running) {
      void operation(variants, slugs);
      next += interval;
      const wait = next - performance.now();
      if (wait > 0) await sleep(wait);
    }
  })();

  await sleep(3000);
  phase = 'rolling';
  for (const name of ['a', 'b'] as const) {
    const child = instances.get(name)!;
    log(`SIGTERM ${name}`);
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    log(`${name} exited with code ${await exited}; starting it again`);
    startInstance(name);
    await waitReady(PORTS[name]);
    await sleep(3000); // HAProxy: rise 2 x inter 1 s
    log(`${name} back in rotation`);
  }
  await sleep(2000);

  phase = 'kill';
  const victim = instances.get('a')!;
  log('SIGKILL a');
  victim.kill('SIGKILL');
  await sleep(3000);
  phase = 'recovery';
  startInstance('a');
  await waitReady(PORTS.a);
  await sleep(2000);
  running = false;
  await traffic;
  while (inFlight > 0) await sleep(50);
  phase = 'after';

  // A client whose checkout got no answer retries with the same Idempotency-Key, as the API asks.
  let recovered = 0;
  for (const { cartId, key } of unanswered) {
    const retry = await call('checkout.retry', `/api/store/carts/${cartId}/checkout`, {
      method: 'POST',
      headers: { ...json, 'idempotency-key': key },
      body: JSON.stringify(CHECKOUT),
    });
    if (retry?.status === 201) {
      acknowledged.set(((await retry.json()) as { order: { id: string } }).order.id, key);
      recovered++;
    }
  }

  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  const ids = [...acknowledged.keys()];
  const { rows } = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM orders WHERE id = ANY($1::uuid[])',
    [ids],
  );
  const { rows: total } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM orders');
  await db.end();

  // --- report ---------------------------------------------------------------------------------------
  const phases = ['warmup', 'rolling', 'kill', 'recovery', 'after'];
  console.log('\nphase      requests  failed  (status: count)');
  for (const p of phases) {
    const inPhase = outcomes.filter((o) => o.phase === p);
    const failed = inPhase.filter((o) => o.status === 0 || o.status >= 500);
    const byStatus = new Map<string, number>();
    const label = (o: Outcome) =>
      o.status === 0 ? `net:${o.error}` : o.error ? `${o.status}(${o.error})` : String(o.status);
    for (const o of failed) byStatus.set(label(o), (byStatus.get(label(o)) ?? 0) + 1);
    console.log(
      `${p.padEnd(10)} ${String(inPhase.length).padStart(8)}  ${String(failed.length).padStart(6)}  ${[...byStatus].map(([s, n]) => `${s}: ${n}`).join(', ')}`,
    );
  }
  const byKind = new Map<string, number>();
  for (const o of outcomes)
    byKind.set(`${o.kind} ${o.status}`, (byKind.get(`${o.kind} ${o.status}`) ?? 0) + 1);
  console.log(
    `\nby request kind and status: ${[...byKind]
      .sort()
      .map(([k, n]) => `${k}: ${n}`)
      .join(', ')}`,
  );
  const rollingFailed = outcomes.filter(
    (o) => o.phase === 'rolling' && (o.status === 0 || o.status >= 500),
  ).length;
  const duration = outcomes.length;
  console.log(
    `\nrequests total ${duration}; checkouts acknowledged ${acknowledged.size} (${recovered} after an idempotent retry)`,
  );
  console.log(
    `acknowledged orders found in the database: ${rows[0]!.n}/${ids.length}; orders in the database: ${total[0]!.n}`,
  );
  const lost = ids.length - rows[0]!.n;
  console.log(
    `\nRESULT rolling restart: ${rollingFailed === 0 ? 'PASS' : 'FAIL'} (${rollingFailed} failed requests)`,
  );
  console.log(`RESULT lost acknowledged orders: ${lost === 0 ? 'PASS' : 'FAIL'} (${lost})`);

  haproxy.kill('SIGTERM');
  for (const child of instances.values())
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  await sleep(2000);
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin.end();
  rmSync(dir, { recursive: true, force: true });
  process.exit(rollingFailed === 0 && lost === 0 ? 0 : 1);
}

const hardStop = setTimeout(() => {
  console.error('drill: hard time limit reached');
  for (const child of instances.values()) child.kill('SIGKILL');
  balancer?.kill('SIGTERM');
  process.exit(2);
}, 12 * 60_000);
hardStop.unref();

main().catch((err: unknown) => {
  console.error('drill failed:', err);
  for (const child of instances.values()) child.kill('SIGKILL');
  balancer?.kill('SIGTERM');
  process.exit(1);
});
