/**
 * `npm run bench -- checkout`: bench/checkout.ts in the shared report. MCart as deployed (own process,
 * HTTPS) at 16 concurrent shoppers; the hot variant's checkouts/s against the bare SQL transaction
 * (conditional stock UPDATE + line INSERT), and checkouts spread over 200 variants against the bare SQL a
 * checkout needs; every baseline through `pg` on the same database in the same run.
 */
import type { BenchSuite, ScenarioResult } from './lib/harness.ts';
import { run } from './checkout.ts';

interface Round {
  perSecond: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
}
interface Report {
  checkoutsPerRound: number;
  serverPeakRssMb: number;
  hotVariant: { rounds: { baseline: Round; mcart: Round }[] };
  spreadVariants: { rounds: { baseline: Round; mcart: Round }[] };
}

const mean = (values: number[]) => Math.round(values.reduce((sum, v) => sum + v, 0) / values.length);

export const suite: BenchSuite = {
  name: 'checkout',
  description:
    'checkouts at 16 concurrent shoppers: one hot variant vs the bare SQL transaction, spread variants vs the bare SQL of a checkout',
  async run(ctx) {
    // The checkout bench creates (and drops) its own database on this server.
    process.env.DATABASE_URL ||= ctx.databaseUrl;
    const report = (await run()) as unknown as Report;
    const row = (
      scenario: string,
      target: 'mcart' | 'baseline',
      rounds: Round[],
      targets?: Record<string, string>,
    ): ScenarioResult => {
      const failed = rounds
        .flatMap((r) => Object.entries(r.statuses))
        .filter(([status]) => status !== '201')
        .reduce((sum, [, count]) => sum + count, 0);
      return {
        suite: 'checkout',
        scenario,
        target,
        load: {
          requestsPerSecond: mean(rounds.map((r) => r.perSecond)),
          p50Ms: Math.max(...rounds.map((r) => r.p50)),
          p99Ms: Math.max(...rounds.map((r) => r.p99)),
          requests: rounds.length * report.checkoutsPerRound,
          errors: 0,
          non2xx: failed,
        },
        peakRssMb: target === 'mcart' ? report.serverPeakRssMb : 0,
        rssMb: 0,
        ...(targets ? { targets } : {}),
      };
    };
    const hot = 'hot variant: checkouts/s vs bare SQL tx/s';
    const spread = 'spread variants (1-3 lines) vs bare checkout SQL';
    const { rounds: hotRounds } = report.hotVariant;
    const { rounds: spreadRounds } = report.spreadVariants;
    ctx.results.push(
      row(
        hot,
        'baseline',
        hotRounds.map((r) => r.baseline),
      ),
      row(
        hot,
        'mcart',
        hotRounds.map((r) => r.mcart),
        { ratio: '0.4' },
      ),
      row(
        spread,
        'baseline',
        spreadRounds.map((r) => r.baseline),
      ),
      row(
        spread,
        'mcart',
        spreadRounds.map((r) => r.mcart),
        { p99Ms: '50' },
      ),
    );
  },
};
