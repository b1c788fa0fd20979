import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from './database.ts';

const ROOT = resolve(import.meta.dirname, '../../..');

const freePort = () =>
  new Promise<number>((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => done(port));
    });
  });

/** `npm start` runs the bundle of scripts/build-server.mjs with plain node: build it and run it for real. */
describe('the server bundle', () => {
  it('builds, starts on a database, serves the store, the admin UI and files read beside modules, and stops on SIGTERM', async () => {
    const build = spawnSync(process.execPath, ['scripts/build-server.mjs'], { cwd: ROOT, encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);

    const database = await createTestDatabase();
    afterAll(() => database.drop());
    const port = await freePort();
    const child = spawn(process.execPath, ['apps/server/dist/bundle/main.mjs'], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'development',
        DATABASE_URL: database.url,
        HOST: '127.0.0.1',
        PORT: String(port),
        TLS: 'off',
        MCART_JOBS: 'off',
        MCART_SEED: 'on',
        MCART_DATA_DIR: mkdtempSync(join(tmpdir(), 'mcart-bundle-')),
        MCART_ADMIN_EMAIL: 'owner@mcart.test',
        MCART_ADMIN_PASSWORD: 'correct horse battery staple',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    try {
      const base = `http://127.0.0.1:${port}`;
      await expect
        .poll(async () => (await fetch(`${base}/ready`).catch(() => undefined))?.status, {
          timeout: 60_000,
          interval: 250,
        })
        .toBe(200);

      const products = await fetch(`${base}/api/store/products`);
      expect(products.status).toBe(200);
      expect(((await products.json()) as { total: number }).total).toBeGreaterThan(0);
      expect((await fetch(`${base}/admin/`)).status).toBe(200);
      // The common-password list is read from beside the module (copied next to the bundle).
      const weak = await fetch(`${base}/api/store/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          email: 'weak@example.com',
          password: 'password123',
          firstName: 'W',
          lastName: 'P',
        }),
      });
      expect(weak.status).toBe(400);
      expect(((await weak.json()) as { code: string }).code).toBe('MCART_ERR_WEAK_PASSWORD');
    } finally {
      child.kill('SIGTERM');
      expect(await exited, stderr).toBe(0);
    }
  }, 120_000);
});
