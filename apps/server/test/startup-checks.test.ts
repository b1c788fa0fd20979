import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { freePort, withDatabase } from './global-setup.ts';
import { createStorage } from '../src/platform/backup/storage.ts';
import {
  checkDatabase,
  checkTlsFiles,
  checkWritableFolder,
  isSettingMistake,
  listenProblem,
  StartupError,
} from '../src/platform/startup-checks.ts';
import { ensureSelfSignedCertificate } from '../src/platform/tls.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const adminUrl = inject('adminDatabaseUrl');
const scratch = () => mkdtempSync(join(tmpdir(), 'mcart-start-check-'));

async function databaseExists(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return rows.length > 0;
  } finally {
    await client.end();
  }
}

/** `apps/server/src/main.ts` as an operator starts it; what it printed on stderr. */
function start(env: Record<string, string>) {
  const { DATABASE_URL: _url, DATABASE_READ_URL: _read, ...inherited } = process.env;
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      ...inherited,
      NODE_ENV: 'development',
      TLS: 'off',
      HOST: '127.0.0.1',
      PORT: '1',
      LOG_LEVEL: 'warn',
      MCART_SEED: 'off',
      MCART_JOBS: 'off',
      MCART_DATA_DIR: scratch(),
      ...env,
    },
  });
  return { status: result.status, said: result.stderr.trim() };
}

const oneLine = (said: string) => expect(said.split('\n')).toHaveLength(1);

describe('a start with a wrong setting stops with one line naming the variable', () => {
  it('refuses a DATABASE_URL naming a database that does not exist, and does not create it', async () => {
    const name = `mcart_missing_${randomBytes(4).toString('hex')}`;
    const { status, said } = start({ DATABASE_URL: withDatabase(adminUrl, name) });
    expect(status).toBe(1);
    oneLine(said);
    expect(said).toMatch(
      /^MCart cannot start: DATABASE_URL names the database "mcart_missing_\w+", which does not exist/,
    );
    // MikroORM's migrator used to create it: a misspelt name started a new, empty store (with a new owner).
    expect(await databaseExists(name)).toBe(false);
  }, 70_000);

  it('refuses TLS files that do not belong together, before touching the database', async () => {
    const [a, b] = [
      await ensureSelfSignedCertificate(scratch()),
      await ensureSelfSignedCertificate(scratch()),
    ];
    const { status, said } = start({
      TLS: 'on',
      TLS_CERT_FILE: a.certFile,
      TLS_KEY_FILE: b.keyFile,
      DATABASE_URL: withDatabase(adminUrl, 'postgres'),
    });
    expect(status).toBe(1);
    oneLine(said);
    expect(said).toContain('MCart cannot start: TLS_KEY_FILE');
    expect(said).toContain('is not the private key of the certificate in TLS_CERT_FILE');
  }, 70_000);

  it('refuses a BACKUP_DIR that is a file', () => {
    const file = join(scratch(), 'backups');
    writeFileSync(file, '');
    const { status, said } = start({ BACKUP_DIR: file, DATABASE_URL: withDatabase(adminUrl, 'postgres') });
    expect(status).toBe(1);
    oneLine(said);
    expect(said).toBe(
      `MCart cannot start: BACKUP_DIR (${file}) is not a folder: a file of that name is in the way`,
    );
  }, 70_000);
});

describe('startup checks', () => {
  it('names the database problem: nothing listening, a missing database, an unknown user', async () => {
    const closed = await freePort();
    const url = new URL(adminUrl);
    url.port = String(closed);
    url.hostname = '127.0.0.1';
    await expect(checkDatabase('DATABASE_URL', url.toString(), 2000)).rejects.toThrow(
      `DATABASE_URL points at 127.0.0.1:${closed}, where nothing accepts connections`,
    );
    await expect(checkDatabase('DATABASE_READ_URL', withDatabase(adminUrl, 'mcart_nope_x1'))).rejects.toThrow(
      /^DATABASE_READ_URL names the database "mcart_nope_x1", which does not exist/,
    );
    const stranger = new URL(adminUrl);
    stranger.username = 'mcart_no_such_role';
    stranger.password = 'wrong';
    await expect(checkDatabase('DATABASE_URL', stranger.toString())).rejects.toThrow(
      /^DATABASE_URL is refused by PostgreSQL at .*Check the user name and password/,
    );
    await expect(checkDatabase('DATABASE_URL', adminUrl)).resolves.toBeUndefined();
    // A wrong setting, not a server down for now: only the first stops a start without its read replica.
    expect(
      isSettingMistake(await checkDatabase('DATABASE_URL', stranger.toString()).catch((e: unknown) => e)),
    ).toBe(true);
    expect(
      isSettingMistake(
        await checkDatabase('DATABASE_READ_URL', url.toString(), 2000).catch((e: unknown) => e),
      ),
    ).toBe(false);
  });

  it('reads and matches the TLS files', async () => {
    const dir = scratch();
    const pair = await ensureSelfSignedCertificate(dir);
    await expect(checkTlsFiles(pair.certFile, pair.keyFile)).resolves.toBeUndefined();
    await expect(checkTlsFiles(join(dir, 'none.crt'), pair.keyFile)).rejects.toThrow(
      `TLS_CERT_FILE (${join(dir, 'none.crt')}) cannot be read: there is no such file`,
    );
    await expect(checkTlsFiles(pair.certFile, dir)).rejects.toThrow('TLS_KEY_FILE');
    await expect(checkTlsFiles(pair.keyFile, pair.keyFile)).rejects.toThrow(
      /^TLS_CERT_FILE .* is not a PEM certificate/,
    );
    await expect(checkTlsFiles(pair.certFile, pair.certFile)).rejects.toThrow(
      /^TLS_KEY_FILE .* is not an unencrypted PEM private key/,
    );
    const inThreeYears = new Date(Date.now() + 3 * 365 * 86_400_000);
    await expect(checkTlsFiles(pair.certFile, pair.keyFile, inThreeYears)).rejects.toThrow(
      /^TLS_CERT_FILE .* expired on/,
    );
  });

  it('creates a missing folder and refuses a file in the way, naming the variable', async () => {
    const dir = scratch();
    await expect(checkWritableFolder('MEDIA_DIR', join(dir, 'a', 'b'))).resolves.toBeUndefined();
    writeFileSync(join(dir, 'f'), '');
    await expect(checkWritableFolder('MEDIA_DIR', join(dir, 'f', 'x'))).rejects.toThrow(/^MEDIA_DIR /);
    // The backup CLI and the server's backup module: a StartupError naming BACKUP_DIR, not a raw EEXIST.
    await expect(
      createStorage({ cron: null, dir: join(dir, 'f'), keepDaily: 1, keepWeekly: 0, s3: undefined }),
    ).rejects.toThrow(
      new StartupError(
        'BACKUP_DIR',
        `(${join(dir, 'f')}) is not a folder: a file of that name is in the way`,
      ),
    );
  });

  it('names PORT or METRICS_PORT when the port is taken', async () => {
    const busy = createServer();
    await new Promise<void>((done) => busy.listen(0, '127.0.0.1', done));
    const port = (busy.address() as { port: number }).port;
    const second = createServer();
    const err = await new Promise<unknown>((done) => {
      second.once('error', done);
      second.listen(port, '127.0.0.1');
    });
    busy.close();
    expect(listenProblem(err, { port })?.message).toBe(
      `PORT ${port} is already in use on 127.0.0.1 (another MCart, or another program): stop it or choose another port`,
    );
    expect(listenProblem(err, { port: 8443, metricsPort: port })?.message).toMatch(/^METRICS_PORT /);
    expect(listenProblem(new Error('other'), { port })).toBeUndefined();
  });
});
