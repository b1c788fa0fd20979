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

describe('error logs', () => {
  /** What the error handler logs for an unexpected error, for the error PostgreSQL raised. */
  const logged = async (fail: () => Promise<unknown>) => {
    const error = await fail().then(
      () => expect.unreachable('the statement should fail'),
      (err: unknown) => err,
    );
    const from = lines.length;
    app.log.error({ err: error }, 'unexpected error');
    return {
      entry: JSON.parse(lines[from]!) as { err: Record<string, unknown> },
      text: lines.slice(from).join(''),
    };
  };

  it("keep a database error's code, the objects it names and where it failed, never the values", async () => {
    const email = 'ada.lovelace@example.test';
    const duplicate = await logged(() =>
      app.orm.em.fork().transactional(async (tx) => {
        await tx.execute('CREATE TEMPORARY TABLE signup (email text CONSTRAINT signup_email UNIQUE)');
        await tx.execute('INSERT INTO signup (email) VALUES (?), (?)', [email, email]);
      }),
    );
    // PostgreSQL put the row in `detail` ("Key (email)=(ada…) already exists."), knex the values in the message.
    expect(duplicate.text).not.toContain('ada.lovelace');
    expect(duplicate.entry.err).toMatchObject({
      type: 'UniqueConstraintViolationException',
      code: '23505',
      table: 'signup',
      constraint: 'signup_email',
    });
    expect(duplicate.entry.err.stack).toMatch(/^\s+at /);

    const cast = await logged(() => app.orm.em.fork().execute('SELECT ?::uuid', [email]));
    expect(cast.text).not.toContain('ada.lovelace');
    expect(cast.entry.err).toMatchObject({ code: '22P02' });
  });

  it('keep any other error whole', async () => {
    const { entry } = await logged(() => Promise.reject(new TypeError('cannot read "x" of undefined')));
    expect(entry.err).toMatchObject({ type: 'TypeError', message: 'cannot read "x" of undefined' });
  });
});
