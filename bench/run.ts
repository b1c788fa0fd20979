/**
 * `npm run bench [-- <filter>...] [-- --reseed]`: runs every suite in bench/*.bench.ts (or those whose name
 * matches a filter), against servers it starts itself on 127.0.0.1, then writes bench/results/<time>.json
 * and .md and prints the table. A suite file exports `suite: BenchSuite` (see bench/lib/harness.ts).
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cpus } from 'node:os';
import {
  BENCH_DIR,
  benchDatabase,
  type BenchContext,
  type BenchSuite,
  type ScenarioResult,
} from './lib/harness.ts';

const args = process.argv.slice(2);
const flags = new Set(args.filter((a) => a.startsWith('--')));
const filters = args.filter((a) => !a.startsWith('--')).map((a) => a.toLowerCase());

const files = readdirSync(BENCH_DIR)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();
const suites: BenchSuite[] = [];
for (const file of files) {
  const module = (await import(pathToFileURL(join(BENCH_DIR, file)).href)) as { suite?: BenchSuite };
  if (module.suite) suites.push(module.suite);
}
const selected = filters.length
  ? suites.filter((s) => filters.some((f) => s.name.toLowerCase().includes(f)))
  : suites;
if (!selected.length) {
  console.error(`No suite matches ${filters.join(', ')}. Suites: ${suites.map((s) => s.name).join(', ')}`);
  process.exit(1);
}

function ratioRows(results: ScenarioResult[]): string[] {
  const rows: string[] = [];
  const key = (r: ScenarioResult) => `${r.suite}\u0000${r.scenario}`;
  const baselines = new Map(results.filter((r) => r.target === 'baseline').map((r) => [key(r), r]));
  for (const r of results.filter((x) => x.target !== 'baseline')) {
    const base = baselines.get(key(r));
    const ratio = base ? r.load.requestsPerSecond / Math.max(1, base.load.requestsPerSecond) : undefined;
    const targets = r.targets ?? {};
    const verdicts = [
      targets.p99Ms
        ? r.load.p99Ms < Number(targets.p99Ms)
          ? `p99<${targets.p99Ms} ✓`
          : `p99<${targets.p99Ms} ✗`
        : '',
      targets.ratio && ratio !== undefined
        ? ratio >= Number(targets.ratio)
          ? `≥${Number(targets.ratio) * 100}% ✓`
          : `≥${Number(targets.ratio) * 100}% ✗`
        : '',
      r.peakRssMb ? (r.peakRssMb < 300 ? 'RSS ✓' : 'RSS ✗') : '',
    ].filter(Boolean);
    rows.push(
      `| ${r.suite} | ${r.scenario} | ${r.load.requestsPerSecond} | ${r.load.p50Ms} | ${r.load.p99Ms} | ${base ? base.load.requestsPerSecond : '-'} | ${base ? base.load.p99Ms : '-'} | ${
        ratio !== undefined ? ratio.toFixed(2) : '-'
      } | ${r.peakRssMb} | ${r.load.errors + r.load.non2xx} | ${verdicts.join(' ')} |`,
    );
  }
  return rows;
}

const results: ScenarioResult[] = [];
const log = (message: string) => console.log(message);
const db = await benchDatabase(log);
const started = new Date();
try {
  for (const suite of selected) {
    log(`\n== ${suite.name}: ${suite.description}`);
    const ctx: BenchContext = { databaseUrl: db.url, flags, results, log };
    await suite.run(ctx);
  }
} finally {
  await db.stop();
}

const header = [
  `MCart benchmarks, ${started.toISOString()} — ${cpus().length} cores (${cpus()[0]?.model ?? 'cpu'}), Node ${process.version}, autocannon 16 connections, HTTPS.`,
  '',
  '| suite | scenario | MCart req/s | p50 ms | p99 ms | baseline req/s | baseline p99 ms | ratio | MCart peak RSS MB | errors | targets |',
  '|---|---|---|---|---|---|---|---|---|---|---|',
];
const markdown = [...header, ...ratioRows(results)].join('\n') + '\n';
const resultsDir = join(BENCH_DIR, 'results');
mkdirSync(resultsDir, { recursive: true });
const stamp = started.toISOString().replace(/[:.]/g, '-');
writeFileSync(
  join(resultsDir, `${stamp}.json`),
  JSON.stringify({ startedAt: started, cores: cpus().length, node: process.version, results }, null, 2),
);
writeFileSync(join(resultsDir, `${stamp}.md`), markdown);
console.log('\n' + markdown);
console.log(`results: bench/results/${stamp}.json and .md`);
