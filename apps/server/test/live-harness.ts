import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { io as connect, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@mcart/api-client/events';
import { buildApp, type AppConfig } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { ensureSelfSignedCertificate } from '../src/platform/tls.ts';
import { StaffService } from '../src/modules/identity/staff.service.ts';
import type { Role } from '../src/modules/identity/permissions.ts';
import { buildTestApp, type TestApp } from './app.ts';

export type LiveClient = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface LiveInstance {
  app: FastifyInstance;
  /** https://127.0.0.1:<port> */
  url: string;
  close: () => Promise<void>;
}

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `https://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

/** The first instance: a fresh database of its own, served over HTTPS on loopback. */
export async function startLiveServer(
  env: Record<string, string> = {},
): Promise<LiveInstance & { testApp: TestApp }> {
  const testApp = await buildTestApp({ TLS: 'on', ...env });
  const url = await listen(testApp.app);
  return { app: testApp.app, url, testApp, close: testApp.close };
}

/**
 * Another instance on the same database, as a second server behind a load balancer would be: same
 * secrets, no migrations, its own outbox listener and sockets.
 */
export async function startInstanceOn(
  first: TestApp,
  env: Record<string, string> = {},
): Promise<LiveInstance> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mcart-test-data-'));
  const base = loadConfig({
    TLS: 'on',
    LOG_LEVEL: 'silent',
    MCART_SEED: 'off',
    MCART_JOBS: 'off',
    MCART_DATA_DIR: dataDir,
    NODE_ENV: 'test',
    ...env,
  });
  const config: AppConfig = {
    ...base,
    database: { ...base.database, url: first.databaseUrl, poolMax: 4 },
    secrets: first.config.secrets,
    migrate: false,
    tlsFiles: await ensureSelfSignedCertificate(dataDir),
  };
  const app = await buildApp(config);
  const url = await listen(app);
  return { app, url, close: () => app.close() };
}

export async function createStaff(
  app: FastifyInstance,
  role: Role,
  email = `${role}-${Math.random().toString(36).slice(2, 8)}@mcart.test`,
) {
  const password = 'a long enough test password';
  await new StaffService(app.orm.em.fork()).create({ email, password, role });
  return { email, password };
}

export async function login(app: FastifyInstance, credentials: { email: string; password: string }) {
  const response = await app.inject({ method: 'POST', url: '/api/admin/auth/login', payload: credentials });
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.statusCode} ${response.body}`);
  return response.json<{ accessToken: string; refreshToken: string; staff: { id: string } }>();
}

/** A socket.io client as the desktop app connects: WebSocket, staff token, self-signed certificate accepted. */
export function liveClient(
  url: string,
  token: string | undefined,
  options: { reconnection?: boolean } = {},
): LiveClient {
  return connect(url, {
    path: '/socket.io',
    transports: ['websocket'],
    auth: token === undefined ? {} : { token },
    rejectUnauthorized: false,
    reconnection: options.reconnection ?? false,
    forceNew: true,
  });
}

/** Resolves when connected; rejects with the server's refusal (connect_error). */
export function connected(socket: LiveClient): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve();
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });
}

export function subscribe(socket: LiveClient, resource: string, id?: string) {
  return socket.timeout(15_000).emitWithAck('subscribe', id === undefined ? { resource } : { resource, id });
}

/** Waits for the next server event of that name matching a predicate (bounded by a timeout). */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: LiveClient,
  event: E,
  matches: (...args: Parameters<ServerToClientEvents[E]>) => boolean = () => true,
  timeoutMs = 15_000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener as never);
      reject(new Error(`no ${String(event)} event within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (...args: Parameters<ServerToClientEvents[E]>) => {
      if (!matches(...args)) return;
      clearTimeout(timer);
      socket.off(event, listener as never);
      resolve(args[0]);
    };
    socket.on(event, listener as never);
  });
}
