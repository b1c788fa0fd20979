/**
 * `npm run bench -- checkout`: bench/checkout.ts in the shared report. The hot variant's checkouts/s
 * against the bare SQL transaction (conditional stock UPDATE + line INSERT) through `pg` in the same run,
 * and the latency of checkouts spread over 200 variants; both at 16 concurrent shoppers.
 */
import type { BenchSuite, ScenarioResult } from './lib/harness.ts';
import { run } from './checkout.ts';

interface Report {
  hotVariant: { rounds: { baselineTxPerSec: number; checkoutsPerSec: number; statuses: object }[] };
  spreadVariants: {
    checkouts: number;
    checkoutsPerSec: number;
    p50ms: number;
    p99ms: number;
    statuses: Record<string, number>;
  };
}

const mean = (values: number[]) => Math.round(values.reduce((sum, v) => sum + v, 0) / values.length);

export const suite: BenchSuite = {
  name: 'checkout',
  description:
    'checkouts at 16 concurrent shoppers: one hot variant vs the bare SQL transaction, spread variants',
  async run(ctx) {
    // The checkout bench creates (and drops) its own database on this server.
    process.env.DATABASE_URL ||= ctx.databaseUrl;
    const report = (await run()) as unknown as Report;
    const row = (
      scenario: string,
      target: 'mcart' | 'baseline',
      perSecond: number,
      extra: Partial<ScenarioResult['load']> = {},
      targets?: Record<string, string>,
    ): ScenarioResult => ({
      suite: 'checkout',
      scenario,
      target,
      load: { requestsPerSecond: perSecond, p50Ms: 0, p99Ms: 0, requests: 0, errors: 0, non2xx: 0, ...extra },
      peakRssMb: 0,
      rssMb: 0,
      ...(targets ? { targets } : {}),
    });
    const hot = 'hot variant: checkouts/s vs bare SQL tx/s';
    const { rounds } = report.hotVariant;
    const spread = report.spreadVariants;
    const failed = Object.entries(spread.statuses)
      .filter(([status]) => status !== '201')
      .reduce((sum, [, count]) => sum + count, 0);
    ctx.results.push(
      row(hot, 'baseline', mean(rounds.map((r) => r.baselineTxPerSec))),
      row(hot, 'mcart', mean(rounds.map((r) => r.checkoutsPerSec)), {}, { ratio: '0.4' }),
      row(
        'spread variants (1-3 lines)',
        'mcart',
        spread.checkoutsPerSec,
        { p50Ms: spread.p50ms, p99Ms: spread.p99ms, requests: spread.checkouts, non2xx: failed },
        { p99Ms: '50' },
      ),
    );
  },
};
