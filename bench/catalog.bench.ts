/**
 * Catalog read scenarios against MCart and against a bare Fastify + pg baseline running the same SQL,
 * alternated scenario by scenario. Seeds 100k products first when the bench database has fewer.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { StoreCatalog, type StoreListQuery } from '../apps/server/src/modules/catalog/store-catalog.ts';
import type { PriceClock } from '../apps/server/src/modules/catalog/price-clock.ts';
import { MATERIALS, NOUNS, catalogSize, seedCatalog } from './catalog-seed.ts';
import {
  DATA_DIR,
  httpsGet,
  load,
  startBaseline,
  startMcart,
  type BenchContext,
  type BenchSuite,
  type RunningServer,
} from './lib/harness.ts';

const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 12);
const WARMUP_SECONDS = 3;

interface Scenario {
  name: string;
  /** MCart paths (several rotate, e.g. product details). */
  paths: (slugs: string[], categorySlug: string) => string[];
  /** What the baseline replays: the row queries MCart issues for the same request. */
  capture: (store: StoreCatalog, slugs: string[], categorySlug: string) => Promise<unknown>;
  /** For rotating scenarios: the first query parameter of each path, which the baseline substitutes. */
  rotate?: (slugs: string[]) => string[];
  targets: { p99Ms?: number; ratio?: number };
}

const listQuery = (query: StoreListQuery) => (store: StoreCatalog) => store.list(query);
const qs = (query: Record<string, string | number | boolean>) =>
  '?' +
  Object.entries(query)
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&');

const SEARCH_TERMS = MATERIALS.flatMap((material) => NOUNS.map((noun) => `${material} ${noun}`));

const scenarios: Scenario[] = [
  {
    name: 'list: first page',
    paths: () => ['/api/store/products' + qs({ perPage: 20 })],
    capture: listQuery({ perPage: 20 }),
    targets: { p99Ms: 25, ratio: 0.5 },
  },
  {
    name: 'list: deep page (400)',
    paths: () => ['/api/store/products' + qs({ page: 400, perPage: 20 })],
    capture: listQuery({ page: 400, perPage: 20 }),
    targets: { p99Ms: 25, ratio: 0.5 },
  },
  {
    name: 'search: "wool jacket"',
    paths: () => ['/api/store/products' + qs({ q: 'wool jacket' })],
    capture: listQuery({ q: 'wool jacket' }),
    targets: { p99Ms: 25, ratio: 0.5 },
  },
  {
    // Hundreds of different searches: each one is rarely repeated within the answer cache's 250 ms, so this
    // measures the database path (page query, plus the facets of a new term), not the cache.
    name: `search: ${SEARCH_TERMS.length} rotating terms`,
    paths: () => SEARCH_TERMS.map((q) => '/api/store/products' + qs({ q })),
    capture: listQuery({ q: SEARCH_TERMS[0]! }),
    rotate: () => SEARCH_TERMS,
    targets: { p99Ms: 25, ratio: 0.5 },
  },
  {
    name: 'search + filters',
    paths: (_s, category) => [
      '/api/store/products' +
        qs({ q: 'jacket', category, minPrice: 2000, maxPrice: 15000, inStock: true, sort: 'price_asc' }),
    ],
    capture: (store, _s, category) =>
      store.list({
        q: 'jacket',
        category,
        minPrice: 2000,
        maxPrice: 15000,
        inStock: true,
        sort: 'price_asc',
      }),
    targets: { p99Ms: 25, ratio: 0.5 },
  },
  {
    name: 'filtered list (category, price, in stock)',
    paths: (_s, category) => [
      '/api/store/products' +
        qs({ category, minPrice: 2000, maxPrice: 15000, inStock: true, sort: 'price_asc' }),
    ],
    capture: (store, _s, category) =>
      store.list({ category, minPrice: 2000, maxPrice: 15000, inStock: true, sort: 'price_asc' }),
    targets: { p99Ms: 25, ratio: 0.5 },
  },
  {
    name: 'product detail',
    paths: (slugs) => slugs.map((slug) => `/api/store/products/${slug}`),
    capture: (store, slugs) => store.detail(slugs[0]!),
    rotate: (slugs) => slugs,
    targets: { p99Ms: 10 },
  },
];

/** Runs MCart's own query code against a recording pool, to give the baseline exactly the same SQL. */
async function captureQueries(
  url: string,
  slugs: string[],
  categorySlug: string,
): Promise<Record<string, { name?: string; text: string; values: unknown[] }[]>> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  let recorded: { name?: string; text: string; values: unknown[] }[] = [];
  const recording = {
    query: (config: { name?: string; text: string; values?: unknown[] }) => {
      // The rows of the answer: list and detail statements (named), and the search and fuzzy page
      // queries (unnamed, planned per term: ADR 0018); not totals, facets or the category tree.
      const page = config.name
        ? /^store-(list|search|fuzzy|detail)/.test(config.name) && !/total/.test(config.name)
        : /WITH cand AS MATERIALIZED/.test(config.text);
      if (page) recorded.push({ name: config.name, text: config.text, values: config.values ?? [] });
      return pool.query(config);
    },
  } as unknown as pg.Pool;
  const store = new StoreCatalog(
    recording,
    { ensureFresh: () => undefined, boundary: Number.POSITIVE_INFINITY } as unknown as PriceClock,
    'USD',
  );
  const out: Record<string, { name?: string | undefined; text: string; values: unknown[] }[]> = {};
  try {
    for (const [index, scenario] of scenarios.entries()) {
      recorded = [];
      await scenario.capture(store, slugs, categorySlug);
      out[`s${index}`] = recorded;
    }
  } finally {
    await pool.end();
  }
  return out;
}

async function measure(ctx: BenchContext, server: RunningServer, scenario: Scenario, paths: string[]) {
  const first = await httpsGet(server.url + paths[0]);
  if (first.status !== 200)
    throw new Error(`${server.name} ${scenario.name}: HTTP ${first.status} ${first.body.slice(0, 300)}`);
  await load(server.url, paths, { seconds: WARMUP_SECONDS });
  const result = await load(server.url, paths, { seconds: SECONDS });
  const memory = server.memory();
  ctx.results.push({
    suite: 'catalog',
    scenario: scenario.name,
    target: server.name,
    load: result,
    peakRssMb: memory.peakRssMb,
    rssMb: memory.rssMb,
    targets: Object.fromEntries(Object.entries(scenario.targets).map(([k, v]) => [k, String(v)])),
  });
  ctx.log(
    `  ${server.name.padEnd(8)} ${scenario.name.padEnd(42)} ${String(result.requestsPerSecond).padStart(6)} req/s  p50 ${result.p50Ms} ms  p99 ${result.p99Ms} ms  RSS ${memory.rssMb} MB (peak ${memory.peakRssMb})` +
      (result.errors || result.non2xx ? `  errors ${result.errors} non-2xx ${result.non2xx}` : ''),
  );
}

export const suite: BenchSuite = {
  name: 'catalog',
  description:
    'store product list, deep page, search, search + filters, filtered list, product detail (100k products)',
  async run(ctx) {
    const size = await catalogSize(ctx.databaseUrl);
    if (ctx.flags.has('--reseed') || size < PRODUCTS * 0.9)
      await seedCatalog(ctx.databaseUrl, PRODUCTS, ctx.log);
    else ctx.log(`catalog: ${size.toLocaleString()} published products already seeded (--reseed to rebuild)`);

    const client = new pg.Client({ connectionString: ctx.databaseUrl });
    await client.connect();
    const slugs = (
      await client.query<{ slug: string }>(
        `SELECT slug FROM product_search ORDER BY md5(product_id::text) LIMIT 500`,
      )
    ).rows.map((r) => r.slug);
    // The leaf category with the most "jacket" products, so search + filters has real matches to rank.
    const categorySlug = (
      await client.query<{ slug: string }>(
        `SELECT c.slug FROM category c JOIN product_search ps ON ps.category_ids @> ARRAY[c.id]
          WHERE c.parent_id IS NOT NULL AND ps.document @@ websearch_to_tsquery('english', 'jacket')
          GROUP BY c.slug ORDER BY count(*) DESC, c.slug LIMIT 1`,
      )
    ).rows[0]!.slug;
    // Index-only scans need a current visibility map.
    await client.query('VACUUM ANALYZE product_search');
    await client.end();

    const queries = await captureQueries(ctx.databaseUrl, slugs, categorySlug);
    mkdirSync(DATA_DIR, { recursive: true });
    const queriesFile = join(DATA_DIR, 'baseline-queries.json');
    writeFileSync(queriesFile, JSON.stringify(queries));

    const mcart = await startMcart(ctx.databaseUrl);
    const baseline = await startBaseline(ctx.databaseUrl, queriesFile);
    ctx.log(
      `servers: MCart pid ${mcart.pid} at ${mcart.url}, baseline pid ${baseline.pid} at ${baseline.url}; ${SECONDS} s per run, 16 connections`,
    );
    try {
      // Steady state first: every scenario answered once (caches built, statements prepared), start-up work done.
      for (const scenario of scenarios) await httpsGet(mcart.url + scenario.paths(slugs, categorySlug)[0]);
      await new Promise((r) => setTimeout(r, 5000));
      for (const [index, scenario] of scenarios.entries()) {
        const paths = scenario.paths(slugs, categorySlug);
        const baselinePaths = scenario.rotate
          ? scenario.rotate(slugs).map((p0) => `/q/s${index}?p0=${encodeURIComponent(p0)}`)
          : [`/q/s${index}`];
        // Alternate: baseline then MCart for each scenario, so drifts in machine speed hit both alike.
        await measure(ctx, baseline, scenario, baselinePaths);
        await measure(ctx, mcart, scenario, paths);
      }
    } finally {
      await mcart.stop();
      await baseline.stop();
    }
  },
};
