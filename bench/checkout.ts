/**
 * Checkout benchmark (issue 5/6). Run: `npx tsx bench/checkout.ts` (or from bench/run.ts via `run()`).
 *  1. Hot variant: checkouts/s of POST /api/store/carts/{id}/checkout, 16 concurrent, all on ONE variant,
 *     against a baseline in the same run: the bare SQL transaction (conditional stock UPDATE + line INSERT
 *     in one CTE) through `pg` with 16 clients. Alternated baseline/server twice; the ratio is what counts.
 *  2. Spread variants: 16 concurrent shoppers checking out 1-3 random variants of 200: p50/p99 latency.
 * Env: BENCH_CHECKOUTS (per server round, default 600), DATABASE_URL (else embedded PostgreSQL).
 */
import pg from 'pg';
import {
  CHECKOUT_BODY,
  createCarts,
  createVariants,
  drive,
  percentile,
  startBenchServer,
  type BenchServer,
} from './checkout-harness.ts';

const CONCURRENCY = 16;

async function baseline(databaseUrl: string, transactions: number): Promise<number> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: CONCURRENCY });
  await pool.query(
    `CREATE TABLE IF NOT EXISTS bench_stock (id int PRIMARY KEY, available int NOT NULL CHECK (available >= 0))`,
  );
  await pool.query(
    `CREATE TABLE IF NOT EXISTS bench_line (id bigserial PRIMARY KEY, stock_id int NOT NULL, quantity int NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
  );
  await pool.query(
    `INSERT INTO bench_stock VALUES (1, 100000000) ON CONFLICT (id) DO UPDATE SET available = 100000000`,
  );
  const result = await drive(Array.from({ length: transactions }), CONCURRENCY, async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const { rowCount } = await client.query({
        name: 'bench-hot',
        text: `WITH upd AS (UPDATE bench_stock SET available = available - $2 WHERE id = $1 AND available >= $2 RETURNING id)
               INSERT INTO bench_line (stock_id, quantity) SELECT id, $2 FROM upd`,
        values: [1, 1],
      });
      await client.query('COMMIT');
      return rowCount === 1 ? 201 : 409;
    } finally {
      client.release();
    }
  });
  await pool.end();
  return result.perSecond;
}

async function serverRound(server: BenchServer, variantId: string, price: number, count: number) {
  const carts = await createCarts(
    server.databaseUrl,
    Array.from({ length: count }, () => [variantId]),
    new Map([[variantId, price]]),
  );
  return drive(carts, CONCURRENCY, async (cartId) => {
    const response = await fetch(`${server.base}/api/store/carts/${cartId}/checkout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `bench-${cartId}` },
      body: CHECKOUT_BODY,
    });
    await response.arrayBuffer();
    return response.status;
  });
}

export async function run(): Promise<Record<string, unknown>> {
  const perRound = Number(process.env.BENCH_CHECKOUTS ?? 600);
  const server = await startBenchServer(CONCURRENCY);
  try {
    const [hot] = await createVariants(server, 1, 1_000_000);
    const spread = await createVariants(server, 200, 100_000);
    const prices = new Map<string, number>([
      [hot!, 1000],
      ...spread.map((id, i) => [id, 1000 + i] as [string, number]),
    ]);
    // Warm-up (JIT, prepared plans, pool connections).
    await serverRound(server, hot!, 1000, 100);
    await baseline(server.databaseUrl, 500);

    const rounds: { baseline: number; server: number; statuses: Record<number, number> }[] = [];
    for (let i = 0; i < 2; i++) {
      const base = await baseline(server.databaseUrl, perRound * 3);
      const api = await serverRound(server, hot!, 1000, perRound);
      rounds.push({ baseline: base, server: api.perSecond, statuses: api.statuses });
    }
    const baselineMean = rounds.reduce((s, r) => s + r.baseline, 0) / rounds.length;
    const serverMean = rounds.reduce((s, r) => s + r.server, 0) / rounds.length;

    const baskets = Array.from({ length: perRound }, () => {
      const size = 1 + Math.floor(Math.random() * 3);
      return [
        ...new Set(Array.from({ length: size }, () => spread[Math.floor(Math.random() * spread.length)]!)),
      ];
    });
    const carts = await createCarts(server.databaseUrl, baskets, prices);
    const spreadRun = await drive(carts, CONCURRENCY, async (cartId) => {
      const response = await fetch(`${server.base}/api/store/carts/${cartId}/checkout`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `spread-${cartId}` },
        body: CHECKOUT_BODY,
      });
      await response.arrayBuffer();
      return response.status;
    });

    const report = {
      hotVariant: {
        concurrency: CONCURRENCY,
        rounds: rounds.map((r) => ({
          baselineTxPerSec: Math.round(r.baseline),
          checkoutsPerSec: Math.round(r.server),
          statuses: r.statuses,
        })),
        ratio: Number((serverMean / baselineMean).toFixed(3)),
        target: '>= 0.40 of the bare SQL baseline',
      },
      spreadVariants: {
        concurrency: CONCURRENCY,
        checkouts: carts.length,
        checkoutsPerSec: Math.round(spreadRun.perSecond),
        p50ms: Number(percentile(spreadRun.latencies, 50).toFixed(1)),
        p99ms: Number(percentile(spreadRun.latencies, 99).toFixed(1)),
        statuses: spreadRun.statuses,
        target: 'p99 < 50 ms',
      },
    };
    return report;
  } finally {
    await server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run()
    .then((report) => {
      console.log(JSON.stringify(report, null, 2));
      process.exit(0);
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
