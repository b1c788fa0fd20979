import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3Config } from '../config.ts';

type S3Sdk = typeof import('@aws-sdk/client-s3');

/**
 * An S3 client for a configured bucket. The AWS SDK is large: it is loaded on first use, so a server
 * that never talks to a bucket does not carry it.
 */
export async function createS3Client(options: S3Config): Promise<{ client: S3Client; sdk: S3Sdk }> {
  const sdk = await import('@aws-sdk/client-s3');
  const client = new sdk.S3Client({
    region: options.region,
    // S3-compatible stores (older MinIO, Ceph, s3rver...) mishandle the SDK's default trailing checksums:
    // checksums only where the API requires them, as for backups.
    ...(options.endpoint
      ? {
          endpoint: options.endpoint,
          requestChecksumCalculation: 'WHEN_REQUIRED' as const,
          responseChecksumValidation: 'WHEN_REQUIRED' as const,
        }
      : {}),
    forcePathStyle: options.forcePathStyle,
    // Without explicit keys the SDK's default chain applies (AWS_* variables, instance or pod roles).
    ...(options.accessKeyId && options.secretAccessKey
      ? { credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } }
      : {}),
  });
  return { client, sdk };
}

/**
 * Small immutable objects by key (`originals/<hash>.webp`): a folder, or an S3-compatible bucket.
 * Keys are made by our code from hashes; both stores refuse anything that could leave their root.
 */
export interface ObjectStorage {
  readonly kind: 'folder' | 's3';
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  /** The object's bytes, or undefined when there is none. */
  get(key: string): Promise<Buffer | undefined>;
  /** Removes these objects; absent ones are ignored. */
  remove(keys: string[]): Promise<void>;
}

const SAFE_KEY = /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/;

function checkKey(key: string): string {
  if (!SAFE_KEY.test(key) || key.includes('..')) throw new Error(`Unsafe object key: ${key}`);
  return key;
}

export class FolderObjectStorage implements ObjectStorage {
  readonly kind = 'folder';
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  private path(key: string): string {
    const path = join(this.root, checkKey(key));
    if (!path.startsWith(this.root + sep)) throw new Error(`Unsafe object key: ${key}`);
    return path;
  }

  async put(key: string, body: Buffer): Promise<void> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    // Written aside then renamed: a reader never sees half a file, concurrent writers of one key both win.
    const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temporary, body);
    await rename(temporary, path);
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.path(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async remove(keys: string[]): Promise<void> {
    for (const key of keys) await rm(this.path(key), { force: true });
  }
}

export class S3ObjectStorage implements ObjectStorage {
  readonly kind = 's3';
  private connection: ReturnType<typeof createS3Client> | undefined;

  constructor(private readonly options: S3Config) {}

  private connect() {
    this.connection ??= createS3Client(this.options);
    return this.connection;
  }

  private key(key: string): string {
    return `${this.options.prefix}${checkKey(key)}`;
  }

  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    const { client, sdk } = await this.connect();
    await client.send(
      new sdk.PutObjectCommand({
        Bucket: this.options.bucket,
        Key: this.key(key),
        Body: body,
        ContentLength: body.length,
        ContentType: contentType,
      }),
    );
  }

  async get(key: string): Promise<Buffer | undefined> {
    const { client, sdk } = await this.connect();
    try {
      const object = await client.send(
        new sdk.GetObjectCommand({ Bucket: this.options.bucket, Key: this.key(key) }),
      );
      return object.Body ? Buffer.from(await object.Body.transformToByteArray()) : undefined;
    } catch (err) {
      if (err instanceof sdk.NoSuchKey || (err as { name?: string }).name === 'NoSuchKey') return undefined;
      throw err;
    }
  }

  async remove(keys: string[]): Promise<void> {
    if (!keys.length) return;
    const { client, sdk } = await this.connect();
    await client.send(
      new sdk.DeleteObjectsCommand({
        Bucket: this.options.bucket,
        Delete: { Objects: keys.map((key) => ({ Key: this.key(key) })), Quiet: true },
      }),
    );
  }

  async destroy(): Promise<void> {
    if (this.connection) (await this.connection).client.destroy();
  }
}

export async function createObjectStorage(options: {
  dir: string;
  s3: S3Config | undefined;
}): Promise<ObjectStorage> {
  if (options.s3) return new S3ObjectStorage(options.s3);
  await mkdir(options.dir, { recursive: true });
  return new FolderObjectStorage(options.dir);
}
