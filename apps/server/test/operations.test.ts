import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { buildTestApp, useTestApp } from './app.ts';
import { freePort } from './global-setup.ts';
import { postgresStore } from '../src/platform/rate-limit-store.ts';
import { purgeIdempotencyKeys } from '../src/platform/idempotency.ts';
import { fromDatabase } from '../src/platform/metrics.ts';

const TOKEN = 'metrics-token-0123456789abcdef';
const port = await freePort();
const { app, databaseUrl } = await useTestApp({ METRICS_TOKEN: TOKEN, METRICS_PORT: String(port) });

describe('prometheus metrics', () => {
  it('needs the bearer token on the main port', async () => {
    const anonymous = await app.inject('/metrics');
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['content-type']).toContain('application/problem+json');
    const wrong = await app.inject({ url: '/metrics', headers: { authorization: 'Bearer nope' } });
    expect(wrong.statusCode).toBe(401);
  });

  it('reports request latency per route pattern, pools and sockets', async () => {
    await app.inject('/health');
    await app.inject('/api/admin/backups/3f1e5b0a-9d2c-4c56-8a4e-6f0d2b9c1a77'); // 401, but a matched route
    const response = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    const body = response.body;
    expect(body).toMatch(
      /mcart_http_request_duration_seconds_count\{method="GET",route="\/health",status_code="200"\} 1/,
    );
    // The pattern, not the URL with its id.
    expect(body).toContain('route="/api/admin/backups/:id"');
    expect(body).not.toContain('3f1e5b0a');
    expect(body).toMatch(/mcart_db_read_pool_connections\{state="total"\} \d+/);
    expect(body).toMatch(/mcart_db_orm_pool_connections\{state="used"\} \d+/);
    expect(body).toMatch(/mcart_socket_connections \d+/);
    expect(body).toContain('mcart_process_resident_memory_bytes');
    // No backup yet in this store: 0, which an alert on its age catches.
    expect(body).toContain('mcart_backup_last_success_timestamp_seconds 0');
  });

  it('serves the same on the localhost metrics port without a token', async () => {
    expect(app.metrics.localAddress()).toEqual({ port });
    const response = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('mcart_http_request_duration_seconds');
    expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
  });
});

describe('metrics while the database is down', () => {
  it('answers the scrape without the figures read from the database, instead of a 500', async () => {
    const other = await buildTestApp({ METRICS_TOKEN: TOKEN, BACKUP_CRON: 'off' });
    const name = new URL(other.databaseUrl).pathname.slice(1);
    const admin = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
    await admin.connect();
    const scrape = () => other.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    try {
      await other.app.inject('/health');
      expect((await scrape()).body).toContain('mcart_backup_last_success_timestamp_seconds 0');
      // Every connection ended, new ones refused: the database is gone for this instance.
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [name]);
      const down = await scrape();
      expect(down.statusCode, down.body).toBe(200);
      // What explains an outage is still there: latency per route, pools, the process.
      expect(down.body).toMatch(/mcart_http_request_duration_seconds_count\{method="GET",route="\/health"/);
      expect(down.body).toMatch(/mcart_db_orm_pool_connections\{state="used"\} \d+/);
      expect(down.body).toContain('mcart_process_resident_memory_bytes');
      expect((await other.app.inject('/ready')).statusCode).toBe(503);
    } finally {
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
      await admin.end();
      await other.close();
    }
  }, 120_000);

  it('gives up on a figure the database does not answer within the time a scrape allows', async () => {
    const warnings: object[] = [];
    const log = { warn: (obj: object) => void warnings.push(obj) };
    const started = Date.now();
    expect(await fromDatabase(log, 'slow', () => new Promise<number>(() => {}), 100)).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await fromDatabase(log, 'failing', () => Promise.reject(new Error('gone')))).toBeUndefined();
    expect(await fromDatabase(log, 'fine', async () => 7)).toBe(7);
    expect(warnings).toEqual([
      expect.objectContaining({ metric: 'slow' }),
      expect.objectContaining({ metric: 'failing' }),
    ]);
  });
});

describe('overload protection', () => {
  it('answers 503 problem+json with Retry-After past the limit, but keeps /health alive', async () => {
    // A 1 MiB heap limit is always exceeded: every new request is refused once the first sample is taken.
    const overloaded = await buildTestApp({ OVERLOAD_MAX_HEAP_MB: '1', OVERLOAD_RETRY_AFTER_SECONDS: '7' });
    try {
      let response = await overloaded.app.inject('/ready');
      for (let i = 0; i < 100 && response.statusCode !== 503; i++) {
        await new Promise((r) => setTimeout(r, 50));
        response = await overloaded.app.inject('/ready');
      }
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('7');
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json()).toMatchObject({ status: 503, code: 'MCART_ERR_OVERLOADED' });
      expect((await overloaded.app.inject('/api/admin/backups')).statusCode).toBe(503);
      expect((await overloaded.app.inject('/health')).statusCode).toBe(200);
    } finally {
      await overloaded.close();
    }
  }, 120_000);

  it('does not refuse anything under normal load', async () => {
    expect((await app.inject('/ready')).statusCode).toBe(200);
  });
});

describe('rate-limit counters shared by every instance', () => {
  const pools: pg.Pool[] = [];
  afterAll(async () => {
    for (const pool of pools) await pool.end();
  });
  const instance = () => {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    pools.push(pool);
    const Store = postgresStore(pool);
    return new Store().child({ method: 'POST', url: '/api/store/auth/login', path: '', prefix: '' } as never);
  };
  const incr = (store: ReturnType<typeof instance>, key: string, windowMs = 60_000) =>
    new Promise<{ current: number; ttl: number }>((resolve, reject) =>
      (
        store.incr as (
          k: string,
          cb: (e: Error | null, r?: { current: number; ttl: number }) => void,
          w: number,
        ) => void
      )(key, (err, result) => (err ? reject(err) : resolve(result!)), windowMs),
    );

  it('counts one client across two instances in one window', async () => {
    const a = instance();
    const b = instance();
    expect((await incr(a, '203.0.113.9')).current).toBe(1);
    expect((await incr(b, '203.0.113.9')).current).toBe(2);
    const third = await incr(a, '203.0.113.9');
    expect(third.current).toBe(3);
    expect(third.ttl).toBeGreaterThan(0);
    expect(third.ttl).toBeLessThanOrEqual(60_000);
    // Another client, and the same client on another route, count separately.
    expect((await incr(b, '198.51.100.1')).current).toBe(1);
    const Store = postgresStore(pools[0]!);
    const otherRoute = new Store().child({
      method: 'POST',
      url: '/api/admin/auth/login',
      path: '',
      prefix: '',
    } as never);
    expect((await incr(otherRoute, '203.0.113.9')).current).toBe(1);
  });

  it('sweeps counters whose window ended, as instances count', async () => {
    await pools[0]!.query(
      `INSERT INTO rate_limit_counter (key, hits, expires_at)
       SELECT 'old:' || g, 1, now() - interval '1 hour' FROM generate_series(1, 50) g`,
    );
    const a = instance();
    for (let i = 0; i < 500; i++) await incr(a, `sweep-${i % 7}`);
    await expect
      .poll(
        async () =>
          (await pools[0]!.query(`SELECT count(*)::int AS n FROM rate_limit_counter WHERE key LIKE 'old:%'`))
            .rows[0].n,
      )
      .toBe(0);
  });

  it('starts a new window once the old one has expired', async () => {
    const a = instance();
    // A window long enough that the first two counts share it even on a loaded machine.
    expect((await incr(a, '192.0.2.7', 1500)).current).toBe(1);
    expect((await incr(a, '192.0.2.7', 1500)).current).toBe(2);
    let next = await incr(a, '192.0.2.7', 1500);
    for (let i = 0; i < 100 && next.current !== 1; i++) {
      await new Promise((r) => setTimeout(r, 50));
      next = await incr(a, '192.0.2.7', 100);
    }
    expect(next.current).toBe(1);
  });
});

describe('idempotency keys', () => {
  it('are purged once older than the retention (the hourly idempotency.purge job), recent ones kept', async () => {
    await app.readPool.query(
      `INSERT INTO idempotency_key (scope, key, request_hash, status, created_at) VALUES
         ('checkout', 'old', repeat('a', 64), 'completed', now() - interval '25 hours'),
         ('checkout', 'recent', repeat('b', 64), 'completed', now() - interval '23 hours')`,
    );
    expect(await purgeIdempotencyKeys(app.orm.em.fork(), 24)).toBe(1);
    const { rows } = await app.readPool.query<{ key: string }>(
      `SELECT key FROM idempotency_key ORDER BY key`,
    );
    expect(rows.map((row) => row.key)).toEqual(['recent']);
  });
});
