import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  createWriteStream,
  mkdtempSync,
  openSync,
  readSync,
  statSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import pg from 'pg';
import { afterAll, describe, expect, inject, it, vi } from 'vitest';
import { DefaultLogger } from '@mikro-orm/core';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { BACKUP_DRILL_JOB, BACKUP_JOB } from '../src/platform/backup/index.ts';
import { buildTestApp, staffToken, testConfig } from './app.ts';
import { createTestDatabase } from './database.ts';
import { BackupDrill } from '../src/platform/backup/drill.ts';
import { createStorage } from '../src/platform/backup/storage.ts';
import { FieldCipher } from '../src/platform/crypto.ts';
import { FrameWriter, readFrames, type BackupManifest } from '../src/platform/backup/format.ts';
import { restoreDatabase, RestoreCheckError } from '../src/platform/backup/restore.ts';
import { ConfigError, loadConfig } from '../src/config.ts';

/*
 * The restore drill (ADR 0060): the newest succeeded backup restored into a scratch database, checked against
 * its manifest, the scratch database dropped, the outcome on the backup's row, in the admin API and /metrics.
 */
const TOKEN = 'metrics-token-0123456789abcdef';
const adminUrl = inject('adminDatabaseUrl');

async function admin<T extends pg.QueryResultRow = pg.QueryResultRow>(
  sql: string,
  params: unknown[] = [],
  url = adminUrl,
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

const testApp = await buildTestApp({ BACKUP_CRON: 'off', BACKUP_DRILL_CRON: 'off', METRICS_TOKEN: TOKEN });
const { app, config, databaseUrl } = testApp;
const databaseName = new URL(databaseUrl).pathname.slice(1);
const extraDatabases: string[] = [];
const extraRoles: string[] = [];
const pools: pg.Pool[] = [];
afterAll(async () => {
  for (const pool of pools) await pool.end();
  await testApp.close();
  for (const name of extraDatabases) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  for (const role of extraRoles) await admin(`DROP ROLE IF EXISTS ${role}`);
});

const scrape = async () =>
  (await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } })).body;
const gauge = (body: string, name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(body)?.[1]);

/** This store's scratch databases (a drill's, or one a crashed drill left). */
const scratchDatabases = async () =>
  (
    await admin<{ name: string }>(
      `SELECT datname AS name FROM pg_database
        WHERE datname LIKE 'mcart\\_drill\\_%' AND shobj_description(oid, 'pg_database') = $1`,
      [`mcart restore drill of ${databaseName}`],
    )
  ).map((row) => row.name);

/** A drill with settings of its own, on this store's database and backups. */
async function drillWith(options: {
  databaseUrl?: string;
  drillDatabaseUrl?: string;
  keys?: string;
}): Promise<BackupDrill> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  pool.on('error', () => {});
  pools.push(pool);
  return new BackupDrill({
    databaseUrl: options.databaseUrl ?? databaseUrl,
    drillDatabaseUrl: options.drillDatabaseUrl,
    pool,
    storage: await createStorage(config.backup),
    encryption: {
      cipher: new FieldCipher(options.keys ?? config.secrets.encryptionKeys!),
      source: 'the test keys',
    },
    log: { info: () => {}, error: () => {} },
  });
}

async function backUp() {
  const run = await app.backups.runToEnd('manual');
  expect(run?.status, run?.error ?? '').toBe('succeeded');
  return run!;
}

describe('restore drill', () => {
  let owner = '';

  it('restores the newest backup into a scratch database, records that it passed, and drops it', async () => {
    owner = await staffToken(app);
    // A scratch database a crashed drill of this store left behind, and one of another store: only ours goes.
    const dead = `mcart_drill_dead${randomBytes(3).toString('hex')}`;
    const foreign = `mcart_drill_other${randomBytes(3).toString('hex')}`;
    extraDatabases.push(dead, foreign);
    await admin(`CREATE DATABASE ${dead}`);
    await admin(`COMMENT ON DATABASE ${dead} IS 'mcart restore drill of ${databaseName}'`);
    await admin(`CREATE DATABASE ${foreign}`);
    await admin(`COMMENT ON DATABASE ${foreign} IS 'mcart restore drill of some_other_store'`);

    let body = await scrape();
    expect(gauge(body, 'mcart_backup_last_drill_passed_timestamp_seconds')).toBe(0);
    expect(gauge(body, 'mcart_backup_last_drill_failed')).toBe(0);
    // No backup yet: nothing to drill, nothing recorded.
    expect(await app.backupDrill.runToEnd()).toBeUndefined();

    const backup = await backUp();
    const drilled = await app.backupDrill.runToEnd();
    expect(drilled?.id).toBe(backup.id);
    expect(drilled?.drill, drilled?.drill?.error ?? '').toMatchObject({ status: 'passed', error: null });
    expect(drilled?.drill?.durationMs).toBeGreaterThan(0);

    expect(await scratchDatabases()).toEqual([]);
    expect(await admin(`SELECT 1 FROM pg_database WHERE datname = $1`, [foreign])).toHaveLength(1);

    const detail = await app.inject({
      url: `/api/admin/backups/${backup.id}`,
      headers: { authorization: owner },
    });
    expect(detail.json()).toMatchObject({
      drill: { status: 'passed', error: null, at: expect.any(String), durationMs: expect.any(Number) },
    });
    const list = await app.inject({ url: '/api/admin/backups', headers: { authorization: owner } });
    expect(list.json().data[0].drill.status).toBe('passed');

    body = await scrape();
    expect(gauge(body, 'mcart_backup_last_drill_passed_timestamp_seconds')).toBeGreaterThan(
      Date.now() / 1000 - 600,
    );
    expect(gauge(body, 'mcart_backup_last_drill_failed')).toBe(0);
  }, 180_000);

  it('migrates the scratch database quietly: no "[migrator] Processing ..." lines on stdout', async () => {
    const backup = await backUp();
    // MikroORM's migrator writes its lines through its DefaultLogger (to stdout, whatever `debug` says), under a
    // namespace its types do not list.
    const log = vi.spyOn(DefaultLogger.prototype, 'log');
    try {
      const drilled = await app.backupDrill.runToEnd();
      expect(drilled?.id).toBe(backup.id);
      expect(drilled?.drill, drilled?.drill?.error ?? '').toMatchObject({ status: 'passed', error: null });
      expect(log.mock.calls.filter(([namespace]) => String(namespace) === 'migrator')).toEqual([]);
    } finally {
      log.mockRestore();
    }
  }, 180_000);

  it('fails the drill of a backup file damaged after it was taken, with the reason, in /metrics too', async () => {
    const backup = await backUp();
    // One byte changed in the middle of the file where it is kept.
    const file = backup.location!;
    const fd = openSync(file, 'r+');
    const at = Math.floor(statSync(file).size / 2);
    const byte = Buffer.alloc(1);
    readSync(fd, byte, 0, 1, at);
    byte[0] = byte[0]! ^ 0xff;
    writeSync(fd, byte, 0, 1, at);
    closeSync(fd);

    const drilled = await app.backupDrill.runToEnd();
    expect(drilled?.id).toBe(backup.id);
    expect(drilled?.drill?.status).toBe('failed');
    expect(drilled?.drill?.error).toMatch(/SHA-256 does not match/);
    expect(await scratchDatabases()).toEqual([]);
    const body = await scrape();
    expect(gauge(body, 'mcart_backup_last_drill_failed')).toBe(1);
    const detail = await app.inject({
      url: `/api/admin/backups/${backup.id}`,
      headers: { authorization: owner },
    });
    expect(detail.json().drill).toMatchObject({ status: 'failed', error: expect.stringMatching(/SHA-256/) });

    // A new backup, proven by the owner's "prove restore now": the gauge clears.
    const good = await backUp();
    const started = await app.inject({
      method: 'POST',
      url: `/api/admin/backups/${good.id}/drill`,
      headers: { authorization: owner },
    });
    expect(started.statusCode, started.body).toBe(202);
    expect(started.json().id).toBe(good.id);
    // One at a time: a second one while it runs is refused.
    const again = await app.inject({
      method: 'POST',
      url: `/api/admin/backups/${good.id}/drill`,
      headers: { authorization: owner },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('MCART_ERR_BACKUP_DRILL_RUNNING');
    await app.backupDrill.settle();
    const after = await app.inject({
      url: `/api/admin/backups/${good.id}`,
      headers: { authorization: owner },
    });
    expect(after.json().drill, after.body).toMatchObject({ status: 'passed' });
    expect(gauge(await scrape(), 'mcart_backup_last_drill_failed')).toBe(0);
    // Audited like "Back up now".
    const [entry] = await admin<{ action: string }>(
      `SELECT action FROM audit_entry WHERE route = '/api/admin/backups/:id/drill' ORDER BY id DESC LIMIT 1`,
      [],
      databaseUrl,
    );
    expect(entry?.action).toBe('POST /api/admin/backups/:id/drill');
  }, 180_000);

  it('answers 404 for an unknown backup and 409 for one that did not succeed', async () => {
    const unknown = await app.inject({
      method: 'POST',
      url: `/api/admin/backups/3f1e5b0a-9d2c-4c56-8a4e-6f0d2b9c1a77/drill`,
      headers: { authorization: owner },
    });
    expect(unknown.statusCode).toBe(404);
    const [failed] = await admin<{ id: string }>(
      `INSERT INTO backup_run (id, status, trigger, finished_at, error)
       VALUES (gen_random_uuid(), 'failed', 'manual', now(), 'disk full') RETURNING id`,
      [],
      databaseUrl,
    );
    const refused = await app.inject({
      method: 'POST',
      url: `/api/admin/backups/${failed!.id}/drill`,
      headers: { authorization: owner },
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('MCART_ERR_BACKUP_NOT_READY');
  });

  it('wipes and uses BACKUP_DRILL_DATABASE_URL, and never the shop’s own database', async () => {
    const target = `drill_target_${randomBytes(3).toString('hex')}`;
    extraDatabases.push(target);
    await admin(`CREATE DATABASE ${target}`);
    const targetUrl = new URL(adminUrl);
    targetUrl.pathname = `/${target}`;
    await admin(`CREATE TABLE leftover (x int); INSERT INTO leftover VALUES (1)`, [], targetUrl.toString());
    await admin(`CREATE SCHEMA junk; CREATE TABLE junk.t (x int)`, [], targetUrl.toString());

    const drill = await drillWith({ drillDatabaseUrl: targetUrl.toString() });
    const drilled = await drill.runToEnd();
    expect(drilled?.drill, drilled?.drill?.error ?? '').toMatchObject({ status: 'passed' });
    // Emptied after: no table of the restore, nor what was there before.
    expect(
      await admin(
        `SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE c.relkind IN ('r', 'p') AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'`,
        [],
        targetUrl.toString(),
      ),
    ).toEqual([]);
    expect(await scratchDatabases()).toEqual([]);

    // The shop's own database, spelt another way: refused, and the shop's data is untouched.
    const shop = new URL(databaseUrl);
    shop.searchParams.set('application_name', 'spelt-differently');
    const before = await admin<{ n: number }>(`SELECT count(*)::int AS n FROM staff`, [], databaseUrl);
    const refused = await (await drillWith({ drillDatabaseUrl: shop.toString() })).runToEnd();
    expect(refused?.drill?.status).toBe('failed');
    expect(refused?.drill?.error).toMatch(/BACKUP_DRILL_DATABASE_URL is the shop's own database/);
    expect(await admin(`SELECT count(*)::int AS n FROM staff`, [], databaseUrl)).toEqual(before);
  }, 180_000);

  it('records a clear reason when the database user may not create databases and no drill URL is set', async () => {
    const role = `drill_nocreate_${randomBytes(3).toString('hex')}`;
    extraRoles.push(role);
    // With a password: the embedded PostgreSQL (CI's) asks for one (SCRAM), a trusting one ignores it.
    const password = randomBytes(12).toString('hex');
    await admin(`CREATE ROLE ${role} LOGIN NOCREATEDB PASSWORD '${password}'`);
    const asRole = new URL(databaseUrl);
    asRole.username = role;
    asRole.password = password;
    const drilled = await (await drillWith({ databaseUrl: asRole.toString() })).runToEnd();
    expect(drilled?.drill?.status).toBe('failed');
    expect(drilled?.drill?.error).toMatch(
      new RegExp(`database user "${role}" may not create one .*set BACKUP_DRILL_DATABASE_URL`),
    );
    expect(gauge(await scrape(), 'mcart_backup_last_drill_failed')).toBe(1);
  }, 60_000);

  it('fails a backup whose encrypted personal data the server’s keys cannot read', async () => {
    // Some personal data sealed with the store's keys (k1), drilled by a server configured with other ones.
    await admin(`UPDATE staff SET last_name = $1`, [app.cipher.encrypt('Lovelace')], databaseUrl);
    const backup = await backUp();
    const drill = await drillWith({ keys: `k2:${Buffer.alloc(32, 9).toString('base64')}` });
    const drilled = await drill.runToEnd();
    expect(drilled?.id).toBe(backup.id);
    expect(drilled?.drill?.status).toBe('failed');
    expect(drilled?.drill?.error).toMatch(/encryption keys \(the test keys\) cannot read .*key id\(s\) k1/);
    expect(await scratchDatabases()).toEqual([]);
  }, 120_000);
});

describe('row counts checked in the database', () => {
  /**
   * A copy of `source` whose `table` gets a COPY end-of-data line (`\\.`) after its rows, with its checksums and
   * counts made to match: every file check passes, yet the database receives one row fewer than the manifest says.
   */
  async function withEndOfDataLine(source: string, table: string): Promise<string> {
    const target = join(mkdtempSync(join(tmpdir(), 'mcart-drill-test-')), 'crafted.mcart.gz');
    const raw = new PassThrough();
    const written = pipeline(raw, createGzip(), createWriteStream(target));
    const frames = new FrameWriter(raw);
    let current = '';
    let hash = createHash('sha256');
    let rows = 0;
    let changed: { rows: number; sha256: string } | undefined;
    for await (const frame of readFrames(createReadStream(source).pipe(createGunzip()))) {
      if (frame.kind === 'T') {
        const t = JSON.parse(frame.payload.toString()) as { schema: string; name: string };
        current = `${t.schema}.${t.name}`;
        hash = createHash('sha256');
        rows = 0;
      } else if (frame.kind === 'D' && current === table) {
        hash.update(frame.payload);
        rows += frame.payload.toString().split('\n').length - 1;
      } else if (frame.kind === 'E' && current === table) {
        const extra = Buffer.from('\\.\n');
        await frames.write('D', extra);
        hash.update(extra);
        changed = { rows: rows + 1, sha256: hash.digest('hex') };
        await frames.write('E', changed);
        continue;
      } else if (frame.kind === 'M') {
        const manifest = JSON.parse(frame.payload.toString()) as BackupManifest;
        const entry = manifest.tables.find((t) => `${t.schema}.${t.name}` === table)!;
        manifest.totalRows += changed!.rows - entry.rows;
        Object.assign(entry, changed);
        await frames.write('M', manifest);
        continue;
      }
      await frames.write(frame.kind, frame.payload);
    }
    raw.end();
    await written;
    return target;
  }

  it('refuses (nothing committed) a restore whose tables do not hold the rows the manifest lists', async () => {
    const backup = await backUp();
    const file = await withEndOfDataLine(backup.location!, 'public.staff');
    const scratch = `drill_rows_${randomBytes(3).toString('hex')}`;
    extraDatabases.push(scratch);
    const url = new URL(adminUrl);
    url.pathname = `/${scratch}`;

    await admin(`CREATE DATABASE ${scratch}`);
    const refused = await restoreDatabase(url.toString(), file, { verifyRowCounts: true }).catch((e) => e);
    expect(refused).toBeInstanceOf(RestoreCheckError);
    expect((refused as Error).message).toMatch(
      /does not match the backup's manifest: public\.staff has 1 row\(s\), the manifest 2/,
    );
    expect(await admin(`SELECT count(*)::int AS n FROM staff`, [], url.toString())).toEqual([{ n: 0 }]);

    // Without the check (as `npm run restore` runs), the same file restores one row short: what the drill catches.
    await admin(`DROP DATABASE ${scratch} WITH (FORCE)`);
    await admin(`CREATE DATABASE ${scratch}`);
    const result = await restoreDatabase(url.toString(), file);
    expect(result.checkedTables).toBe(0);
    expect(await admin(`SELECT count(*)::int AS n FROM staff`, [], url.toString())).toEqual([{ n: 1 }]);
  }, 120_000);
});

describe('restore drill configuration', () => {
  it('validates BACKUP_DRILL_CRON like BACKUP_CRON, and refuses the shop database as the drill database', () => {
    expect(loadConfig({}).backup.drillCron).toBe('30 3 * * *');
    expect(loadConfig({ BACKUP_DRILL_CRON: 'OFF' }).backup.drillCron).toBeNull();
    expect(() => loadConfig({ BACKUP_DRILL_CRON: 'daily' })).toThrow(
      /BACKUP_DRILL_CRON must be a cron expression/,
    );
    expect(() => loadConfig({ BACKUP_DRILL_CRON: '0 0 * * * *' })).toThrow(
      /BACKUP_DRILL_CRON must have five fields/,
    );
    expect(() =>
      loadConfig({
        DATABASE_URL: 'postgres://shop@db:5432/mcart',
        BACKUP_DRILL_DATABASE_URL: 'postgres://other@DB/mcart',
      }),
    ).toThrow(ConfigError);
    expect(
      loadConfig({
        DATABASE_URL: 'postgres://shop@db:5432/mcart',
        BACKUP_DRILL_DATABASE_URL: 'postgres://shop@db:5432/mcart_drill',
      }).backup.drillDatabaseUrl,
    ).toBe('postgres://shop@db:5432/mcart_drill');
  });
});

describe('restore drill schedule', () => {
  it('follows BACKUP_DRILL_CRON across instances; off removes the schedule an earlier start stored', async () => {
    const database = await createTestDatabase();
    const instances: FastifyInstance[] = [];
    const start = async (env: Record<string, string>) => {
      const instance = await buildApp(await testConfig(database.url, { MCART_JOBS: 'on', ...env }));
      instances.push(instance);
      await instance.ready();
      return instance;
    };
    const schedules = async () =>
      Object.fromEntries(
        (
          await admin<{ name: string; cron: string }>(
            `SELECT name, cron FROM pgboss.schedule`,
            [],
            database.url,
          )
        ).map(({ name, cron }) => [name, cron]),
      );
    try {
      await start({});
      expect(await schedules()).toMatchObject({ [BACKUP_DRILL_JOB]: '30 3 * * *' });
      await start({ BACKUP_DRILL_CRON: '10 2 * * *' });
      expect(await schedules()).toMatchObject({ [BACKUP_DRILL_JOB]: '10 2 * * *' });
      const [queue] = await admin<{ policy: string; retry_limit: number }>(
        `SELECT policy, retry_limit FROM pgboss.queue WHERE name = $1`,
        [BACKUP_DRILL_JOB],
        database.url,
      );
      expect(queue).toEqual({ policy: 'singleton', retry_limit: 0 });

      // Off: gone for the whole cluster, and only it (backups stay scheduled).
      await start({ BACKUP_DRILL_CRON: 'off' });
      const after = await schedules();
      expect(after).not.toHaveProperty(BACKUP_DRILL_JOB);
      expect(after).toHaveProperty(BACKUP_JOB);

      await start({ BACKUP_DRILL_CRON: '45 4 * * 0' });
      expect(await schedules()).toMatchObject({ [BACKUP_DRILL_JOB]: '45 4 * * 0' });
    } finally {
      for (const instance of instances.reverse()) await instance.close();
      await database.drop();
    }
  }, 120_000);
});
