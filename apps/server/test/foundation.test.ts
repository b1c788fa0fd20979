import { describe, expect, it } from 'vitest';
import { staffToken, TEST_OWNER, useTestApp } from './app.ts';

const { app } = await useTestApp();

describe('health', () => {
  it('answers liveness and readiness', async () => {
    expect((await app.inject('/health')).json()).toEqual({ status: 'ok' });
    const ready = await app.inject('/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready' });
  });
});

describe('database sessions', () => {
  it('end a transaction left idle after a minute, on the ORM pool and the read pool, and name themselves', async () => {
    const sql = `SELECT current_setting('idle_in_transaction_session_timeout') AS idle, current_setting('application_name') AS name`;
    const [orm] = await app.orm.em.fork().execute<{ idle: string; name: string }[]>(sql);
    const { rows } = await app.readPool.query<{ idle: string; name: string }>(sql);
    expect(orm).toEqual({ idle: '1min', name: 'mcart' });
    expect(rows[0]).toEqual({ idle: '1min', name: 'mcart' });
  });
});

describe('errors are problem+json', () => {
  it('answers a path parameter longer than any name with a 414 problem, and a bad URL with a 400 problem', async () => {
    const long = await app.inject(`/api/store/products/${'a'.repeat(300)}`);
    expect(long.statusCode).toBe(414);
    expect(long.headers['content-type']).toContain('application/problem+json');
    expect(long.json()).toMatchObject({ status: 414, code: 'MCART_ERR_URI_TOO_LONG' });
    const fits = await app.inject(`/api/store/products/${'a'.repeat(200)}`);
    expect(fits.statusCode).toBe(404);
    const bad = await app.inject('/api/store/products/%E0%A4%A');
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json()).toMatchObject({ status: 400, code: 'MCART_ERR_BAD_REQUEST' });
  });

  it('gives unknown routes a 404 problem', async () => {
    const response = await app.inject('/api/nope');
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ status: 404, code: 'MCART_ERR_NOT_FOUND', title: 'Not found' });
  });

  it('refuses malformed JSON with 400', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/admin/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": ',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'MCART_ERR_MALFORMED_JSON',
      errors: [{ path: 'body', message: 'is not valid JSON' }],
    });
  });

  it('refuses a wrong content type with 415', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/admin/auth/login',
      headers: { 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(response.statusCode).toBe(415);
    expect(response.json()).toMatchObject({
      code: 'MCART_ERR_UNSUPPORTED_MEDIA_TYPE',
      errors: [{ path: 'headers/content-type' }],
    });
  });

  it('names the URL when its path is not valid percent-encoding', async () => {
    const response = await app.inject({ url: '/api/store/products/%FF' });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({
      code: 'MCART_ERR_BAD_REQUEST',
      errors: [{ path: 'url', message: 'is not valid percent-encoding' }],
    });
  });

  it('refuses an over-large body with 413', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/admin/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ code: 'MCART_ERR_BODY_TOO_LARGE', errors: [{ path: 'body' }] });
  });

  it('lists field errors and refuses unknown fields', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/admin/auth/login',
      payload: { email: 'owner@mcart.test', role: 'owner' },
    });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.code).toBe('MCART_ERR_VALIDATION');
    expect(body.errors).toEqual(
      expect.arrayContaining([
        { path: 'body/password', message: expect.any(String) },
        { path: 'body/role', message: 'is not allowed' },
      ]),
    );
  });
});

describe('text the database cannot store', () => {
  it('refuses U+0000 in a path, a query or a body with 400 and its place, on store and admin routes', async () => {
    const owner = { authorization: await staffToken(app) };
    const search = await app.inject('/api/store/products?q=%00');
    expect(search.statusCode).toBe(400);
    expect(search.json()).toMatchObject({
      code: 'MCART_ERR_VALIDATION',
      errors: [{ path: 'querystring/q' }],
    });
    expect((await app.inject('/api/store/products/a%00b')).json()).toMatchObject({
      errors: [{ path: 'params/idOrSlug' }],
    });
    const created = await app.inject({
      method: 'POST',
      url: '/api/admin/categories',
      headers: owner,
      payload: { name: 'a\u0000b' },
    });
    expect(created.statusCode).toBe(400);
    expect(created.json()).toMatchObject({ errors: [{ path: 'body/name', message: 'contains U+0000' }] });
  });

  it("refuses line breaks and other control characters in a checkout's shipping address, naming each line", async () => {
    const controls = 'must not hold line breaks, tabs or other control characters';
    const address = {
      name: 'Ann\nURGENT: call +1 555 0100',
      company: 'Acme\r\nInc',
      line1: '22 Acacia\tAvenue',
      line2: 'Unit\u20282',
      city: 'Portland\u0085',
      region: 'O\u001bR',
      postalCode: '97201\n',
      country: 'US',
    };
    const response = await app.inject({
      method: 'POST',
      url: '/api/store/carts/0b5f3c9e-2a4d-4f7e-9c1b-3d2e1f0a9b8c/checkout',
      headers: { 'idempotency-key': 'control-characters' },
      payload: { email: 'ann@example.com', shippingAddress: address, payment: { provider: 'test' } },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual(
      ['name', 'company', 'line1', 'line2', 'city', 'region', 'postalCode'].map((line) => ({
        path: `body/shippingAddress/${line}`,
        message: controls,
      })),
    );
  });

  it('serves a product whose slug is as long as slugs may be', async () => {
    const owner = { authorization: await staffToken(app) };
    const slug = `long-${'x'.repeat(190)}`;
    const product = await app.inject({
      method: 'POST',
      url: '/api/admin/products',
      headers: owner,
      payload: {
        title: 'Long slug',
        slug,
        status: 'active',
        variants: [{ sku: 'LONG-SLUG-1', price: { amount: 100, currency: 'USD' } }],
      },
    });
    expect(product.statusCode, product.body).toBe(201);
    const page = await app.inject(`/api/store/products/${slug}`);
    expect(page.statusCode, page.body).toBe(200);
  });
});

describe('staff sign-in', () => {
  it('signs the owner in and knows their permissions', async () => {
    const login = await app.inject({ method: 'POST', url: '/api/admin/auth/login', payload: TEST_OWNER });
    expect(login.statusCode).toBe(200);
    const body = login.json();
    expect(body.staff).toMatchObject({ email: TEST_OWNER.email, role: 'owner' });
    expect(body.accessToken).toEqual(expect.any(String));
    expect(body.refreshToken).toEqual(expect.any(String));
    const me = await app.inject({
      url: '/api/admin/auth/me',
      headers: { authorization: `Bearer ${body.accessToken}` },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json().permissions).toContain('staff:manage');
  });

  it('answers a wrong password and an unknown e-mail the same way', async () => {
    const wrongPassword = await app.inject({
      method: 'POST',
      url: '/api/admin/auth/login',
      payload: { email: TEST_OWNER.email, password: 'not the password' },
    });
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/admin/auth/login',
      payload: { email: 'nobody@mcart.test', password: 'not the password' },
    });
    expect(wrongPassword.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    const strip = (body: Record<string, unknown>) => ({ ...body, instance: undefined });
    expect(strip(wrongPassword.json())).toEqual(strip(unknown.json()));
  });

  it('refuses a missing, bad or unsigned token with 401', async () => {
    expect((await app.inject('/api/admin/auth/me')).statusCode).toBe(401);
    const bad = await app.inject({ url: '/api/admin/auth/me', headers: { authorization: 'Bearer nope' } });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().code).toBe('MCART_ERR_UNAUTHORIZED');
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(
      JSON.stringify({ sub: 'x', kind: 'staff', role: 'owner', sid: 'x', iss: 'mcart', aud: 'mcart:staff' }),
    ).toString('base64url');
    const none = await app.inject({
      url: '/api/admin/auth/me',
      headers: { authorization: `Bearer ${header}.${payload}.` },
    });
    expect(none.statusCode).toBe(401);
  });

  it('rotates refresh tokens and revokes the family on reuse', async () => {
    const login = (
      await app.inject({ method: 'POST', url: '/api/admin/auth/login', payload: TEST_OWNER })
    ).json();
    const first = await app.inject({
      method: 'POST',
      url: '/api/admin/auth/refresh',
      payload: { refreshToken: login.refreshToken },
    });
    expect(first.statusCode).toBe(200);
    const rotated = first.json();
    const replay = await app.inject({
      method: 'POST',
      url: '/api/admin/auth/refresh',
      payload: { refreshToken: login.refreshToken },
    });
    expect(replay.statusCode).toBe(401);
    // The replay revoked the family: the rotated token and its access token stop working too.
    const next = await app.inject({
      method: 'POST',
      url: '/api/admin/auth/refresh',
      payload: { refreshToken: rotated.refreshToken },
    });
    expect(next.statusCode).toBe(401);
    const me = await app.inject({
      url: '/api/admin/auth/me',
      headers: { authorization: `Bearer ${rotated.accessToken}` },
    });
    expect(me.statusCode).toBe(401);
  });

  it('logs out', async () => {
    const login = (
      await app.inject({ method: 'POST', url: '/api/admin/auth/login', payload: TEST_OWNER })
    ).json();
    const logout = await app.inject({
      method: 'POST',
      url: '/api/admin/auth/logout',
      payload: { refreshToken: login.refreshToken },
    });
    expect(logout.statusCode).toBe(204);
    const me = await app.inject({
      url: '/api/admin/auth/me',
      headers: { authorization: `Bearer ${login.accessToken}` },
    });
    expect(me.statusCode).toBe(401);
    expect(await staffToken(app)).toMatch(/^Bearer /);
  });
});

describe('OpenAPI', () => {
  it('serves the document', async () => {
    const response = await app.inject('/api/openapi.json');
    expect(response.statusCode).toBe(200);
    const doc = response.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/api/admin/auth/login']).toBeDefined();
  });

  it("documents every error as application/problem+json, a file route's too, and its success as it is", async () => {
    type Responses = Record<string, { content?: Record<string, unknown> }>;
    const doc = (await app.inject('/api/openapi.json')).json<{
      paths: Record<string, Record<string, { responses?: Responses }>>;
    }>();
    const errorTypes = new Set<string>();
    for (const operations of Object.values(doc.paths))
      for (const operation of Object.values(operations))
        for (const [status, response] of Object.entries(operation.responses ?? {}))
          if (/^[45]/.test(status))
            for (const type of Object.keys(response.content ?? {})) errorTypes.add(type);
    expect([...errorTypes]).toEqual(['application/problem+json']);
    const label = doc.paths['/api/admin/shipments/{id}/label']!.get!.responses!;
    expect(Object.keys(label['404']!.content!)).toEqual(['application/problem+json']);
    expect(Object.keys(label['200']!.content!)).not.toContain('application/problem+json');
    // And the server answers errors so.
    const missing = await app.inject('/api/store/products/no-such-product');
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});

describe('CORS', () => {
  const preflight = (origin: string) =>
    app.inject({
      method: 'OPTIONS',
      url: '/api/admin/auth/login',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });

  it('allows the desktop app and configured origins only', async () => {
    expect((await preflight('app://mcart')).headers['access-control-allow-origin']).toBe('app://mcart');
    expect((await preflight('https://evil.example')).headers['access-control-allow-origin']).toBeUndefined();
  });
});
