import pg from 'pg';
import { expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { OutgoingMessage } from '../../src/modules/identity/mail.ts';
import { loadConfig } from '../../src/config.ts';
import { SessionsService } from '../../src/modules/identity/sessions.service.ts';
import type { SubjectKind } from '../../src/modules/identity/session.entity.ts';

let counter = 0;

/** A unique, valid registration body. */
export const newCustomer = (overrides: Record<string, string> = {}) => ({
  email: `shopper${Date.now()}${++counter}@example.test`,
  password: 'violet kettle on the moon',
  firstName: 'Ada',
  lastName: 'Lovelace',
  ...overrides,
});

export interface SignedIn {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  auth: { authorization: string };
}

export async function registerCustomer(
  app: FastifyInstance,
  overrides: Record<string, string> = {},
): Promise<SignedIn> {
  const body = newCustomer(overrides);
  const response = await app.inject({ method: 'POST', url: '/api/store/auth/register', payload: body });
  if (response.statusCode !== 201)
    throw new Error(`register failed: ${response.statusCode} ${response.body}`);
  const json = response.json();
  return {
    id: json.customer.id,
    email: body.email,
    password: body.password,
    accessToken: json.accessToken,
    refreshToken: json.refreshToken,
    auth: { authorization: `Bearer ${json.accessToken}` },
  };
}

/** The customer erases their own account (`DELETE /api/store/me` with their password): the raw answer. */
export const eraseSelf = (app: FastifyInstance, customer: SignedIn) =>
  app.inject({
    method: 'DELETE',
    url: '/api/store/me',
    headers: customer.auth,
    payload: { password: customer.password },
  });

/** The e-mails the notifications module has queued so far (envelopes unsealed), oldest first. */
export async function queuedMail(app: FastifyInstance, databaseUrl: string): Promise<OutgoingMessage[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const rows = await client.query<{ template: string; envelope: string }>(
      'SELECT template, envelope FROM outgoing_mail ORDER BY created_at, id',
    );
    return rows.rows.map((row) => ({
      template: row.template as OutgoingMessage['template'],
      ...app.cipher.decryptJson<{ to: string; data: Record<string, string> }>(row.envelope),
    }));
  } finally {
    await client.end();
  }
}

export const tokenFrom = (url: string | undefined): string =>
  new URL(url ?? 'http://x/').searchParams.get('token') ?? '';

/**
 * The password-reset e-mails sent to `to`, once there are `count` of them: the reset is answered 202 before its
 * e-mail is written (the time to answer must not tell which addresses have accounts).
 */
export async function resetMailTo(
  app: FastifyInstance,
  databaseUrl: string,
  to: string,
  count = 1,
): Promise<OutgoingMessage[]> {
  const sent = async () =>
    (await queuedMail(app, databaseUrl)).filter((m) => m.to === to && m.template === 'password-reset');
  await expect
    .poll(async () => (await sent()).length, { timeout: 5_000, interval: 50 })
    .toBeGreaterThanOrEqual(count);
  return sent();
}

/** The customer proves their mailbox: the verification link e-mailed at registration, followed. */
export async function verifyEmailOf(
  app: FastifyInstance,
  databaseUrl: string,
  customer: { email: string },
): Promise<void> {
  const sent = (await queuedMail(app, databaseUrl)).filter(
    (m) => m.to === customer.email && m.template === 'verify-email',
  );
  const response = await app.inject({
    method: 'POST',
    url: '/api/store/auth/verify-email',
    payload: { token: tokenFrom(sent.at(-1)?.data.verifyUrl) },
  });
  if (response.statusCode !== 204)
    throw new Error(`verify-email failed: ${response.statusCode} ${response.body}`);
}

/** Runs SQL on its own connection (what the app wrote, or a state the API cannot produce). */
export async function sqlRows<T extends pg.QueryResultRow>(
  databaseUrl: string,
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

export interface RefreshInFlight {
  /** The successor token the held refresh wrote (it works once `release` has committed it, unless revoked). */
  refreshToken: string;
  /** Commits the refresh; `done` settles then. */
  release: () => void;
  done: Promise<void>;
}

/**
 * A refresh of `refreshToken` held in flight: SessionsService.rotate, the real code, has spent the token and
 * written its successor in a transaction that has not committed yet (the spent row stays locked until it does).
 */
export async function refreshInFlight(
  app: FastifyInstance,
  kind: SubjectKind,
  refreshToken: string,
  lifetimes = loadConfig({ NODE_ENV: 'test' }).auth.sessionMaxSeconds,
): Promise<RefreshInFlight> {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let rotated!: (token: string) => void;
  const successor = new Promise<string>((resolve) => (rotated = resolve));
  const done = (app.orm.em.fork() as EntityManager).transactional(async (tx) => {
    const sessions = new SessionsService(tx, lifetimes);
    rotated((await sessions.rotate(kind, refreshToken, {})).refreshToken);
    await gate;
  });
  // A rotation that fails never reaches the gate: its error, not a wait forever.
  return { refreshToken: await Promise.race([successor, done.then(() => '')]), release, done };
}

/** Whether, within 2 s, a statement on `auth_session` of this database waits on a row lock. */
export async function someoneWaitsOnASessionLock(databaseUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (let i = 0; i < 100; i++) {
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%auth_session%'
            AND pid <> pg_backend_pid()`,
      );
      if (rows[0]!.n > 0) return true;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return false;
  } finally {
    await client.end();
  }
}
