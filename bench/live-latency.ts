/**
 * Live-sync latency (issue 7). Run: `npx tsx bench/live-latency.ts` (or `npm run bench -- live`).
 * 50 staff sockets subscribed to products; a product is changed through the admin API (PATCH) and we
 * time from sending the request until a watching client receives the `change` event:
 *   1. single instance: the writer and the 50 clients on the same server  (target p99 < 200 ms)
 *   2. two instances on one database: the write through A, the 50 clients on B (target p99 < 500 ms)
 * Env: BENCH_LIVE_CHANGES (per scenario, default 100), DATABASE_URL (else embedded PostgreSQL).
 */
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { io, type Socket } from 'socket.io-client';
import type {
  ChangeEvent,
  ClientToServerEvents,
  ServerToClientEvents,
} from '../packages/api-client/src/events.ts';
import { loadConfig } from '../apps/server/src/config.ts';
import { buildApp } from '../apps/server/src/app.ts';
import { ADMIN, percentile, startBenchServer } from './checkout-harness.ts';

const CLIENTS = 50;
const CHANGES = Number(process.env.BENCH_LIVE_CHANGES ?? 100);

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

/** The overload guard may refuse requests right after start-up (event-loop delay): retry those. */
async function request(url: string, init: RequestInit): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(url, init);
    if (response.status !== 503 || attempt >= 20) return response;
    await response.arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function connectClients(base: string, token: string): Promise<Client[]> {
  const clients = Array.from({ length: CLIENTS }, () =>
    io(base, {
      path: '/socket.io',
      transports: ['websocket'],
      auth: { token },
      forceNew: true,
      reconnection: false,
    }),
  );
  await Promise.all(
    clients.map(
      (client) =>
        new Promise<void>((resolve, reject) => {
          client.once('connect', () => resolve());
          client.once('connect_error', reject);
        }),
    ),
  );
  await Promise.all(
    clients.map((client) => client.timeout(10_000).emitWithAck('subscribe', { resource: 'products' })),
  );
  return clients;
}

async function scenario(
  name: string,
  writer: string,
  watchers: Client[],
  auth: string,
  productId: string,
  version: { v: number },
) {
  const firstSeen: number[] = [];
  const allSeen: number[] = [];
  const patchTimes: number[] = [];
  for (let i = 0; i < CHANGES; i++) {
    const arrivals = watchers.map(
      (client) =>
        new Promise<number>((resolve) => {
          const listener = (event: ChangeEvent) => {
            if (event.resource !== 'products' || !event.ids.includes(productId)) return;
            client.off('change', listener);
            resolve(performance.now());
          };
          client.on('change', listener);
        }),
    );
    const started = performance.now();
    const response = await request(`${writer}/api/admin/products/${productId}`, {
      method: 'PATCH',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ version: version.v, title: `Live bench ${i}` }),
    });
    patchTimes.push(performance.now() - started);
    if (response.status !== 200) throw new Error(`PATCH failed: ${response.status} ${await response.text()}`);
    version.v = ((await response.json()) as { version: number }).version;
    const times = await Promise.all(arrivals);
    // The second client (any watcher other than the writer's own screen) is the one that matters.
    firstSeen.push(times[1]! - started);
    allSeen.push(Math.max(...times) - started);
  }
  firstSeen.sort((x, y) => x - y);
  allSeen.sort((x, y) => x - y);
  patchTimes.sort((x, y) => x - y);
  const fmt = (v: number) => `${v.toFixed(1)} ms`;
  console.log(
    `${name}: ${CHANGES} changes, ${watchers.length} clients | one client p50 ${fmt(percentile(firstSeen, 50))} p99 ${fmt(percentile(firstSeen, 99))} | all ${watchers.length} clients p50 ${fmt(percentile(allSeen, 50))} p99 ${fmt(percentile(allSeen, 99))} | (the PATCH itself: p50 ${fmt(percentile(patchTimes, 50))} p99 ${fmt(percentile(patchTimes, 99))})`,
  );
  return {
    p50: percentile(firstSeen, 50),
    p99: percentile(firstSeen, 99),
    p99All: percentile(allSeen, 99),
    changes: CHANGES,
  };
}

export interface LiveLatency {
  single: Awaited<ReturnType<typeof scenario>>;
  cross: Awaited<ReturnType<typeof scenario>>;
}

export async function run(): Promise<LiveLatency> {
  const a = await startBenchServer(4);
  const base = loadConfig({
    TLS: 'off',
    LOG_LEVEL: 'error',
    MCART_SEED: 'off',
    MCART_JOBS: 'off',
    MCART_DATA_DIR: tmpdir(),
    OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '0',
  });
  const b = await buildApp({
    ...base,
    database: { ...base.database, url: a.databaseUrl, poolMax: 4 },
    // The same secrets as instance A (checkout-harness.ts): tokens signed by A are valid on B.
    secrets: {
      jwt: 'bench-secret-that-is-long-enough-0123456789',
      encryptionKeys: `k1:${Buffer.alloc(32, 9).toString('base64')}`,
    },
    migrate: false,
  });
  await b.listen({ host: '127.0.0.1', port: 0 });
  const bBase = `http://127.0.0.1:${(b.server.address() as AddressInfo).port}`;
  // Signed in here (with the overload retry) rather than through the harness's start-up login.
  const login = await request(`${a.base}/api/admin/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  if (login.status !== 200) throw new Error(`login failed: ${login.status}`);
  const token = ((await login.json()) as { accessToken: string }).accessToken;
  const staffAuth = `Bearer ${token}`;
  const clientsA: Client[] = [];
  const clientsB: Client[] = [];
  try {
    const created = await request(`${a.base}/api/admin/products`, {
      method: 'POST',
      headers: { authorization: staffAuth, 'content-type': 'application/json' },
      body: JSON.stringify({
        title: 'Live bench',
        status: 'active',
        variants: [{ sku: 'LIVE-BENCH-1', price: { amount: 1000, currency: 'USD' } }],
      }),
    });
    if (created.status !== 201)
      throw new Error(`product create failed: ${created.status} ${await created.text()}`);
    const product = (await created.json()) as { id: string; version: number };
    const version = { v: product.version };
    clientsA.push(...(await connectClients(a.base, token)));
    clientsB.push(...(await connectClients(bBase, token)));

    const single = await scenario('single instance   ', a.base, clientsA, staffAuth, product.id, version);
    const cross = await scenario('across 2 instances', a.base, clientsB, staffAuth, product.id, version);
    console.log(
      `targets: single p99 < 200 ms: ${single.p99 < 200 ? 'met' : 'MISSED'}; cross-instance p99 < 500 ms: ${cross.p99 < 500 ? 'met' : 'MISSED'}`,
    );
    return { single, cross };
  } finally {
    for (const client of [...clientsA, ...clientsB]) client.disconnect();
    await b.close();
    await a.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
