import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from './global-setup.ts';

const ROOT = resolve(import.meta.dirname, '../../..');

/** `npm run backup` / `restore` / `verify-backup` as typed, against a database nothing listens on. */
async function cli(args: string[], env: Record<string, string> = {}) {
  const { MCART_ENCRYPTION_KEYS: _keys, ...inherited } = process.env;
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'apps/server/src/cli.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      ...inherited,
      NODE_ENV: 'development',
      DATABASE_URL: `postgres://postgres@127.0.0.1:${await freePort()}/postgres`,
      MCART_DATA_DIR: mkdtempSync(join(tmpdir(), 'mcart-cli-args-')),
      INIT_CWD: ROOT,
      ...env,
    },
  });
  return { status: result.status, said: result.stderr.trim() };
}

describe('the operator commands refuse a command line they do not understand, before doing anything', () => {
  it('refuses an unknown option or an extra argument with the usage (exit 2)', async () => {
    const backupDir = mkdtempSync(join(tmpdir(), 'mcart-cli-args-backups-'));
    for (const [args, problem] of [
      // Used to take a backup into BACKUP_DIR: the folder typed was ignored.
      [['backup', '/mnt/usb'], 'backup takes no argument, got "/mnt/usb". Nothing was done.'],
      [['backup', '--force'], 'backup does not know the option --force. Nothing was done.'],
      // Used to be taken for the file name ("No backup file at .../--ignore-encryption-key").
      [
        ['restore', '--ignore-encryption-key', 'store.mcart.gz'],
        'restore does not know the option --ignore-encryption-key (it takes --ignore-encryption-keys). Nothing was done.',
      ],
      [
        ['verify', 'a.mcart.gz', 'b.mcart.gz'],
        'verify takes one argument, got "a.mcart.gz" "b.mcart.gz". Nothing was done.',
      ],
    ] as const) {
      const { status, said } = await cli([...args], { BACKUP_DIR: backupDir });
      expect(status, args.join(' ')).toBe(2);
      expect(said.split('\n')[0]).toBe(problem);
      expect(said).toContain('Usage:');
    }
    expect(readdirSync(backupDir)).toEqual([]);
  }, 120_000);

  it('names BACKUP_DIR when it cannot be used', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mcart-cli-args-')), 'backups');
    writeFileSync(file, '');
    const { status, said } = await cli(['backup'], { BACKUP_DIR: file });
    expect(status).toBe(1);
    expect(said.split('\n').pop()).toBe(
      `Failed: BACKUP_DIR (${file}) is not a folder: a file of that name is in the way`,
    );
  }, 60_000);
});
