import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { expect } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../../..');

/**
 * The real server process (`apps/server/src/main.ts` under tsx) on 127.0.0.1:`port`, plain HTTP, no seed and no
 * jobs unless `env` says otherwise, the given owner account; resolves once `/ready` answers 200. For tests that
 * kill or signal the process itself (crash, shutdown).
 */
export async function startMainProcess(options: {
  databaseUrl: string;
  port: number;
  dataDir: string;
  admin: { email: string; password: string };
  env?: Record<string, string>;
  stderr?: 'inherit' | 'pipe';
}): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      PORT: String(options.port),
      HOST: '127.0.0.1',
      TLS: 'off',
      LOG_LEVEL: 'warn',
      MCART_SEED: 'off',
      MCART_JOBS: 'off',
      MCART_DATA_DIR: options.dataDir,
      JWT_SECRET: 'main-process-test-secret-that-is-long-enough-0123456789',
      MCART_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 5).toString('base64')}`,
      MCART_ADMIN_EMAIL: options.admin.email,
      MCART_ADMIN_PASSWORD: options.admin.password,
      NODE_ENV: 'development',
      ...options.env,
    },
    stdio: ['ignore', 'ignore', options.stderr ?? 'inherit'],
  });
  let exited = false;
  child.once('exit', () => (exited = true));
  try {
    await expect
      .poll(
        async () => {
          if (exited) throw new Error('the server process exited before it was ready');
          return (await fetch(`http://127.0.0.1:${options.port}/ready`).catch(() => undefined))?.status;
        },
        { timeout: 90_000, interval: 250 },
      )
      .toBe(200);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return child;
}
