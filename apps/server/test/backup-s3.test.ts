import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildTestApp, staffToken, type TestApp } from './app.ts';
import { freePort } from './global-setup.ts';
import { StaffService } from '../src/modules/identity/staff.service.ts';
import { restoreDatabase, RestoreRefusedError } from '../src/platform/backup/restore.ts';
import { fetchBackup } from '../src/platform/backup/storage.ts';

const BUCKET = 'mcart-backups';
const KEY = { id: 'S3RVER', secret: 'S3RVER' }; // s3rver's built-in credentials

const adminUrl = inject('adminDatabaseUrl');
async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function count(url: string, table: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
    return rows[0]!.n;
  } finally {
    await client.end();
  }
}

/** A real S3 API (s3rver, on loopback, files in a temp folder), path-style as MinIO or Ceph are used. */
describe('backups to an S3-compatible bucket', () => {
  let s3rver: S3rver;
  let endpoint = '';
  let testApp: TestApp;
  let client: S3Client;
  const restoredDb = `mcart_s3_restore_${process.pid}`;

  const keys = async () =>
    ((await client.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents ?? [])
      .map((object) => object.Key!)
      .sort();

  beforeAll(async () => {
    s3rver = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: mkdtempSync(join(tmpdir(), 'mcart-s3rver-')),
      configureBuckets: [{ name: BUCKET, configs: [] }],
    });
    const { port } = (await s3rver.run()) as AddressInfo;
    endpoint = `http://127.0.0.1:${port}`;
    client = new S3Client({
      region: 'us-east-1',
      endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: KEY.id, secretAccessKey: KEY.secret },
    });
    testApp = await buildTestApp({
      BACKUP_CRON: 'off',
      BACKUP_S3_BUCKET: BUCKET,
      BACKUP_S3_ENDPOINT: endpoint,
      BACKUP_S3_ACCESS_KEY_ID: KEY.id,
      BACKUP_S3_SECRET_ACCESS_KEY: KEY.secret,
      BACKUP_S3_FORCE_PATH_STYLE: 'true',
      BACKUP_S3_PREFIX: 'shop/',
    });
  }, 60_000);

  afterAll(async () => {
    await testApp?.close();
    await admin(`DROP DATABASE IF EXISTS ${restoredDb} WITH (FORCE)`);
    client?.destroy();
    await s3rver?.close();
  });

  async function backUp(token: string) {
    const started = await testApp.app.inject({
      method: 'POST',
      url: '/api/admin/backups',
      headers: { authorization: token },
    });
    expect(started.statusCode).toBe(202);
    const id = started.json<{ id: string }>().id;
    for (let i = 0; i < 400; i++) {
      const run = (
        await testApp.app.inject({ url: `/api/admin/backups/${id}`, headers: { authorization: token } })
      ).json<{ status: string; location: string; error: string | null }>();
      if (run.status !== 'running') return run;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('backup did not finish');
  }

  it('stores backups in the bucket, lists them, applies retention there and restores from it', async () => {
    const { app, databaseUrl } = testApp;
    await new StaffService(app.orm.em.fork()).create({
      email: 'manager@mcart.test',
      password: 'another long password',
      role: 'manager',
    });
    const token = await staffToken(app);

    const first = await backUp(token);
    expect(first).toMatchObject({ status: 'succeeded', error: null });
    expect(first.location).toMatch(new RegExp(`^s3://${BUCKET}/shop/mcart-backup-.+\\.mcart\\.gz$`));
    const firstKey = first.location.slice(`s3://${BUCKET}/`.length);
    expect(await keys()).toEqual([firstKey, `${firstKey}.json`]);
    // Uploaded, then removed from the local upload folder.
    expect(readdirSync(join(testApp.config.backup.dir, '.upload'))).toEqual([]);
    const list = await app.inject({ url: '/api/admin/backups', headers: { authorization: token } });
    expect(list.json()).toMatchObject({
      total: 1,
      data: [{ location: first.location, status: 'succeeded' }],
    });

    // A second backup the same day: retention keeps only the newest of the day, in the bucket too.
    const second = await backUp(token);
    expect(second.status).toBe('succeeded');
    const secondKey = second.location.slice(`s3://${BUCKET}/`.length);
    // Retention runs right after the run is marked succeeded, so wait for it to settle.
    await expect.poll(keys, { timeout: 20_000 }).toEqual([secondKey, `${secondKey}.json`]);
    const listed = async () =>
      (await app.inject({ url: '/api/admin/backups', headers: { authorization: token } })).json<{
        total: number;
        data: { id: string; location: string; sha256: string }[];
      }>();
    // The bucket's objects go first, then the run's row.
    await expect.poll(async () => (await listed()).total, { timeout: 20_000 }).toBe(1);
    const after = await listed();
    expect(after).toMatchObject({ total: 1, data: [{ location: second.location }] });

    // The download streams from the bucket through the API.
    const download = await app.inject({
      url: `/api/admin/backups/${after.data[0]!.id}/download`,
      headers: { authorization: token },
    });
    expect(download.statusCode).toBe(200);
    // Byte for byte what was uploaded (no aws-chunked framing stored by an S3-compatible server).
    expect(createHash('sha256').update(download.rawPayload).digest('hex')).toBe(after.data[0]!.sha256);

    // Monitoring sees the newest succeeded backup.
    const metric = await app.metrics.registry.getSingleMetricAsString(
      'mcart_backup_last_success_timestamp_seconds',
    );
    const at = Number(/mcart_backup_last_success_timestamp_seconds (\d+)/.exec(metric)?.[1]);
    expect(Math.abs(at - Date.now() / 1000)).toBeLessThan(600);

    // Restore from the bucket (what `npm run restore -- s3://...` does) into an empty database.
    await admin(`CREATE DATABASE ${restoredDb}`);
    const restoredUrl = Object.assign(new URL(databaseUrl), { pathname: `/${restoredDb}` }).toString();
    const { file, cleanup } = await fetchBackup(second.location, testApp.config.backup);
    try {
      const result = await restoreDatabase(restoredUrl, file);
      expect(result.rows).toBeGreaterThan(0);
    } finally {
      await cleanup();
    }
    expect(await count(restoredUrl, 'staff')).toBe(await count(databaseUrl, 'staff'));
    expect(await count(restoredUrl, 'staff')).toBe(2);

    // A key the bucket does not have is a refusal naming it (the command prints it as it is), not a failure.
    const missing = `s3://${BUCKET}/shop/mcart-backup-none.mcart.gz`;
    const refused = fetchBackup(missing, testApp.config.backup);
    await expect(refused).rejects.toBeInstanceOf(RestoreRefusedError);
    await expect(refused).rejects.toThrow(`No backup at ${missing}: the bucket has no such object`);
  }, 180_000);
});

describe('backups when the bucket cannot be reached', () => {
  it('fails the run and keeps no copy in the upload folder, run after run', async () => {
    // Nothing listens on this port: every upload fails, as during an S3 outage.
    const unreachable = await buildTestApp({
      BACKUP_CRON: 'off',
      BACKUP_S3_BUCKET: BUCKET,
      BACKUP_S3_ENDPOINT: `http://127.0.0.1:${await freePort()}`,
      BACKUP_S3_ACCESS_KEY_ID: KEY.id,
      BACKUP_S3_SECRET_ACCESS_KEY: KEY.secret,
    });
    try {
      for (let i = 0; i < 2; i++) {
        const run = await unreachable.app.backups.runToEnd('scheduled');
        expect(run).toMatchObject({ status: 'failed', location: null });
        // A full copy of the database per failed run used to stay here until the disk was full.
        expect(readdirSync(join(unreachable.config.backup.dir, '.upload'))).toEqual([]);
      }
    } finally {
      await unreachable.close();
    }
  }, 120_000);
});
