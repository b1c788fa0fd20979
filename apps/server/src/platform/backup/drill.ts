import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import type { FieldCipher } from '../crypto.ts';
import { connectionLiveness } from '../pg-session.ts';
import { BackupErrors } from './backup.errors.ts';
import { toRun, type BackupRun, type Row } from './backup.service.ts';
import { EncryptionKeysMismatchError, restoreDatabase } from './restore.ts';
import type { BackupStorage } from './storage.ts';

/** Session advisory lock held for the whole of a drill: one at a time across every instance ("MCDRL"). */
const DRILL_LOCK_KEY = 0x4d4344524c;
/** Scratch databases the drill creates on DATABASE_URL's server: `mcart_drill_<8 hex>`. */
export const SCRATCH_PREFIX = 'mcart_drill_';
/** Private folders (under the backup work folder) the drill copies the file into. */
const TEMP_PREFIX = '.drill-';

/** A drill that could not run or did not pass; its message is the reason recorded on the backup. */
class DrillFailure extends Error {}

export interface StartedDrill {
  run: BackupRun;
  /** Settles with the backup's record once the drill is over (passed or failed; it never rejects). */
  done: Promise<BackupRun>;
}

/**
 * The restore drill (ADR 0060): restores a succeeded backup, through the storage it is kept in, into a scratch
 * database (BACKUP_DRILL_DATABASE_URL, or `mcart_drill_<random>` created on DATABASE_URL's server), checks it
 * as a restore does (whole-file SHA-256 against the run's recorded manifest, per-table checksums, the server's
 * encryption keys against the personal data) plus every table's row count in the database against the
 * manifest, then drops the scratch database. The outcome is recorded on the backup's row (drill_*).
 */
export class BackupDrill {
  /** Drills this process runs (a drill elsewhere in the cluster is refused by the lock). */
  private readonly inProgress = new Set<Promise<BackupRun>>();

  constructor(
    private readonly deps: {
      databaseUrl: string;
      drillDatabaseUrl: string | undefined;
      pool: pg.Pool;
      storage: BackupStorage;
      encryption: { cipher: FieldCipher; source: string };
      log: { info: (obj: object, msg: string) => void; error: (obj: object, msg: string) => void };
      connectTimeoutMs?: number | undefined;
    },
  ) {}

  /**
   * Starts a drill of backup `backupId` (or, without one, of the newest succeeded backup) in the background
   * and answers at once. Undefined when there is no succeeded backup to drill (only without an id). Refuses with
   * MCART_ERR_BACKUP_DRILL_RUNNING while another drill runs anywhere in the cluster.
   */
  async start(backupId?: string): Promise<StartedDrill | undefined> {
    const lock = this.client(this.deps.databaseUrl, 'mcart-drill-lock');
    lock.on('error', (err) => this.deps.log.error({ err }, 'restore drill lock connection lost'));
    await lock.connect();
    let locked = false;
    try {
      const { rows } = await lock.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
        DRILL_LOCK_KEY,
      ]);
      locked = rows[0]?.locked === true;
      if (!locked) throw BackupErrors.drillRunning('A restore drill is in progress; wait for it to finish');
      const run = await this.pick(backupId);
      if (!run) {
        await lock.query('SELECT pg_advisory_unlock($1)', [DRILL_LOCK_KEY]).catch(() => {});
        await lock.end().catch(() => {});
        return undefined;
      }
      const done = this.execute(run, lock);
      this.inProgress.add(done);
      void done.finally(() => this.inProgress.delete(done));
      return { run, done };
    } catch (err) {
      if (locked) await lock.query('SELECT pg_advisory_unlock($1)', [DRILL_LOCK_KEY]).catch(() => {});
      await lock.end().catch(() => {});
      throw err;
    }
  }

  /** Drills the newest succeeded backup to the end (the scheduled job). Another drill running: skipped. */
  async runToEnd(): Promise<BackupRun | undefined> {
    try {
      const started = await this.start();
      if (!started) {
        this.deps.log.info({}, 'restore drill skipped: no succeeded backup yet');
        return undefined;
      }
      return await started.done;
    } catch (err) {
      if ((err as { code?: string }).code === BackupErrors.drillRunning.code) return undefined;
      throw err;
    }
  }

  /** Waits for the drills this process is running (shutdown: their scratch database is dropped first). */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.inProgress]);
  }

  private async pick(backupId: string | undefined): Promise<BackupRun | undefined> {
    if (backupId === undefined) {
      const { rows } = await this.deps.pool.query<Row>(
        `SELECT * FROM backup_run WHERE status = 'succeeded' AND location IS NOT NULL
          ORDER BY started_at DESC, id LIMIT 1`,
      );
      return rows[0] ? toRun(rows[0]) : undefined;
    }
    const { rows } = await this.deps.pool.query<Row>('SELECT * FROM backup_run WHERE id = $1', [backupId]);
    if (!rows[0]) throw BackupErrors.notFound(`No backup with id ${backupId}`);
    const run = toRun(rows[0]);
    if (run.status !== 'succeeded' || !run.location)
      throw BackupErrors.notReady(
        `Backup ${backupId} is ${run.status}; only a succeeded backup can be restored in a drill`,
      );
    return run;
  }

  private client(url: string, name: string): pg.Client {
    return new pg.Client({
      ...connectionLiveness(this.deps.connectTimeoutMs),
      connectionString: url,
      application_name: name,
    });
  }

  private async execute(run: BackupRun, lock: pg.Client): Promise<BackupRun> {
    const started = Date.now();
    let error: string | null = null;
    let dropTarget: (() => Promise<void>) | undefined;
    let dir: string | undefined;
    try {
      await this.removeTempLeftovers();
      dir = await mkdtemp(join(this.deps.storage.workDir, TEMP_PREFIX));
      const file = await this.fetch(run, dir);
      const target = this.deps.drillDatabaseUrl
        ? await this.wipeDrillDatabase(this.deps.drillDatabaseUrl)
        : await this.createScratch(lock);
      dropTarget = target.drop;
      const result = await restoreDatabase(target.url, file, {
        encryption: { ...this.deps.encryption },
        verifyRowCounts: true,
        // Every drill would print each migration it applies to the scratch database to stdout.
        quietMigrations: true,
        log: (message) => this.deps.log.info({ backupId: run.id }, `restore drill: ${message}`),
      });
      this.deps.log.info(
        {
          backupId: run.id,
          tables: result.checkedTables,
          rows: result.rows,
          skipped: result.skipped,
          ms: Date.now() - started,
        },
        'restore drill passed',
      );
    } catch (err) {
      error = drillReason(err, this.deps.encryption.source).slice(0, 1000);
      this.deps.log.error({ err, backupId: run.id }, 'restore drill failed');
    } finally {
      if (dropTarget)
        await dropTarget().catch((err: unknown) =>
          this.deps.log.error(
            { err, backupId: run.id },
            'restore drill: the scratch database was not dropped',
          ),
        );
      if (dir) await rm(dir, { recursive: true, force: true }).catch(() => {});
      await lock.query('SELECT pg_advisory_unlock($1)', [DRILL_LOCK_KEY]).catch(() => {});
      await lock.end().catch(() => {});
    }
    const durationMs = Date.now() - started;
    const { rows } = await this.deps.pool
      .query<Row>(
        `UPDATE backup_run SET drill_status = $2, drilled_at = now(), drill_error = $3, drill_ms = $4,
                updated_at = now() WHERE id = $1 RETURNING *`,
        [run.id, error === null ? 'passed' : 'failed', error, durationMs],
      )
      .catch((err: unknown) => {
        this.deps.log.error({ err, backupId: run.id }, 'restore drill: its outcome was not recorded');
        return { rows: [] as Row[] };
      });
    return rows[0]
      ? toRun(rows[0])
      : {
          ...run,
          drill: { status: error === null ? 'passed' : 'failed', at: new Date(), durationMs, error },
        };
  }

  /**
   * Copies the backup from its storage (folder or bucket) into `dir`, with the manifest recorded in its run as
   * the sidecar: the restore then checks the file's SHA-256 against what was recorded when it was taken.
   */
  private async fetch(run: BackupRun, dir: string): Promise<string> {
    const stream = await this.deps.storage.open(run.location!);
    if (!stream)
      throw new DrillFailure(
        `The file of backup ${run.id} is no longer at ${run.location} (removed, or its folder or bucket changed): ` +
          'it cannot be restored.',
      );
    const file = join(dir, basename(run.location!));
    await pipeline(stream, createWriteStream(file, { mode: 0o600 }));
    if (run.manifest?.file) await writeFile(`${file}.json`, JSON.stringify(run.manifest), { mode: 0o600 });
    return file;
  }

  /** Copies of backup files left by a drill that was cut short (only called while holding the drill lock). */
  private async removeTempLeftovers(): Promise<void> {
    const names = await readdir(this.deps.storage.workDir).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.startsWith(TEMP_PREFIX)))
      await rm(join(this.deps.storage.workDir, name), { recursive: true, force: true }).catch(() => {});
  }

  /**
   * A new scratch database on DATABASE_URL's server, after dropping those a drill of this store left behind (a
   * crash): each is marked with a comment naming the store's database, so another installation's are left alone.
   */
  private async createScratch(lock: pg.Client): Promise<{ url: string; drop: () => Promise<void> }> {
    const { rows: me } = await lock.query<{ db: string; user: string; may: boolean }>(
      `SELECT current_database() AS db, current_user AS user,
              COALESCE((SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user), false) AS may`,
    );
    const { db, user, may } = me[0]!;
    if (!may)
      throw new DrillFailure(
        `The restore drill needs a scratch database, and the database user "${user}" may not create one ` +
          '(no CREATEDB privilege): set BACKUP_DRILL_DATABASE_URL to an empty database the drill may wipe, or ' +
          `grant it CREATEDB (ALTER ROLE "${user}" CREATEDB).`,
      );
    const marker = `mcart restore drill of ${db}`;
    const { rows: leftovers } = await lock.query<{ name: string }>(
      `SELECT d.datname AS name FROM pg_database d
        WHERE d.datname LIKE 'mcart\\_drill\\_%' AND shobj_description(d.oid, 'pg_database') = $1
          AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)`,
      [marker],
    );
    for (const { name } of leftovers) {
      await lock.query(`DROP DATABASE IF EXISTS ${lock.escapeIdentifier(name)} WITH (FORCE)`);
      this.deps.log.info(
        { database: name },
        'restore drill: dropped a scratch database left by an earlier drill',
      );
    }
    const name = `${SCRATCH_PREFIX}${randomBytes(4).toString('hex')}`;
    const ident = lock.escapeIdentifier(name);
    try {
      await lock.query(`CREATE DATABASE ${ident}`);
    } catch (err) {
      throw new DrillFailure(
        `The restore drill could not create its scratch database ${name} on DATABASE_URL's server ` +
          `(${(err as Error).message}): set BACKUP_DRILL_DATABASE_URL to an empty database the drill may wipe.`,
      );
    }
    const drop = async () => {
      await lock.query(`DROP DATABASE IF EXISTS ${ident} WITH (FORCE)`);
    };
    try {
      await lock.query(`COMMENT ON DATABASE ${ident} IS ${lock.escapeLiteral(marker)}`);
    } catch (err) {
      await drop().catch(() => {});
      throw err;
    }
    const url = new URL(this.deps.databaseUrl);
    url.pathname = `/${name}`;
    return { url: url.toString(), drop };
  }

  /**
   * BACKUP_DRILL_DATABASE_URL emptied (every schema but PostgreSQL's own dropped), before the restore and again
   * after it. Refused when it is the store's own database, however its URL is spelt.
   */
  private async wipeDrillDatabase(url: string): Promise<{ url: string; drop: () => Promise<void> }> {
    const identity = async (client: pg.ClientBase) =>
      (
        await client.query<{ id: string }>(
          `SELECT pg_postmaster_start_time()::text || '/' || (SELECT oid FROM pg_database WHERE datname = current_database())::text AS id`,
        )
      ).rows[0]!.id;
    const wipe = async (check: boolean) => {
      const client = this.client(url, 'mcart-drill');
      client.on('error', () => {});
      try {
        try {
          await client.connect();
        } catch (err) {
          throw new DrillFailure(
            `Cannot connect to BACKUP_DRILL_DATABASE_URL (${(err as Error).message}): check that the database ` +
              'exists and accepts connections.',
          );
        }
        if (check && (await identity(client)) === (await this.shopIdentity(identity)))
          throw new DrillFailure(
            "BACKUP_DRILL_DATABASE_URL is the shop's own database; the restore drill wipes it, so it was not run: " +
              'give it an empty database of its own.',
          );
        const { rows } = await client.query<{ name: string }>(
          `SELECT nspname AS name FROM pg_namespace
            WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'`,
        );
        for (const { name } of rows)
          await client.query(`DROP SCHEMA ${client.escapeIdentifier(name)} CASCADE`);
        await client.query('CREATE SCHEMA IF NOT EXISTS public');
      } finally {
        await client.end().catch(() => {});
      }
    };
    await wipe(true);
    return { url, drop: () => wipe(false) };
  }

  private async shopIdentity(identity: (client: pg.ClientBase) => Promise<string>): Promise<string> {
    const client = await this.deps.pool.connect();
    try {
      return await identity(client);
    } finally {
      client.release();
    }
  }
}

/** The reason recorded for a failed drill: the restore's own refusal, or what stopped it, in the owner's words. */
function drillReason(err: unknown, keysSource: string): string {
  if (err instanceof EncryptionKeysMismatchError)
    return (
      `The server's encryption keys (${keysSource}) cannot read this backup's encrypted personal data ` +
      `(key id(s) ${err.keyIds.join(', ')}): restored with them, phone numbers, addresses, staff second factors ` +
      'and invoice snapshots would be unreadable. Configure the keys the backup was taken with, next to the ' +
      'current ones (MCART_ENCRYPTION_KEYS).'
    );
  return (err as Error)?.message ?? String(err);
}
