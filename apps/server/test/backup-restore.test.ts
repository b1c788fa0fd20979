import { createHash, randomUUID } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  lstatSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { createGunzip, createGzip } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { PassThrough, Readable } from 'node:stream';
import type { EntityManager } from '@mikro-orm/postgresql';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { buildTestApp, staffToken, TEST_OWNER } from './app.ts';
import { StaffService } from '../src/modules/identity/staff.service.ts';
import { recordChange, REPLAY_HORIZON } from '../src/platform/outbox.ts';
import { dumpDatabase } from '../src/platform/backup/dump.ts';
import { restoreDatabase, verifyBackup, RestoreRefusedError } from '../src/platform/backup/restore.ts';
import { selectRetained } from '../src/platform/backup/backup.service.ts';
import {
  BACKUP_FORMAT_VERSION,
  BACKUP_MAGIC,
  FrameWriter,
  readFrames,
  type BackupHeader,
  type BackupManifest,
} from '../src/platform/backup/format.ts';
import { buildApp } from '../src/app.ts';
import { migrations } from '../src/migrations/index.ts';

const LATEST_MIGRATION = migrations.at(-1)!.name;

/** Per table: row count and a checksum of its whole content, in a stable order. */
async function fingerprint(url: string): Promise<Record<string, { rows: number; md5: string | null }>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ schema: string; name: string }>(
      `SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname IN ('public', 'pgboss') AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        ORDER BY 1, 2`,
    );
    const result: Record<string, { rows: number; md5: string | null }> = {};
    for (const { schema, name } of tables) {
      const { rows } = await client.query<{ rows: number; md5: string | null }>(
        `SELECT count(*)::int AS rows, md5(string_agg(t::text, ',' ORDER BY t::text)) AS md5 FROM "${schema}"."${name}" t`,
      );
      result[`${schema}.${name}`] = rows[0]!;
    }
    return result;
  } finally {
    await client.end();
  }
}

/** The outbox's events without their transaction ids (a restore renumbers those). */
async function outboxWithoutTx(url: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT id, resource, ids, type, payload, created_at::text FROM outbox_event ORDER BY id`,
    );
    return rows;
  } finally {
    await client.end();
  }
}

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

const testApp = await buildTestApp({ BACKUP_CRON: 'off' });
const { app, databaseUrl } = testApp;
const databaseName = new URL(databaseUrl).pathname.slice(1);
const extraDatabases: string[] = [];
const extraRoles: string[] = [];
afterAll(async () => {
  await testApp.close();
  for (const name of extraDatabases) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  for (const role of extraRoles) await admin(`DROP ROLE IF EXISTS ${role}`);
});

async function waitForRun(token: string, id: string) {
  for (let i = 0; i < 200; i++) {
    const response = await app.inject({ url: `/api/admin/backups/${id}`, headers: { authorization: token } });
    const run = response.json<{ status: string }>();
    if (run.status !== 'running') return response.json();
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('backup did not finish');
}

describe('backup and restore drill', () => {
  let file = '';
  let before: Awaited<ReturnType<typeof fingerprint>> = {};
  let outboxBefore: unknown[] = [];
  let backupId = '';

  it('backs up a store with data in every kind of table', async () => {
    // Seed through the services the product uses: staff, sessions (sign-ins), outbox events, queued jobs.
    const em = app.orm.em.fork();
    const staff = new StaffService(em);
    await staff.create({
      email: 'manager@mcart.test',
      password: 'another long password',
      role: 'manager',
      firstName: 'Zoë',
      lastName: "O'Brien\tTab",
    });
    await staff.create({ email: 'admin@mcart.test', password: 'another long password', role: 'admin' });
    for (let i = 0; i < 50; i++)
      recordChange(em, {
        resource: 'products',
        ids: [`p-${i}`],
        type: 'created',
        payload: { line: `a\nb\\c ${i}` },
      });
    await em.flush();
    const token = await staffToken(app);
    await staffToken(app, { email: 'manager@mcart.test', password: 'another long password' });
    const boss = new PgBoss({
      connectionString: databaseUrl,
      schema: 'pgboss',
      max: 1,
      supervise: false,
      schedule: false,
    });
    await boss.start();
    await boss.createQueue('drill.mail');
    for (let i = 0; i < 5; i++) await boss.send('drill.mail', { to: `c${i}@example.com` });
    await boss.stop({ graceful: false, wait: true });

    // A quiet store: what the setup changed has reached every consumer (their cursors are in the backup).
    await app.outbox.drain();
    const started = await app.inject({
      method: 'POST',
      url: '/api/admin/backups',
      headers: { authorization: token },
    });
    expect(started.statusCode).toBe(202);
    expect(started.json()).toMatchObject({ status: 'running', trigger: 'manual', sizeBytes: null });
    backupId = started.json<{ id: string }>().id;
    const run = await waitForRun(token, backupId);
    expect(run).toMatchObject({
      id: backupId,
      status: 'succeeded',
      error: null,
      schemaVersion: LATEST_MIGRATION,
    });
    expect(run.sizeBytes).toBeGreaterThan(0);

    const list = await app.inject({ url: '/api/admin/backups', headers: { authorization: token } });
    expect(list.json()).toMatchObject({
      total: 1,
      data: [{ id: backupId, status: 'succeeded', sizeBytes: run.sizeBytes }],
    });

    file = join(testApp.config.backup.dir, run.fileName);
    // What the restore must give back, before the download below adds its audit entry.
    before = await fingerprint(databaseUrl);
    outboxBefore = await outboxWithoutTx(databaseUrl);

    // The download is the file itself: same bytes, same checksum as the manifest says.
    const download = await app.inject({
      url: `/api/admin/backups/${backupId}/download`,
      headers: { authorization: token },
    });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/gzip');
    expect(download.rawPayload.length).toBe(run.sizeBytes);
    expect(createHash('sha256').update(download.rawPayload).digest('hex')).toBe(run.sha256);
    // The whole store left with it: the audit log says who took which backup (reads are otherwise not logged).
    const ownerId = (
      await app.inject({ url: '/api/admin/auth/me', headers: { authorization: token } })
    ).json().id as string;
    const audited = await app.inject({
      url: '/api/admin/audit?action=backup.downloaded',
      headers: { authorization: token },
    });
    expect(audited.json()).toMatchObject({
      total: 1,
      data: [
        {
          staffId: ownerId,
          method: 'GET',
          route: '/api/admin/backups/:id/download',
          params: { id: backupId },
          status: 200,
          details: { backupId },
        },
      ],
    });
    expect(before['public.staff']!.rows).toBe(3);
    expect(before['public.outbox_event']!.rows).toBe(50);
    expect(before['pgboss.job']!.rows).toBeGreaterThanOrEqual(5);
  }, 120_000);

  it('restores into a dropped and recreated database with every table identical', async () => {
    await testApp.close(); // closes the app and drops its database
    await admin(`CREATE DATABASE ${databaseName}`);
    extraDatabases.push(databaseName);

    const result = await restoreDatabase(databaseUrl, file);
    expect(result.schemaVersion).toBe(LATEST_MIGRATION);
    expect(result.skipped).toEqual([]);

    const after = await fingerprint(databaseUrl);
    // Rebuilt, not loaded: migration history (execution times) and pg-boss's own version row.
    const rebuilt = ['public.mikro_orm_migrations', 'pgboss.version'];
    // The run was "running" inside its own snapshot; the restored record says it succeeded. Outbox
    // positions are renumbered in the restoring cluster's transaction ids (compared below without them).
    const settled = ['public.backup_run', 'public.outbox_event', 'public.outbox_cursor'];
    const comparable = (fp: typeof before) =>
      Object.fromEntries(Object.entries(fp).filter(([table]) => ![...rebuilt, ...settled].includes(table)));
    expect(comparable(after)).toEqual(comparable(before));
    expect(after['public.backup_run']!.rows).toBe(before['public.backup_run']!.rows);
    expect(await outboxWithoutTx(databaseUrl)).toEqual(outboxBefore);

    // The restored database serves the store: sign in, and the restored backup record is succeeded.
    const restored = await buildApp({ ...testApp.config, migrate: true });
    try {
      const token = await staffToken(restored, TEST_OWNER);
      const list = await restored.inject({ url: '/api/admin/backups', headers: { authorization: token } });
      expect(list.json()).toMatchObject({ total: 1, data: [{ id: backupId, status: 'succeeded' }] });
      // Sequences continue after the restored rows instead of colliding with them.
      const { rows } = await restored.readPool.query<{ id: string }>(
        `INSERT INTO outbox_event (resource, ids, type) VALUES ('products', '{x}', 'created') RETURNING id`,
      );
      expect(Number(rows[0]!.id)).toBeGreaterThan(50);
    } finally {
      await restored.close();
    }
  }, 120_000);

  it('restores as the database owner who is not a superuser (a managed PostgreSQL), audit log included', async () => {
    const role = `mcart_restorer_${process.pid}`;
    const name = `${databaseName}_owner`;
    await admin(`DROP ROLE IF EXISTS ${role}`);
    await admin(`CREATE ROLE ${role} LOGIN PASSWORD 'restore-pass-1'`);
    extraRoles.push(role);
    await admin(`CREATE DATABASE ${name} OWNER ${role}`);
    extraDatabases.push(name);
    const url = new URL(databaseUrl);
    url.username = role;
    url.password = 'restore-pass-1';
    url.pathname = `/${name}`;

    const result = await restoreDatabase(url.toString(), file);
    expect(result.schemaVersion).toBe(LATEST_MIGRATION);
    const restored = await fingerprint(url.toString());
    expect(restored['public.audit_entry']).toEqual(before['public.audit_entry']);
    expect(restored['public.orders']).toEqual(before['public.orders']);
  }, 120_000);

  it('refuses a database that is not empty, changing nothing', async () => {
    const before2 = await fingerprint(databaseUrl);
    await expect(restoreDatabase(databaseUrl, file)).rejects.toThrow(/only goes into an empty database/);
    expect(await fingerprint(databaseUrl)).toEqual(before2);
  });

  it('refuses a damaged file before touching the database', async () => {
    const damaged = join(mkdtempSync(join(tmpdir(), 'mcart-bk-')), 'damaged.mcart.gz');
    const bytes = Buffer.from(readFileSync(file));
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
    writeFileSync(damaged, bytes);
    writeFileSync(`${damaged}.json`, readFileSync(`${file}.json`));
    await expect(verifyBackup(damaged)).rejects.toThrow(/SHA-256 does not match/);
    // Without the manifest beside it, the per-table checksums (or gzip's own) still catch it.
    writeFileSync(`${damaged}.json`, '{}');
    await expect(verifyBackup(damaged)).rejects.toBeInstanceOf(RestoreRefusedError);
  });

  it('refuses a manifest beside the file that cannot be read, saying what to do; without one the file is checked alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcart-bk-'));
    const copy = join(dir, 'copy.mcart.gz');
    writeFileSync(copy, readFileSync(file));
    const sidecar = readFileSync(`${file}.json`, 'utf8');
    // Cut short (an interrupted copy, a full disk), or not a manifest at all.
    for (const damaged of [sidecar.slice(0, 50), '', 'null', '[]', '{"file":{"sha256":7}}']) {
      writeFileSync(`${copy}.json`, damaged);
      const refused = await verifyBackup(copy).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(refused, damaged).toBeInstanceOf(RestoreRefusedError);
      expect((refused as Error).message).toMatch(/manifest .*copy\.mcart\.gz\.json cannot be read/);
      expect((refused as Error).message).toMatch(/Copy it again/);
    }
    writeFileSync(`${copy}.json`, sidecar);
    await expect(verifyBackup(copy)).resolves.toMatchObject({ header: { magic: BACKUP_MAGIC } });
  });

  it('checks the header frame (the column lists COPY loads by) against the manifest', async () => {
    const frames: { kind: 'H' | 'T' | 'D' | 'E' | 'M'; payload: Buffer }[] = [];
    for await (const frame of readFrames(createReadStream(file).pipe(createGunzip())))
      frames.push({ kind: frame.kind, payload: Buffer.from(frame.payload) });
    const header = JSON.parse(frames[0]!.payload.toString('utf8')) as BackupHeader;
    const manifest = JSON.parse(frames.at(-1)!.payload.toString('utf8')) as BackupManifest;
    expect(manifest.headerSha256).toBe(createHash('sha256').update(frames[0]!.payload).digest('hex'));
    /** The backup written again with another header (gzip's own checksum then holds). */
    const withHeader = async (changed: BackupHeader) => {
      const out = join(mkdtempSync(join(tmpdir(), 'mcart-bk-')), 'changed.mcart.gz');
      const raw = new PassThrough();
      const written = pipeline(raw, createGzip(), createWriteStream(out));
      const writer = new FrameWriter(raw);
      await writer.write('H', changed);
      for (const frame of frames.slice(1)) await writer.write(frame.kind, frame.payload);
      raw.end();
      await written;
      return out;
    };
    // Two columns of a table swapped: its data would load into each other's column.
    const swapped = structuredClone(header);
    const table = swapped.tables.find((t) => t.columns.length >= 2)!;
    [table.columns[0], table.columns[1]] = [table.columns[1]!, table.columns[0]!];
    await expect(verifyBackup(await withHeader(swapped))).rejects.toThrow(
      /its header \(the tables and their columns\) does not match its manifest/,
    );
    // Any other change to the header fails its checksum.
    await expect(verifyBackup(await withHeader({ ...header, pgbossVersion: 1 }))).rejects.toBeInstanceOf(
      RestoreRefusedError,
    );
    // The header as written passes.
    await expect(verifyBackup(await withHeader(header))).resolves.toMatchObject({ header });
  });

  it('refuses a backup taken at a schema newer than this code', async () => {
    const future = join(mkdtempSync(join(tmpdir(), 'mcart-bk-')), 'future.mcart.gz');
    const raw = new PassThrough();
    const written = pipeline(raw, createGzip(), createWriteStream(future));
    const frames = new FrameWriter(raw);
    const header = {
      magic: BACKUP_MAGIC,
      formatVersion: BACKUP_FORMAT_VERSION,
      createdAt: new Date().toISOString(),
      mcartVersion: '9.0.0',
      schemaVersion: 'Migration29991231000000FromTheFuture',
      pgbossVersion: null,
      postgresVersion: '17',
      tables: [],
      queues: [],
    };
    await frames.write('H', header);
    const { magic: _m, ...rest } = header;
    await frames.write('M', { ...rest, tables: [], sequences: [], totalRows: 0 });
    raw.end();
    await written;
    await expect(verifyBackup(future)).rejects.toThrow(
      /Migration29991231000000FromTheFuture, which this MCart version does not know/,
    );
  });
});

describe('a backup file made to load elsewhere', () => {
  /** A well-formed backup (checksums, manifest, a known schema) of one table with one row. */
  async function crafted(table: { schema: string; name: string; columns: string[] }, row: string) {
    const out = join(mkdtempSync(join(tmpdir(), 'mcart-bk-')), 'crafted.mcart.gz');
    const raw = new PassThrough();
    const written = pipeline(raw, createGzip(), createWriteStream(out));
    const frames = new FrameWriter(raw);
    const header = {
      magic: BACKUP_MAGIC,
      formatVersion: BACKUP_FORMAT_VERSION,
      createdAt: new Date().toISOString(),
      mcartVersion: '0.1.0',
      schemaVersion: LATEST_MIGRATION,
      pgbossVersion: null,
      postgresVersion: '17',
      tables: [table],
      queues: [],
    };
    await frames.write('H', header);
    const data = Buffer.from(`${row}\n`);
    await frames.write('T', { schema: table.schema, name: table.name });
    await frames.write('D', data);
    const sha256 = createHash('sha256').update(data).digest('hex');
    await frames.write('E', { rows: 1, sha256 });
    const { magic: _m, ...rest } = header;
    await frames.write('M', {
      ...rest,
      tables: [{ ...table, rows: 1, sha256 }],
      sequences: [],
      totalRows: 1,
    });
    raw.end();
    await written;
    return out;
  }

  it("refuses tables outside MCart's schemas: a restore as superuser would write the system catalogs", async () => {
    // A superuser role with a password the file's author knows, then the host's shell through COPY ... PROGRAM.
    const role = await crafted(
      { schema: 'pg_catalog', name: 'pg_authid', columns: ['oid', 'rolname', 'rolsuper', 'rolcanlogin'] },
      '99999\tintruder\tt\tt',
    );
    await expect(verifyBackup(role)).rejects.toThrow(
      /names pg_catalog\.pg_authid, which no MCart backup holds.*Nothing was restored/,
    );
    // The migration history is rebuilt by the restore, never loaded: a file that carries it is not MCart's.
    const history = await crafted(
      { schema: 'public', name: 'mikro_orm_migrations', columns: ['id', 'name', 'executed_at'] },
      `1\tMigration99999999999999Skipped\t2026-01-01 00:00:00+00`,
    );
    await expect(verifyBackup(history)).rejects.toThrow(/names public\.mikro_orm_migrations/);
    // A table of its own schemas passes the same checks.
    const audit = await crafted(
      { schema: 'public', name: 'audit_entry', columns: ['id', 'action'] },
      '1\tstaff.signed_in',
    );
    await expect(verifyBackup(audit)).resolves.toMatchObject({
      header: { tables: [{ name: 'audit_entry' }] },
    });
  });
});

describe('backups API rules', () => {
  it('is for the owner only, and one backup runs at a time', async () => {
    const other = await buildTestApp({ BACKUP_CRON: 'off' });
    try {
      await new StaffService(other.app.orm.em.fork()).create({
        email: 'admin@mcart.test',
        password: 'another long password',
        role: 'admin',
      });
      const adminToken = await staffToken(other.app, {
        email: 'admin@mcart.test',
        password: 'another long password',
      });
      expect(
        (
          await other.app.inject({
            method: 'POST',
            url: '/api/admin/backups',
            headers: { authorization: adminToken },
          })
        ).statusCode,
      ).toBe(403);
      expect((await other.app.inject({ method: 'POST', url: '/api/admin/backups' })).statusCode).toBe(401);

      const ownerToken = await staffToken(other.app);
      const holder = new pg.Client({ connectionString: other.databaseUrl });
      await holder.connect();
      // Another instance's backup holds the cluster-wide lock.
      await holder.query('SELECT pg_advisory_lock($1)', [0x4d43424b50]);
      const busy = await other.app.inject({
        method: 'POST',
        url: '/api/admin/backups',
        headers: { authorization: ownerToken },
      });
      await holder.end();
      expect(busy.statusCode).toBe(409);
      expect(busy.headers['content-type']).toContain('application/problem+json');
      expect(busy.json()).toMatchObject({ code: 'MCART_ERR_BACKUP_RUNNING' });

      const missing = await other.app.inject({
        url: '/api/admin/backups/00000000-0000-4000-8000-000000000000/download',
        headers: { authorization: ownerToken },
      });
      expect(missing.statusCode).toBe(404);
      expect(missing.headers['content-type']).toContain('application/problem+json');
      expect(missing.json()).toMatchObject({ code: 'MCART_ERR_NOT_FOUND' });
      const unknown = await other.app.inject({
        url: '/api/admin/backups/00000000-0000-4000-8000-000000000000',
        headers: { authorization: ownerToken },
      });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json()).toMatchObject({ code: 'MCART_ERR_NOT_FOUND' });
      const bad = await other.app.inject({
        url: '/api/admin/backups?status=nope',
        headers: { authorization: ownerToken },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ code: 'MCART_ERR_VALIDATION' });
    } finally {
      await other.close();
    }
  }, 120_000);

  it('follows a backup record only to a backup file of its own folder: a restored row cannot serve or delete another file', async () => {
    const other = await buildTestApp({ BACKUP_CRON: 'off' });
    try {
      const ownerToken = await staffToken(other.app);
      const dir = other.config.backup.dir;
      // What a row from a restored (or crafted) database may name: the keys beside the data, any file.
      const secrets = join(mkdtempSync(join(tmpdir(), 'mcart-secrets-')), 'secrets.json');
      writeFileSync(secrets, '{"encryptionKeys":"k1:not-for-download"}');
      const notes = join(dir, 'notes.txt');
      writeFileSync(notes, 'the owner keeps this here');
      const lookalike = join(dirname(dir), 'mcart-backup-20200101T000000Z-00000000.mcart.gz');
      writeFileSync(lookalike, 'beside the folder, not in it');
      const ids: string[] = [];
      const client = new pg.Client({ connectionString: other.databaseUrl });
      await client.connect();
      try {
        for (const [i, location] of [
          secrets,
          notes,
          lookalike,
          `${dir}/../${basename(lookalike)}`,
        ].entries()) {
          const id = randomUUID();
          ids.push(id);
          await client.query(
            `INSERT INTO backup_run (id, status, trigger, started_at, finished_at, size_bytes, location)
             VALUES ($1, 'succeeded', 'manual', $2, $2, 10, $3)`,
            [id, new Date(Date.UTC(2020, 0, 1, 12 - i)).toISOString(), location],
          );
        }
      } finally {
        await client.end();
      }
      for (const id of ids) {
        const download = await other.app.inject({
          url: `/api/admin/backups/${id}/download`,
          headers: { authorization: ownerToken },
        });
        expect(download.statusCode, id).toBe(404);
        expect(download.json()).toMatchObject({ code: 'MCART_ERR_BACKUP_FILE_MISSING' });
        expect(download.body).not.toContain('not-for-download');
      }
      // Retention drops the records (all but the newest), never the files they named.
      expect(await other.app.backups.applyRetention()).toEqual(ids.slice(1));
      for (const file of [secrets, notes, lookalike]) expect(existsSync(file), file).toBe(true);
    } finally {
      await other.close();
    }
  }, 120_000);

  it('keeps the newest backup of each recent day and week', () => {
    const at = (iso: string, id: string) => ({ id, startedAt: new Date(iso) });
    const runs = [
      at('2026-11-26T18:00:00Z', 'a'), // newest: kept
      at('2026-11-26T12:00:00Z', 'b'), // same day: dropped
      at('2026-11-25T18:00:00Z', 'c'), // day 2
      at('2026-11-24T18:00:00Z', 'd'), // day 3 (daily limit 2 reached), same ISO week as a: dropped
      at('2026-11-17T18:00:00Z', 'e'), // previous week: weekly
      at('2026-11-03T18:00:00Z', 'f'), // third week: beyond 2 weeks
    ];
    expect([...selectRetained(runs, 2, 2)].sort()).toEqual(['a', 'c', 'e']);
  });
});

async function sql<T extends pg.QueryResultRow = pg.QueryResultRow>(
  url: string,
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

describe('backups when things go wrong', () => {
  it('writes every frame whole while the file is written more slowly than the database is read', async () => {
    // The dump's stream with a consumer slower than the producer (gzip and the disk behind COPY), and a
    // small high-water mark so the buffer is often full: a frame head that reached the mark used to make
    // the writer skip its body, a file the restore then refused as corrupt.
    const out = new PassThrough({ highWaterMark: 64 });
    const chunks: Buffer[] = [];
    const reading = (async () => {
      for await (const chunk of out as AsyncIterable<Buffer>) {
        chunks.push(chunk);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const writer = new FrameWriter(out);
    const sizes = Array.from({ length: 3000 }, (_, i) => 1 + ((i * 7919) % 97));
    for (const [i, size] of sizes.entries()) await writer.write('D', Buffer.alloc(size, i % 251));
    out.end();
    await reading;
    const read: number[] = [];
    for await (const frame of readFrames(Readable.from([Buffer.concat(chunks)])))
      read.push(frame.payload.length);
    expect(read).toEqual(sizes);
  });

  it.skipIf(!existsSync('/dev/full'))(
    'fails at once on a full disk, leaving no partial file and no open snapshot',
    async () => {
      const faulty = await buildTestApp({ BACKUP_CRON: 'off' });
      try {
        // Enough rows that the disk fills while the dump is still writing.
        await sql(
          faulty.databaseUrl,
          `INSERT INTO outbox_event (resource, ids, type, payload)
           SELECT 'products', ARRAY[md5(g::text)], 'created', jsonb_build_object('r', md5(random()::text))
             FROM generate_series(1, 60000) g`,
        );
        const file = join(mkdtempSync(join(tmpdir(), 'mcart-bk-')), 'full.mcart.gz');
        symlinkSync('/dev/full', `${file}.partial`); // every write fails with ENOSPC, as on a full disk
        const outcome = await Promise.race([
          dumpDatabase(faulty.databaseUrl, file).then(
            () => 'finished',
            (err: Error) => err.message,
          ),
          new Promise((resolve) => setTimeout(() => resolve('still running after 20 s'), 20_000)),
        ]);
        expect(outcome).toMatch(/ENOSPC/);
        expect(() => lstatSync(`${file}.partial`)).toThrow(/ENOENT/);
        expect(existsSync(`${file}.json`)).toBe(false);
        // Its connection is closed: no snapshot left holding back vacuum, no lock.
        const sessions = await sql(
          faulty.databaseUrl,
          `SELECT 1 FROM pg_stat_activity WHERE application_name = 'mcart-backup' AND datname = current_database()`,
        );
        expect(sessions).toEqual([]);
      } finally {
        await faulty.close();
      }
    },
    60_000,
  );

  it('removes the files a killed backup left behind, holding the backup lock', async () => {
    const leftover = await buildTestApp({ BACKUP_CRON: 'off' });
    try {
      const dir = leftover.config.backup.dir;
      writeFileSync(join(dir, 'mcart-backup-20260101T000000Z-deadbeef.mcart.gz.partial'), 'half');
      writeFileSync(join(dir, 'mcart-backup-20260101T000000Z-deadbeef.mcart.gz.json'), '{}');
      writeFileSync(join(dir, 'notes.txt'), 'not ours');
      const run = await leftover.app.backups.runToEnd('scheduled');
      expect(run?.status).toBe('succeeded');
      const files = readdirSync(dir).sort();
      expect(files).toEqual(
        ['notes.txt', run!.location!.split('/').pop()!, `${run!.location!.split('/').pop()!}.json`].sort(),
      );
    } finally {
      await leftover.close();
    }
  }, 60_000);

  it('restores a backup from a cluster whose transaction ids are ahead: consumers and live clients go on', async () => {
    const source = await buildTestApp({ BACKUP_CRON: 'off' });
    const restoredName = `${new URL(source.databaseUrl).pathname.slice(1)}_r`;
    const file = join(mkdtempSync(join(tmpdir(), 'mcart-bk-')), 'ahead.mcart.gz');
    let oldPosition = '';
    try {
      for (const id of ['before-1', 'before-2']) {
        await (source.app.orm.em.fork() as EntityManager).transactional(async (em) =>
          recordChange(em, { resource: 'orders', ids: [id], type: 'created' }),
        );
      }
      await source.app.outbox.drain();
      // What a backup from another PostgreSQL looks like here (a new embedded data folder, a new managed
      // instance): its transaction ids, in the outbox positions, are far ahead of this cluster's count.
      await sql(
        source.databaseUrl,
        `UPDATE outbox_event SET tx = (tx::text::bigint + 5000000000)::text::xid8`,
      );
      await sql(
        source.databaseUrl,
        `UPDATE outbox_cursor SET position =
           (split_part(position, ':', 1)::bigint + 5000000000)::text || ':' || split_part(position, ':', 2)`,
      );
      const [newest] = await sql<{ position: string }>(
        source.databaseUrl,
        `SELECT tx::text || ':' || id AS position FROM outbox_event ORDER BY tx DESC, id DESC LIMIT 1`,
      );
      oldPosition = newest!.position;
      await dumpDatabase(source.databaseUrl, file);
    } finally {
      await source.close();
    }
    await admin(`CREATE DATABASE ${restoredName}`);
    extraDatabases.push(restoredName);
    const restoredUrl = Object.assign(new URL(source.databaseUrl), {
      pathname: `/${restoredName}`,
    }).toString();
    await restoreDatabase(restoredUrl, file);

    const restored = await buildApp({
      ...source.config,
      database: { ...source.config.database, url: restoredUrl },
    });
    try {
      const seen: string[] = [];
      restored.outbox.onCommitted((events) => seen.push(...events.flatMap((event) => event.ids)));
      await (restored.orm.em.fork() as EntityManager).transactional(async (em) =>
        recordChange(em, { resource: 'orders', ids: ['after-restore'], type: 'created' }),
      );
      await restored.outbox.drain();
      expect(seen).toContain('after-restore');
      // Every durable consumer (order e-mails, stock flags, best sellers) handled the new event.
      const behind = await sql<{ consumer: string; position: string }>(
        restoredUrl,
        `SELECT consumer, position FROM outbox_cursor
          WHERE consumer <> $1
            AND position <> (SELECT tx::text || ':' || id FROM outbox_event ORDER BY tx DESC, id DESC LIMIT 1)`,
        [REPLAY_HORIZON],
      );
      expect(behind).toEqual([]);
      // A live client resuming from a position of the old database resyncs; one from now replays.
      expect(await restored.outbox.canReplayFrom(oldPosition)).toBe(false);
      expect(await restored.outbox.canReplayFrom(await restored.outbox.currentPosition())).toBe(true);
    } finally {
      await restored.close();
    }
  }, 120_000);
});
