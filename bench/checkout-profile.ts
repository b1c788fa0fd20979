/**
 * Where a checkout's time goes (issue 5/6 profiling, not a target): N spread checkouts (1-3 random variants
 * of 200, 16 concurrent) against the in-process server, with the CPU each process spent per checkout
 * (this Node process, which is the server plus a light driver, and every `postgres` process, from /proc)
 * and, when the server has `pg_stat_statements` loaded, the statements by time per checkout (this database's
 * only, counted from after the carts exist, including what the outbox consumers do for the checkouts: the run ends
 * when every consumer has caught up). `TOP=200` lists more statements.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres N=400 npx tsx bench/checkout-profile.ts
 *
 * For where the server's own CPU goes, profile it as deployed instead: `BENCH_SERVER_NODE_ARGS="--cpu-prof
 * --cpu-prof-dir=/tmp/prof" npx tsx bench/checkout.ts`, then `npx tsx bench/profile-summary.ts /tmp/prof/*.cpuprofile`.
 */
import { postgresCpuMs } from './lib/harness.ts';
import {
  CHECKOUT_BODY,
  createCarts,
  createVariants,
  drive,
  percentile,
  startBenchServer,
} from './checkout-harness.ts';

function cpu(): { node: number; sys: number; pg: number } {
  const u = process.cpuUsage();
  return { node: (u.user + u.system) / 1000, sys: u.system / 1000, pg: postgresCpuMs() };
}

const N = Number(process.env.N ?? 400);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 16);
const server = await startBenchServer(16);
try {
  const spread = await createVariants(server, 200, 100_000);
  const prices = new Map(spread.map((id, i) => [id, 1000 + i] as [string, number]));
  const basket = () => [
    ...new Set(
      Array.from(
        { length: 1 + Math.floor(Math.random() * 3) },
        () => spread[Math.floor(Math.random() * spread.length)]!,
      ),
    ),
  ];
  const go = async (n: number, tag: string, beforeDrive?: () => Promise<unknown>) => {
    const carts = await createCarts(server.databaseUrl, Array.from({ length: n }, basket), prices);
    await beforeDrive?.();
    const c0 = cpu();
    const r = await drive(carts, CONCURRENCY, async (cartId) => {
      const response = await fetch(`${server.base}/api/store/carts/${cartId}/checkout`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `${tag}-${cartId}` },
        body: CHECKOUT_BODY,
      });
      await response.arrayBuffer();
      return response.status;
    });
    // The work the checkouts set off through the outbox is part of their cost: wait for every consumer.
    const caughtUpS = await caughtUp();
    const c1 = cpu();
    return {
      perSec: Math.round(r.perSecond),
      p50: percentile(r.latencies, 50).toFixed(0),
      p99: percentile(r.latencies, 99).toFixed(0),
      statuses: r.statuses,
      nodeCpuMsPer: ((c1.node - c0.node) / n).toFixed(2),
      nodeSysMsPer: ((c1.sys - c0.sys) / n).toFixed(2),
      pgCpuMsPer: ((c1.pg - c0.pg) / n).toFixed(2),
      wallS: r.seconds.toFixed(1),
      consumersCaughtUpAfterS: caughtUpS.toFixed(1),
    };
  };
  const pg = (await import('pg')).default;
  const admin = new pg.Client({ connectionString: server.databaseUrl });
  await admin.connect();
  /**
   * Waits until every durable consumer's cursor is at the newest event, twice in a row 100 ms apart (consumers
   * write events in turn: the catalog's stock flags, queued e-mails). Answers the seconds waited. The query is
   * marked so that it is left out of the figures below.
   */
  async function caughtUp(): Promise<number> {
    const t0 = performance.now();
    let quiet = 0;
    while (quiet < 2) {
      const { rows } = await admin.query<{ behind: number }>(
        `/* bench-wait */ SELECT count(*)::int AS behind FROM outbox_cursor
          WHERE consumer <> 'outbox:replay-horizon'
            AND position <> (SELECT tx::text || ':' || id FROM outbox_event ORDER BY tx DESC, id DESC LIMIT 1)`,
      );
      quiet = rows[0]!.behind === 0 ? quiet + 1 : 0;
      if (performance.now() - t0 > 300_000) throw new Error('outbox consumers did not catch up in 300 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return (performance.now() - t0) / 1000;
  }
  await go(100, 'warm');
  // This database's statements only (the PostgreSQL server may be shared), counted from after the carts exist.
  const THIS_DB = `dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT LIKE '/* bench-wait */%'`;
  const statements = await admin.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements').then(
    () => true,
    () => false,
  );
  const reset = () =>
    statements
      ? admin.query(
          `SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = current_database()), 0)`,
        )
      : Promise.resolve();
  console.log(JSON.stringify(await go(N, 'run', reset)));
  if (!statements) {
    console.log('(no per-statement figures: pg_stat_statements is not in shared_preload_libraries)');
    await admin.end();
    process.exitCode = 0;
  } else {
    const { rows } = await admin.query(
      `SELECT calls, round((total_exec_time + total_plan_time)::numeric / ${N}, 3) AS ms_per_checkout, round(total_plan_time::numeric / ${N}, 3) AS plan_ms, round(calls::numeric / ${N}, 2) AS per_checkout, left(regexp_replace(query, '\\s+', ' ', 'g'), 160) AS q FROM pg_stat_statements WHERE ${THIS_DB} ORDER BY total_exec_time + total_plan_time DESC LIMIT ${Number(process.env.TOP ?? 40)}`,
    );
    for (const r of rows) console.log(r.ms_per_checkout, r.plan_ms, r.per_checkout, r.q);
    const { rows: sum } = await admin.query(
      `SELECT round(sum(total_exec_time + total_plan_time)::numeric / ${N}, 2) AS ms, round(sum(calls)::numeric / ${N}, 1) AS calls FROM pg_stat_statements WHERE ${THIS_DB}`,
    );
    console.log('TOTAL per checkout', sum[0]);
    await admin.end();
  }
} finally {
  await server.close();
}
