import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { from as copyFrom } from 'pg-copy-streams';
import { createOrm } from '../db.ts';
import { migrations } from '../../migrations/index.ts';
import {
  BACKUP_FORMAT_VERSION,
  BACKUP_MAGIC,
  CorruptBackupError,
  countRows,
  parseJsonFrame,
  qualified,
  quoteIdent,
  readFrames,
  type BackupHeader,
  type BackupManifest,
} from './format.ts';
import { BACKUP_SCHEMAS, SKIPPED_TABLES } from './dump.ts';
import { REPLAY_HORIZON } from '../outbox.ts';
import type { FieldCipher } from '../crypto.ts';

/** A backup that must not be restored here; the message says why and what to do. */
export class RestoreRefusedError extends Error {
  override name = 'RestoreRefusedError';
}

export interface VerifiedBackup {
  header: BackupHeader;
  manifest: BackupManifest;
  /**
   * One encrypted value found in the data per encryption key id (FieldCipher's `v1.<keyId>.…`): what a
   * restore checks the configured keys against. Empty when the store had no encrypted personal data.
   */
  sealedSamples: Map<string, string>;
}

export interface RestoreProgress {
  table: string;
  rowsDone: number;
  totalRows: number;
}

export interface RestoreOptions {
  onProgress?: (progress: RestoreProgress) => void;
  onVerifyProgress?: (bytesRead: number) => void;
  log?: (message: string) => void;
  /**
   * The encryption keys the restored store will run with (MCART_ENCRYPTION_KEYS, or the data folder's
   * secrets.json). Given, the backup's encrypted personal data must decrypt with them, or the restore is
   * refused before any database is touched (EncryptionKeysMismatchError). Not given: not checked.
   */
  encryption?: {
    cipher: FieldCipher;
    /** Where the keys came from, for the refusal's message (e.g. `MCART_ENCRYPTION_KEYS`). */
    source: string;
    /** Restore anyway (the fields stay unreadable): `npm run restore -- <file> --ignore-encryption-keys`. */
    ignoreMismatch?: boolean;
  };
  /**
   * After loading, before committing: count every loaded table's rows in the database and compare them with the
   * backup's manifest; any difference refuses the restore (RestoreCheckError, nothing committed). The restore
   * drill (drill.ts) sets it.
   */
  verifyRowCounts?: boolean;
  /**
   * The migrations run without their "[migrator] Processing/Applied ..." lines on stdout (the restore drill, run
   * by the server on a schedule, sets it); a migration that fails still fails the restore.
   */
  quietMigrations?: boolean;
}

export interface RestoreResult {
  schemaVersion: string;
  tables: number;
  rows: number;
  /** Migrations newer than the backup, applied after its data was loaded. */
  migratedAfterLoad: string[];
  skipped: string[];
  /** Tables whose row count was checked against the manifest (verifyRowCounts), else 0. */
  checkedTables: number;
}

function gunzipFile(file: string, onBytes?: (bytes: number) => void) {
  const source = createReadStream(file);
  let bytes = 0;
  if (onBytes) {
    source.on('data', (chunk: Buffer | string) => {
      bytes += chunk.length;
      onBytes(bytes);
    });
  }
  const gunzip = createGunzip();
  source.on('error', (err) => gunzip.destroy(err));
  return source.pipe(gunzip);
}

/**
 * The size of a backup file, or a refusal naming it when there is none to read: a wrong path, a folder, a file
 * this user may not read. The commands and verifyBackup call it before anything else (it used to be a raw
 * `ENOENT: no such file or directory, stat ...`).
 */
export async function backupFileSize(file: string): Promise<number> {
  try {
    const stats = await stat(file);
    if (!stats.isFile())
      throw new RestoreRefusedError(
        `${file} is not a backup file (it is a folder or a device). Nothing was restored.`,
      );
    return stats.size;
  } catch (err) {
    if (err instanceof RestoreRefusedError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new RestoreRefusedError(`No backup file at ${file}. Check the path. Nothing was restored.`);
    if (code === 'EACCES' || code === 'EPERM')
      throw new RestoreRefusedError(
        `The backup file ${file} cannot be read by this user (permission denied). Nothing was restored.`,
      );
    throw err;
  }
}

/**
 * A value sealed by FieldCipher (`v1.<keyId>.<iv: 12 bytes>.<tag: 16 bytes>.<data>`, base64url) as a whole
 * token of the COPY text (a column, or a string inside a JSON column), with a delimiter on both sides.
 */
const SEALED =
  /(?<=[^A-Za-z0-9_.-])v1\.([A-Za-z0-9_-]{1,16})\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]*(?=[^A-Za-z0-9_.-])/g;

function collectSealed(payload: Buffer, samples: Map<string, string>): void {
  if (payload.indexOf('v1.') === -1) return;
  for (const match of payload.toString('latin1').matchAll(SEALED)) {
    if (!samples.has(match[1]!)) samples.set(match[1]!, match[0]);
  }
}

/** The restored data does not match the backup's manifest (verifyRowCounts); nothing was committed. */
export class RestoreCheckError extends RestoreRefusedError {
  override name = 'RestoreCheckError';
}

/** The configured keys cannot read the backup's encrypted personal data; the message says what to do. */
export class EncryptionKeysMismatchError extends RestoreRefusedError {
  override name = 'EncryptionKeysMismatchError';
  constructor(
    message: string,
    /** Key ids of the backup's encrypted data that the configured keys do not decrypt. */
    readonly keyIds: string[],
  ) {
    super(message);
  }
}

/** The key ids of the backup's encrypted data that `cipher` cannot decrypt (none: the keys fit). */
export function unreadableKeyIds(
  verified: Pick<VerifiedBackup, 'sealedSamples'>,
  cipher: FieldCipher,
): string[] {
  const unreadable: string[] = [];
  for (const [keyId, sample] of verified.sealedSamples) {
    try {
      cipher.decrypt(sample);
    } catch {
      unreadable.push(keyId);
    }
  }
  return unreadable.sort();
}

async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest('hex');
}

/**
 * The manifest written next to a backup (`<file>.json`), or a refusal saying what to do when it cannot be
 * read (cut short by an interrupted copy or a full disk, or not a manifest at all).
 */
async function readSidecar(sidecarFile: string): Promise<BackupManifest> {
  let sidecar: unknown;
  try {
    sidecar = JSON.parse(await readFile(sidecarFile, 'utf8'));
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
  }
  const file = (sidecar as { file?: unknown } | undefined)?.file;
  if (
    typeof sidecar !== 'object' ||
    sidecar === null ||
    Array.isArray(sidecar) ||
    (file !== undefined && typeof (file as { sha256?: unknown } | null)?.sha256 !== 'string')
  ) {
    throw new RestoreRefusedError(
      `The backup's manifest ${sidecarFile} cannot be read: it is damaged or incomplete (an interrupted copy, a ` +
        `full disk). Copy it again from where the backup is kept, next to the backup file; or, to restore without ` +
        `it, move it aside: the backup is then checked by its own per-table checksums and gzip's, without the ` +
        `whole-file SHA-256. Nothing was restored.`,
    );
  }
  return sidecar as BackupManifest;
}

/**
 * Reads the whole file once without touching any database: the whole-file checksum (from the manifest
 * next to it, when present), every table's row count and checksum against the manifest at its end, and
 * that this code knows the schema it was taken at.
 */
export async function verifyBackup(file: string, onBytes?: (bytes: number) => void): Promise<VerifiedBackup> {
  await backupFileSize(file);
  const sidecarFile = `${file}.json`;
  if (existsSync(sidecarFile)) {
    const sidecar = await readSidecar(sidecarFile);
    if (sidecar.file && (await sha256OfFile(file)) !== sidecar.file.sha256) {
      throw new RestoreRefusedError(
        `The backup file's SHA-256 does not match ${sidecarFile}: the file is damaged or was changed. Nothing was restored.`,
      );
    }
  }
  let header: BackupHeader | undefined;
  let headerSha256 = '';
  let manifest: BackupManifest | undefined;
  const seen: Array<{ schema: string; name: string; rows: number; sha256: string }> = [];
  const sealedSamples = new Map<string, string>();
  let current:
    { schema: string; name: string; rows: number; hash: ReturnType<typeof createHash> } | undefined;
  try {
    for await (const frame of readFrames(gunzipFile(file, onBytes))) {
      if (!header) {
        header = parseJsonFrame<BackupHeader>(frame, 'H');
        headerSha256 = createHash('sha256').update(frame.payload).digest('hex');
        if (header.magic !== BACKUP_MAGIC) throw new CorruptBackupError('This is not an MCart backup file');
        continue;
      }
      if (manifest) throw new CorruptBackupError('The backup file is corrupt (data after the manifest)');
      switch (frame.kind) {
        case 'T': {
          if (current) throw new CorruptBackupError('The backup file is corrupt (unterminated table)');
          const table = parseJsonFrame<{ schema: string; name: string }>(frame, 'T');
          current = { ...table, rows: 0, hash: createHash('sha256') };
          break;
        }
        case 'D':
          if (!current) throw new CorruptBackupError('The backup file is corrupt (data outside a table)');
          current.hash.update(frame.payload);
          current.rows += countRows(frame.payload);
          collectSealed(frame.payload, sealedSamples);
          break;
        case 'E': {
          if (!current)
            throw new CorruptBackupError('The backup file is corrupt (table end without a table)');
          const end = parseJsonFrame<{ rows: number; sha256: string }>(frame, 'E');
          const sha256 = current.hash.digest('hex');
          if (end.rows !== current.rows || end.sha256 !== sha256) {
            throw new CorruptBackupError(
              `The backup file is corrupt: table ${current.schema}.${current.name} fails its checksum`,
            );
          }
          seen.push({ schema: current.schema, name: current.name, rows: current.rows, sha256 });
          current = undefined;
          break;
        }
        case 'M':
          manifest = parseJsonFrame<BackupManifest>(frame, 'M');
          break;
        default:
          throw new CorruptBackupError(`The backup file is corrupt (unexpected ${frame.kind} frame)`);
      }
    }
  } catch (err) {
    if (err instanceof CorruptBackupError)
      throw new RestoreRefusedError(`${err.message}. Nothing was restored.`);
    if (
      (err as NodeJS.ErrnoException).code === 'Z_DATA_ERROR' ||
      (err as NodeJS.ErrnoException).code === 'Z_BUF_ERROR'
    ) {
      throw new RestoreRefusedError(
        'The backup file is not a complete gzip stream (damaged or truncated). Nothing was restored.',
      );
    }
    throw err;
  }
  if (!header) throw new RestoreRefusedError('The backup file is empty. Nothing was restored.');
  if (!manifest)
    throw new RestoreRefusedError(
      'The backup file is truncated (no manifest at its end). Nothing was restored.',
    );
  if (header.formatVersion > BACKUP_FORMAT_VERSION) {
    throw new RestoreRefusedError(
      `The backup uses file format ${header.formatVersion}; this MCart reads up to ${BACKUP_FORMAT_VERSION}. Upgrade MCart first.`,
    );
  }
  const listed = manifest.tables.map((t) => `${t.schema}.${t.name}:${t.rows}:${t.sha256}`).join('\n');
  const found = seen.map((t) => `${t.schema}.${t.name}:${t.rows}:${t.sha256}`).join('\n');
  if (listed !== found)
    throw new RestoreRefusedError('The backup file does not match its manifest. Nothing was restored.');
  // The header's column lists are what COPY loads each table's data by: they must be the manifest's, and,
  // when the manifest records it, the header must be the one written.
  const columns = (tables: readonly { schema: string; name: string; columns: readonly string[] }[]) =>
    JSON.stringify(tables.map((t) => [t.schema, t.name, t.columns]));
  if (
    (manifest.headerSha256 !== undefined && manifest.headerSha256 !== headerSha256) ||
    columns(header.tables) !== columns(manifest.tables)
  )
    throw new RestoreRefusedError(
      'The backup file is corrupt: its header (the tables and their columns) does not match its manifest. Nothing was restored.',
    );
  // Only MCart's own tables and sequences: a restore runs as the database owner, often a superuser (the embedded
  // default's), and a crafted file naming pg_catalog.pg_authid would otherwise have COPY write a superuser role
  // (and with it the host's shell, through COPY ... PROGRAM), not just the store's data.
  const foreign = [
    ...header.tables.filter((t) => SKIPPED_TABLES.has(`${t.schema}.${t.name}`)),
    ...[...header.tables, ...manifest.sequences].filter((t) => !BACKUP_SCHEMAS.includes(t.schema)),
  ];
  if (foreign.length)
    throw new RestoreRefusedError(
      `The backup file names ${foreign.map((t) => `${t.schema}.${t.name}`).join(', ')}, which no MCart backup ` +
        `holds (only the tables and sequences of the ${BACKUP_SCHEMAS.join(' and ')} schemas, without the ` +
        `migration history): it was not made by MCart, or was altered. Nothing was restored.`,
    );
  if (!migrations.some((migration) => migration.name === header!.schemaVersion)) {
    throw new RestoreRefusedError(
      `The backup was taken at schema ${header.schemaVersion}, which this MCart version does not know ` +
        `(it is newer, or from another product). Restore it with the MCart version that made it, or a newer one.`,
    );
  }
  return { header, manifest, sealedSamples };
}

/**
 * Refuses a backup whose encrypted personal data the configured keys cannot read, unless told to go on:
 * restored with other keys, phone numbers, addresses, staff second factors and invoice snapshots would be
 * unreadable for good (the restore used to succeed and only then remind the operator of the keys).
 */
function checkEncryptionKeys(
  verified: VerifiedBackup,
  encryption: NonNullable<RestoreOptions['encryption']>,
  log: (message: string) => void,
): void {
  const unreadable = unreadableKeyIds(verified, encryption.cipher);
  if (!unreadable.length) return;
  const which = `key id(s) ${unreadable.join(', ')}`;
  if (encryption.ignoreMismatch) {
    log(
      `The encryption keys of ${encryption.source} do not read the backup's encrypted personal data (${which}); ` +
        'restoring anyway as asked: those fields stay unreadable until the original keys are configured.',
    );
    return;
  }
  throw new EncryptionKeysMismatchError(
    `The encryption keys of ${encryption.source} cannot read this backup's encrypted personal data ` +
      `(${which}: phone numbers, addresses, staff second factors, invoice snapshots). Restored with them, those ` +
      `fields would be unreadable. Configure the keys of the store the backup came from (MCART_ENCRYPTION_KEYS, ` +
      `or on the embedded default its data folder's secrets.json) and run the restore again; to restore anyway, ` +
      `leaving those fields unreadable, add --ignore-encryption-keys. Nothing was restored.`,
    unreadable,
  );
}

async function assertEmpty(client: pg.ClientBase): Promise<void> {
  const { rows } = await client.query<{ count: number; db: string }>(
    `SELECT count(*)::int AS count, current_database() AS db
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p')`,
    [BACKUP_SCHEMAS],
  );
  const { count, db } = rows[0]!;
  if (count > 0) {
    throw new RestoreRefusedError(
      `Restore only goes into an empty database, and "${db}" already has ${count} table(s). ` +
        `Create a new empty database and point DATABASE_URL at it (or, on the embedded default, start from a new ` +
        `MCART_DATA_DIR). Nothing was changed.`,
    );
  }
}

async function targetColumns(
  client: pg.ClientBase,
  schema: string,
  name: string,
): Promise<Set<string> | undefined> {
  const { rows } = await client.query<{ attname: string }>(
    `SELECT a.attname FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped`,
    [schema, name],
  );
  return rows.length ? new Set(rows.map((row) => row.attname)) : undefined;
}

/**
 * Restores a verified backup into an empty database: the schema through the migrations up to the one the
 * backup was taken at, pg-boss's schema and queues, then every table with COPY FROM in one transaction,
 * sequences set, then any newer migrations. Refuses (changing nothing) a damaged file, a newer schema, or
 * a database that is not empty.
 */
export async function restoreDatabase(
  databaseUrl: string,
  file: string,
  options: RestoreOptions = {},
): Promise<RestoreResult> {
  const log = options.log ?? (() => {});
  const verified = await verifyBackup(file, options.onVerifyProgress);
  const { header, manifest } = verified;
  if (options.encryption) checkEncryptionKeys(verified, options.encryption, log);

  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'mcart-restore' });
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => {});
    throw new RestoreRefusedError(
      `Cannot connect to the database to restore into (${(err as Error).message}): check DATABASE_URL and that ` +
        'the database exists and accepts connections. Nothing was restored.',
      { cause: err },
    );
  }
  try {
    await assertEmpty(client);

    // 1. Schema as it was when the backup was taken, so the data fits it column for column.
    const orm = await createOrm({
      url: databaseUrl,
      poolMax: 2,
      entities: [],
      quietMigrations: options.quietMigrations ?? false,
    });
    try {
      await orm.getMigrator().up({ to: header.schemaVersion });
    } finally {
      await orm.close(true);
    }

    // 2. pg-boss's own schema, at the version this code runs.
    const skipped: string[] = [];
    let loadPgboss = false;
    if (header.pgbossVersion !== null) {
      const boss = new PgBoss({
        connectionString: databaseUrl,
        schema: 'pgboss',
        max: 1,
        supervise: false,
        schedule: false,
      });
      await boss.start();
      await boss.stop({ graceful: false, wait: true });
      const { rows } = await client.query<{ version: number }>('SELECT version FROM pgboss.version LIMIT 1');
      loadPgboss = rows[0]?.version === header.pgbossVersion;
      if (!loadPgboss) {
        log(
          `The job queue schema differs (backup ${header.pgbossVersion}, here ${rows[0]?.version}): queued jobs are not restored; ` +
            'scheduled jobs are recreated at start.',
        );
      }
    }

    // 3. Data, in one transaction: all of it or none of it.
    await client.query('BEGIN');
    // Triggers (e.g. the outbox NOTIFY) must not fire for restored rows; needs a superuser, so optional:
    // the file is in foreign-key order and loads with the checks on as well.
    await client.query('SAVEPOINT replica');
    try {
      await client.query(`SET LOCAL session_replication_role = replica`);
      await client.query('RELEASE SAVEPOINT replica');
    } catch {
      await client.query('ROLLBACK TO SAVEPOINT replica');
      log('Not a superuser: loading with triggers enabled (file order satisfies foreign keys).');
    }
    // Migrations may seed rows (e.g. a default stock location); the backup holds those rows as they were
    // at backup time, so the migrated tables start empty. The database was verified empty before migrating.
    // Only the tables a migration filled are truncated (CASCADE: with the empty tables that reference them): an
    // append-only table refuses TRUNCATE (the audit log's trigger), and without a superuser's `replica` role the
    // trigger fires; the migrations never write there, nor does anything they seed reference it.
    const seeded: string[] = [];
    for (const t of header.tables.filter((table) => table.schema === 'public')) {
      const name = qualified(t.schema, t.name);
      const { rows } = await client.query<{ filled: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM ${name}) AS filled`,
      );
      if (rows[0]?.filled) seeded.push(name);
    }
    if (seeded.length) await client.query(`TRUNCATE ${seeded.join(', ')} CASCADE`);
    if (loadPgboss) {
      for (const queue of header.queues) {
        await client.query('SELECT pgboss.create_queue($1, $2::json)', [
          queue.name,
          JSON.stringify(queue.options),
        ]);
      }
      // The rows come back from the file exactly as they were (created_on etc.); the partitions stay.
      await client.query('DELETE FROM pgboss.queue');
    }

    const columnsOf = new Map(header.tables.map((t) => [`${t.schema}.${t.name}`, t.columns]));
    let rowsDone = 0;
    let loaded = 0;
    const loadedTables: Array<{ schema: string; name: string }> = [];
    let copy: ReturnType<typeof copyFrom> | undefined;
    let table = '';
    for await (const frame of readFrames(gunzipFile(file))) {
      if (frame.kind === 'T') {
        const { schema, name } = parseJsonFrame<{ schema: string; name: string }>(frame, 'T');
        table = `${schema}.${name}`;
        if (schema === 'pgboss' && !loadPgboss) {
          skipped.push(table);
          continue;
        }
        const columns = columnsOf.get(table) ?? [];
        const present = await targetColumns(client, schema, name);
        const missing = present ? columns.filter((column) => !present.has(column)) : columns;
        if (!present || missing.length) {
          throw new RestoreRefusedError(
            `Table ${table} ${present ? `lacks column(s) ${missing.join(', ')}` : 'does not exist'} after migrating to ` +
              `${header.schemaVersion}; the backup does not match this MCart's migrations.`,
          );
        }
        loadedTables.push({ schema, name });
        copy = client.query(
          copyFrom(`COPY ${qualified(schema, name)} (${columns.map(quoteIdent).join(', ')}) FROM STDIN`),
        );
        options.onProgress?.({ table, rowsDone, totalRows: manifest.totalRows });
      } else if (frame.kind === 'D' && copy) {
        if (!copy.write(frame.payload)) await once(copy, 'drain');
        rowsDone += countRows(frame.payload);
        options.onProgress?.({ table, rowsDone, totalRows: manifest.totalRows });
      } else if (frame.kind === 'E' && copy) {
        copy.end();
        await finished(copy);
        copy = undefined;
        loaded++;
      }
    }
    for (const sequence of manifest.sequences) {
      if (sequence.schema === 'pgboss' && !loadPgboss) continue;
      await client.query(`SELECT setval($1::regclass, $2::bigint, $3)`, [
        qualified(sequence.schema, sequence.name),
        sequence.value,
        sequence.isCalled,
      ]);
    }
    if (options.verifyRowCounts) await checkRowCounts(client, loadedTables, manifest);
    await rebaseOutbox(client);
    await settleBackupRuns(client, header, manifest);
    await client.query('COMMIT');

    // 4. Anything newer than the backup, as an upgrade would.
    const orm2 = await createOrm({
      url: databaseUrl,
      poolMax: 2,
      entities: [],
      quietMigrations: options.quietMigrations ?? false,
    });
    let migratedAfterLoad: string[];
    try {
      migratedAfterLoad = (await orm2.getMigrator().up()).map((migration) => migration.name);
    } finally {
      await orm2.close(true);
    }
    return {
      schemaVersion: header.schemaVersion,
      tables: loaded,
      rows: rowsDone,
      migratedAfterLoad,
      skipped,
      checkedTables: options.verifyRowCounts ? loadedTables.length : 0,
    };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    if (err instanceof RestoreRefusedError) throw err;
    throw new Error(
      `The restore failed part-way (${(err as Error).message}). No data was committed, but the schema may have been ` +
        'created: drop and recreate the database before trying again.',
      { cause: err },
    );
  } finally {
    await client.end().catch(() => {});
  }
}

/** Every loaded table holds, in the restore's transaction, as many rows as the manifest lists for it. */
async function checkRowCounts(
  client: pg.ClientBase,
  tables: ReadonlyArray<{ schema: string; name: string }>,
  manifest: BackupManifest,
): Promise<void> {
  const expected = new Map(manifest.tables.map((t) => [`${t.schema}.${t.name}`, t.rows]));
  const wrong: string[] = [];
  for (const { schema, name } of tables) {
    const { rows } = await client.query<{ count: string }>(
      `SELECT count(*) AS count FROM ${qualified(schema, name)}`,
    );
    const found = Number(rows[0]?.count ?? 0);
    const listed = expected.get(`${schema}.${name}`);
    if (found !== listed)
      wrong.push(`${schema}.${name} has ${found} row(s), the manifest ${listed ?? 'none'}`);
  }
  if (wrong.length)
    throw new RestoreCheckError(
      `The restored data does not match the backup's manifest: ${wrong.slice(0, 5).join('; ')}` +
        `${wrong.length > 5 ? ` (and ${wrong.length - 5} more)` : ''}. Nothing was restored.`,
    );
}

/**
 * Outbox positions are `<writing transaction id>:<event id>` (ADR 0005), and transaction ids are the cluster's
 * own count: in another cluster (a new embedded data folder, a new managed instance) new events get ids far
 * below the restored ones, so every durable consumer (order e-mails, the store's stock flags, best sellers)
 * would wait behind its restored cursor until that cluster's count caught up (in practice never), and
 * restored rows ahead of the count would never become readable. The restored events are all committed
 * history: they take this restore's transaction id, in their id order; each cursor moves to just before the
 * first event it had not handled (it may see a few again: consumers are idempotent); and the replay horizon
 * moves past them, so a live client holding a position from before the restore resyncs.
 */
async function rebaseOutbox(client: pg.ClientBase): Promise<void> {
  const { rows: present } = await client.query<{ ok: boolean }>(
    `SELECT to_regclass('public.outbox_event') IS NOT NULL AND to_regclass('public.outbox_cursor') IS NOT NULL AS ok`,
  );
  if (!present[0]?.ok) return;
  const { rows } = await client.query<{ tx: string }>(`SELECT pg_current_xact_id()::text AS tx`);
  const tx = rows[0]!.tx;
  await client.query(
    `UPDATE outbox_cursor c SET updated_at = now(), position = $1::text || ':' || COALESCE(
        (SELECT min(e.id) - 1 FROM outbox_event e
          WHERE (e.tx, e.id) > (split_part(c.position, ':', 1)::xid8, split_part(c.position, ':', 2)::bigint)),
        (SELECT max(e.id) FROM outbox_event e),
        0)::text
      WHERE c.position ~ '^[0-9]+:[0-9]+$' AND c.consumer <> $2`,
    [tx, REPLAY_HORIZON],
  );
  await client.query(`UPDATE outbox_event SET tx = $1::text::xid8`, [tx]);
  await client.query(
    `INSERT INTO outbox_cursor (consumer, position, updated_at)
     VALUES ($1, $2::text || ':' || (SELECT COALESCE(max(id), 0) FROM outbox_event)::text, now())
     ON CONFLICT (consumer) DO UPDATE SET position = excluded.position, updated_at = now()`,
    [REPLAY_HORIZON, tx],
  );
}

/**
 * backup_run is part of the snapshot, taken while the backup that made it was still running. In the
 * restored database, that run is marked succeeded (this very file proves it), and any other run that
 * was in progress is marked failed: its process is not running against this database.
 */
async function settleBackupRuns(
  client: pg.ClientBase,
  header: BackupHeader,
  manifest: BackupManifest,
): Promise<void> {
  const { rows } = await client.query(
    `SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = 'backup_run'`,
  );
  if (!rows.length) return;
  if (header.backupId) {
    await client.query(
      `UPDATE backup_run SET status = 'succeeded', finished_at = COALESCE(finished_at, $2::timestamptz),
              manifest = COALESCE(manifest, $3::jsonb), error = NULL
        WHERE id = $1 AND status = 'running'`,
      [header.backupId, header.createdAt, JSON.stringify(manifest)],
    );
  }
  await client.query(
    `UPDATE backup_run SET status = 'failed', finished_at = now(),
            error = 'Interrupted: the database was restored from a backup taken while this run was in progress'
      WHERE status = 'running'`,
  );
}
