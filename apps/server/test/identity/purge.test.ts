import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { useTestApp } from '../app.ts';
import { queuedMail, registerCustomer, resetMailTo, sqlRows, tokenFrom } from './helpers.ts';
import { purgeExpiredIdentityRows } from '../../src/modules/identity/purge.ts';

const { app, databaseUrl } = await useTestApp();

const sql = <T extends pg.QueryResultRow>(text: string, values: unknown[] = []) =>
  sqlRows<T>(databaseUrl, text, values);

const count = async (table: string, where: string, values: unknown[]) =>
  Number((await sql<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE ${where}`, values))[0]!.n);

const refresh = (refreshToken: string) =>
  app.inject({ method: 'POST', url: '/api/store/auth/refresh', payload: { refreshToken } });

async function requestReset(email: string) {
  const already = (await queuedMail(app, databaseUrl)).filter(
    (m) => m.to === email && m.template === 'password-reset',
  ).length;
  const response = await app.inject({
    method: 'POST',
    url: '/api/store/auth/password-reset',
    payload: { email },
  });
  expect(response.statusCode).toBe(202);
  const mail = await resetMailTo(app, databaseUrl, email, already + 1);
  return tokenFrom(mail.at(-1)!.data.resetUrl);
}

describe('identity purge job', () => {
  it('deletes expired OAuth states, spent or expired account tokens and long-finished session families only', async () => {
    // Sessions: a living family with a spent token, one finished long ago, one finished recently.
    const living = await registerCustomer(app);
    const rotated = await refresh(living.refreshToken);
    expect(rotated.statusCode).toBe(200);
    const oldFinished = await registerCustomer(app);
    await app.inject({
      method: 'POST',
      url: '/api/store/auth/logout',
      payload: { refreshToken: oldFinished.refreshToken },
    });
    await sql(`UPDATE auth_session SET revoked_at = now() - interval '40 days' WHERE subject_id = $1`, [
      oldFinished.id,
    ]);
    const oldExpired = await registerCustomer(app);
    await sql(`UPDATE auth_session SET expires_at = now() - interval '31 days' WHERE subject_id = $1`, [
      oldExpired.id,
    ]);
    const recentlyExpired = await registerCustomer(app);
    await sql(`UPDATE auth_session SET expires_at = now() - interval '2 days' WHERE subject_id = $1`, [
      recentlyExpired.id,
    ]);

    // Account tokens: one spent, one expired, one still usable.
    const spentToken = await requestReset(living.email);
    const confirm = await app.inject({
      method: 'POST',
      url: '/api/store/auth/password-reset/confirm',
      payload: { token: spentToken, password: 'a brand new passphrase' },
    });
    expect(confirm.statusCode).toBe(204);
    await requestReset(oldExpired.email);
    await sql(
      `UPDATE account_token SET expires_at = now() - interval '1 minute' WHERE customer_id = $1 AND purpose = 'password_reset'`,
      [oldExpired.id],
    );
    const usable = await requestReset(recentlyExpired.email);

    // OAuth states: one past its 10 minutes, one current; an old rate-limit window.
    const stateRow = (hash: string, expires: string) =>
      sql(
        `INSERT INTO oauth_state (id, created_at, updated_at, state_hash, provider, code_verifier, nonce, purpose, expires_at)
         VALUES ($1, now(), now(), $2, 'oidc', 'sealed', 'nonce', 'login', now() + $3::interval)`,
        [randomUUID(), hash, expires],
      );
    await stateRow('a'.repeat(64), '-1 minute');
    await stateRow('b'.repeat(64), '9 minutes');
    await sql(
      `INSERT INTO auth_attempt_counter (key, window_start, hits) VALUES ($1, now() - interval '2 days', 3)`,
      ['c'.repeat(64)],
    );

    const livingRowsBefore = await count('auth_session', 'subject_id = $1', [living.id]);
    const result = await purgeExpiredIdentityRows(app.orm.em.fork());
    expect(result.oauthStates).toBeGreaterThanOrEqual(1);
    expect(result.accountTokens).toBeGreaterThanOrEqual(2);
    expect(result.sessionTokens).toBeGreaterThanOrEqual(2);
    expect(result.attemptCounters).toBeGreaterThanOrEqual(1);

    expect(await count('oauth_state', 'state_hash = $1', ['a'.repeat(64)])).toBe(0);
    expect(await count('oauth_state', 'state_hash = $1', ['b'.repeat(64)])).toBe(1);
    // Registration's e-mail verification tokens are unused and current: kept.
    expect(
      await count('account_token', `customer_id = $1 AND purpose = 'email_verification'`, [living.id]),
    ).toBe(1);
    expect(await count('auth_attempt_counter', 'key = $1', ['c'.repeat(64)])).toBe(0);
    expect(await count('account_token', `customer_id = $1 AND purpose = 'password_reset'`, [living.id])).toBe(
      0,
    );
    expect(
      await count('account_token', `customer_id = $1 AND purpose = 'password_reset'`, [oldExpired.id]),
    ).toBe(0);
    expect(
      await count('account_token', `customer_id = $1 AND purpose = 'password_reset'`, [recentlyExpired.id]),
    ).toBe(1);
    // The password reset ended the living family: revoked now, so kept for the retention period, spent token included.
    expect(await count('auth_session', 'subject_id = $1', [living.id])).toBe(livingRowsBefore);
    expect(livingRowsBefore).toBe(2);
    expect(await count('auth_session', 'subject_id = $1', [oldFinished.id])).toBe(0);
    expect(await count('auth_session', 'subject_id = $1', [oldExpired.id])).toBe(0);
    expect(await count('auth_session', 'subject_id = $1', [recentlyExpired.id])).toBe(1);

    // What was kept still works: the usable reset token resets.
    const reset = await app.inject({
      method: 'POST',
      url: '/api/store/auth/password-reset/confirm',
      payload: { token: usable, password: 'another brand new passphrase' },
    });
    expect(reset.statusCode).toBe(204);
  });

  it('keeps the spent tokens of a living family, so a replay still revokes it after a purge', async () => {
    const customer = await registerCustomer(app);
    const first = await refresh(customer.refreshToken);
    const next = first.json<{ refreshToken: string }>().refreshToken;
    await purgeExpiredIdentityRows(app.orm.em.fork());
    const replay = await refresh(customer.refreshToken);
    expect(replay.statusCode).toBe(401);
    // The replay revoked the family: the newest token is dead too.
    expect((await refresh(next)).statusCode).toBe(401);
  });
});
