import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { staffToken, useTestApp } from './app.ts';
import { registerCustomer } from './identity/helpers.ts';
import { loggedUrl } from '../src/app.ts';

/** Request logs at `info` (the production default), captured in memory instead of stdout. */
const { app } = await useTestApp({ LOG_LEVEL: 'info' });
const lines: string[] = [];
// Every request logger is a pino child of app.log and inherits its stream.
(app.log as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] = {
  write: (line: string) => {
    lines.push(line);
  },
};

interface LoggedRequest {
  method: string;
  url: string;
  remoteAddress?: string;
  headers?: unknown;
}
/** The `req` of every "incoming request" line logged since `from`. */
const loggedRequests = (from: number): LoggedRequest[] =>
  lines
    .slice(from)
    .map((line) => JSON.parse(line) as { msg: string; req?: LoggedRequest })
    .filter((entry) => entry.msg === 'incoming request')
    .map((entry) => entry.req!);

describe('request logs', () => {
  it('keep no personal data from query strings: searches, OAuth callbacks and tokens are logged without values', async () => {
    const owner = { authorization: await staffToken(app) };
    const customer = await registerCustomer(app);
    const email = encodeURIComponent(customer.email);
    const from = lines.length;
    const requests = [
      `/api/admin/orders?email=${email}&page=2&perPage=10&sort=createdAt&order=DESC&status=paid`,
      `/api/admin/customers?q=${email}`,
      `/api/admin/customers?q=Lovelace&page=1`,
      '/api/store/auth/oauth/google/callback?code=4%2F0AQlEd8-secret-code&state=secret-state-value',
      '/api/store/orders/lookup?token=secret-link-token',
    ];
    for (const url of requests) await app.inject({ url, headers: owner });

    const logged = loggedRequests(from);
    expect(logged.map((req) => req.url)).toEqual([
      '/api/admin/orders?email=~&page=2&perPage=10&sort=createdAt&order=DESC&status=paid',
      '/api/admin/customers?q=~',
      '/api/admin/customers?q=~&page=1',
      '/api/store/auth/oauth/google/callback?code=~&state=~',
      '/api/store/orders/lookup?token=~',
    ]);
    // Still a request log: method and peer; never the headers (the bearer token).
    expect(logged[0]).toMatchObject({ method: 'GET', remoteAddress: '127.0.0.1' });
    expect(logged[0]!.headers).toBeUndefined();
    const text = lines.slice(from).join('');
    for (const secret of [
      email,
      customer.email,
      'Lovelace',
      'secret-code',
      'secret-state-value',
      'secret-link-token',
      owner.authorization.slice(7),
    ])
      expect(text).not.toContain(secret);
  });

  it('keep the path and the values of paging, sorting and status keys only', () => {
    expect(loggedUrl('/api/admin/products')).toBe('/api/admin/products');
    expect(loggedUrl('/api/admin/products?')).toBe('/api/admin/products');
    expect(loggedUrl('/api/admin/products?page=3&limit=50&cursor=abc&q=Ada%20Lovelace')).toBe(
      '/api/admin/products?page=3&limit=50&cursor=abc&q=~',
    );
    // A value of a kept key is capped; a key that is no parameter name is left out.
    expect(loggedUrl(`/x?sort=${'s'.repeat(100)}&ada%40example.test=1&sort=name`)).toBe(
      `/x?sort=${'s'.repeat(64)}&sort=name`,
    );
    expect(loggedUrl('/x?status=a%20b&order=ASC')).toBe('/x?status=a%20b&order=ASC');
  });
});
