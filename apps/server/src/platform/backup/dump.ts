import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { PassThrough, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import {
  BACKUP_FORMAT_VERSION,
  BACKUP_MAGIC,
  countRows,
  FrameWriter,
  qualified,
  type BackupHeader,
  type BackupManifest,
  type BackupQueue,
  type BackupSequence,
  type BackupTable,
} from './format.ts';
import { MCART_VERSION } from './version.ts';
import { connectionLiveness } from '../pg-session.ts';

/** The schemas that hold MCart's data: the application's and the job queue's. */
export const BACKUP_SCHEMAS = ['public', 'pgboss'];
/** Rebuilt by the restore itself (migrations, pg-boss start), never loaded from a file. */
export const SKIPPED_TABLES = new Set(['public.mikro_orm_migrations', 'pgboss.version']);

export interface DumpProgress {
  table: string;
  tableIndex: number;
  tableCount: number;
  rows: number;
}

export interface DumpOptions {
  backupId?: string;
  onProgress?: (progress: DumpProgress) => void;
  /**
   * Stops the dump (the backup lost its lock): its connection is closed at once, a COPY in progress too, its
   * session on the server ended, the partial file removed; the dump rejects with the signal's reason.
   */
  signal?: AbortSignal | undefined;
  /** How long opening the connection may take (`DATABASE_CONNECT_TIMEOUT_MS`). */
  connectTimeoutMs?: number | undefined;
}

/** The error a dump fails with when the server ended its connection (a restart, a failover, pg_terminate_backend). */
export function connectionLostError(what: string, err: Error): Error {
  return new Error(`${what} was lost: ${err.message}`, { cause: err });
}

interface TableRow {
  schema: string;
  name: string;
  oid: number;
}

/**
 * Tables of the backed-up schemas (partitioned tables as their parent only: COPY of the parent reads every
 * partition), referenced tables before the tables that refer to them, so a restore can load them in file
 * order with foreign keys checked. Cycles (none today) fall back to name order.
 */
export async function listTables(client: pg.ClientBase): Promise<TableRow[]> {
  const { rows } = await client.query<TableRow>(
    `SELECT n.nspname AS schema, c.relname AS name, c.oid::int AS oid
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p') AND NOT c.relispartition
      ORDER BY n.nspname, c.relname`,
    [BACKUP_SCHEMAS],
  );
  const { rows: references } = await client.query<{ child: number; parent: number }>(
    `SELECT DISTINCT COALESCE(pg_partition_root(conrelid), conrelid)::oid::int AS child,
                     COALESCE(pg_partition_root(confrelid), confrelid)::oid::int AS parent
       FROM pg_constraint WHERE contype = 'f'`,
  );
  const tables = rows.filter((row) => !SKIPPED_TABLES.has(`${row.schema}.${row.name}`));
  const parents = new Map<number, Set<number>>();
  for (const { child, parent } of references) {
    if (child !== parent) parents.set(child, (parents.get(child) ?? new Set()).add(parent));
  }
  const ordered: TableRow[] = [];
  const placed = new Set<number>();
  let remaining = tables;
  while (remaining.length) {
    const ready = remaining.filter((table) =>
      [...(parents.get(table.oid) ?? [])].every(
        (parent) => placed.has(parent) || !tables.some((t) => t.oid === parent),
      ),
    );
    const next = ready.length ? ready : remaining.slice(0, 1);
    for (const table of next) {
      ordered.push(table);
      placed.add(table.oid);
    }
    remaining = remaining.filter((table) => !placed.has(table.oid));
  }
  return ordered;
}

/** Stored columns in order (generated columns are computed again on load). */
export async function tableColumns(client: pg.ClientBase, oid: number): Promise<string[]> {
  const { rows } = await client.query<{ attname: string }>(
    `SELECT attname FROM pg_attribute
      WHERE attrelid = $1 AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
      ORDER BY attnum`,
    [oid],
  );
  return rows.map((row) => row.attname);
}

async function schemaVersion(client: pg.ClientBase): Promise<string> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT name FROM public.mikro_orm_migrations ORDER BY id DESC LIMIT 1`,
  );
  if (!rows[0]) throw new Error('The database has no applied migrations: nothing to back up');
  return rows[0].name;
}

async function pgbossState(
  client: pg.ClientBase,
): Promise<{ version: number | null; queues: BackupQueue[] }> {
  const { rows: exists } = await client.query(`SELECT 1 FROM pg_namespace WHERE nspname = 'pgboss'`);
  if (!exists.length) return { version: null, queues: [] };
  const { rows: version } = await client.query<{ version: number }>(
    `SELECT version FROM pgboss.version LIMIT 1`,
  );
  const { rows: queues } = await client.query<{
    name: string;
    policy: string | null;
    retry_limit: number | null;
    retry_delay: number | null;
    retry_backoff: boolean | null;
    expire_seconds: number | null;
    retention_minutes: number | null;
    dead_letter: string | null;
  }>(`SELECT * FROM pgboss.queue ORDER BY name`);
  return {
    version: version[0]?.version ?? null,
    queues: queues.map((queue) => ({
      name: queue.name,
      // The option names pgboss.create_queue() reads.
      options: {
        policy: queue.policy,
        retryLimit: queue.retry_limit,
        retryDelay: queue.retry_delay,
        retryBackoff: queue.retry_backoff,
        expireInSeconds: queue.expire_seconds,
        retentionMinutes: queue.retention_minutes,
        deadLetter: queue.dead_letter,
      },
    })),
  };
}

async function sequences(client: pg.ClientBase): Promise<BackupSequence[]> {
  const { rows } = await client.query<{ schema: string; name: string }>(
    `SELECT n.nspname AS schema, c.relname AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ANY($1) AND c.relkind = 'S' ORDER BY 1, 2`,
    [BACKUP_SCHEMAS],
  );
  const result: BackupSequence[] = [];
  for (const row of rows) {
    const { rows: state } = await client.query<{ last_value: string; is_called: boolean }>(
      `SELECT last_value::text, is_called FROM ${qualified(row.schema, row.name)}`,
    );
    if (state[0]) result.push({ ...row, value: state[0].last_value, isCalled: state[0].is_called });
  }
  return result;
}

/**
 * Streams a consistent snapshot of the whole database (one REPEATABLE READ READ ONLY transaction) into a
 * gzip file at `file`, plus its manifest next to it (`<file>.json`). Written under a temporary name and
 * renamed when complete, so a crash never leaves a file that looks finished.
 */
export async function dumpDatabase(
  databaseUrl: string,
  file: string,
  options: DumpOptions = {},
): Promise<BackupManifest> {
  options.signal?.throwIfAborted();
  const client = new pg.Client({
    ...connectionLiveness(options.connectTimeoutMs),
    connectionString: databaseUrl,
    application_name: 'mcart-backup',
  });
  // Between statements (while frames are written) the connection is idle: the server ending it then is an
  // 'error' event, which without a listener would end the process. The next statement fails with it.
  let lost: Error | undefined;
  client.on('error', (err) => (lost ??= err));
  await client.connect();
  /** The dump's server session, to end it when the dump is stopped. */
  let session: { pid: number; started: string } | undefined;
  // Aborted: ending the client destroys the socket under a statement that is running (a COPY waiting on a
  // lock), so the dump stops now rather than when the statement would have finished.
  const stop = () => void client.end().catch(() => {});
  options.signal?.addEventListener('abort', stop, { once: true });
  const partial = `${file}.partial`;
  const fileHash = createHash('sha256');
  let sizeBytes = 0;
  const raw = new PassThrough({ highWaterMark: 1024 * 1024 });
  const gzip = createGzip({ level: 6 });
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      fileHash.update(chunk);
      sizeBytes += chunk.length;
      callback(null, chunk);
    },
  });
  const written = pipeline(raw, gzip, measure, createWriteStream(partial, { mode: 0o600 }));
  // A failed write must not leave an unhandled rejection while the dump is still producing frames.
  written.catch(() => {});
  const frames = new FrameWriter(raw);
  try {
    options.signal?.throwIfAborted();
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows: me } = await client.query<{ pid: number; started: string }>(
      `SELECT pid, backend_start::text AS started FROM pg_stat_activity WHERE pid = pg_backend_pid()`,
    );
    session = me[0];
    const tables = await listTables(client);
    const withColumns = [];
    for (const table of tables)
      withColumns.push({ ...table, columns: await tableColumns(client, table.oid) });
    const boss = await pgbossState(client);
    const { rows: pgVersion } = await client.query<{ server_version: string }>('SHOW server_version');
    const header: BackupHeader = {
      magic: BACKUP_MAGIC,
      formatVersion: BACKUP_FORMAT_VERSION,
      backupId: options.backupId,
      createdAt: new Date().toISOString(),
      mcartVersion: MCART_VERSION,
      schemaVersion: await schemaVersion(client),
      pgbossVersion: boss.version,
      postgresVersion: pgVersion[0]?.server_version ?? 'unknown',
      tables: withColumns.map(({ schema, name, columns }) => ({ schema, name, columns })),
      queues: boss.queues,
    };
    const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
    await frames.write('H', headerBytes);

    const done: BackupTable[] = [];
    for (const [index, table] of withColumns.entries()) {
      const label = `${table.schema}.${table.name}`;
      options.onProgress?.({ table: label, tableIndex: index, tableCount: withColumns.length, rows: 0 });
      await frames.write('T', { schema: table.schema, name: table.name });
      const hash = createHash('sha256');
      let rows = 0;
      const columnList = table.columns.map((column) => `"${column.replaceAll('"', '""')}"`).join(', ');
      // The SELECT form also works for partitioned parents (COPY <partitioned table> TO is refused).
      const stream = client.query(
        copyTo(`COPY (SELECT ${columnList} FROM ${qualified(table.schema, table.name)}) TO STDOUT`),
      );
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        hash.update(chunk);
        rows += countRows(chunk);
        await frames.write('D', chunk);
      }
      const sha256 = hash.digest('hex');
      await frames.write('E', { rows, sha256 });
      done.push({ schema: table.schema, name: table.name, columns: table.columns, rows, sha256 });
      options.onProgress?.({ table: label, tableIndex: index + 1, tableCount: withColumns.length, rows });
    }
    // Read after the tables: a sequence may be ahead of the snapshot (a gap), never behind it.
    const sequenceValues = await sequences(client);
    await client.query('COMMIT');

    const { magic: _magic, tables: _tables, ...rest } = header;
    const manifest: BackupManifest = {
      ...rest,
      tables: done,
      sequences: sequenceValues,
      totalRows: done.reduce((sum, table) => sum + table.rows, 0),
      headerSha256: createHash('sha256').update(headerBytes).digest('hex'),
    };
    await frames.write('M', manifest);
    raw.end();
    await written;
    const complete: BackupManifest = {
      ...manifest,
      file: { name: basename(file), sizeBytes, sha256: fileHash.digest('hex') },
    };
    await writeFile(`${file}.json`, JSON.stringify(complete, null, 2), { mode: 0o600 });
    // Stopped while the last bytes were written: the file never gets the name of a finished one.
    options.signal?.throwIfAborted();
    await rename(partial, file);
    return complete;
  } catch (err) {
    raw.destroy();
    const aborted = options.signal?.aborted === true;
    await client.query('ROLLBACK').catch(() => {});
    await rm(partial, { force: true });
    await rm(`${file}.json`, { force: true });
    // The local socket is gone, but the session may still wait on a lock on the server, holding its snapshot
    // (vacuum waits) and its table locks until it next writes to the socket: end it.
    if (aborted && session) await endSession(databaseUrl, session, options.connectTimeoutMs);
    if (aborted) throw options.signal!.reason;
    // The server's own word when it said why (a FATAL before closing), else what the client saw.
    if (lost)
      throw connectionLostError(
        "The backup's database connection",
        err instanceof pg.DatabaseError ? err : lost,
      );
    throw err;
  } finally {
    options.signal?.removeEventListener('abort', stop);
    await client.end().catch(() => {});
  }
}

/**
 * Ends a dump's server session that its client gave up on (best effort: unreachable, the database restarted,
 * it is gone already). Matched by pid and start time, so a new session that reused the pid is left alone.
 */
async function endSession(
  databaseUrl: string,
  session: { pid: number; started: string },
  connectTimeoutMs: number | undefined,
): Promise<void> {
  const client = new pg.Client({
    ...connectionLiveness(connectTimeoutMs),
    connectionString: databaseUrl,
    application_name: 'mcart-backup-cleanup',
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = $1 AND backend_start = $2::timestamptz`,
      [session.pid, session.started],
    );
  } catch {
    // nothing to do: the session ends when it next writes to its closed socket
  } finally {
    await client.end().catch(() => {});
  }
}
