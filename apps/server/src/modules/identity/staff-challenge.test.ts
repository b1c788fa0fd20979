import { describe, expect, it } from 'vitest';
import { generate } from 'otplib';
import { staffToken, useTestApp } from '../../../test/app.ts';

/*
 * The second sign-in step's challenge (ADR 0031) is earned with a password: once that password is changed or reset,
 * the challenge opens nothing, as the member's sessions were ended (ADR 0064).
 */
const { app } = await useTestApp({ AUTH_ACCOUNT_LIMIT: '50', AUTH_IP_LIMIT: '1000' });
const owner = { authorization: await staffToken(app) };
let counter = 0;

/** The code of the 30-second step `offset` steps from now (the server accepts -1, 0 and +1, each step once). */
const codeAt = (secret: string, offset = 0) =>
  generate({ secret, epoch: Math.floor(Date.now() / 1000) + offset * 30 });

/** A support member with TOTP on: their credentials, secret, recovery codes and the profile's session. */
async function memberWithTotp() {
  const credentials = { email: `challenge${++counter}@mcart.test`, password: 'a challenge passphrase' };
  const created = await app.inject({
    method: 'POST',
    url: '/api/admin/staff',
    headers: owner,
    payload: { ...credentials, role: 'support', firstName: 'Cha', lastName: 'Llenge' },
  });
  expect(created.statusCode, created.body).toBe(201);
  const auth = { authorization: await staffToken(app, credentials) };
  const started = await app.inject({ method: 'POST', url: '/api/admin/profile/totp', headers: auth });
  const { secret } = started.json<{ secret: string }>();
  const confirmed = await app.inject({
    method: 'POST',
    url: '/api/admin/profile/totp/confirm',
    headers: auth,
    payload: { code: await codeAt(secret) },
  });
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  const { recoveryCodes } = confirmed.json<{ recoveryCodes: string[] }>();
  return { id: created.json<{ id: string }>().id, ...credentials, secret, recoveryCodes, auth };
}

const challengeOf = async ({ email, password }: { email: string; password: string }) => {
  const login = await app.inject({
    method: 'POST',
    url: '/api/admin/auth/login',
    payload: { email, password },
  });
  expect(login.statusCode, login.body).toBe(200);
  expect(login.json().next).toBe('totp');
  return login.json<{ challenge: string }>().challenge;
};

const answer = (challenge: string, code: string) =>
  app.inject({ method: 'POST', url: '/api/admin/auth/totp', payload: { challenge, code } });

describe('a sign-in challenge and the password it was earned with', () => {
  it('opens no session once an owner has reset the password (neither a TOTP code nor a recovery code)', async () => {
    const member = await memberWithTotp();
    const challenge = await challengeOf(member);
    const reset = await app.inject({
      method: 'POST',
      url: `/api/admin/staff/${member.id}/password-reset`,
      headers: owner,
    });
    expect(reset.statusCode, reset.body).toBe(200);

    // The next step's code: valid, and not spent by the enrollment (which spent this step's).
    const withCode = await answer(challenge, await codeAt(member.secret, 1));
    expect(withCode.statusCode, withCode.body).toBe(401);
    expect(withCode.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(withCode.json().code).toBe('MCART_ERR_INVALID_CHALLENGE');
    const withRecoveryCode = await answer(challenge, member.recoveryCodes[0]!);
    expect(withRecoveryCode.statusCode, withRecoveryCode.body).toBe(401);
    expect(withRecoveryCode.json().code).toBe('MCART_ERR_INVALID_CHALLENGE');

    // Whoever holds the new password signs in as usual (the refused code was not spent, nor the recovery code).
    const fresh = await challengeOf({
      email: member.email,
      password: reset.json<{ temporaryPassword: string }>().temporaryPassword,
    });
    const signedIn = await answer(fresh, await codeAt(member.secret, 1));
    expect(signedIn.statusCode, signedIn.body).toBe(200);
    expect(signedIn.json().passwordChangeRequired).toBe(true);
  });

  it('opens no session once the member has changed their password', async () => {
    const member = await memberWithTotp();
    const challenge = await challengeOf(member);
    const changed = await app.inject({
      method: 'POST',
      url: '/api/admin/auth/password',
      headers: member.auth,
      payload: { currentPassword: member.password, newPassword: 'another challenge passphrase' },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    const refused = await answer(challenge, member.recoveryCodes[1]!);
    expect(refused.statusCode, refused.body).toBe(401);
    expect(refused.json().code).toBe('MCART_ERR_INVALID_CHALLENGE');
  });

  it('still signs in with a challenge whose password stands', async () => {
    const member = await memberWithTotp();
    const signedIn = await answer(await challengeOf(member), member.recoveryCodes[2]!);
    expect(signedIn.statusCode, signedIn.body).toBe(200);
    expect(signedIn.json().recoveryCodesRemaining).toBe(9);
  });
});
