import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { Agent, request } from 'node:https';
import pg from 'pg';
import autocannon from 'autocannon';
import {
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from '../../apps/server/src/platform/embedded-postgres.ts';
import { createOrm, migrate } from '../../apps/server/src/platform/db.ts';
import { allEntities } from '../../apps/server/src/app.ts';
import { ensureSelfSignedCertificate } from '../../apps/server/src/platform/tls.ts';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const BENCH_DIR = join(ROOT, 'bench');
export const DATA_DIR = join(BENCH_DIR, '.data');

export interface BenchContext {
  databaseUrl: string;
  /** Free-form words from the command line after the suite filter (e.g. --reseed). */
  flags: Set<string>;
  results: ScenarioResult[];
  log: (message: string) => void;
}

export interface BenchSuite {
  name: string;
  description: string;
  run: (ctx: BenchContext) => Promise<void>;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
  non2xx: number;
}

export interface ScenarioResult {
  suite: string;
  scenario: string;
  target: 'mcart' | 'baseline';
  load: LoadResult;
  /** Peak resident memory of the server process so far (VmHWM), MB. */
  peakRssMb: number;
  rssMb: number;
  targets?: Record<string, string>;
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const withDatabase = (url: string, database: string) => {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
};

/**
 * The bench database: BENCH_DATABASE_URL as given; else a `mcart_bench` database on the local PostgreSQL
 * (postgres://postgres@127.0.0.1:5432, trust auth) created if missing; else an embedded PostgreSQL in bench/.data.
 * Migrations are applied either way.
 */
export async function benchDatabase(
  log: (m: string) => void,
): Promise<{ url: string; stop: () => Promise<void> }> {
  let url = process.env.BENCH_DATABASE_URL;
  let embedded: EmbeddedPostgres | undefined;
  if (!url) {
    const admin = new pg.Client({
      connectionString: 'postgres://postgres@127.0.0.1:5432/postgres',
      connectionTimeoutMillis: 2000,
    });
    try {
      await admin.connect();
      const { rows } = await admin.query(`SELECT 1 FROM pg_database WHERE datname = 'mcart_bench'`);
      if (!rows.length) await admin.query('CREATE DATABASE mcart_bench');
      url = 'postgres://postgres@127.0.0.1:5432/mcart_bench';
      log('database: local PostgreSQL, database mcart_bench');
    } catch {
      mkdirSync(DATA_DIR, { recursive: true });
      embedded = await startEmbeddedPostgres({ dir: join(DATA_DIR, 'pg'), port: await freePort() });
      const adminUrl = embedded.url('postgres');
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      const { rows } = await client.query(`SELECT 1 FROM pg_database WHERE datname = 'mcart_bench'`);
      if (!rows.length) await client.query('CREATE DATABASE mcart_bench');
      await client.end();
      url = withDatabase(adminUrl, 'mcart_bench');
      log('database: embedded PostgreSQL in bench/.data');
    } finally {
      await admin.end().catch(() => {});
    }
  }
  const orm = await createOrm({ url, poolMax: 2, entities: allEntities() });
  await migrate(orm, url);
  await orm.close(true);
  return { url, stop: async () => void (await embedded?.stop()) };
}

export async function benchCertificate(): Promise<{ certFile: string; keyFile: string }> {
  mkdirSync(DATA_DIR, { recursive: true });
  return ensureSelfSignedCertificate(DATA_DIR);
}

/** The server as `npm start` runs it: bundled by scripts/build-server.mjs, run by plain node. */
export const SERVER_BUNDLE = 'apps/server/dist/bundle/main.mjs';

export function buildServer(): void {
  const result = spawnSync(process.execPath, ['scripts/build-server.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('scripts/build-server.mjs failed');
}

export interface RunningServer {
  name: 'mcart' | 'baseline';
  url: string;
  pid: number;
  memory: () => { rssMb: number; peakRssMb: number };
  stop: () => Promise<void>;
}

function memoryOf(pid: number): { rssMb: number; peakRssMb: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    return { rssMb: Math.round(kb('VmRSS') / 1024), peakRssMb: Math.round(kb('VmHWM') / 1024) };
  } catch {
    return { rssMb: 0, peakRssMb: 0 };
  }
}

/** CPU time (user + system, ms) one process has used so far; 0 once it has ended. */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, in 1/100 s
  } catch {
    return 0;
  }
}

/** CPU time (ms) every `postgres` process on this machine has used so far (server, backends, walwriter...). */
export function postgresCpuMs(): number {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) === 'postgres')
        total += processCpuMs(Number(pid));
    } catch {
      // the process ended between listing and reading
    }
  }
  return total;
}

const insecureAgent = new Agent({ rejectUnauthorized: false, keepAlive: false });

export function httpsGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolveGet, reject) => {
    const req = request(url, { agent: insecureAgent, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolveGet({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end();
  });
}

async function waitReady(url: string, child: ChildProcess, what: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode}`);
    try {
      if ((await httpsGet(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not become ready at ${url}`);
}

function spawnServer(
  name: 'mcart' | 'baseline',
  script: string,
  env: NodeJS.ProcessEnv,
  readyPath: string,
  port: number,
): Promise<RunningServer> {
  // One plain node process (no wrapper process), so its RSS is the server's own: MCart as `npm start` runs
  // it (the bundle from scripts/build-server.mjs), the baseline through tsx as an import hook.
  // BENCH_SERVER_NODE_ARGS: extra node flags for MCart, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` (the
  // profile is written when the server stops).
  const extra =
    name === 'mcart' ? (process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []) : [];
  const loader = script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...extra, ...loader, script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const url = `https://127.0.0.1:${port}`;
  return waitReady(url + readyPath, child, name)
    .catch((err: Error) => {
      child.kill('SIGKILL');
      throw new Error(`${err.message}\n${stderr}`);
    })
    .then(() => ({
      name,
      url,
      pid: child.pid!,
      memory: () => memoryOf(child.pid!),
      stop: () =>
        new Promise<void>((done) => {
          if (child.exitCode !== null) return done();
          child.once('exit', () => done());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 30_000).unref();
        }),
    }));
}

/** MCart as deployed: HTTPS, production mode, one process, on 127.0.0.1 against the bench database. */
export async function startMcart(
  databaseUrl: string,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<RunningServer> {
  const port = await freePort();
  const tls = await benchCertificate();
  mkdirSync(join(DATA_DIR, 'server'), { recursive: true });
  buildServer();
  return spawnServer(
    'mcart',
    SERVER_BUNDLE,
    {
      NODE_ENV: 'production',
      PAYMENT_PROVIDER: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      TLS: 'on',
      TLS_CERT_FILE: tls.certFile,
      TLS_KEY_FILE: tls.keyFile,
      MCART_DATA_DIR: join(DATA_DIR, 'server'),
      MCART_SEED: 'off',
      MCART_ADMIN_EMAIL: 'bench@mcart.local',
      MCART_ADMIN_PASSWORD: 'bench-password-not-secret',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
      // Bench-only secrets (production mode refuses to generate them).
      JWT_SECRET: 'bench-jwt-secret-0123456789abcdef0123456789',
      MCART_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 11).toString('base64')}`,
      TEST_GATEWAY_WEBHOOK_SECRET: 'bench-test-gateway-webhook-secret-0123456789',
      ...extraEnv,
    },
    '/ready',
    port,
  );
}

/** The baseline: a minimal Fastify HTTPS route running the given SQL through pg (bench/lib/baseline-server.ts). */
export async function startBaseline(databaseUrl: string, queriesFile: string): Promise<RunningServer> {
  const port = await freePort();
  const tls = await benchCertificate();
  return spawnServer(
    'baseline',
    'bench/lib/baseline-server.ts',
    {
      DATABASE_URL: databaseUrl,
      BASELINE_PORT: String(port),
      BASELINE_QUERIES: queriesFile,
      TLS_CERT_FILE: tls.certFile,
      TLS_KEY_FILE: tls.keyFile,
    },
    '/health',
    port,
  );
}

/** autocannon against one URL (or a rotating list of paths), 16 connections by default. */
export async function load(
  baseUrl: string,
  paths: string[],
  options: { seconds: number; connections?: number },
): Promise<LoadResult> {
  let next = 0;
  const result = await autocannon({
    url: baseUrl + paths[0],
    connections: options.connections ?? 16,
    duration: options.seconds,
    requests:
      paths.length > 1
        ? [
            {
              setupRequest: (req: { path?: string }) => {
                req.path = paths[next++ % paths.length];
                return req;
              },
            },
          ]
        : undefined,
  });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}
