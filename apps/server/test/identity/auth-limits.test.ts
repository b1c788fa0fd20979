import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../app.ts';
import { newCustomer, queuedMail, tokenFrom } from './helpers.ts';

/*
 * The social sign-in steps and the e-mail verification links count against the PostgreSQL-backed limits of the
 * password sign-in: AUTH_IP_LIMIT per client IP (and AUTH_ACCOUNT_LIMIT per account for the resend). Three
 * here, each test from addresses of its own.
 */
const { app, databaseUrl } = await useTestApp({ AUTH_IP_LIMIT: '3', AUTH_ACCOUNT_LIMIT: '3' });
const RETURN_URL = 'http://shop.test/after-sign-in';
const { app: withReturnUrl } = await useTestApp({
  AUTH_IP_LIMIT: '3',
  PUBLIC_URL: 'http://localhost:8443',
  OAUTH_RETURN_URL: RETURN_URL,
});

function expectRateLimited(response: LightMyRequestResponse) {
  expect(response.statusCode, response.body).toBe(429);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.json().code).toBe('MCART_ERR_RATE_LIMITED');
  expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
}

/** `times` requests from `ip`: their statuses, and the last answer. */
async function hammer(times: number, ip: string, request: InjectOptions) {
  const statuses: number[] = [];
  let last: LightMyRequestResponse | undefined;
  for (let i = 0; i < times; i++) {
    last = await app.inject({ ...request, remoteAddress: ip });
    statuses.push(last.statusCode);
  }
  return { statuses, last: last! };
}

async function register(ip: string) {
  const body = newCustomer();
  const response = await app.inject({
    method: 'POST',
    url: '/api/store/auth/register',
    remoteAddress: ip,
    payload: body,
  });
  expect(response.statusCode, response.body).toBe(201);
  return { email: body.email, auth: { authorization: `Bearer ${response.json().accessToken}` } };
}

describe('social sign-in limits per client IP', () => {
  it('limits starts: 429 with Retry-After past the limit, other addresses unaffected', async () => {
    const { statuses, last } = await hammer(4, '203.0.113.10', { url: '/api/store/auth/oauth/oidc' });
    // No provider is configured here: each start is a 404, and still counts.
    expect(statuses).toEqual([404, 404, 404, 429]);
    expectRateLimited(last);
    const elsewhere = await app.inject({ url: '/api/store/auth/oauth/oidc', remoteAddress: '203.0.113.11' });
    expect(elsewhere.statusCode).toBe(404);
  });

  it('limits callbacks', async () => {
    const { statuses, last } = await hammer(4, '203.0.113.20', {
      url: '/api/store/auth/oauth/oidc/callback?code=abc&state=def',
    });
    expect(statuses).toEqual([404, 404, 404, 429]);
    expectRateLimited(last);
  });

  it('limits hand-over code exchanges (guesses at one-time codes)', async () => {
    const { statuses, last } = await hammer(4, '203.0.113.30', {
      method: 'POST',
      url: '/api/store/auth/oauth/exchange',
      payload: { code: 'a-guessed-hand-over-code' },
    });
    expect(statuses).toEqual([400, 400, 400, 429]);
    expectRateLimited(last);
  });

  it('with OAUTH_RETURN_URL, sends the browser back to the shop with ?error=MCART_ERR_RATE_LIMITED', async () => {
    const answers: LightMyRequestResponse[] = [];
    for (let i = 0; i < 4; i++)
      answers.push(
        await withReturnUrl.inject({ url: '/api/store/auth/oauth/oidc', remoteAddress: '203.0.113.40' }),
      );
    expect(answers.map((a) => a.statusCode)).toEqual([302, 302, 302, 302]);
    expect(answers[2]!.headers.location).toBe(`${RETURN_URL}?error=MCART_ERR_UNKNOWN_PROVIDER`);
    expect(answers[3]!.headers.location).toBe(`${RETURN_URL}?error=MCART_ERR_RATE_LIMITED`);
  });
});

describe('e-mail verification limits', () => {
  it('limits confirmations per client IP: even a good link waits there, and works from elsewhere', async () => {
    const customer = await register('203.0.113.50');
    const { statuses } = await hammer(3, '203.0.113.51', {
      method: 'POST',
      url: '/api/store/auth/verify-email',
      payload: { token: 'a-guessed-verification-token' },
    });
    expect(statuses).toEqual([400, 400, 400]);
    const sent = (await queuedMail(app, databaseUrl)).filter(
      (m) => m.to === customer.email && m.template === 'verify-email',
    );
    const token = tokenFrom(sent.at(-1)?.data.verifyUrl);
    const confirm = (ip: string) =>
      app.inject({
        method: 'POST',
        url: '/api/store/auth/verify-email',
        remoteAddress: ip,
        payload: { token },
      });
    expectRateLimited(await confirm('203.0.113.51'));
    expect((await confirm('203.0.113.52')).statusCode).toBe(204);
  });

  it('limits resends per account', async () => {
    const customer = await register('203.0.113.60');
    const statuses: number[] = [];
    let last: LightMyRequestResponse | undefined;
    // From a new address each time: the account's own limit answers.
    for (let i = 0; i < 4; i++) {
      last = await app.inject({
        method: 'POST',
        url: '/api/store/me/verify-email',
        headers: customer.auth,
        remoteAddress: `203.0.113.${61 + i}`,
      });
      statuses.push(last.statusCode);
    }
    expect(statuses).toEqual([202, 202, 202, 429]);
    expectRateLimited(last!);
  });

  it('limits resends per client IP, across accounts', async () => {
    const first = await register('203.0.113.70');
    const second = await register('203.0.113.71');
    const resend = (auth: { authorization: string }) =>
      app.inject({
        method: 'POST',
        url: '/api/store/me/verify-email',
        headers: auth,
        remoteAddress: '203.0.113.72',
      });
    expect((await resend(first.auth)).statusCode).toBe(202);
    expect((await resend(first.auth)).statusCode).toBe(202);
    expect((await resend(second.auth)).statusCode).toBe(202);
    // The second account has asked once only; the address has asked three times.
    expectRateLimited(await resend(second.auth));
  });
});

describe('account linking limits (POST /api/store/me/identities/{provider} and .../confirm)', () => {
  const link = (step: 'start' | 'confirm', auth: { authorization: string }, ip: string) =>
    app.inject({
      method: 'POST',
      url: step === 'start' ? '/api/store/me/identities/oidc' : '/api/store/me/identities/oidc/confirm',
      headers: auth,
      remoteAddress: ip,
      ...(step === 'confirm' ? { payload: { code: 'a-guessed-link-code' } } : {}),
    });

  for (const step of ['start', 'confirm'] as const) {
    it(`limits ${step}s per account, whatever the client IP`, async () => {
      const customer = await register(`198.51.100.${step === 'start' ? 10 : 20}`);
      const statuses: number[] = [];
      let last: LightMyRequestResponse | undefined;
      for (let i = 0; i < 4; i++) {
        last = await link(step, customer.auth, `198.51.100.${(step === 'start' ? 11 : 21) + i}`);
        statuses.push(last.statusCode);
      }
      // No provider is configured here: each attempt is a 404, and still counts.
      expect(statuses).toEqual([404, 404, 404, 429]);
      expectRateLimited(last!);
    });

    it(`limits ${step}s per client IP, across accounts`, async () => {
      const ip = `198.51.100.${step === 'start' ? 30 : 40}`;
      const first = await register(`198.51.100.${step === 'start' ? 31 : 41}`);
      const second = await register(`198.51.100.${step === 'start' ? 32 : 42}`);
      expect((await link(step, first.auth, ip)).statusCode).toBe(404);
      expect((await link(step, first.auth, ip)).statusCode).toBe(404);
      expect((await link(step, second.auth, ip)).statusCode).toBe(404);
      expectRateLimited(await link(step, second.auth, ip));
      // The second account, from elsewhere, is not held back by that address.
      expect((await link(step, second.auth, `198.51.100.${step === 'start' ? 33 : 43}`)).statusCode).toBe(
        404,
      );
    });
  }
});

describe('unlinking limits (DELETE /api/store/me/identities/{provider})', () => {
  const unlink = (auth: { authorization: string }, ip: string) =>
    app.inject({ method: 'DELETE', url: '/api/store/me/identities/oidc', headers: auth, remoteAddress: ip });

  it('limits unlinks per account, whatever the client IP', async () => {
    const customer = await register('198.51.100.80');
    const statuses: number[] = [];
    let last: LightMyRequestResponse | undefined;
    for (let i = 0; i < 4; i++) {
      last = await unlink(customer.auth, `198.51.100.${81 + i}`);
      statuses.push(last.statusCode);
    }
    // Nothing is linked: each attempt is a 404, and still counts.
    expect(statuses).toEqual([404, 404, 404, 429]);
    expectRateLimited(last!);
  });

  it('limits unlinks per client IP, across accounts', async () => {
    const first = await register('198.51.100.90');
    const second = await register('198.51.100.91');
    expect((await unlink(first.auth, '198.51.100.92')).statusCode).toBe(404);
    expect((await unlink(first.auth, '198.51.100.92')).statusCode).toBe(404);
    expect((await unlink(second.auth, '198.51.100.92')).statusCode).toBe(404);
    expectRateLimited(await unlink(second.auth, '198.51.100.92'));
    // The second account, from elsewhere, is not held back by that address.
    expect((await unlink(second.auth, '198.51.100.93')).statusCode).toBe(404);
  });
});

describe('e-mail change limits', () => {
  const change = (auth: { authorization: string }, ip: string, password = 'violet kettle on the moon') =>
    app.inject({
      method: 'POST',
      url: '/api/store/me/email',
      headers: auth,
      remoteAddress: ip,
      payload: { newEmail: `limit-${Math.random().toString(36).slice(2)}@example.test`, password },
    });

  it('limits requests per account (one budget with the password guesses), whatever the client IP', async () => {
    const customer = await register('198.51.100.50');
    const statuses: number[] = [];
    let last: LightMyRequestResponse | undefined;
    for (let i = 0; i < 4; i++) {
      last = await change(customer.auth, `198.51.100.${51 + i}`);
      statuses.push(last.statusCode);
    }
    expect(statuses).toEqual([202, 202, 202, 429]);
    expectRateLimited(last!);
    // The password change draws on the same budget: a stolen token gets one budget of guesses.
    const passwordChange = await app.inject({
      method: 'POST',
      url: '/api/store/me/password',
      headers: customer.auth,
      remoteAddress: '198.51.100.59',
      payload: { currentPassword: 'a guess at the password', newPassword: 'another long passphrase' },
    });
    expectRateLimited(passwordChange);
  });

  it('limits requests per client IP, across accounts', async () => {
    const first = await register('198.51.100.60');
    const second = await register('198.51.100.61');
    expect((await change(first.auth, '198.51.100.62')).statusCode).toBe(202);
    expect((await change(first.auth, '198.51.100.62', 'wrong guess')).statusCode).toBe(403);
    expect((await change(second.auth, '198.51.100.62')).statusCode).toBe(202);
    expectRateLimited(await change(second.auth, '198.51.100.62'));
  });

  it('limits confirmations per account and per client IP', async () => {
    const customer = await register('198.51.100.70');
    const confirm = (auth: { authorization: string }, ip: string) =>
      app.inject({
        method: 'POST',
        url: '/api/store/me/email/confirm',
        headers: auth,
        remoteAddress: ip,
        payload: { token: 'a-guessed-change-token' },
      });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await confirm(customer.auth, `198.51.100.${71 + i}`)).statusCode);
    expect(statuses).toEqual([400, 400, 400]);
    expectRateLimited(await confirm(customer.auth, '198.51.100.74'));

    const others = [await register('198.51.100.75'), await register('198.51.100.76')];
    expect((await confirm(others[0]!.auth, '198.51.100.77')).statusCode).toBe(400);
    expect((await confirm(others[0]!.auth, '198.51.100.77')).statusCode).toBe(400);
    expect((await confirm(others[1]!.auth, '198.51.100.77')).statusCode).toBe(400);
    expectRateLimited(await confirm(others[1]!.auth, '198.51.100.77'));
  });
});
