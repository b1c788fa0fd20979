import { existsSync, readdirSync } from 'node:fs';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { buildTestApp, staffToken } from './app.ts';

/**
 * A backup whose database connections are cut while it runs (a PostgreSQL restart, a failover,
 * pg_terminate_backend): the instance goes on, the run is recorded failed with the reason, nothing of it is
 * left in the backup folder, and the next backup works.
 */
const testApp = await buildTestApp({ BACKUP_CRON: 'off' });
const { app, databaseUrl } = testApp;
const dir = testApp.config.backup.dir;
afterAll(() => testApp.close());

// Two sessions of the test's own: one holds the table lock in a transaction, the other watches (a transaction
// sees pg_stat_activity as it was at its first look).
const locker = new pg.Client({ connectionString: databaseUrl });
const admin = new pg.Client({ connectionString: databaseUrl });
await locker.connect();
await admin.connect();
afterAll(async () => {
  await locker.query('ROLLBACK').catch(() => {});
  await locker.end();
  await admin.end();
});

/** Sessions of this test's database with an application name (and, given, only those waiting on a lock). */
async function sessions(applicationName: string, waitingOnLock = false): Promise<number[]> {
  const { rows } = await admin.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity
      WHERE application_name = $1 AND datname = current_database() AND ($2::boolean IS FALSE OR wait_event_type = 'Lock')`,
    [applicationName, waitingOnLock],
  );
  return rows.map((row) => row.pid);
}

const backupFiles = () => readdirSync(dir).filter((name) => name.startsWith('mcart-backup-'));

/** Starts a backup through the admin API and holds it on its COPY of `product` (locked by the test). */
async function stalledBackup(token: string): Promise<{ id: string; dumpPid: number }> {
  await locker.query('BEGIN');
  await locker.query('LOCK TABLE product IN ACCESS EXCLUSIVE MODE');
  const started = await app.inject({
    method: 'POST',
    url: '/api/admin/backups',
    headers: { authorization: token },
  });
  expect(started.statusCode).toBe(202);
  const { id } = started.json<{ id: string }>();
  // The dump's session waits on the lock: the tables before `product` are in its partial file already.
  await expect.poll(() => sessions('mcart-backup', true), { timeout: 15_000 }).toHaveLength(1);
  const [dumpPid] = await sessions('mcart-backup', true);
  expect(backupFiles().some((name) => name.endsWith('.partial'))).toBe(true);
  return { id, dumpPid: dumpPid! };
}

async function runOf(token: string, id: string) {
  const response = await app.inject({ url: `/api/admin/backups/${id}`, headers: { authorization: token } });
  return response.json<{ status: string; error: string | null; location: string | null }>();
}

describe('a backup whose database connection is cut', () => {
  it('stops when its lock connection is lost: failed with the reason, no partial file, the next backup succeeds', async () => {
    const token = await staffToken(app);
    const { id, dumpPid } = await stalledBackup(token);
    expect(await sessions('mcart-backup-lock')).toHaveLength(1);

    // The session holding the advisory lock is ended, as a restart or a failover would: the lock is gone.
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE application_name = 'mcart-backup-lock' AND datname = current_database()`,
    );
    // The run stops at once, while `product` is still locked: it does not wait for its COPY to finish.
    await expect.poll(async () => (await runOf(token, id)).status, { timeout: 15_000 }).toBe('failed');
    const run = await runOf(token, id);
    expect(run.error).toMatch(/^Backup stopped: the database connection holding the backup lock was lost: /);
    expect(run.error).toContain('terminating connection due to administrator command');
    expect(run.location).toBeNull();
    // Nothing of it is left: no partial file, no manifest; its server session (waiting on the lock, holding a
    // snapshot) was ended too.
    expect(backupFiles()).toEqual([]);
    await expect
      .poll(async () => (await admin.query(`SELECT 1 FROM pg_stat_activity WHERE pid = $1`, [dumpPid])).rows)
      .toEqual([]);
    await locker.query('ROLLBACK');

    // The instance goes on (an 'error' event without a listener would have ended the process, and this test).
    expect((await app.inject({ url: '/health' })).statusCode).toBe(200);
    const again = await app.backups.runToEnd('manual');
    expect(again).toMatchObject({ status: 'succeeded', error: null });
    expect(existsSync(again!.location!)).toBe(true);
    expect(backupFiles().sort()).toEqual(
      [again!.location!.split('/').pop()!, `${again!.location!.split('/').pop()!}.json`].sort(),
    );
    // Its lock was released: another backup can start.
    expect(await sessions('mcart-backup-lock')).toEqual([]);
  }, 60_000);

  it('fails cleanly when the dump connection itself is ended mid-backup', async () => {
    const token = await staffToken(app);
    const before = backupFiles();
    const { id, dumpPid } = await stalledBackup(token);
    await admin.query(`SELECT pg_terminate_backend($1)`, [dumpPid]);
    await expect.poll(async () => (await runOf(token, id)).status, { timeout: 15_000 }).toBe('failed');
    expect((await runOf(token, id)).error).toMatch(/terminating connection due to administrator command/);
    expect(backupFiles()).toEqual(before);
    await locker.query('ROLLBACK');
    // Its lock was released with the run: the next backup starts and succeeds.
    expect(await sessions('mcart-backup-lock')).toEqual([]);
    expect((await app.inject({ url: '/health' })).statusCode).toBe(200);
    expect(await app.backups.runToEnd('manual')).toMatchObject({ status: 'succeeded' });
  }, 60_000);
});
