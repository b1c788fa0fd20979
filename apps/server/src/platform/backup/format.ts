import type { Readable, Writable } from 'node:stream';

/**
 * The MCart backup file: a gzip stream of length-prefixed frames, so it needs no external tool (no
 * pg_dump on the embedded default) and can be read back as a stream of any size.
 *
 *   frame = kind (1 byte) | payload length (uint32 big-endian) | payload
 *
 *   H  header (JSON: BackupHeader)            once, first
 *   T  table begins (JSON: { schema, name })  then any number of
 *   D  COPY text data of that table           then
 *   E  table ends (JSON: { rows, sha256 })
 *   M  manifest (JSON: BackupManifest)        once, last: row counts and checksums of everything above
 *
 * A file without its M frame is truncated and is refused. The data is PostgreSQL's COPY text format,
 * which is stable across PostgreSQL versions and loads with COPY FROM.
 */
export const BACKUP_FORMAT_VERSION = 1;
export const BACKUP_MAGIC = 'MCART-BACKUP';

export type FrameKind = 'H' | 'T' | 'D' | 'E' | 'M';
const KINDS = new Set<string>(['H', 'T', 'D', 'E', 'M']);

export interface BackupTable {
  schema: string;
  name: string;
  columns: string[];
  rows: number;
  /** SHA-256 (hex) of the table's COPY text, as written. */
  sha256: string;
}

export interface BackupSequence {
  schema: string;
  name: string;
  value: string;
  isCalled: boolean;
}

/** A pg-boss queue at backup time: its job partition must exist before its jobs can be loaded. */
export interface BackupQueue {
  name: string;
  options: Record<string, unknown>;
}

export interface BackupHeader {
  magic: typeof BACKUP_MAGIC;
  formatVersion: number;
  /** The backup_run row this file belongs to, when made by the server (undefined for other callers). */
  backupId?: string | undefined;
  createdAt: string;
  mcartVersion: string;
  /** Name of the last MikroORM migration applied to the source database. */
  schemaVersion: string;
  /** pg-boss's own schema version (pgboss.version), or null when the source had no job queue schema. */
  pgbossVersion: number | null;
  postgresVersion: string;
  tables: Array<{ schema: string; name: string; columns: string[] }>;
  queues: BackupQueue[];
}

export interface BackupManifest extends Omit<BackupHeader, 'tables' | 'magic'> {
  tables: BackupTable[];
  sequences: BackupSequence[];
  totalRows: number;
  /**
   * SHA-256 (hex) of the header frame's payload as written: the column lists COPY loads the data by are
   * checked like the data (backups made before it was recorded have none).
   */
  headerSha256?: string;
  /** Written next to the file (sidecar) and in backup_run once the file is complete. */
  file?: { name: string; sizeBytes: number; sha256: string };
}

const HEADER_BYTES = 5;
/** A frame never needs to be larger than this; a larger length means a corrupt file, not a big table. */
const MAX_FRAME = 64 * 1024 * 1024;

export class CorruptBackupError extends Error {}

/**
 * Writes frames to a stream, honouring back-pressure. A stream that failed (a full disk, a closed file) fails
 * the next write instead of leaving it waiting for a 'drain' that never comes.
 */
export class FrameWriter {
  constructor(private readonly out: Writable) {}

  async write(kind: FrameKind, payload: Buffer | string | object): Promise<void> {
    const out = this.out;
    if (out.destroyed || out.writableEnded) throw out.errored ?? new Error('The backup stream is closed');
    const body = Buffer.isBuffer(payload)
      ? payload
      : Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload), 'utf8');
    const head = Buffer.alloc(HEADER_BYTES);
    head.write(kind, 0, 'latin1');
    head.writeUInt32BE(body.length, 1);
    // Both halves are always written: `write()` returning false only asks to wait before the next write (a
    // short-circuit here once dropped a frame's body when its head reached the high-water mark).
    const headBuffered = out.write(head);
    const bodyBuffered = out.write(body);
    if (!headBuffered || !bodyBuffered) await drained(out);
  }
}

/** Resolves on 'drain'; rejects if the stream fails or closes first. */
function drained(out: Writable): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = (err?: Error | null) => {
      out.off('drain', onDrain);
      out.off('error', onError);
      out.off('close', onClose);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = () => done();
    const onError = (err: Error) => done(err);
    const onClose = () => done(out.errored ?? new Error('The backup stream closed before it was written'));
    out.on('drain', onDrain);
    out.on('error', onError);
    out.on('close', onClose);
    if (out.destroyed) onClose();
  });
}

export interface Frame {
  kind: FrameKind;
  payload: Buffer;
}

/** Reads frames from a (gunzipped) stream. Throws CorruptBackupError on anything malformed. */
export async function* readFrames(input: Readable): AsyncGenerator<Frame> {
  let buffer: Buffer = Buffer.alloc(0);
  for await (const chunk of input as AsyncIterable<Buffer>) {
    buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
    let offset = 0;
    while (buffer.length - offset >= HEADER_BYTES) {
      const kind = buffer.toString('latin1', offset, offset + 1);
      const length = buffer.readUInt32BE(offset + 1);
      if (!KINDS.has(kind) || length > MAX_FRAME)
        throw new CorruptBackupError('The backup file is corrupt (bad frame)');
      if (buffer.length - offset - HEADER_BYTES < length) break;
      const start = offset + HEADER_BYTES;
      yield { kind: kind as FrameKind, payload: buffer.subarray(start, start + length) };
      offset = start + length;
    }
    buffer = offset === buffer.length ? Buffer.alloc(0) : Buffer.from(buffer.subarray(offset));
  }
  if (buffer.length) throw new CorruptBackupError('The backup file is truncated');
}

export function parseJsonFrame<T>(frame: Frame, expected: FrameKind): T {
  if (frame.kind !== expected) {
    throw new CorruptBackupError(
      `The backup file is corrupt (expected a ${expected} frame, found ${frame.kind})`,
    );
  }
  try {
    return JSON.parse(frame.payload.toString('utf8')) as T;
  } catch {
    throw new CorruptBackupError('The backup file is corrupt (unreadable frame)');
  }
}

/** Rows in COPY text format end with a newline; newlines inside values are escaped as \n. */
export function countRows(chunk: Buffer): number {
  let rows = 0;
  let index = chunk.indexOf(10);
  while (index !== -1) {
    rows++;
    index = chunk.indexOf(10, index + 1);
  }
  return rows;
}

export const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;
export const qualified = (schema: string, name: string) => `${quoteIdent(schema)}.${quoteIdent(name)}`;
