import pg from 'pg';
import { expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { OutgoingMessage } from '../../src/modules/identity/mail.ts';

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
