import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../src/platform/embedded-postgres.ts';
import { freePort } from './global-setup.ts';

/*
 * The embedded default's PostgreSQL (npm start) across the starts a store sees in a year of running: after a
 * crash of the server, after a power loss, from a data folder copied by root.
 */
const dir = mkdtempSync(join(tmpdir(), 'mcart-embedded-'));
const running: EmbeddedPostgres[] = [];
afterAll(async () => {
  for (const database of running) await database.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function start(folder = dir): Promise<EmbeddedPostgres> {
  const database = await startEmbeddedPostgres({ dir: folder, port: await freePort() });
  running.push(database);
  return database;
}

async function answers(database: EmbeddedPostgres): Promise<boolean> {
  const client = new pg.Client({ connectionString: database.url() });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

const pidFile = join(dir, 'pgdata', 'postmaster.pid');
const isRoot = process.getuid?.() === 0;

describe('the embedded PostgreSQL', () => {
  it('stops the PostgreSQL a killed server left running before starting its own', async () => {
    const first = await start();
    expect(await answers(first)).toBe(true);
    // The server that started `first` was SIGKILLed: its postmaster still runs on the folder.
    const second = await start();
    expect(await answers(second)).toBe(true);
    expect(await answers(first)).toBe(false);
    await second.stop();
  }, 60_000);

  it('leaves alone an unrelated process whose pid a stale postmaster.pid names, and starts', async () => {
    // After a power loss the pid file survives, and its pid may belong to anything by now.
    const marker = join(dir, 'signalled');
    const unrelated = spawn(
      process.execPath,
      [
        '-e',
        `process.on('SIGINT', () => { require('fs').writeFileSync(${JSON.stringify(marker)}, 'SIGINT'); process.exit(130); });
         setInterval(() => {}, 1000);`,
      ],
      { stdio: 'ignore' },
    );
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      writeFileSync(pidFile, `${unrelated.pid}\n${join(dir, 'pgdata')}\n1700000000\n5432\n\n127.0.0.1\n`);
      if (isRoot) spawnSync('chown', ['postgres:postgres', pidFile]);
      const database = await start();
      expect(await answers(database)).toBe(true);
      expect(existsSync(marker)).toBe(false);
      expect(unrelated.exitCode).toBeNull();
      await database.stop();
    } finally {
      unrelated.kill('SIGKILL');
    }
  }, 60_000);

  it.skipIf(!isRoot)(
    'as root, starts from a data folder copied without its owners',
    async () => {
      const copy = mkdtempSync(join(tmpdir(), 'mcart-embedded-copy-'));
      try {
        // `cp -r` as root: every file of pgdata now belongs to root, which PostgreSQL (as postgres) cannot read.
        cpSync(dir, copy, { recursive: true });
        expect(statSync(join(copy, 'pgdata', 'PG_VERSION')).uid).toBe(0);
        const database = await start(copy);
        expect(await answers(database)).toBe(true);
        await database.stop();
      } finally {
        rmSync(copy, { recursive: true, force: true });
      }
    },
    60_000,
  );

  it.skipIf(!isRoot)(
    'as root, refuses a data folder the postgres user cannot reach, naming MCART_DATA_DIR',
    async () => {
      // A clone under /root (mode 0700) with the default ./.mcart.
      const home = mkdtempSync(join(tmpdir(), 'mcart-private-home-'));
      chmodSync(home, 0o700);
      try {
        mkdirSync(join(home, 'shop'));
        const attempt = start(join(home, 'shop', '.mcart'));
        await expect(attempt).rejects.toBeInstanceOf(ConfigError);
        await expect(attempt).rejects.toThrow(/MCART_DATA_DIR .*cannot enter .*mcart-private-home-/);
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    },
  );
});
