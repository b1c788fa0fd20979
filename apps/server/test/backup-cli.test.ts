import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { buildTestApp, TEST_OWNER } from './app.ts';
import { withDatabase } from './global-setup.ts';
import { FieldCipher } from '../src/platform/crypto.ts';
import { dumpDatabase } from '../src/platform/backup/dump.ts';
import {
  EncryptionKeysMismatchError,
  restoreDatabase,
  verifyBackup,
} from '../src/platform/backup/restore.ts';
import { recordChange } from '../src/platform/outbox.ts';

/*
 * The operator's `npm run verify-backup` and `npm run restore` (src/cli.ts) as a store owner runs them: a path
 * that is wrong, a file that is damaged, and keys that cannot read the backup's encrypted personal data.
 */
const ROOT = resolve(import.meta.dirname, '../../..');
const adminUrl = inject('adminDatabaseUrl');
const key = (fill: number) => Buffer.alloc(32, fill).toString('base64');
/** The source store's keys: k1 encrypts, k0 is an older key some data is still sealed with. */
const SOURCE_KEYS = `k1:${key(1)},k0:${key(2)}`;

const testApp = await buildTestApp({ BACKUP_CRON: 'off' });
const databases: string[] = [];
afterAll(async () => {
  await testApp.close();
  for (const name of databases) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
});

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A new empty database (no tables): where a restore goes. */
async function emptyDatabase(): Promise<string> {
  const name = `mcart_restore_cli_${process.pid}_${databases.length}`;
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${name}`);
  databases.push(name);
  return withDatabase(adminUrl, name);
}

async function tableCount(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname IN ('public', 'pgboss')`,
    );
    return rows[0]!.n;
  } finally {
    await client.end();
  }
}

function cli(args: string[], env: Record<string, string | undefined> = {}) {
  const { MCART_ENCRYPTION_KEYS: _keys, DATABASE_URL: _url, ...inherited } = process.env;
  return spawnSync(process.execPath, ['--import', 'tsx', 'apps/server/src/cli.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: {
      ...inherited,
      NODE_ENV: 'development',
      MCART_DATA_DIR: mkdtempSync(join(tmpdir(), 'mcart-operator-')),
      INIT_CWD: ROOT,
      ...env,
    },
  });
}

/** What the owner sees: stderr without the progress bars' blank lines. */
const said = (result: ReturnType<typeof cli>) => result.stderr.trim();

// A store with personal data sealed under both keys: the owner's second factor (a text column) and, under
// the older key, a value inside a JSON column (a quoted string in the COPY text).
const dir = mkdtempSync(join(tmpdir(), 'mcart-bk-cli-'));
const file = join(dir, 'store.mcart.gz');
{
  const [current, older] = [new FieldCipher(SOURCE_KEYS), new FieldCipher(`k0:${key(2)}`)];
  const em = testApp.app.orm.em.fork();
  await em
    .getConnection()
    .execute(`UPDATE staff SET totp_secret = ? WHERE email = ?`, [
      current.encrypt('JBSWY3DPEHPK3PXP'),
      TEST_OWNER.email,
    ]);
  recordChange(em, {
    resource: 'customers',
    ids: ['c-1'],
    type: 'updated',
    payload: { phone: older.encrypt('+33 6 12 34 56 78') },
  });
  await em.flush();
  await dumpDatabase(testApp.databaseUrl, file);
}

describe('npm run verify-backup / restore with a file that is not there or not whole', () => {
  it('names the missing file in one line and exits non-zero, for both commands', () => {
    const missing = join(dir, 'no-such-backup.mcart.gz');
    for (const command of ['verify', 'restore']) {
      const result = cli([command, missing], { MCART_ENCRYPTION_KEYS: SOURCE_KEYS, DATABASE_URL: adminUrl });
      expect(result.status, command).toBe(1);
      expect(said(result), command).toBe(
        `No backup file at ${missing}. Check the path. Nothing was restored.`,
      );
      expect(result.stderr).not.toMatch(/ENOENT/);
    }
  }, 60_000);

  it('says a folder is not a backup file, and a truncated file is truncated', async () => {
    const folder = join(dir, 'a-folder.mcart.gz');
    mkdirSync(folder);
    await expect(verifyBackup(folder)).rejects.toThrow(`${folder} is not a backup file`);
    const folderResult = cli(['verify', folder]);
    expect(folderResult.status).toBe(1);
    expect(said(folderResult)).toMatch(/is not a backup file/);
    expect(folderResult.stderr).not.toMatch(/EISDIR/);

    const truncated = join(dir, 'truncated.mcart.gz');
    const bytes = readFileSync(file);
    writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const result = cli(['verify', truncated]);
    expect(result.status).toBe(1);
    expect(said(result)).toBe(
      'The backup file is not a complete gzip stream (damaged or truncated). Nothing was restored.',
    );
  }, 60_000);

  it('verify says which encryption keys the backup needs', () => {
    const result = cli(['verify', file]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('The backup is intact');
    expect(result.stdout).toContain('encrypted with key id(s) k0, k1');
  }, 60_000);
});

describe('npm run restore with encryption keys that cannot read the backup', () => {
  it('refuses before touching the database: another key under the same id, or a key id missing', async () => {
    const target = await emptyDatabase();
    const otherKey = cli(['restore', file], {
      MCART_ENCRYPTION_KEYS: `k1:${key(9)},k0:${key(2)}`,
      DATABASE_URL: target,
    });
    expect(otherKey.status).toBe(1);
    expect(said(otherKey)).toMatch(
      /^The encryption keys of MCART_ENCRYPTION_KEYS cannot read this backup's encrypted personal data \(key id\(s\) k1:/,
    );
    expect(said(otherKey)).toMatch(/add --ignore-encryption-keys\. Nothing was restored\.$/);
    const missingKey = cli(['restore', file], {
      MCART_ENCRYPTION_KEYS: `k1:${key(1)}`,
      DATABASE_URL: target,
    });
    expect(missingKey.status).toBe(1);
    expect(said(missingKey)).toMatch(/\(key id\(s\) k0:/);
    expect(await tableCount(target)).toBe(0);
  }, 60_000);

  it('on the embedded default, names the data folder whose secrets.json holds the wrong keys', async () => {
    const target = await emptyDatabase();
    const dataDir = mkdtempSync(join(tmpdir(), 'mcart-restored-'));
    const result = cli(['restore', file], { MCART_DATA_DIR: dataDir, DATABASE_URL: target });
    expect(result.status).toBe(1);
    expect(said(result)).toContain(`The encryption keys of ${join(dataDir, 'secrets.json')} cannot read`);
    expect(said(result)).toContain('key id(s) k0, k1');
    expect(await tableCount(target)).toBe(0);
  }, 60_000);

  it('restores with the right keys; with --ignore-encryption-keys it restores anyway and says what stays unreadable', async () => {
    const right = await emptyDatabase();
    const restored = cli(['restore', file], { MCART_ENCRYPTION_KEYS: SOURCE_KEYS, DATABASE_URL: right });
    expect(restored.status, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/Restored \d+ tables/);
    expect(await tableCount(right)).toBeGreaterThan(0);

    const anyway = await emptyDatabase();
    const forced = cli(['restore', file, '--ignore-encryption-keys'], {
      MCART_ENCRYPTION_KEYS: `k1:${key(9)}`,
      DATABASE_URL: anyway,
    });
    expect(forced.status, forced.stderr).toBe(0);
    expect(forced.stdout).toContain(
      "The encryption keys of MCART_ENCRYPTION_KEYS do not read the backup's encrypted personal data (key id(s) k0, k1)",
    );
    expect(forced.stdout).toMatch(/Restored \d+ tables/);
  }, 120_000);

  it('refuses through the library call too, with the unreadable key ids', async () => {
    const target = await emptyDatabase();
    const refused = await restoreDatabase(target, file, {
      encryption: { cipher: new FieldCipher(`k1:${key(1)},k0:${key(3)}`), source: 'the test keys' },
    }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(EncryptionKeysMismatchError);
    expect((refused as EncryptionKeysMismatchError).keyIds).toEqual(['k0']);
    expect(await tableCount(target)).toBe(0);
  });
});
