import { randomUUID } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import pg from 'pg';
import type { BackupConfig } from '../../config.ts';
import { connectionLostError, dumpDatabase, type DumpProgress } from './dump.ts';
import type { BackupManifest } from './format.ts';
import { verifyBackup } from './restore.ts';
import type { BackupStorage } from './storage.ts';
import { BackupErrors } from './backup.errors.ts';
import { connectionLiveness, DEFAULT_CONNECT_TIMEOUT_MS } from '../pg-session.ts';

export const BACKUP_STATUSES = ['running', 'succeeded', 'failed'] as const;
export type BackupStatus = (typeof BACKUP_STATUSES)[number];
export type BackupTrigger = 'manual' | 'scheduled' | 'cli';

/** The last restore drill of a backup (drill.ts): restored into a scratch database and checked, or why not. */
export interface BackupDrillOutcome {
  status: 'passed' | 'failed';
  at: Date;
  durationMs: number | null;
  error: string | null;
}

export interface BackupRun {
  id: string;
  createdAt: Date;
  status: BackupStatus;
  trigger: BackupTrigger;
  requestedBy: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  sizeBytes: number | null;
  location: string | null;
  manifest: BackupManifest | null;
  error: string | null;
  drill: BackupDrillOutcome | null;
}

export interface Row {
  id: string;
  created_at: Date;
  status: BackupStatus;
  trigger: BackupTrigger;
  requested_by: string | null;
  started_at: Date;
  finished_at: Date | null;
  size_bytes: string | null;
  location: string | null;
  manifest: BackupManifest | null;
  error: string | null;
  drill_status?: 'passed' | 'failed' | null;
  drilled_at?: Date | null;
  drill_error?: string | null;
  drill_ms?: number | null;
}

export const toRun = (row: Row): BackupRun => ({
  id: row.id,
  createdAt: row.created_at,
  status: row.status,
  trigger: row.trigger,
  requestedBy: row.requested_by,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  sizeBytes: row.size_bytes === null ? null : Number(row.size_bytes),
  location: row.location,
  manifest: row.manifest,
  error: row.error,
  drill:
    row.drill_status && row.drilled_at
      ? {
          status: row.drill_status,
          at: row.drilled_at,
          durationMs: row.drill_ms ?? null,
          error: row.drill_error ?? null,
        }
      : null,
});

/** Session advisory lock held for the whole of a backup: one at a time across every instance ("MCBKP"). */
const BACKUP_LOCK_KEY = 0x4d43424b50;

export interface StartedBackup {
  run: BackupRun;
  /** Settles when the backup has finished (the run is then succeeded or failed; it never rejects). */
  done: Promise<BackupRun>;
}

export interface ListOptions {
  page: number;
  perPage: number;
  sort: 'createdAt' | 'sizeBytes' | 'status';
  order: 'ASC' | 'DESC';
  status?: BackupStatus | undefined;
}

const SORT_COLUMNS: Record<ListOptions['sort'], string> = {
  createdAt: 'created_at',
  sizeBytes: 'size_bytes',
  status: 'status',
};

/**
 * Runs backups (one at a time across the cluster), keeps their record in backup_run, applies the
 * retention policy and serves the files back. Plain `pg`, so the CLI uses it without the HTTP app.
 */
export class BackupService {
  /** Progress of the backups running in this process (another instance's run has none here). */
  private readonly running = new Map<string, DumpProgress>();

  constructor(
    private readonly deps: {
      databaseUrl: string;
      pool: pg.Pool;
      storage: BackupStorage;
      config: Pick<BackupConfig, 'keepDaily' | 'keepWeekly'>;
      log: { info: (obj: object, msg: string) => void; error: (obj: object, msg: string) => void };
      /** How long opening a connection (or confirming the lock) may take: `DATABASE_CONNECT_TIMEOUT_MS`. */
      connectTimeoutMs?: number | undefined;
    },
  ) {}

  /**
   * Starts a backup in the background and answers as soon as its run is recorded. Refuses with
   * MCART_ERR_BACKUP_RUNNING while another backup runs anywhere in the cluster.
   */
  async start(
    trigger: BackupTrigger,
    requestedBy: string | null = null,
    onProgress?: (p: DumpProgress) => void,
  ): Promise<StartedBackup> {
    const lock = new pg.Client({
      ...connectionLiveness(this.deps.connectTimeoutMs),
      connectionString: this.deps.databaseUrl,
      application_name: 'mcart-backup-lock',
    });
    // The lock's connection sits idle for the whole dump: the server ending it (a restart, a failover,
    // pg_terminate_backend) is an 'error' event, which without a listener ends the process. The advisory lock
    // went with the session, so another backup may start anywhere: this one stops (see execute).
    const lockLost = new AbortController();
    lock.on('error', (err) => {
      if (lockLost.signal.aborted) return;
      this.deps.log.error({ err }, 'backup lock connection lost');
      lockLost.abort(lockLostError(err));
    });
    await lock.connect();
    let locked = false;
    try {
      const { rows } = await lock.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
        BACKUP_LOCK_KEY,
      ]);
      locked = rows[0]?.locked === true;
      if (!locked) throw BackupErrors.running('Another backup is in progress; wait for it to finish');
      // Locked, yet a run of this process has not finished: it lost its lock and is still stopping. Its files
      // are not leftovers yet.
      if (this.running.size)
        throw BackupErrors.running(
          'The previous backup lost its database connection and is still stopping; try again shortly',
        );
      // Holding the lock, nothing else is backing up: a run still marked running was cut short by a crash,
      // and so was any half-written or never-uploaded file it left behind.
      await this.deps.pool.query(
        `UPDATE backup_run SET status = 'failed', finished_at = now(), updated_at = now(),
                error = 'Interrupted: the process running it stopped' WHERE status = 'running'`,
      );
      await this.removeLeftovers();
      const id = randomUUID();
      const { rows: inserted } = await this.deps.pool.query<Row>(
        `INSERT INTO backup_run (id, status, trigger, requested_by) VALUES ($1, 'running', $2, $3) RETURNING *`,
        [id, trigger, requestedBy],
      );
      const run = toRun(inserted[0]!);
      const done = this.execute(run, lock, lockLost, onProgress);
      return { run, done };
    } catch (err) {
      if (locked) await lock.query('SELECT pg_advisory_unlock($1)', [BACKUP_LOCK_KEY]).catch(() => {});
      await lock.end().catch(() => {});
      throw err;
    }
  }

  private async execute(
    run: BackupRun,
    lock: pg.Client,
    lockLost: AbortController,
    onProgress?: (p: DumpProgress) => void,
  ): Promise<BackupRun> {
    const stamp = run.startedAt
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z');
    const file = join(this.deps.storage.workDir, `mcart-backup-${stamp}-${run.id.slice(0, 8)}.mcart.gz`);
    this.running.set(run.id, { table: '', tableIndex: 0, tableCount: 0, rows: 0 });
    let stored = false;
    try {
      // Without the lock another backup may start and take this one's files for leftovers of a crashed run:
      // losing it stops the dump at once (its partial file removed), wherever it is.
      const manifest = await dumpDatabase(this.deps.databaseUrl, file, {
        backupId: run.id,
        signal: lockLost.signal,
        connectTimeoutMs: this.deps.connectTimeoutMs,
        onProgress: (progress) => {
          this.running.set(run.id, progress);
          onProgress?.(progress);
        },
      });
      lockLost.signal.throwIfAborted();
      // Read back what was written, as a restore would (frames, per-table checksums, whole-file SHA-256): a
      // file that would be refused at restore time must fail now, not on the day it is needed.
      await verifyBackup(file);
      await this.confirmLock(lock, lockLost);
      const location = await this.deps.storage.store(file);
      stored = true;
      const { rows } = await this.deps.pool.query<Row>(
        `UPDATE backup_run SET status = 'succeeded', finished_at = now(), updated_at = now(),
                size_bytes = $2, location = $3, manifest = $4 WHERE id = $1 RETURNING *`,
        [run.id, manifest.file?.sizeBytes ?? null, location, JSON.stringify(manifest)],
      );
      this.deps.log.info(
        { backupId: run.id, location, rows: manifest.totalRows, sizeBytes: manifest.file?.sizeBytes },
        'backup finished',
      );
      await this.applyRetention().catch((err: unknown) =>
        this.deps.log.error({ err }, 'backup retention failed'),
      );
      return toRun(rows[0]!);
    } catch (err) {
      this.deps.log.error({ err, backupId: run.id }, 'backup failed');
      // A file that failed its check, or that never reached the bucket (S3 staging copy), is not a backup:
      // left behind, one full copy per failed run would pile up in BACKUP_DIR until the disk is full.
      if (!stored) await removeLocal(file);
      const reason = failureReason(err, this.deps.storage.workDir);
      const { rows } = await this.deps.pool
        .query<Row>(
          `UPDATE backup_run SET status = 'failed', finished_at = now(), updated_at = now(), error = $2 WHERE id = $1 RETURNING *`,
          [run.id, reason.slice(0, 1000)],
        )
        .catch(() => ({ rows: [] as Row[] }));
      return rows[0] ? toRun(rows[0]) : { ...run, status: 'failed', error: reason };
    } finally {
      this.running.delete(run.id);
      // A lost lock is gone with its session; its connection is not asked for anything more (one gone silent
      // would hold the statement until the operating system gives up on it).
      if (!lockLost.signal.aborted)
        await lock.query('SELECT pg_advisory_unlock($1)', [BACKUP_LOCK_KEY]).catch(() => {});
      await lock.end().catch(() => {});
    }
  }

  /**
   * Checks, before the file is kept, that the lock's session is still there. A session advisory lock ends
   * only with its session (or an unlock), so it was held all along: no other backup started meanwhile and
   * none of this run's files was taken for a leftover. A connection that went silent (a network cut, which
   * the server may already have noticed and ended the session for) counts as lost after the connect timeout.
   */
  private async confirmLock(lock: pg.Client, lockLost: AbortController): Promise<void> {
    lockLost.signal.throwIfAborted();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        lock.query('SELECT 1'),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error('no answer')),
            this.deps.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
          );
        }),
      ]);
    } catch (err) {
      if (!lockLost.signal.aborted) lockLost.abort(lockLostError(err as Error));
      throw lockLost.signal.reason;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Files of runs cut short (a killed process, a full disk, an S3 outage before the retry): `*.partial`
   * files, manifests without their file, and, with S3, anything still in the upload staging folder. Only
   * called while holding the cluster-wide backup lock, so none of them belongs to a running backup.
   */
  private async removeLeftovers(): Promise<void> {
    const dir = this.deps.storage.workDir;
    const names = await readdir(dir).catch(() => [] as string[]);
    const present = new Set(names);
    const leftovers = names.filter(
      (name) =>
        name.startsWith('mcart-backup-') &&
        (this.deps.storage.kind === 's3' ||
          name.endsWith('.partial') ||
          (name.endsWith('.json') && !present.has(name.slice(0, -'.json'.length)))),
    );
    for (const name of leftovers) await rm(join(dir, name), { force: true }).catch(() => {});
    if (leftovers.length)
      this.deps.log.info({ files: leftovers }, 'removed files left by interrupted backups');
  }

  /** Runs a backup to the end (scheduled job, CLI). A backup already running elsewhere is not an error: it is skipped. */
  async runToEnd(
    trigger: BackupTrigger,
    onProgress?: (p: DumpProgress) => void,
  ): Promise<BackupRun | undefined> {
    try {
      const { done } = await this.start(trigger, null, onProgress);
      return await done;
    } catch (err) {
      if ((err as { code?: string }).code === BackupErrors.running.code) return undefined;
      throw err;
    }
  }

  /** How far a backup running in this process has got, or undefined when it runs elsewhere or is over. */
  progressOf(id: string): DumpProgress | undefined {
    return this.running.get(id);
  }

  async list(options: ListOptions): Promise<{ data: BackupRun[]; total: number }> {
    const where = options.status ? 'WHERE status = $3' : '';
    const params: unknown[] = [options.perPage, (options.page - 1) * options.perPage];
    if (options.status) params.push(options.status);
    const { rows } = await this.deps.pool.query<Row & { total: string }>(
      `SELECT *, count(*) OVER () AS total FROM backup_run ${where}
        ORDER BY ${SORT_COLUMNS[options.sort]} ${options.order === 'ASC' ? 'ASC' : 'DESC'} NULLS LAST, id
        LIMIT $1 OFFSET $2`,
      params,
    );
    let total = rows[0] ? Number(rows[0].total) : 0;
    if (!rows[0] && options.page > 1) {
      const { rows: counted } = await this.deps.pool.query<{ total: string }>(
        `SELECT count(*) AS total FROM backup_run ${options.status ? 'WHERE status = $1' : ''}`,
        options.status ? [options.status] : [],
      );
      total = Number(counted[0]?.total ?? 0);
    }
    return { data: rows.map(toRun), total };
  }

  async get(id: string): Promise<BackupRun> {
    const { rows } = await this.deps.pool.query<Row>('SELECT * FROM backup_run WHERE id = $1', [id]);
    if (!rows[0]) throw BackupErrors.notFound(`No backup with id ${id}`);
    return toRun(rows[0]);
  }

  /** The file of a finished backup, as a stream. */
  async open(id: string): Promise<{ run: BackupRun; stream: Readable; fileName: string }> {
    const run = await this.get(id);
    if (run.status !== 'succeeded' || !run.location) {
      throw BackupErrors.notReady(`Backup ${id} is ${run.status}; only a succeeded backup can be downloaded`);
    }
    const stream = await this.deps.storage.open(run.location);
    if (!stream) {
      throw BackupErrors.fileMissing(
        `The file of backup ${id} is no longer at ${this.deps.storage.kind === 'folder' ? 'its folder' : 'its bucket'} (removed, or this record came from a restored database)`,
      );
    }
    return { run, stream, fileName: run.location.split('/').pop()! };
  }

  /**
   * Keeps the newest succeeded backup of each of the last `keepDaily` days that have one and of each of
   * the last `keepWeekly` ISO weeks, and always the newest of all; deletes the other files and their
   * records. Failed runs are kept 30 days for their error message.
   */
  async applyRetention(now = new Date()): Promise<string[]> {
    const { rows } = await this.deps.pool.query<Row>(
      `SELECT * FROM backup_run WHERE status = 'succeeded' ORDER BY started_at DESC, id`,
    );
    const runs = rows.map(toRun);
    const keep = selectRetained(runs, this.deps.config.keepDaily, this.deps.config.keepWeekly);
    const removed: string[] = [];
    for (const run of runs) {
      if (keep.has(run.id)) continue;
      if (run.location) await this.deps.storage.remove(run.location);
      await this.deps.pool.query('DELETE FROM backup_run WHERE id = $1', [run.id]);
      removed.push(run.id);
    }
    await this.deps.pool.query(
      `DELETE FROM backup_run WHERE status = 'failed' AND started_at < $1::timestamptz - interval '30 days'`,
      [now.toISOString()],
    );
    if (removed.length)
      this.deps.log.info({ removed: removed.length }, 'backup retention removed old backups');
    return removed;
  }
}

/**
 * The run's error as the owner reads it (admin list, CLI): a write that failed in the backup folder says so and
 * names BACKUP_DIR, instead of a bare `ENOSPC: no space left on device, write`.
 */
export function failureReason(err: unknown, workDir: string): string {
  const message = (err as Error)?.message ?? String(err);
  switch ((err as NodeJS.ErrnoException | undefined)?.code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return `No space left in ${workDir} (BACKUP_DIR) to write the backup: free space there or choose another BACKUP_DIR (${message})`;
    case 'EROFS':
    case 'EACCES':
    case 'EPERM':
      return `The backup file cannot be written in ${workDir} (BACKUP_DIR): ${message}`;
    case 'EIO':
      return `The disk of ${workDir} (BACKUP_DIR) failed while the backup was written: ${message}`;
    default:
      return message;
  }
}

/** Why a run stopped when the connection holding its lock went away. */
const lockLostError = (err: Error) =>
  connectionLostError('Backup stopped: the database connection holding the backup lock', err);

async function removeLocal(file: string): Promise<void> {
  await rm(file, { force: true }).catch(() => {});
  await rm(`${file}.json`, { force: true }).catch(() => {});
  await rm(`${file}.partial`, { force: true }).catch(() => {});
}

/** ISO week key (e.g. 2026-W48) of a date, in UTC. */
function isoWeek(date: Date): string {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** The ids to keep among succeeded runs sorted newest first (exported for its test). */
export function selectRetained(
  runsNewestFirst: Array<Pick<BackupRun, 'id' | 'startedAt'>>,
  keepDaily: number,
  keepWeekly: number,
): Set<string> {
  const keep = new Set<string>();
  if (runsNewestFirst[0]) keep.add(runsNewestFirst[0].id);
  const days = new Set<string>();
  const weeks = new Set<string>();
  for (const run of runsNewestFirst) {
    const day = run.startedAt.toISOString().slice(0, 10);
    if (!days.has(day) && days.size < keepDaily) {
      days.add(day);
      keep.add(run.id);
    }
    const week = isoWeek(run.startedAt);
    if (!weeks.has(week) && weeks.size < keepWeekly) {
      weeks.add(week);
      keep.add(run.id);
    }
  }
  return keep;
}
