/** `npm run bench -- live`: the live-sync latency scenarios of bench/live-latency.ts in the shared report. */
import type { BenchSuite, ScenarioResult } from './lib/harness.ts';
import { run } from './live-latency.ts';

const round = (ms: number) => Math.round(ms * 10) / 10;

export const suite: BenchSuite = {
  name: 'live',
  description: '50 sockets; admin PATCH → change event at a watching client, one instance and across two',
  async run(ctx) {
    const { single, cross } = await run();
    const result = (scenario: string, figures: typeof single, p99Ms: number): ScenarioResult => ({
      suite: 'live',
      scenario,
      target: 'mcart',
      load: {
        requestsPerSecond: 0,
        p50Ms: round(figures.p50),
        p99Ms: round(figures.p99),
        requests: figures.changes,
        errors: 0,
        non2xx: 0,
      },
      peakRssMb: 0,
      rssMb: 0,
      targets: { p99Ms: String(p99Ms) },
    });
    ctx.results.push(
      result('change → client, single instance', single, 200),
      result('change → client, across 2 instances', cross, 500),
    );
  },
};
