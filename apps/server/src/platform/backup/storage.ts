import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import type { BackupConfig } from '../../config.ts';
import { RestoreRefusedError } from './restore.ts';
import { checkWritableFolder } from '../startup-checks.ts';

/**
 * Where finished backup files go. A backup is always written to a local folder first (its checksum is
 * computed while writing); a remote destination then takes the file and its manifest.
 */
export interface BackupStorage {
  readonly kind: 'folder' | 's3';
  /** Folder the dump is written into. */
  readonly workDir: string;
  /** Takes the finished file (and `<file>.json`) and answers its location. */
  store(localFile: string): Promise<string>;
  /** The file's bytes, or undefined when it no longer exists there. */
  open(location: string): Promise<Readable | undefined>;
  remove(location: string): Promise<void>;
}

/** The name every backup file is given (backup.service.ts): `mcart-backup-<time>-<id>.mcart.gz`. */
const BACKUP_FILE_NAME = /^mcart-backup-[A-Za-z0-9-]+\.mcart\.gz$/;

/*
 * A location comes from a backup_run row, and rows come back with a restore (of another installation's database,
 * or of a file anyone could have written): a location is only followed to a backup file of this installation's
 * own folder or bucket. A row naming `/…/secrets.json` was served as a download to the owner (the JWT secret and
 * the encryption keys), and retention deleted whatever file an old row named.
 */

export class FolderStorage implements BackupStorage {
  readonly kind = 'folder';
  constructor(readonly workDir: string) {}

  /** The location's file when it is a backup of this folder, else undefined. */
  private own(location: string): string | undefined {
    const file = resolve(location);
    return dirname(file) === resolve(this.workDir) && BACKUP_FILE_NAME.test(basename(file))
      ? file
      : undefined;
  }

  async store(localFile: string): Promise<string> {
    return localFile;
  }

  async open(location: string): Promise<Readable | undefined> {
    const file = this.own(location);
    if (!file) return undefined;
    try {
      if (!(await lstat(file)).isFile()) return undefined;
    } catch {
      return undefined;
    }
    return createReadStream(file);
  }

  async remove(location: string): Promise<void> {
    const file = this.own(location);
    if (!file) return; // not ours to delete: the record goes, the file stays
    await rm(file, { force: true });
    await rm(`${file}.json`, { force: true });
  }
}

export class S3Storage implements BackupStorage {
  readonly kind = 's3';
  private sdk: Promise<{ client: S3Client; s3: typeof import('@aws-sdk/client-s3') }> | undefined;

  constructor(
    private readonly options: NonNullable<BackupConfig['s3']>,
    readonly workDir: string,
  ) {}

  /** The AWS SDK is large: loaded on the first S3 call, so a server that never touches S3 does not carry it. */
  private connect() {
    this.sdk ??= import('@aws-sdk/client-s3').then((s3) => ({ s3, client: this.createClient(s3) }));
    return this.sdk;
  }

  private createClient({ S3Client }: typeof import('@aws-sdk/client-s3')): S3Client {
    const options = this.options;
    return new S3Client({
      region: options.region,
      // S3-compatible stores (MinIO releases before 2025, Ceph, s3rver, several hosted ones) do not decode the
      // aws-chunked uploads with trailing checksums the SDK sends by default since 3.729, and store the
      // chunk framing as the object's bytes. Checksums only where the API requires them; the backup file's
      // own SHA-256 is verified before any restore.
      ...(options.endpoint
        ? {
            endpoint: options.endpoint,
            requestChecksumCalculation: 'WHEN_REQUIRED',
            responseChecksumValidation: 'WHEN_REQUIRED',
          }
        : {}),
      forcePathStyle: options.forcePathStyle,
      // Without explicit keys the SDK's default chain applies (AWS_* variables, instance or pod roles).
      ...(options.accessKeyId && options.secretAccessKey
        ? { credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } }
        : {}),
    });
  }

  private parse(location: string): { bucket: string; key: string } {
    const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(location);
    if (!match) throw new Error(`Not an S3 location: ${location}`);
    return { bucket: match[1]!, key: match[2]! };
  }

  /** True when the location is a backup in this bucket, under this prefix. */
  private own(location: string): boolean {
    const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(location);
    if (!match || match[1] !== this.options.bucket) return false;
    const key = match[2]!;
    return (
      key.startsWith(this.options.prefix) && BACKUP_FILE_NAME.test(key.slice(this.options.prefix.length))
    );
  }

  async store(localFile: string): Promise<string> {
    const key = `${this.options.prefix}${basename(localFile)}`;
    const { client, s3 } = await this.connect();
    for (const [file, objectKey, type] of [
      [localFile, key, 'application/gzip'],
      [`${localFile}.json`, `${key}.json`, 'application/json'],
    ] as const) {
      const { size } = await stat(file);
      await client.send(
        new s3.PutObjectCommand({
          Bucket: this.options.bucket,
          Key: objectKey,
          Body: createReadStream(file),
          ContentLength: size,
          ContentType: type,
        }),
      );
    }
    await rm(localFile, { force: true });
    await rm(`${localFile}.json`, { force: true });
    return `s3://${this.options.bucket}/${key}`;
  }

  async open(location: string): Promise<Readable | undefined> {
    return this.own(location) ? this.download(location) : undefined;
  }

  /**
   * Any object the credentials may read, or undefined when it does not exist: for the operator's own
   * `npm run restore -- s3://bucket/key`, never for a location read from the database.
   */
  async download(location: string): Promise<Readable | undefined> {
    const { bucket, key } = this.parse(location);
    const { client, s3 } = await this.connect();
    try {
      const object = await client.send(new s3.GetObjectCommand({ Bucket: bucket, Key: key }));
      return object.Body as Readable | undefined;
    } catch (err) {
      if (err instanceof s3.NoSuchKey || (err as { name?: string }).name === 'NoSuchKey') return undefined;
      throw err;
    }
  }

  async remove(location: string): Promise<void> {
    if (!this.own(location)) return; // not ours to delete: the record goes, the object stays
    const { bucket, key } = this.parse(location);
    const { client, s3 } = await this.connect();
    await client.send(new s3.DeleteObjectCommand({ Bucket: bucket, Key: key }));
    await client.send(new s3.DeleteObjectCommand({ Bucket: bucket, Key: `${key}.json` }));
  }
}

/** The storage BACKUP_* configures; a BACKUP_DIR that cannot be written into is a StartupError naming it. */
export async function createStorage(config: BackupConfig): Promise<BackupStorage> {
  if (config.s3) {
    const workDir = join(config.dir, '.upload');
    await checkWritableFolder('BACKUP_DIR', workDir);
    return new S3Storage(config.s3, workDir);
  }
  await checkWritableFolder('BACKUP_DIR', config.dir);
  return new FolderStorage(config.dir);
}

/**
 * A backup to restore, as a local file: a path is used as it is; an `s3://bucket/key` location is
 * downloaded (with its manifest sidecar, so the whole-file checksum is verified too) into a private
 * temporary folder, which `cleanup` removes.
 */
export async function fetchBackup(
  location: string,
  config: BackupConfig,
): Promise<{ file: string; cleanup: () => Promise<void> }> {
  if (!location.startsWith('s3://')) return { file: location, cleanup: async () => {} };
  if (!config.s3) {
    throw new Error(
      `${location} is in S3, but no bucket is configured: set BACKUP_S3_BUCKET (and its endpoint and keys)`,
    );
  }
  const storage = new S3Storage(config.s3, tmpdir());
  const dir = await mkdtemp(join(tmpdir(), 'mcart-restore-'));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    const file = join(dir, basename(location));
    const body = await storage.download(location);
    if (!body)
      throw new RestoreRefusedError(
        `No backup at ${location}: the bucket has no such object. Nothing was restored.`,
      );
    await pipeline(body, createWriteStream(file, { mode: 0o600 }));
    const manifest = await storage.download(`${location}.json`);
    if (manifest) await pipeline(manifest, createWriteStream(`${file}.json`, { mode: 0o600 }));
    return { file, cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
