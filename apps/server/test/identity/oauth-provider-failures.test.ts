import { afterEach, describe, expect, it, vi } from 'vitest';
import pino from 'pino';
import { useTestApp } from '../app.ts';
import { OAuthService } from '../../src/modules/identity/oauth.service.ts';

/*
 * Facebook and X answer from a fake `fetch` (their endpoints are fixed https URLs): what each provider step can
 * answer when it goes wrong, what the shopper's browser is sent back with, and what the operator's log says.
 */
const RETURN_URL = 'http://shop.test/after-sign-in?from=checkout';
const SECRETS = {
  facebook: 'fb-client-secret-never-logged',
  twitter: 'x-client-secret-never-logged',
  code: 'AUTH-CODE-never-logged-0123456789',
  accessToken: 'ACCESS-TOKEN-never-logged-0123456789',
  email: 'never.logged@example.test',
};
const { app } = await useTestApp({
  LOG_LEVEL: 'info',
  PUBLIC_URL: 'http://localhost:8443',
  OAUTH_RETURN_URL: RETURN_URL,
  FACEBOOK_CLIENT_ID: 'fb-app',
  FACEBOOK_CLIENT_SECRET: SECRETS.facebook,
  TWITTER_CLIENT_ID: 'x-app',
  TWITTER_CLIENT_SECRET: SECRETS.twitter,
});
const lines: string[] = [];
// Every request logger is a pino child of app.log and inherits its stream.
(app.log as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] = {
  write: (line: string) => {
    lines.push(line);
  },
};

interface Logged {
  level: number;
  msg: string;
  [key: string]: unknown;
}
const logged = (from: number, msg: string): Logged[] =>
  lines
    .slice(from)
    .map((line) => JSON.parse(line) as Logged)
    .filter((entry) => entry.msg === msg);
const WARN = 40;
const ERROR = 50;
const INFO = 30;

type Handler = (url: URL, init: RequestInit) => Promise<Response> | Response;
/** The providers' HTTP endpoints, answered by `routes` (by URL path); any other request fails the test. */
function providerAnswers(routes: Record<string, Handler>) {
  return vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const handler = routes[url.pathname];
    if (!handler) throw new Error(`unexpected provider request ${url.origin}${url.pathname}`);
    return handler(url, init);
  });
}
afterEach(() => {
  vi.restoreAllMocks();
});

const FB_TOKEN = '/v19.0/oauth/access_token';
const FB_ME = '/v19.0/me';
const X_TOKEN = '/2/oauth2/token';
const X_ME = '/2/users/me';
const tokens = () =>
  Response.json({ access_token: SECRETS.accessToken, token_type: 'bearer', expires_in: 3600 });

/** The browser starts a sign-in: the provider's URL (with the state) and the binding cookie. */
async function start(provider: string) {
  const response = await app.inject({ url: `/api/store/auth/oauth/${provider}` });
  expect(response.statusCode, response.body).toBe(302);
  const location = new URL(response.headers.location as string);
  return {
    state: location.searchParams.get('state')!,
    cookie: String(response.headers['set-cookie']).split(';')[0]!,
  };
}

/** The provider sends the browser back; the shop page it lands on. */
async function callback(
  provider: string,
  flow: { state: string; cookie: string },
  query: Record<string, string> = { code: SECRETS.code },
) {
  const search = new URLSearchParams({ ...query, state: flow.state });
  const response = await app.inject({
    url: `/api/store/auth/oauth/${provider}/callback?${search}`,
    headers: flow.cookie ? { cookie: flow.cookie } : {},
  });
  expect(response.statusCode, response.body).toBe(302);
  return new URL(response.headers.location as string);
}

/** Nothing a provider step handles (codes, tokens, secrets, the state, the cookie, e-mail) is in the log. */
function expectNoSecretsSince(from: number, ...more: string[]) {
  const text = lines.slice(from).join('\n');
  for (const secret of [...Object.values(SECRETS), ...more]) expect(text).not.toContain(secret);
}

describe('provider failures are logged for the operator, without secrets', () => {
  it('a refused token exchange (a used or forged code, a PKCE mismatch): warn with provider, step, status and OAuth error', async () => {
    const description = `The code ${SECRETS.code} was already redeemed for ${SECRETS.email}`;
    providerAnswers({
      [FB_TOKEN]: () =>
        Response.json({ error: 'invalid_grant', error_description: description }, { status: 400 }),
    });
    const from = lines.length;
    const flow = await start('facebook');
    const landing = await callback('facebook', flow);
    expect(landing.searchParams.get('error')).toBe('MCART_ERR_OAUTH_FAILED');
    expect(landing.searchParams.get('from')).toBe('checkout');
    const [entry, ...others] = logged(from, 'social sign-in failed');
    expect(others).toEqual([]);
    expect(entry).toMatchObject({
      level: WARN,
      provider: 'facebook',
      step: 'token',
      purpose: 'login',
      status: 400,
      oauthError: 'invalid_grant',
      error: 'ResponseBodyError',
      reqId: expect.any(String),
    });
    // The provider's own text is left out: it may echo what it was sent.
    expectNoSecretsSince(from, flow.state, flow.cookie.split('=')[1]!, 'already redeemed');
  });

  it('a provider error or a rejected client registration at the token endpoint: error level', async () => {
    providerAnswers({
      [FB_TOKEN]: () => new Response('<html>Service Unavailable</html>', { status: 502 }),
      [X_TOKEN]: () => Response.json({ error: 'invalid_client' }, { status: 401 }),
    });
    const from = lines.length;
    expect((await callback('facebook', await start('facebook'))).searchParams.get('error')).toBe(
      'MCART_ERR_OAUTH_FAILED',
    );
    expect((await callback('twitter', await start('twitter'))).searchParams.get('error')).toBe(
      'MCART_ERR_OAUTH_FAILED',
    );
    const [facebook, twitter] = logged(from, 'social sign-in failed');
    expect(facebook).toMatchObject({ level: ERROR, provider: 'facebook', step: 'token', status: 502 });
    expect(twitter).toMatchObject({
      level: ERROR,
      provider: 'twitter',
      step: 'token',
      status: 401,
      oauthError: 'invalid_client',
    });
    expectNoSecretsSince(from, Buffer.from(`x-app:${SECRETS.twitter}`).toString('base64'));
  });

  it('a provider that does not answer in time: 503 back to the shop, logged as an error with the step', async () => {
    providerAnswers({
      [X_TOKEN]: () => {
        throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
      },
      [FB_ME]: () => {
        throw new TypeError('fetch failed', {
          cause: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }),
        });
      },
      [FB_TOKEN]: tokens,
    });
    const from = lines.length;
    expect((await callback('twitter', await start('twitter'))).searchParams.get('error')).toBe(
      'MCART_ERR_UNAVAILABLE',
    );
    expect((await callback('facebook', await start('facebook'))).searchParams.get('error')).toBe(
      'MCART_ERR_UNAVAILABLE',
    );
    const [twitter, facebook] = logged(from, 'social sign-in failed');
    expect(twitter).toMatchObject({ level: ERROR, provider: 'twitter', step: 'token', timeout: true });
    expect(facebook).toMatchObject({
      level: ERROR,
      provider: 'facebook',
      step: 'profile',
      unreachable: true,
      code: 'ECONNREFUSED',
    });
    expectNoSecretsSince(from);
  });

  it('a profile refused by the provider, or one without the person: warn at the profile step', async () => {
    let me: () => Response = () =>
      Response.json(
        { error: { message: `token ${SECRETS.accessToken} lacks a permission` } },
        { status: 403 },
      );
    providerAnswers({ [FB_TOKEN]: tokens, [FB_ME]: () => me(), [X_TOKEN]: tokens, [X_ME]: () => me() });
    const from = lines.length;
    expect((await callback('facebook', await start('facebook'))).searchParams.get('error')).toBe(
      'MCART_ERR_OAUTH_FAILED',
    );
    me = () => Response.json({ email: SECRETS.email, first_name: 'No' });
    expect((await callback('facebook', await start('facebook'))).searchParams.get('error')).toBe(
      'MCART_ERR_OAUTH_FAILED',
    );
    me = () => Response.json({ errors: [{ detail: 'suspended' }] });
    expect((await callback('twitter', await start('twitter'))).searchParams.get('error')).toBe(
      'MCART_ERR_OAUTH_FAILED',
    );
    expect(logged(from, 'social sign-in failed')).toEqual([
      expect.objectContaining({
        level: WARN,
        provider: 'facebook',
        step: 'profile',
        status: 403,
        reason: 'profile request failed with 403',
      }),
      expect.objectContaining({
        level: WARN,
        provider: 'facebook',
        step: 'profile',
        reason: 'Facebook returned no user id',
      }),
      expect.objectContaining({
        level: WARN,
        provider: 'twitter',
        step: 'profile',
        reason: 'X returned no user',
      }),
    ]);
    expectNoSecretsSince(from, 'lacks a permission');
  });

  it('a forged, replayed or foreign-browser state, and an error sent by the provider, are logged at their step', async () => {
    const requests = providerAnswers({});
    const from = lines.length;
    const flow = await start('facebook');
    expect(
      (await callback('facebook', { ...flow, state: 'forged-state-value' })).searchParams.get('error'),
    ).toBe('MCART_ERR_OAUTH_FAILED');
    // Carried to another browser (no cookie): refused, and the state is spent.
    expect((await callback('facebook', { ...flow, cookie: '' })).searchParams.get('error')).toBe(
      'MCART_ERR_OAUTH_FAILED',
    );
    const denied = await start('twitter');
    expect((await callback('twitter', denied, { error: 'access_denied' })).searchParams.get('error')).toBe(
      'MCART_ERR_OAUTH_DENIED',
    );
    const broken = await start('twitter');
    expect(
      (
        await callback('twitter', broken, { error: 'server_error', error_description: SECRETS.email })
      ).searchParams.get('error'),
    ).toBe('MCART_ERR_OAUTH_FAILED');
    expect(requests).not.toHaveBeenCalled();
    expect(logged(from, 'social sign-in failed')).toEqual([
      expect.objectContaining({
        level: WARN,
        provider: 'facebook',
        step: 'state',
        reason: 'the state is unknown, used or expired',
      }),
      expect.objectContaining({
        level: WARN,
        provider: 'facebook',
        step: 'state',
        purpose: 'login',
        reason: 'the browser has no sign-in cookie (another browser, or cookies blocked)',
      }),
      expect.objectContaining({
        level: INFO,
        provider: 'twitter',
        step: 'authorization',
        oauthError: 'access_denied',
      }),
      expect.objectContaining({
        level: WARN,
        provider: 'twitter',
        step: 'authorization',
        oauthError: 'server_error',
      }),
    ]);
    expectNoSecretsSince(from, flow.state, denied.state, broken.state);
  });

  it('signs in through X with nothing logged but the requests', async () => {
    providerAnswers({
      [X_TOKEN]: tokens,
      [X_ME]: () => Response.json({ data: { id: '4242', name: 'Xavier Person', username: 'xp' } }),
    });
    const from = lines.length;
    const landing = await callback('twitter', await start('twitter'));
    const code = landing.searchParams.get('code');
    expect(code, landing.toString()).toBeTruthy();
    const exchange = await app.inject({
      method: 'POST',
      url: '/api/store/auth/oauth/exchange',
      payload: { code },
    });
    expect(exchange.json().customer).toMatchObject({ email: null, firstName: 'Xavier', lastName: 'Person' });
    expect(logged(from, 'social sign-in failed')).toEqual([]);
    expectNoSecretsSince(from, code!);
  });
});

describe('a provider that is not configured', () => {
  it('sends the browser back to the shop with ?error=MCART_ERR_UNKNOWN_PROVIDER, from the start and the callback', async () => {
    const from = lines.length;
    const started = await app.inject({ url: '/api/store/auth/oauth/oidc' });
    expect(started.statusCode).toBe(302);
    const landing = new URL(started.headers.location as string);
    expect(`${landing.origin}${landing.pathname}`).toBe('http://shop.test/after-sign-in');
    expect(landing.searchParams.get('error')).toBe('MCART_ERR_UNKNOWN_PROVIDER');
    expect(landing.searchParams.get('from')).toBe('checkout');
    expect(started.headers['set-cookie']).toBeUndefined();

    const back = await app.inject({ url: '/api/store/auth/oauth/google/callback?code=x&state=y' });
    expect(back.statusCode).toBe(302);
    expect(new URL(back.headers.location as string).searchParams.get('error')).toBe(
      'MCART_ERR_UNKNOWN_PROVIDER',
    );
    expect(logged(from, 'social sign-in provider is not configured')).toEqual([
      expect.objectContaining({ level: WARN, provider: 'oidc' }),
      expect.objectContaining({ level: WARN, provider: 'google' }),
    ]);
    // Called by the shop's scripts (not a page): a problem, as before.
    const customer = await app.inject({
      method: 'POST',
      url: '/api/store/auth/register',
      payload: {
        email: 'linker.unknown@example.test',
        password: 'violet kettle on the moon',
        firstName: 'A',
        lastName: 'B',
      },
    });
    const link = await app.inject({
      method: 'POST',
      url: '/api/store/me/identities/oidc',
      headers: { authorization: `Bearer ${customer.json().accessToken}` },
    });
    expect(link.statusCode).toBe(404);
    expect(link.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(link.json().code).toBe('MCART_ERR_UNKNOWN_PROVIDER');
  });

  it('an unexpected failure in the callback also lands on the shop (MCART_ERR_INTERNAL), and is logged', async () => {
    vi.spyOn(OAuthService.prototype, 'complete').mockRejectedValue(new Error('boom'));
    const from = lines.length;
    const landing = await callback('facebook', await start('facebook'));
    expect(landing.searchParams.get('error')).toBe('MCART_ERR_INTERNAL');
    expect(logged(from, 'unexpected error')).toEqual([
      expect.objectContaining({ level: ERROR, err: expect.objectContaining({ message: 'boom' }) }),
    ]);
  });
});
