import { describe, expect, it } from 'vitest';
import { createHttpClient } from '../api/http.ts';
import { fakeFetch, json, memoryTokenStore, problem } from '../api/testing.ts';
import { createAuthProvider, SecondFactorRequired } from './authProvider.ts';
import { createDesktopTokenStore } from './tokenStore.ts';

const staff = { id: 's1', email: 'owner@example.com', role: 'owner' };

const scopes: Record<string, string> = { products: 'catalog' };

function setup(handler: Parameters<typeof fakeFetch>[0], initial = memoryTokenStore()) {
  const { fetch, requests } = fakeFetch(handler);
  const http = createHttpClient({ baseUrl: () => '', tokens: initial, fetch });
  return {
    auth: createAuthProvider(http, initial, (resource) => scopes[resource] ?? resource),
    tokens: initial,
    requests,
  };
}

describe('auth provider', () => {
  it('signs in with email and password and keeps the tokens', async () => {
    const { auth, tokens, requests } = setup(() => json(200, { accessToken: 'a', refreshToken: 'r', staff }));
    await auth.login({ email: ' owner@example.com ', password: 'secret' });
    expect(requests[0]).toMatchObject({
      method: 'POST',
      url: '/api/admin/auth/login',
      authorization: null,
      body: { email: 'owner@example.com', password: 'secret' },
    });
    expect(tokens.get()).toEqual({ accessToken: 'a', refreshToken: 'r' });
    await expect(auth.checkAuth({})).resolves.toBeUndefined();
  });

  it('stops at the TOTP challenge without tokens, then the code signs in', async () => {
    const { auth, tokens, requests } = setup((request) =>
      request.url === '/api/admin/auth/login'
        ? json(200, { next: 'totp', challenge: 'c1', expiresIn: 300 })
        : request.body && (request.body as { code: string }).code === '123456'
          ? json(200, { accessToken: 'a', refreshToken: 'r', staff })
          : problem(401, 'Unauthorized', 'MCART_ERR_INVALID_TOTP'),
    );
    const first = auth.login({ email: 'owner@example.com', password: 'secret' });
    await expect(first).rejects.toBeInstanceOf(SecondFactorRequired);
    await expect(first).rejects.toMatchObject({ next: 'totp', challenge: 'c1' });
    expect(tokens.get()).toBeNull();
    await expect(auth.login({ challenge: 'c1', code: '000000' })).rejects.toThrow(
      'mcart.security.invalid_code',
    );
    expect(tokens.get()).toBeNull();
    await auth.login({ challenge: 'c1', code: ' 123456 ' });
    expect(requests.at(-1)).toMatchObject({
      url: '/api/admin/auth/totp',
      authorization: null,
      body: { challenge: 'c1', code: '123456' },
    });
    expect(tokens.get()).toEqual({ accessToken: 'a', refreshToken: 'r' });
  });

  it('turns bad credentials into a translated message', async () => {
    const { auth, tokens } = setup(() => problem(401, 'Unauthorized', 'MCART_ERR_INVALID_CREDENTIALS'));
    await expect(auth.login({ email: 'x@example.com', password: 'nope' })).rejects.toThrow(
      'mcart.auth.invalid_credentials',
    );
    expect(tokens.get()).toBeNull();
    await expect(auth.checkAuth({})).rejects.toThrow();
  });

  it('derives identity, role and access from /me, fetched once', async () => {
    const { auth, requests } = setup(
      () => json(200, { ...staff, role: 'warehouse', permissions: ['catalog:read', 'orders:read'] }),
      memoryTokenStore({ accessToken: 'a', refreshToken: 'r' }),
    );
    await expect(auth.getIdentity?.()).resolves.toMatchObject({
      id: 's1',
      fullName: 'owner@example.com',
      role: 'warehouse',
    });
    await expect(auth.getPermissions?.({})).resolves.toEqual(['catalog:read', 'orders:read']);
    await expect(auth.canAccess?.({ resource: 'orders', action: 'list' })).resolves.toBe(true);
    await expect(auth.canAccess?.({ resource: 'orders', action: 'edit' })).resolves.toBe(false);
    await expect(auth.canAccess?.({ resource: 'products', action: 'list' })).resolves.toBe(true);
    await expect(auth.canAccess?.({ resource: 'products', action: 'edit' })).resolves.toBe(false);
    await expect(auth.canAccess?.({ resource: 'backups', action: 'list' })).resolves.toBe(false);
    expect(requests.filter((r) => r.url === '/api/admin/auth/me')).toHaveLength(1);
  });

  it('revokes the refresh token on logout and forgets the session even if the server is down', async () => {
    const { auth, tokens, requests } = setup(
      () => new Response(null, { status: 204 }),
      memoryTokenStore({ accessToken: 'a', refreshToken: 'r' }),
    );
    await auth.logout({});
    expect(requests[0]).toMatchObject({
      method: 'POST',
      url: '/api/admin/auth/logout',
      body: { refreshToken: 'r' },
    });
    expect(tokens.get()).toBeNull();

    const down = setup(
      () => Promise.reject(new TypeError('offline')),
      memoryTokenStore({ accessToken: 'a', refreshToken: 'r' }),
    );
    await expect(down.auth.logout({})).resolves.toBeUndefined();
    expect(down.tokens.get()).toBeNull();
  });

  it('signs out on 401 but not on 403', async () => {
    const { auth, tokens } = setup(
      () => json(200, {}),
      memoryTokenStore({ accessToken: 'a', refreshToken: 'r' }),
    );
    await expect(auth.checkError({ status: 403 })).resolves.toBeUndefined();
    expect(tokens.get()).not.toBeNull();
    await expect(auth.checkError({ status: 401 })).rejects.toThrow();
    expect(tokens.get()).toBeNull();
  });

  it('stays signed out when a token refresh started before the logout answers after it (desktop)', async () => {
    const bridgeCalls: string[] = [];
    const tokens = createDesktopTokenStore(
      {
        saveSession: async () => {
          bridgeCalls.push('save');
          return true;
        },
        clearSession: async () => {
          bridgeCalls.push('clear');
        },
      },
      { accessToken: 'expired', refreshToken: 'r1' },
    );
    let answerRefresh!: () => void;
    const refreshAnswered = new Promise<void>((resolve) => (answerRefresh = resolve));
    let refreshSent!: () => void;
    const refreshStarted = new Promise<void>((resolve) => (refreshSent = resolve));
    const { fetch } = fakeFetch(async ({ url }) => {
      if (url.endsWith('/api/admin/auth/refresh')) {
        refreshSent();
        await refreshAnswered; // a slow network or server
        return json(200, { accessToken: 'a2', refreshToken: 'r2' });
      }
      if (url.endsWith('/api/admin/auth/logout')) return new Response(null, { status: 204 });
      return problem(401, 'Unauthorized', 'MCART_ERR_UNAUTHORIZED');
    });
    const http = createHttpClient({ baseUrl: () => '', tokens, fetch });
    const auth = createAuthProvider(http, tokens);

    // A list request meets an expired access token and starts the refresh; the user logs out meanwhile.
    const pending = http.request('/api/admin/orders').catch(() => undefined);
    await refreshStarted;
    await auth.logout({});
    answerRefresh();
    await pending;
    await new Promise((resolve) => setTimeout(resolve, 0));

    expect(tokens.get()).toBeNull();
    await expect(auth.checkAuth({})).rejects.toThrow();
    expect(bridgeCalls).toEqual(['clear']);
  });
});
