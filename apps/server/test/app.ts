import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { buildApp, type AppConfig } from '../src/app.ts';
import { createTestDatabase } from './database.ts';
import { ensureSelfSignedCertificate } from '../src/platform/tls.ts';

export const TEST_OWNER = { email: 'owner@mcart.test', password: 'correct horse battery staple' };

export interface TestApp {
  app: FastifyInstance;
  config: AppConfig;
  databaseUrl: string;
  close: () => Promise<void>;
}

/** The configuration tests build apps with: like the environment would give, on the given database. */
export async function testConfig(
  databaseUrl: string,
  env: Record<string, string> = {},
  overrides: Partial<AppConfig> = {},
): Promise<AppConfig> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mcart-test-data-'));
  const base = loadConfig({
    TLS: 'off',
    LOG_LEVEL: 'silent',
    MCART_SEED: 'off',
    MCART_JOBS: 'off',
    MCART_DATA_DIR: dataDir,
    MCART_ADMIN_EMAIL: TEST_OWNER.email,
    MCART_ADMIN_PASSWORD: TEST_OWNER.password,
    NODE_ENV: 'test',
    ...env,
  });
  return {
    ...base,
    // Four connections; a pool wait of up to 15 s unless a test sets it: three test files on two cores keep a
    // checkout burst waiting longer than production's default would (test/pool-exhaustion.test.ts tests that).
    database: {
      ...base.database,
      url: databaseUrl,
      poolMax: 4,
      acquireTimeoutMs: env.DATABASE_ACQUIRE_TIMEOUT_MS ? base.database.acquireTimeoutMs : 15_000,
    },
    secrets: {
      jwt: 'test-secret-that-is-long-enough-0123456789',
      encryptionKeys: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
    },
    migrate: false,
    ...(base.tls.enabled ? { tlsFiles: await ensureSelfSignedCertificate(dataDir) } : {}),
    ...overrides,
  };
}

/**
 * The real app, built by the same buildApp as main.ts, on a database of its own. `env` overrides
 * configuration the way the environment would.
 */
export async function buildTestApp(
  env: Record<string, string> = {},
  overrides: Partial<AppConfig> = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = await testConfig(database.url, env, overrides);
  const app = await buildApp(config);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await app.close();
    await database.drop();
  };
  return { app, config, databaseUrl: database.url, close };
}

/** buildTestApp for a whole file: closed (and its database dropped) after the file's tests. */
export async function useTestApp(env: Record<string, string> = {}, overrides: Partial<AppConfig> = {}) {
  const testApp = await buildTestApp(env, overrides);
  afterAll(() => testApp.close());
  return testApp;
}

/** Signs in through the real login route and returns an Authorization header value. */
export async function staffToken(app: FastifyInstance, credentials = TEST_OWNER): Promise<string> {
  const response = await app.inject({ method: 'POST', url: '/api/admin/auth/login', payload: credentials });
  if (response.statusCode !== 200)
    throw new Error(`staff login failed: ${response.statusCode} ${response.body}`);
  return `Bearer ${response.json<{ accessToken: string }>().accessToken}`;
}
