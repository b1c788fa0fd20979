import { describe, expect, it } from 'vitest';
import { appendQuery, createHttpClient, REFRESH_PATH } from './http.ts';
import { fakeFetch, json, memoryTokenStore, problem } from './testing.ts';

const BASE = 'https://shop.example.com';

describe('http client', () => {
  it('sends the access token and returns the parsed body', async () => {
    const tokens = memoryTokenStore({ accessToken: 'a1', refreshToken: 'r1' });
    const { fetch, requests } = fakeFetch(() => json(200, { ok: true }));
    const http = createHttpClient({ baseUrl: () => BASE, tokens, fetch });
    await expect(http.request('/api/admin/orders/1')).resolves.toMatchObject({
      status: 200,
      body: { ok: true },
    });
    expect(requests[0]).toMatchObject({ url: `${BASE}/api/admin/orders/1`, authorization: 'Bearer a1' });
  });

  it('refreshes once on a 401 and retries with the rotated token', async () => {
    const tokens = memoryTokenStore({ accessToken: 'expired', refreshToken: 'r1' });
    const { fetch, requests } = fakeFetch(({ url, authorization, body }) => {
      if (url.endsWith(REFRESH_PATH)) {
        expect(body).toEqual({ refreshToken: 'r1' });
        return json(200, { accessToken: 'a2', refreshToken: 'r2' });
      }
      return authorization === 'Bearer a2'
        ? json(200, { id: '1' })
        : problem(401, 'Unauthorized', 'MCART_ERR_UNAUTHORIZED');
    });
    const http = createHttpClient({ baseUrl: () => BASE, tokens, fetch });
    await expect(http.request('/api/admin/orders/1')).resolves.toMatchObject({ body: { id: '1' } });
    expect(tokens.get()).toEqual({ accessToken: 'a2', refreshToken: 'r2' });
    expect(requests.map((r) => r.url.replace(BASE, ''))).toEqual([
      '/api/admin/orders/1',
      REFRESH_PATH,
      '/api/admin/orders/1',
    ]);
  });

  it('sends extra headers, and again on the retry after a refresh (the same Idempotency-Key)', async () => {
    const tokens = memoryTokenStore({ accessToken: 'expired', refreshToken: 'r1' });
    const { fetch, requests } = fakeFetch(({ url, authorization }) => {
      if (url.endsWith(REFRESH_PATH)) return json(200, { accessToken: 'a2', refreshToken: 'r2' });
      return authorization === 'Bearer a2'
        ? json(201, { lines: [] })
        : problem(401, 'Unauthorized', 'MCART_ERR_UNAUTHORIZED');
    });
    const http = createHttpClient({ baseUrl: () => BASE, tokens, fetch });
    await http.request('/api/admin/inventory/receipts/batch', {
      method: 'POST',
      body: { lines: [] },
      headers: { 'Idempotency-Key': 'key-1' },
    });
    expect(requests.filter((r) => !r.url.endsWith(REFRESH_PATH)).map((r) => r.idempotencyKey)).toEqual([
      'key-1',
      'key-1',
    ]);
  });

  it('spends the single-use refresh token only once when several requests hit a 401 together', async () => {
    const tokens = memoryTokenStore({ accessToken: 'expired', refreshToken: 'r1' });
    let refreshes = 0;
    const { fetch } = fakeFetch(async ({ url, authorization }) => {
      if (url.endsWith(REFRESH_PATH)) {
        refreshes += 1;
        await new Promise((resolve) => setTimeout(resolve, 10));
        return json(200, { accessToken: 'a2', refreshToken: 'r2' });
      }
      return authorization === 'Bearer a2'
        ? json(200, { url })
        : problem(401, 'Unauthorized', 'MCART_ERR_UNAUTHORIZED');
    });
    const http = createHttpClient({ baseUrl: () => BASE, tokens, fetch });
    const results = await Promise.all(['/a', '/b', '/c'].map((path) => http.request(path)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(refreshes).toBe(1);
  });

  it('gives up after one refresh and drops a session the server revoked', async () => {
    const tokens = memoryTokenStore({ accessToken: 'expired', refreshToken: 'spent' });
    const { fetch, requests } = fakeFetch(() => problem(401, 'Unauthorized', 'MCART_ERR_UNAUTHORIZED'));
    const http = createHttpClient({ baseUrl: () => BASE, tokens, fetch });
    await expect(http.request('/api/admin/orders')).rejects.toMatchObject({
      status: 401,
      message: 'Unauthorized',
    });
    expect(requests).toHaveLength(2);
    expect(tokens.get()).toBeNull();
  });

  it('reports an unreachable server as a network error, not a sign-out', async () => {
    const tokens = memoryTokenStore({ accessToken: 'a1', refreshToken: 'r1' });
    const http = createHttpClient({
      baseUrl: () => BASE,
      tokens,
      fetch: (() => Promise.reject(new TypeError('fetch failed'))) as typeof fetch,
    });
    await expect(http.request('/api/admin/orders')).rejects.toMatchObject({
      status: 0,
      message: 'mcart.error.network',
    });
    expect(tokens.get()).not.toBeNull();
  });

  it('does not revive a session the user signed out of while its refresh was in flight', async () => {
    const tokens = memoryTokenStore({ accessToken: 'expired', refreshToken: 'r1' });
    let answerRefresh!: () => void;
    const refreshAnswered = new Promise<void>((resolve) => (answerRefresh = resolve));
    let refreshSent!: () => void;
    const refreshStarted = new Promise<void>((resolve) => (refreshSent = resolve));
    const { fetch, requests } = fakeFetch(async ({ url }) => {
      if (url.endsWith(REFRESH_PATH)) {
        refreshSent();
        await refreshAnswered;
        return json(200, { accessToken: 'a2', refreshToken: 'r2' });
      }
      return problem(401, 'Unauthorized', 'MCART_ERR_UNAUTHORIZED');
    });
    const http = createHttpClient({ baseUrl: () => BASE, tokens, fetch });
    const pending = http.request('/api/admin/orders');
    await refreshStarted;
    tokens.clear(); // Logout
    answerRefresh();
    await expect(pending).rejects.toMatchObject({ status: 401 });
    expect(tokens.get()).toBeNull();
    // No retry with the dropped tokens either.
    expect(requests.map((r) => r.url.replace(BASE, ''))).toEqual(['/api/admin/orders', REFRESH_PATH]);
  });

  it('keeps the session of a new sign-in made while an old refresh was in flight, and retries with it', async () => {
    const tokens = memoryTokenStore({ accessToken: 'expired', refreshToken: 'r1' });
    let answerRefresh!: (response: Response) => void;
    const refreshAnswer = new Promise<Response>((resolve) => (answerRefresh = resolve));
    let refreshSent!: () => void;
    const refreshStarted = new Promise<void>((resolve) => (refreshSent = resolve));
    const { fetch, requests } = fakeFetch(({ url, authorization }) => {
      if (url.endsWith(REFRESH_PATH)) {
        refreshSent();
        return refreshAnswer;
      }
      return authorization === 'Bearer fresh'
        ? json(200, { id: '1' })
        : problem(401, 'Unauthorized', 'MCART_ERR_UNAUTHORIZED');
    });
    const http = createHttpClient({ baseUrl: () => BASE, tokens, fetch });
    const pending = http.request('/api/admin/orders/1');
    await refreshStarted;
    tokens.clear(); // Logout...
    tokens.set({ accessToken: 'fresh', refreshToken: 'new-login' }); // ...and sign in again.
    // The old session's refresh token was revoked by the logout: the server refuses it.
    answerRefresh(problem(401, 'Unauthorized', 'MCART_ERR_UNAUTHORIZED'));
    await expect(pending).resolves.toMatchObject({ body: { id: '1' } });
    expect(tokens.get()).toEqual({ accessToken: 'fresh', refreshToken: 'new-login' });
    expect(requests.at(-1)).toMatchObject({ authorization: 'Bearer fresh' });
  });

  it('does not send the token to endpoints marked unauthenticated', async () => {
    const tokens = memoryTokenStore({ accessToken: 'a1', refreshToken: 'r1' });
    const { fetch, requests } = fakeFetch(() => new Response(null, { status: 204 }));
    const http = createHttpClient({ baseUrl: () => '', tokens, fetch });
    await expect(http.request('/health', { auth: false })).resolves.toMatchObject({
      status: 204,
      body: undefined,
    });
    expect(requests[0]).toMatchObject({ url: '/health', authorization: null });
  });
});

describe('appendQuery', () => {
  it('repeats array values, flattens nested filters and skips empty ones', () => {
    const params = appendQuery(new URLSearchParams(), {
      status: ['paid', 'shipped'],
      q: 'shirt',
      empty: '',
      none: null,
      inStock: true,
      price: { gte: 1000 },
      since: new Date('2025-01-02T03:04:05.000Z'),
    });
    expect(params.toString()).toBe(
      'status=paid&status=shipped&q=shirt&inStock=true&price.gte=1000&since=2025-01-02T03%3A04%3A05.000Z',
    );
  });
});
