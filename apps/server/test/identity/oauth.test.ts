import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it, vi } from 'vitest';
import pg from 'pg';
import Provider from 'oidc-provider';
import { buildTestApp } from '../app.ts';
import { configuredProviders } from '../../src/modules/identity/oauth.providers.ts';
import { OAuthService } from '../../src/modules/identity/oauth.service.ts';
import { registerCustomer, resetMailTo, sqlRows, tokenFrom, verifyEmailOf } from './helpers.ts';

/*
 * A real OpenID Connect authorization server (oidc-provider) on 127.0.0.1, driven like a browser would:
 * its development login and consent pages, cookies and redirects.
 */
const PUBLIC_URL = 'http://localhost:8443';
// With a query of the shop's own: the callback adds its parameters to it.
const RETURN_URL = 'http://shop.test/after-sign-in?from=checkout';
const CLIENT = { client_id: 'mcart-shop', client_secret: 'a-very-secret-client-secret-for-tests' };
const ACCOUNTS: Record<
  string,
  { email: string; email_verified: boolean; given_name: string; family_name: string }
> = {
  alice: { email: 'alice.oidc@example.test', email_verified: true, given_name: 'Alice', family_name: 'Oidc' },
  taken: { email: 'taken.oidc@example.test', email_verified: true, given_name: 'Tak', family_name: 'En' },
  linker: { email: 'someone.else@example.test', email_verified: true, given_name: 'Lin', family_name: 'Ker' },
  solo: { email: 'solo.oidc@example.test', email_verified: true, given_name: 'So', family_name: 'Lo' },
  squatter: {
    email: 'squatter.idp@example.test',
    email_verified: true,
    given_name: 'Sq',
    family_name: 'Uat',
  },
  owned: { email: 'owned.oidc@example.test', email_verified: true, given_name: 'Ow', family_name: 'Ned' },
  twin: { email: 'twin.idp@example.test', email_verified: false, given_name: 'Twin', family_name: 'Tabs' },
  early: { email: 'early.idp@example.test', email_verified: true, given_name: 'Ear', family_name: 'Ly' },
  keeper: { email: 'keeper.idp@example.test', email_verified: true, given_name: 'Kee', family_name: 'Per' },
  multiline: {
    email: 'multiline.idp@example.test',
    email_verified: true,
    given_name: 'Ada,\n\nURGENT: call us\r\n',
    family_name: 'Love\tlace\u2028',
  },
};

const server: Server = createServer();
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const provider = new Provider(issuer, {
  clients: [
    {
      ...CLIENT,
      redirect_uris: [`${PUBLIC_URL}/api/store/auth/oauth/oidc/callback`],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['given_name', 'family_name'] },
  cookies: { keys: ['oidc-test-cookie-key'] },
  pkce: { required: () => true },
  findAccount: async (_ctx: unknown, id: string) => ({
    accountId: id,
    claims: async () => ({ sub: id, ...ACCOUNTS[id] }),
  }),
});
server.on('request', provider.callback());

const { app, close, databaseUrl } = await buildTestApp({
  PUBLIC_URL,
  OIDC_ISSUER: issuer,
  OIDC_CLIENT_ID: CLIENT.client_id,
  OIDC_CLIENT_SECRET: CLIENT.client_secret,
  OIDC_NAME: 'Test IdP',
  OAUTH_RETURN_URL: RETURN_URL,
});
afterAll(async () => {
  await close();
  await new Promise((resolve) => server.close(resolve));
});

/** A browser at the provider: follows redirects within it, keeps cookies, signs in and answers the consent page. */
async function browseProvider(
  authorizationUrl: string,
  account: string,
  consent: 'approve' | 'deny',
): Promise<URL> {
  const cookies = new Map<string, string>();
  const go = async (url: string, init: RequestInit = {}): Promise<Response> => {
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const index = pair!.indexOf('=');
      cookies.set(pair!.slice(0, index), pair!.slice(index + 1));
    }
    return response;
  };
  let url = authorizationUrl;
  for (let step = 0; step < 12; step++) {
    if (url.startsWith(PUBLIC_URL)) return new URL(url);
    const response = await go(url);
    if (response.status >= 300 && response.status < 400) {
      url = new URL(response.headers.get('location')!, url).toString();
      continue;
    }
    const html = await response.text();
    const uid = /\/interaction\/([^/"?]+)/.exec(html)?.[1];
    if (!uid) throw new Error(`unexpected provider page: ${response.status} ${html.slice(0, 200)}`);
    const form = (body: Record<string, string>) =>
      go(`${issuer}/interaction/${uid}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(body).toString(),
      });
    const next = html.includes('name="login"')
      ? await form({ prompt: 'login', login: account, password: 'any' })
      : consent === 'approve'
        ? await form({ prompt: 'consent' })
        : await go(`${issuer}/interaction/${uid}/abort`);
    url = new URL(next.headers.get('location')!, `${issuer}/`).toString();
  }
  throw new Error('the provider never returned to MCart');
}

/** The cookie the last sign-in start set in "this browser" (the one the callbacks below come from). */
let browser = '';

async function startSignIn(): Promise<string> {
  const start = await app.inject({ url: '/api/store/auth/oauth/oidc' });
  expect(start.statusCode).toBe(302);
  const cookie = String(start.headers['set-cookie']);
  expect(cookie).toMatch(
    /^mcart_oauth=[\w-]{43}; Max-Age=600; Path=\/api\/store\/auth\/oauth; HttpOnly; SameSite=Lax/,
  );
  browser = cookie.split(';')[0]!;
  return start.headers.location as string;
}

const callback = (url: URL, cookie = browser) =>
  app.inject({ url: `${url.pathname}${url.search}`, headers: cookie ? { cookie } : {} });

/** A whole social sign-in in "this browser" as `account` at the provider: the exchange's answer. */
async function socialSignIn(account: string) {
  const back = await callback(await browseProvider(await startSignIn(), account, 'approve'));
  const code = new URL(back.headers.location as string).searchParams.get('code');
  expect(code, String(back.headers.location)).toBeTruthy();
  return app.inject({ method: 'POST', url: '/api/store/auth/oauth/exchange', payload: { code } });
}

/** Starts a link from the signed-in customer and finishes the provider step as `account`: the callback's answer. */
async function linkThroughProvider(auth: { authorization: string }, account: string) {
  const link = await app.inject({ method: 'POST', url: '/api/store/me/identities/oidc', headers: auth });
  expect(link.statusCode, link.body).toBe(200);
  return callback(await browseProvider(link.json().authorizationUrl, account, 'approve'));
}

/** The link's callback gives a code; the signed-in customer who started the link confirms it. */
async function confirmLink(done: { headers: Record<string, unknown> }, auth: { authorization: string }) {
  const landing = new URL(done.headers.location as string);
  expect(landing.searchParams.get('link')).toBe('oidc');
  return app.inject({
    method: 'POST',
    url: '/api/store/me/identities/oidc/confirm',
    headers: auth,
    payload: { code: landing.searchParams.get('linkCode') },
  });
}

describe('social sign-in against a real OpenID Connect server', () => {
  it('lists only configured providers', async () => {
    expect((await app.inject('/api/store/auth/oauth/providers')).json()).toEqual({
      data: [{ id: 'oidc', name: 'Test IdP' }],
    });
    // Not configured: the browser goes back to the shop with the reason (a page, not the shop's script).
    const facebook = await app.inject('/api/store/auth/oauth/facebook');
    expect(facebook.statusCode).toBe(302);
    expect(new URL(facebook.headers.location as string).searchParams.get('error')).toBe(
      'MCART_ERR_UNKNOWN_PROVIDER',
    );
  });

  it('sends the browser to the provider with PKCE (S256), state and nonce', async () => {
    const location = new URL(await startSignIn());
    expect(location.origin).toBe(issuer);
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    expect(location.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(location.searchParams.get('state')).toBeTruthy();
    expect(location.searchParams.get('nonce')).toBeTruthy();
    expect(location.searchParams.get('redirect_uri')).toBe(
      `${PUBLIC_URL}/api/store/auth/oauth/oidc/callback`,
    );
  });

  it('creates the customer on first sign-in and hands tokens over through a one-time code; a replayed callback fails', async () => {
    const back = await browseProvider(await startSignIn(), 'alice', 'approve');
    expect(back.searchParams.get('code')).toBeTruthy();
    const done = await callback(back);
    expect(done.statusCode).toBe(302);
    const landing = new URL(done.headers.location as string);
    expect(`${landing.origin}${landing.pathname}`).toBe('http://shop.test/after-sign-in');
    expect(landing.searchParams.get('from')).toBe('checkout');
    const code = landing.searchParams.get('code')!;
    expect(code).toBeTruthy();

    const exchange = await app.inject({
      method: 'POST',
      url: '/api/store/auth/oauth/exchange',
      payload: { code },
    });
    expect(exchange.statusCode).toBe(200);
    expect(exchange.json().customer).toMatchObject({
      email: 'alice.oidc@example.test',
      firstName: 'Alice',
      lastName: 'Oidc',
    });
    const me = await app.inject({
      url: '/api/store/me',
      headers: { authorization: `Bearer ${exchange.json().accessToken}` },
    });
    expect(me.json()).toMatchObject({ emailVerified: true, hasPassword: false });
    const spent = await app.inject({
      method: 'POST',
      url: '/api/store/auth/oauth/exchange',
      payload: { code },
    });
    expect(spent.statusCode).toBe(400);
    expect(spent.json()).toMatchObject({
      code: 'MCART_ERR_INVALID_TOKEN',
      errors: [{ path: 'body/code', message: 'is invalid, used or expired' }],
    });

    // The same provider response again (replayed code and state): refused.
    const replay = await callback(back);
    expect(new URL(replay.headers.location as string).searchParams.get('error')).toBe(
      'MCART_ERR_OAUTH_FAILED',
    );

    // A second sign-in finds the same customer.
    const again = await callback(await browseProvider(await startSignIn(), 'alice', 'approve'));
    const second = await app.inject({
      method: 'POST',
      url: '/api/store/auth/oauth/exchange',
      payload: { code: new URL(again.headers.location as string).searchParams.get('code') },
    });
    expect(second.json().customer.id).toBe(exchange.json().customer.id);
  });

  it("keeps a provider's names on one line (control characters become spaces) and records sign-ins without a version bump", async () => {
    const first = await socialSignIn('multiline');
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().customer).toMatchObject({ firstName: 'Ada, URGENT: call us', lastName: 'Love lace' });
    const id = first.json().customer.id as string;
    const row = async () =>
      (
        await sqlRows<{ version: number; last_login_at: Date | null }>(
          databaseUrl,
          'SELECT version, last_login_at FROM customer WHERE id = $1',
          [id],
        )
      )[0]!;
    const before = await row();
    expect(before.last_login_at).toBeInstanceOf(Date);
    const again = await socialSignIn('multiline');
    expect(again.json().customer.id).toBe(id);
    const after = await row();
    expect(after.version).toBe(before.version);
    expect(after.last_login_at!.getTime()).toBeGreaterThanOrEqual(before.last_login_at!.getTime());
  });

  it('reports denied consent', async () => {
    const back = await browseProvider(await startSignIn(), 'alice', 'deny');
    expect(back.searchParams.get('error')).toBe('access_denied');
    const done = await callback(back);
    const landing = new URL(done.headers.location as string);
    expect(landing.searchParams.get('error')).toBe('MCART_ERR_OAUTH_DENIED');
    expect(landing.searchParams.get('from')).toBe('checkout');
  });

  it('refuses a forged state', async () => {
    const back = await browseProvider(await startSignIn(), 'alice', 'approve');
    back.searchParams.set('state', 'forged-state-value');
    const done = await callback(back);
    expect(new URL(done.headers.location as string).searchParams.get('error')).toBe('MCART_ERR_OAUTH_FAILED');
  });

  it('finishes a sign-in only in the browser that started it (login CSRF)', async () => {
    // An attacker signs in at the provider and hands the callback URL to someone else's browser.
    const back = await browseProvider(await startSignIn(), 'mallory', 'approve');
    const elsewhere = await callback(back, '');
    expect(new URL(elsewhere.headers.location as string).searchParams.get('error')).toBe(
      'MCART_ERR_OAUTH_FAILED',
    );
    // Another browser's cookie does not do either.
    const other = await browseProvider(await startSignIn(), 'mallory', 'approve');
    await startSignIn();
    const wrong = await callback(other);
    expect(new URL(wrong.headers.location as string).searchParams.get('error')).toBe(
      'MCART_ERR_OAUTH_FAILED',
    );
    expect(String(wrong.headers['set-cookie'])).toMatch(/^mcart_oauth=; .*Max-Age=0/);
  });

  it('never links silently to an existing account with the same e-mail; the signed-in owner links it', async () => {
    const owner = await registerCustomer(app, { email: 'taken.oidc@example.test' });
    const refused = await callback(await browseProvider(await startSignIn(), 'taken', 'approve'));
    expect(new URL(refused.headers.location as string).searchParams.get('error')).toBe(
      'MCART_ERR_LINK_REQUIRED',
    );

    await verifyEmailOf(app, databaseUrl, owner);
    const link = await app.inject({
      method: 'POST',
      url: '/api/store/me/identities/oidc',
      headers: owner.auth,
    });
    expect(link.statusCode).toBe(200);
    const linked = await callback(await browseProvider(link.json().authorizationUrl, 'taken', 'approve'));
    // Nothing is linked until the owner confirms.
    expect((await app.inject({ url: '/api/store/me/identities', headers: owner.auth })).json().data).toEqual(
      [],
    );
    const confirmed = await confirmLink(linked, owner.auth);
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toEqual({ provider: 'oidc', linkedAt: expect.any(String) });
    expect((await confirmLink(linked, owner.auth)).statusCode).toBe(400); // once
    expect((await app.inject({ url: '/api/store/me/identities', headers: owner.auth })).json().data).toEqual([
      { provider: 'oidc', linkedAt: expect.any(String) },
    ]);

    // Now the social sign-in lands in the owner's account.
    const signIn = await callback(await browseProvider(await startSignIn(), 'taken', 'approve'));
    const tokens = await app.inject({
      method: 'POST',
      url: '/api/store/auth/oauth/exchange',
      payload: { code: new URL(signIn.headers.location as string).searchParams.get('code') },
    });
    expect(tokens.json().customer.id).toBe(owner.id);
  });

  it('links only for the customer who started the link: someone tricked into finishing it is not linked to the attacker', async () => {
    const attacker = await registerCustomer(app, { email: 'attacker.link@example.test' });
    const victim = await registerCustomer(app, { email: 'victim.link@example.test' });
    await verifyEmailOf(app, databaseUrl, attacker);
    await verifyEmailOf(app, databaseUrl, victim);
    const link = await app.inject({
      method: 'POST',
      url: '/api/store/me/identities/oidc',
      headers: attacker.auth,
    });
    // The victim's browser finishes the provider step of the attacker's link, as the victim.
    const done = await callback(await browseProvider(link.json().authorizationUrl, 'victim', 'approve'), '');
    // The victim's own front-end (signed in as the victim) cannot confirm it, nor can anyone without the code.
    expect((await confirmLink(done, victim.auth)).json()).toMatchObject({ code: 'MCART_ERR_OAUTH_FAILED' });
    const guessed = await app.inject({
      method: 'POST',
      url: '/api/store/me/identities/oidc/confirm',
      headers: attacker.auth,
      payload: { code: 'guessed' },
    });
    expect(guessed.statusCode).toBe(400);
    expect(
      (await app.inject({ url: '/api/store/me/identities', headers: attacker.auth })).json().data,
    ).toEqual([]);
    // The victim's social sign-in stays theirs: a new account, not the attacker's.
    const signIn = await callback(await browseProvider(await startSignIn(), 'victim', 'approve'));
    const tokens = await app.inject({
      method: 'POST',
      url: '/api/store/auth/oauth/exchange',
      payload: { code: new URL(signIn.headers.location as string).searchParams.get('code') },
    });
    expect(tokens.json().customer.id).not.toBe(attacker.id);
  });

  it('unlinks a social account from a customer who has a password; it is then gone from /me', async () => {
    const customer = await registerCustomer(app, { email: 'unlinker@example.test' });
    await verifyEmailOf(app, databaseUrl, customer);
    const link = await app.inject({
      method: 'POST',
      url: '/api/store/me/identities/oidc',
      headers: customer.auth,
    });
    const linked = await callback(await browseProvider(link.json().authorizationUrl, 'linker', 'approve'));
    expect((await confirmLink(linked, customer.auth)).statusCode).toBe(200);
    const before = await app.inject({ url: '/api/store/me', headers: customer.auth });
    expect(before.json()).toMatchObject({
      hasPassword: true,
      identities: [{ provider: 'oidc', linkedAt: expect.any(String) }],
    });

    const unlink = await app.inject({
      method: 'DELETE',
      url: '/api/store/me/identities/oidc',
      headers: customer.auth,
    });
    expect(unlink.statusCode).toBe(204);
    expect((await app.inject({ url: '/api/store/me', headers: customer.auth })).json().identities).toEqual(
      [],
    );
    const again = await app.inject({
      method: 'DELETE',
      url: '/api/store/me/identities/oidc',
      headers: customer.auth,
    });
    expect(again.statusCode).toBe(404);
    // The provider account is free again: signing in with it now creates a new customer, not this one.
    const signIn = await callback(await browseProvider(await startSignIn(), 'linker', 'approve'));
    const tokens = await app.inject({
      method: 'POST',
      url: '/api/store/auth/oauth/exchange',
      payload: { code: new URL(signIn.headers.location as string).searchParams.get('code') },
    });
    expect(tokens.json().customer.id).not.toBe(customer.id);
    expect((await app.inject({ method: 'DELETE', url: '/api/store/me/identities/oidc' })).statusCode).toBe(
      401,
    );
  });

  it('refuses to unlink the only way a social-only customer signs in (409), and keeps the link', async () => {
    const back = await callback(await browseProvider(await startSignIn(), 'solo', 'approve'));
    const exchange = await app.inject({
      method: 'POST',
      url: '/api/store/auth/oauth/exchange',
      payload: { code: new URL(back.headers.location as string).searchParams.get('code') },
    });
    const auth = { authorization: `Bearer ${exchange.json().accessToken}` };
    const refused = await app.inject({
      method: 'DELETE',
      url: '/api/store/me/identities/oidc',
      headers: auth,
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.json().code).toBe('MCART_ERR_LAST_SIGN_IN_METHOD');
    expect((await app.inject({ url: '/api/store/me', headers: auth })).json()).toMatchObject({
      hasPassword: false,
      identities: [{ provider: 'oidc', linkedAt: expect.any(String) }],
    });
    const unknown = await app.inject({
      method: 'DELETE',
      url: '/api/store/me/identities/facebook',
      headers: auth,
    });
    expect(unknown.statusCode).toBe(404);
  });
  it('links nothing to an account whose e-mail is not verified: 409 MCART_ERR_EMAIL_NOT_VERIFIED before anything is written', async () => {
    // Anyone can register any address: until its mailbox is proven, the account may belong to a squatter.
    const unproven = await registerCustomer(app, { email: 'owned.oidc@example.test' });
    const start = await app.inject({
      method: 'POST',
      url: '/api/store/me/identities/oidc',
      headers: unproven.auth,
    });
    expect(start.statusCode).toBe(409);
    expect(start.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(start.json()).toMatchObject({
      code: 'MCART_ERR_EMAIL_NOT_VERIFIED',
      detail: expect.stringContaining('/api/store/me/verify-email'),
    });
    // No state was written: there is no link to finish at the provider.
    expect(
      await sqlRows(databaseUrl, 'SELECT 1 FROM oauth_state WHERE customer_id = $1', [unproven.id]),
    ).toEqual([]);

    // The social sign-in of the address's owner is not attached to that account either.
    const signUp = await callback(await browseProvider(await startSignIn(), 'owned', 'approve'));
    expect(new URL(signUp.headers.location as string).searchParams.get('error')).toBe(
      'MCART_ERR_LINK_REQUIRED',
    );
    expect(
      await sqlRows(databaseUrl, 'SELECT 1 FROM customer_identity WHERE customer_id = $1', [unproven.id]),
    ).toEqual([]);
  });

  it('does not confirm a link whose account e-mail is unproven at confirmation (a link started before the rule)', async () => {
    const customer = await registerCustomer(app, { email: 'early.link@example.test' });
    await verifyEmailOf(app, databaseUrl, customer);
    const linked = await linkThroughProvider(customer.auth, 'early');
    // A link left pending from before links needed a proven e-mail: its state exists, the e-mail is unproven.
    await sqlRows(databaseUrl, 'UPDATE customer SET email_verified_at = NULL WHERE id = $1', [customer.id]);
    const confirmed = await confirmLink(linked, customer.auth);
    expect(confirmed.statusCode).toBe(409);
    expect(confirmed.json().code).toBe('MCART_ERR_EMAIL_NOT_VERIFIED');
    expect(
      (await app.inject({ url: '/api/store/me/identities', headers: customer.auth })).json().data,
    ).toEqual([]);
  });

  it('a password reset that first proves the mailbox detaches the social identities linked before it (pre-account hijacking)', async () => {
    // A squatter registered a stranger's address and linked their own social account while the address was
    // unproven (what the API allowed before links required a verified e-mail: written directly here).
    const squatted = await registerCustomer(app, { email: 'victim.prehijack@example.test' });
    await sqlRows(
      databaseUrl,
      `INSERT INTO customer_identity (id, created_at, updated_at, customer_id, provider, subject, email)
       VALUES (gen_random_uuid(), now(), now(), $1, 'oidc', 'squatter', 'squatter.idp@example.test')`,
      [squatted.id],
    );
    expect((await socialSignIn('squatter')).json().customer.id).toBe(squatted.id);

    // The owner of the address, told it is taken, takes the account over with a reset link from their mailbox.
    await app.inject({
      method: 'POST',
      url: '/api/store/auth/password-reset',
      payload: { email: squatted.email },
    });
    const token = tokenFrom((await resetMailTo(app, databaseUrl, squatted.email))[0]!.data.resetUrl);
    const reset = await app.inject({
      method: 'POST',
      url: '/api/store/auth/password-reset/confirm',
      payload: { token, password: 'the real owner passphrase' },
    });
    expect(reset.statusCode).toBe(204);

    // The squatter's social account went with their sessions: it signs in to an account of its own.
    const squatter = await socialSignIn('squatter');
    expect(squatter.statusCode).toBe(200);
    expect(squatter.json().customer).toMatchObject({ email: 'squatter.idp@example.test' });
    expect(squatter.json().customer.id).not.toBe(squatted.id);
    const owner = await app.inject({
      method: 'POST',
      url: '/api/store/auth/login',
      payload: { email: squatted.email, password: 'the real owner passphrase' },
    });
    const me = await app.inject({
      url: '/api/store/me',
      headers: { authorization: `Bearer ${owner.json().accessToken}` },
    });
    expect(me.json()).toMatchObject({ id: squatted.id, emailVerified: true, identities: [] });
    // The audit log says what went and why: the providers, not the identities.
    expect(
      await sqlRows(
        databaseUrl,
        `SELECT staff_id, details FROM audit_entry WHERE action = 'customer.identities_detached'
          AND details->>'customerId' = $1`,
        [squatted.id],
      ),
    ).toEqual([
      { staff_id: null, details: { customerId: squatted.id, providers: ['oidc'], by: 'password_reset' } },
    ]);
  });

  it('a password reset of an account whose e-mail was already proven keeps its linked social accounts', async () => {
    const customer = await registerCustomer(app, { email: 'keeper@example.test' });
    await verifyEmailOf(app, databaseUrl, customer);
    expect(
      (await confirmLink(await linkThroughProvider(customer.auth, 'keeper'), customer.auth)).statusCode,
    ).toBe(200);
    await app.inject({
      method: 'POST',
      url: '/api/store/auth/password-reset',
      payload: { email: customer.email },
    });
    const token = tokenFrom((await resetMailTo(app, databaseUrl, customer.email))[0]!.data.resetUrl);
    const reset = await app.inject({
      method: 'POST',
      url: '/api/store/auth/password-reset/confirm',
      payload: { token, password: 'a remembered passphrase' },
    });
    expect(reset.statusCode).toBe(204);
    expect((await socialSignIn('keeper')).json().customer.id).toBe(customer.id);
  });
});

/** Waits until `count` statements on `table` of this database wait on a row lock (throws if they never do). */
async function lockWaiters(table: string, count: number): Promise<void> {
  for (let i = 0; i < 250; i++) {
    const [row] = await sqlRows<{ n: number }>(
      databaseUrl,
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE $1`,
      [`%${table}%`],
    );
    if (row!.n >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`never ${count} statements waiting on ${table}`);
}

describe('social sign-in: concurrency and providers that fail', () => {
  it('two callbacks of one new person at once (a double click, two tabs) make one account, and both tabs sign in to it', async () => {
    // Two sign-ins finished at the provider, in two tabs (each its own binding cookie).
    const tabs: { back: URL; cookie: string }[] = [];
    for (let i = 0; i < 2; i++) {
      const start = await startSignIn();
      tabs.push({ cookie: browser, back: await browseProvider(start, 'twin', 'approve') });
    }
    // An open transaction holding this identity's key: both callbacks get past "not linked to anyone yet" and
    // wait to link it, then race for it once the transaction rolls back. The race, made certain.
    const someone = await registerCustomer(app);
    const blocker = new pg.Client({ connectionString: databaseUrl });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query(
      `INSERT INTO customer_identity (id, created_at, updated_at, customer_id, provider, subject, email)
       VALUES (gen_random_uuid(), now(), now(), $1, 'oidc', 'twin', NULL)`,
      [someone.id],
    );
    const answers = Promise.all(tabs.map((tab) => callback(tab.back, tab.cookie)));
    await lockWaiters('customer_identity', 2);
    await blocker.query('ROLLBACK');
    await blocker.end();

    const signedIn: string[] = [];
    for (const answer of await answers) {
      expect(answer.statusCode, answer.body).toBe(302);
      const code = new URL(answer.headers.location as string).searchParams.get('code');
      expect(code, String(answer.headers.location)).toBeTruthy();
      const tokens = await app.inject({
        method: 'POST',
        url: '/api/store/auth/oauth/exchange',
        payload: { code },
      });
      expect(tokens.statusCode).toBe(200);
      signedIn.push(tokens.json().customer.id);
    }
    expect(signedIn[0]).toBe(signedIn[1]);
    // One account, linked: the loser's customer row went with its transaction (no account nobody can sign in to).
    expect(
      await sqlRows(databaseUrl, `SELECT id FROM customer WHERE first_name = 'Twin' AND last_name = 'Tabs'`),
    ).toEqual([{ id: signedIn[0] }]);
    expect(
      await sqlRows(databaseUrl, `SELECT customer_id FROM customer_identity WHERE subject = 'twin'`),
    ).toEqual([{ customer_id: signedIn[0] }]);
  });

  it('gives up on a provider that does not answer (503 MCART_ERR_UNAVAILABLE) instead of waiting on it', async () => {
    // An issuer whose discovery answers and whose token endpoint never does.
    const silent = createServer((request, response) => {
      if (request.url !== '/.well-known/openid-configuration') return; // never answered
      response.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          issuer: silentIssuer,
          authorization_endpoint: `${silentIssuer}/auth`,
          token_endpoint: `${silentIssuer}/token`,
          jwks_uri: `${silentIssuer}/jwks`,
        }),
      );
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentIssuer = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const oidc = {
        clientId: CLIENT.client_id,
        clientSecret: CLIENT.client_secret,
        name: 'Silent',
      };
      // The silent issuer as an OIDC provider that waits 300 ms for an answer.
      const silentProvider = () =>
        configuredProviders(
          {
            returnUrl: undefined,
            facebook: undefined,
            twitter: undefined,
            oidc: { ...oidc, issuer: silentIssuer },
          },
          { timeoutMs: 300 },
        ).get('oidc')!;
      const provider = silentProvider();
      const service = new OAuthService(app.orm.em.fork(), app.cipher);
      const redirectUri = `${PUBLIC_URL}/api/store/auth/oauth/oidc/callback`;
      const start = new URL(
        await service.authorizationUrl(provider, redirectUri, 'login', null, 'this-browser'),
      );
      const back = new URL(`${redirectUri}?code=some-code&state=${start.searchParams.get('state')}`);
      await expect(service.complete(provider, back, redirectUri, 'this-browser')).rejects.toMatchObject({
        code: 'MCART_ERR_UNAVAILABLE',
        status: 503,
      });

      // An issuer that cannot be reached at all: the start says so, and writes no state.
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
      const gone = silentProvider();
      const states = async () =>
        (await sqlRows<{ n: number }>(databaseUrl, 'SELECT count(*)::int AS n FROM oauth_state'))[0]!.n;
      const before = await states();
      await expect(
        service.authorizationUrl(gone, redirectUri, 'login', null, 'this-browser'),
      ).rejects.toMatchObject({ code: 'MCART_ERR_UNAVAILABLE', status: 503 });
      expect(await states()).toBe(before);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('signs no one in on a Facebook profile without an id (never the shared subject "undefined")', async () => {
    const facebook = configuredProviders({
      returnUrl: undefined,
      facebook: { clientId: 'fb', clientSecret: 'fb-secret' },
      twitter: undefined,
      oidc: undefined,
    }).get('facebook')!;
    const graph = vi
      .spyOn(globalThis, 'fetch')
      .mockImplementation(async () => Response.json({ email: 'no.id@example.test', first_name: 'No' }));
    try {
      await expect(facebook.profile!('an-access-token')).rejects.toThrow(/no user id/);
      graph.mockImplementation(async () => Response.json({ id: '1234', email: 'some.one@example.test' }));
      expect(await facebook.profile!('an-access-token')).toMatchObject({
        subject: '1234',
        email: 'some.one@example.test',
        emailVerified: true,
      });
    } finally {
      graph.mockRestore();
    }
  });
});
