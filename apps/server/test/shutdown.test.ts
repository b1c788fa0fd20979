import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { gracefulShutdown, SHUTDOWN_LIMIT_MS, type ShutdownSteps } from '../src/app.ts';
import { createTestDatabase } from './database.ts';
import { freePort } from './global-setup.ts';
import { startMainProcess } from './support/main-process.ts';

/*
 * Graceful shutdown (docs/operations.md): on SIGTERM an instance finishes its in-flight requests and exits 0,
 * within 25 s at most. A request in flight on a kept-alive connection used to keep the process for the
 * keep-alive timeout (72 s: Fastify closes only the connections idle when close() starts), and the 25 s guard
 * never fired without an embedded PostgreSQL (`embedded?.stop().finally(exit)` skipped the exit with it).
 */

const ADMIN = { email: 'shutdown@mcart.test', password: 'shutdown test password 123456' };
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The steps of a shutdown, recorded; `closeApp` and `stopDatabase` settle when the test says. */
function fakeSteps(options: { closeApp?: () => Promise<void>; stopDatabase?: () => Promise<void> } = {}) {
  const events: string[] = [];
  let exited: (code: number) => void = () => {};
  const exit = new Promise<number>((r) => (exited = r));
  const steps: ShutdownSteps = {
    closeApp: async (signal) => {
      events.push(`close ${signal}`);
      await options.closeApp?.();
      events.push('closed');
    },
    stopDatabase: options.stopDatabase
      ? async () => {
          events.push('stop database');
          await options.stopDatabase!();
        }
      : undefined,
    exit: (code) => {
      events.push(`exit ${code}`);
      exited(code);
    },
    log: (message) => events.push(`log ${message}`),
    limitMs: 200,
    stopDatabaseLimitMs: 200,
  };
  return { steps, events, exit };
}

const never = () => new Promise<void>(() => {});

describe('gracefulShutdown (the SIGTERM handler of main.ts)', () => {
  it('drains, stops the embedded PostgreSQL after the app, and exits 0', async () => {
    const { steps, events, exit } = fakeSteps({ stopDatabase: async () => {} });
    await gracefulShutdown(steps)('SIGTERM');
    expect(await exit).toBe(0);
    expect(events).toEqual(['close SIGTERM', 'closed', 'stop database', 'exit 0']);
  });

  it('exits 1 at the limit when the drain hangs, without an embedded PostgreSQL (DATABASE_URL)', async () => {
    const { steps, events, exit } = fakeSteps({ closeApp: never });
    const started = Date.now();
    void gracefulShutdown(steps)('SIGTERM');
    const code = await Promise.race([exit, sleep(3000).then(() => 'never exited')]);
    expect(code).toBe(1);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(events).toEqual(['close SIGTERM', 'log Shutdown took longer than 0.2 s; exiting.', 'exit 1']);
  });

  it('exits 1 at the limit with an embedded PostgreSQL, stopping it first, even when it does not stop', async () => {
    const stopping = fakeSteps({ closeApp: never, stopDatabase: async () => {} });
    void gracefulShutdown(stopping.steps)('SIGTERM');
    expect(await stopping.exit).toBe(1);
    expect(stopping.events.slice(-2)).toEqual(['stop database', 'exit 1']);

    const stuck = fakeSteps({ closeApp: never, stopDatabase: never });
    void gracefulShutdown(stuck.steps)('SIGTERM');
    expect(await Promise.race([stuck.exit, sleep(3000).then(() => 'never exited')])).toBe(1);
  });

  it('ignores a second signal during the drain; a failed close exits 1', async () => {
    let finish: () => void = () => {};
    const { steps, events, exit } = fakeSteps({
      closeApp: () => new Promise<void>((r) => (finish = r)),
    });
    const handler = gracefulShutdown({ ...steps, limitMs: 5000 });
    void handler('SIGINT');
    void handler('SIGTERM');
    finish();
    expect(await exit).toBe(0);
    expect(events).toEqual(['close SIGINT', 'closed', 'exit 0']);

    const failing = fakeSteps({
      closeApp: async () => {
        throw new Error('boom');
      },
      stopDatabase: async () => {},
    });
    await gracefulShutdown(failing.steps)('SIGTERM');
    expect(await failing.exit).toBe(1);
    expect(failing.events).toEqual(['close SIGTERM', 'log Error during shutdown', 'stop database', 'exit 1']);
  });

  it('has the documented limit', () => {
    expect(SHUTDOWN_LIMIT_MS).toBe(25_000);
  });
});

async function startServer(databaseUrl: string) {
  const port = await freePort();
  let stderr = '';
  const child = await startMainProcess({
    databaseUrl,
    port,
    dataDir: mkdtempSync(join(tmpdir(), 'mcart-shutdown-')),
    admin: ADMIN,
    stderr: 'pipe',
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  const login = await fetch(`${url}/api/admin/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  return { child, port, auth: `Bearer ${accessToken}`, stderr: () => stderr };
}

interface Answer {
  status: number;
  connection: string | undefined;
  reusedSocket: boolean;
  body: string;
}

/** A GET through `agent` (keep-alive), with whether it went over a connection an earlier request opened. */
function get(agent: http.Agent, port: number, path: string, auth: string): Promise<Answer> {
  return new Promise((done, fail) => {
    const request = http.get(
      { host: '127.0.0.1', port, path, agent, headers: { authorization: auth } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () =>
          done({
            status: res.statusCode!,
            connection: res.headers.connection,
            reusedSocket: request.reusedSocket,
            body,
          }),
        );
      },
    );
    request.on('error', fail);
  });
}

describe('SIGTERM with a request in flight on a kept-alive connection (external PostgreSQL)', () => {
  it('answers the request, ends its connection, and exits 0 within seconds', async () => {
    const database = await createTestDatabase();
    const server = await startServer(database.url);
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      // A kept-alive connection, as from a load balancer or any HTTP/1.1 client.
      const first = await get(agent, server.port, '/api/admin/orders', server.auth);
      expect([first.status, first.connection]).toEqual([200, 'keep-alive']);

      // The next request on it waits on a lock when SIGTERM comes.
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE product IN ACCESS EXCLUSIVE MODE');
      const inflight = get(agent, server.port, '/api/admin/products', server.auth);
      await expect
        .poll(
          async () =>
            (
              await holder.query<{ n: number }>(
                `SELECT count(*)::int AS n FROM pg_stat_activity
                  WHERE datname = current_database() AND application_name = 'mcart' AND wait_event_type = 'Lock'`,
              )
            ).rows[0]!.n,
          { timeout: 10_000, interval: 50 },
        )
        .toBe(1);

      const sentAt = Date.now();
      const exited = new Promise<{ code: number | null; afterMs: number }>((r) =>
        server.child.once('exit', (code) => r({ code, afterMs: Date.now() - sentAt })),
      );
      server.child.kill('SIGTERM');
      await sleep(1500);
      // Still draining: the request is not cut off, and no new connection is accepted.
      expect(server.child.exitCode).toBeNull();
      await expect(fetch(`http://127.0.0.1:${server.port}/health`)).rejects.toThrow();
      await holder.query('ROLLBACK');

      const answer = await inflight;
      expect(answer).toMatchObject({ status: 200, reusedSocket: true, connection: 'close' });
      expect(JSON.parse(answer.body)).toMatchObject({ data: [], total: 0 });

      const outcome = await Promise.race([
        exited,
        sleep(15_000).then(() => ({ code: 'still running', afterMs: Date.now() - sentAt })),
      ]);
      expect(outcome.code).toBe(0);
      expect(outcome.afterMs).toBeLessThan(10_000);
      expect(server.stderr()).not.toContain('Shutdown took longer');
    } finally {
      agent.destroy();
      await holder.query('ROLLBACK').catch(() => {});
      await holder.end();
      if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
      await sleep(300);
      await database.drop();
    }
  }, 180_000);
});
