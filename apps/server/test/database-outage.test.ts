import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { buildTestApp, staffToken } from './app.ts';
import { classifyError, isDatabaseUnreachable } from '../src/platform/errors.ts';
import { failureReason } from '../src/platform/backup/backup.service.ts';
import { freePort } from './global-setup.ts';

const TOKEN = 'metrics-token-0123456789abcdef';

describe('requests while the database cannot be reached', () => {
  it('answers 503 MCART_ERR_UNAVAILABLE with Retry-After, not a 500, and serves again when it is back', async () => {
    const other = await buildTestApp({ BACKUP_CRON: 'off' });
    const name = new URL(other.databaseUrl).pathname.slice(1);
    const admin = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
    await admin.connect();
    try {
      const token = await staffToken(other.app);
      expect((await other.app.inject('/api/store/products')).statusCode).toBe(200);
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [name]);
      for (const request of [
        { url: '/api/store/products?page=3' }, // the read pool (another page than the one cached above)
        { url: '/api/admin/orders', headers: { authorization: token } }, // the session check and the ORM
      ]) {
        const response = await other.app.inject(request);
        expect(response.statusCode, `${request.url}: ${response.body}`).toBe(503);
        expect(response.headers['retry-after']).toBe('5');
        expect(response.headers['content-type']).toContain('application/problem+json');
        expect(response.json()).toMatchObject({ code: 'MCART_ERR_UNAVAILABLE' });
      }
      expect((await other.app.inject('/health')).statusCode).toBe(200);
      expect((await other.app.inject('/ready')).statusCode).toBe(503);
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
      await expect
        .poll(async () => (await other.app.inject('/api/store/products')).statusCode, { timeout: 20_000 })
        .toBe(200);
    } finally {
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
      await admin.end();
      await other.close();
    }
  }, 120_000);

  it('tells a connection failure from a bug', async () => {
    const closed = await freePort();
    const client = new pg.Client({ host: '127.0.0.1', port: closed, user: 'x', database: 'x' });
    const refused = await client.connect().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(isDatabaseUnreachable(refused)).toBe(true);
    expect(classifyError(refused).appError).toMatchObject({ status: 503, code: 'MCART_ERR_UNAVAILABLE' });
    expect(isDatabaseUnreachable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnreachable(Object.assign(new Error('terminating connection'), { code: '57P01' }))).toBe(
      true,
    );
    expect(isDatabaseUnreachable(new TypeError('x is undefined'))).toBe(false);
    expect(classifyError(new Error('boom'))).toMatchObject({ unexpected: true, appError: { status: 500 } });
  });
});

describe('a failed backup is visible', () => {
  it('in /metrics at once (mcart_backup_last_run_failed), with the cause named in its record', async () => {
    const other = await buildTestApp({ BACKUP_CRON: 'off', METRICS_TOKEN: TOKEN });
    const scrape = async () =>
      (await other.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } })).body;
    const pool = new pg.Pool({ connectionString: other.databaseUrl, max: 1 });
    try {
      expect(await scrape()).toContain('mcart_backup_last_run_failed 0');
      const run = await other.app.backups.runToEnd('manual');
      expect(run?.status).toBe('succeeded');
      expect(await scrape()).toContain('mcart_backup_last_run_failed 0');
      // A later run that failed (here: recorded as a full disk ends one).
      const reason = failureReason(
        Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }),
        '/var/backups/mcart',
      );
      expect(reason).toBe(
        'No space left in /var/backups/mcart (BACKUP_DIR) to write the backup: free space there or choose ' +
          'another BACKUP_DIR (ENOSPC: no space left on device, write)',
      );
      await pool.query(
        `INSERT INTO backup_run (id, status, trigger, started_at, finished_at, error)
         VALUES (gen_random_uuid(), 'failed', 'scheduled', now() + interval '1 second', now() + interval '2 seconds', $1)`,
        [reason],
      );
      expect(await scrape()).toContain('mcart_backup_last_run_failed 1');
      // The next success clears it.
      expect((await other.app.backups.runToEnd('manual'))?.status).toBe('succeeded');
      await pool.query(
        `UPDATE backup_run SET started_at = now() + interval '1 hour' WHERE status = 'succeeded'`,
      );
      expect(await scrape()).toContain('mcart_backup_last_run_failed 0');
    } finally {
      await pool.end();
      await other.close();
    }
  }, 120_000);
});
