import Fastify from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DriverException } from '@mikro-orm/core';
import { knex } from '@mikro-orm/postgresql';
import { classifyError, registerErrorHandling } from './errors.ts';
import {
  AJV_SERVER_OPTIONS,
  DateOrTime,
  isDateOrTime,
  listQuery,
  MoneyDto,
  NOT_BLANK_SINGLE_LINE_PATTERN,
  SINGLE_LINE_PATTERN,
  SingleLine,
  utcInstant,
} from './schemas.ts';

const app = Fastify({ ajv: AJV_SERVER_OPTIONS }).withTypeProvider<TypeBoxTypeProvider>();

beforeAll(async () => {
  registerErrorHandling(app);
  app.addSchema(MoneyDto);
  app.get(
    '/list',
    {
      schema: {
        querystring: listQuery({ from: Type.Optional(DateOrTime('since')) }, [
          'createdAt',
          'total',
          'number',
        ]),
      },
    },
    async () => ({}),
  );
  app.post(
    '/price',
    {
      schema: {
        body: Type.Object(
          {
            compareAt: Type.Union([
              Type.Object({ amount: Type.Integer({ minimum: 0 }), currency: Type.String() }),
              Type.Null(),
            ]),
            status: Type.Union([Type.Literal('draft'), Type.Literal('active'), Type.Null()]),
          },
          { additionalProperties: false },
        ),
      },
    },
    async () => ({}),
  );
  app.post(
    '/formats/:id',
    {
      schema: {
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: Type.Object({
          at: Type.Optional(Type.String({ format: 'date-time' })),
          day: Type.Optional(Type.String({ format: 'date' })),
        }),
      },
    },
    async () => ({}),
  );
  app.post(
    '/lines',
    {
      schema: {
        body: Type.Object(
          {
            name: SingleLine({ maxLength: 100 }),
            company: Type.Optional(SingleLine({ maxLength: 100, blank: true })),
            lines: Type.Optional(Type.Array(SingleLine({ maxLength: 10_000_000 }))),
          },
          { additionalProperties: false },
        ),
        querystring: Type.Object({ label: Type.Optional(SingleLine({ maxLength: 100 })) }),
      },
    },
    async () => ({}),
  );
  // What a request meets when every pooled connection stays busy longer than the pool lets it wait.
  const poolTimeouts: Record<string, () => Error> = {
    // knex (the ORM) as `em.transactional` throws it, and as MikroORM wraps it for a query.
    knex: () => knexAcquireTimeout(),
    'knex-wrapped': () => new DriverException(knexAcquireTimeout()),
    // pg-pool (app.readPool).
    pg: () => new Error('timeout exceeded when trying to connect'),
  };
  app.get('/pool-timeout/:kind', async (request) => {
    throw poolTimeouts[(request.params as { kind: string }).kind]!();
  });
  app.get('/sql-state/:state', async (request) => {
    throw Object.assign(new Error('refused by PostgreSQL'), {
      code: (request.params as { state: string }).state,
    });
  });
  await app.ready();
});
afterAll(() => app.close());

/** knex's own error for a pool that gave up (knex/lib/client.js `acquireConnection`). */
const knexAcquireTimeout = () =>
  new knex.KnexTimeoutError(
    'Knex: Timeout acquiring a connection. The pool is probably full. Are you missing a .transacting(trx) call?',
  );

describe('a full connection pool', () => {
  it('answers 503 MCART_ERR_UNAVAILABLE with Retry-After, not a 500, whichever pool gave up', async () => {
    for (const kind of ['knex', 'knex-wrapped', 'pg']) {
      const response = await app.inject(`/pool-timeout/${kind}`);
      expect(response.statusCode, kind).toBe(503);
      expect(response.headers['retry-after'], kind).toBe('5');
      expect(response.headers['content-type'], kind).toContain('application/problem+json');
      expect(response.json(), kind).toMatchObject({
        status: 503,
        code: 'MCART_ERR_UNAVAILABLE',
        detail: 'No database connection became free in time; retry shortly',
      });
    }
  });

  it('is expected, not a bug: no "unexpected error" log line; other timeouts keep their own meaning', () => {
    expect(classifyError(knexAcquireTimeout()).unexpected).toBe(false);
    // knex's query timeout (`.timeout(ms)`) is not about the pool; MikroORM does not use it.
    expect(
      classifyError(new knex.KnexTimeoutError('Defined query timeout of 10ms exceeded')).appError.status,
    ).toBe(500);
    // A connection that could not be opened in time is not a pool wait either: the database is unreachable
    // (still a 503 to retry, ADR 0055, but not worded as a full pool).
    expect(
      classifyError(new Error('Connection terminated due to connection timeout')).appError,
    ).toMatchObject({ status: 503, detail: 'The database cannot be reached; retry shortly' });
  });
});

describe('formats as PostgreSQL takes them', () => {
  const id = '0b5f3c9e-2a4d-4f7e-9c1b-3d2e1f0a9b8c';
  const post = (path: string, body: object = {}) => app.inject({ method: 'POST', url: path, payload: body });

  it('a uuid is only the 36 characters PostgreSQL reads, not the urn:uuid: form', async () => {
    expect((await post(`/formats/${id}`)).statusCode).toBe(200);
    expect((await post(`/formats/${id.toUpperCase()}`)).statusCode).toBe(200);
    const urn = await post(`/formats/urn:uuid:${id}`);
    expect(urn.statusCode).toBe(400);
    expect(urn.json().errors).toEqual([{ path: 'params/id', message: 'must match format "uuid"' }]);
  });

  it('a date or date-time is a real day from year 1 (PostgreSQL has no year 0)', async () => {
    for (const at of [
      '2026-12-01T08:30:00Z',
      '2026-12-01t08:30:00.123+05:30',
      '2016-12-31T23:59:60Z',
      '0001-01-01T00:00:00Z',
    ])
      expect((await post(`/formats/${id}`, { at })).statusCode, at).toBe(200);
    for (const at of [
      '0000-01-01T00:00:00Z',
      '2026-02-29T10:00:00Z',
      '2026-12-01T24:00:00Z',
      '2026-12-01T08:30',
      '2026-12-01',
    ])
      expect((await post(`/formats/${id}`, { at })).statusCode, at).toBe(400);
    expect((await post(`/formats/${id}`, { day: '2028-02-29' })).statusCode).toBe(200);
    for (const day of ['0000-03-01', '2026-02-29', '2026-12-01T00:00:00Z'])
      expect((await post(`/formats/${id}`, { day })).statusCode, day).toBe(400);
  });

  it("a value PostgreSQL refuses that got past the checks is the request's error (400), not a 500", async () => {
    for (const state of ['22003', '22008', '22007', '22P02']) {
      const response = await app.inject(`/sql-state/${state}`);
      expect(response.statusCode, state).toBe(400);
      expect(response.json()).toMatchObject({ code: 'MCART_ERR_VALIDATION' });
    }
    expect((await app.inject('/sql-state/XX000')).statusCode).toBe(500);
  });
});

describe('validation errors', () => {
  it('name a union of constants once, with the values allowed', async () => {
    const response = await app.inject('/list?sort=bogus&order=up');
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([
      { path: 'querystring/sort', message: 'must be one of: "createdAt", "total", "number"' },
      { path: 'querystring/order', message: 'must be one of: "ASC", "DESC"' },
    ]);
  });

  it('report what is wrong with a nullable value, not that it is not null', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/price',
      payload: { compareAt: { amount: -1, currency: 'USD' }, status: 'gone' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([
      { path: 'body/compareAt/amount', message: 'must be >= 0' },
      { path: 'body/status', message: 'must be one of: "draft", "active", null' },
    ]);
  });

  it('accept the values allowed', async () => {
    expect((await app.inject('/list?sort=total&order=ASC')).statusCode).toBe(200);
    const ok = await app.inject({
      method: 'POST',
      url: '/price',
      payload: { compareAt: null, status: null },
    });
    expect(ok.statusCode).toBe(200);
  });
});

describe('dates in queries', () => {
  it('take a date or a date-time that exists, and refuse one that does not with the field named', async () => {
    for (const ok of [
      '2028-02-29',
      '2026-12-01T08:30',
      '2026-12-01 08:30:59.5+01:00',
      '2026-12-01T23:59:59Z',
    ])
      expect(isDateOrTime(ok), ok).toBe(true);
    for (const bad of [
      '2026-13-45',
      '2026-02-29',
      '2026-04-31',
      '2026-12-01T24:00',
      '2026-12-01T10:60',
      '0000-01-01',
    ])
      expect(isDateOrTime(bad), bad).toBe(false);
    expect(isDateOrTime('2026-12-01T10:00+16:00')).toBe(false);
    expect(isDateOrTime('12/01/2026')).toBe(false);
    // Bound in SQL as UTC unless they name their offset, whatever the database session's zone.
    expect(
      [
        '2026-12-01',
        '2026-12-01 08:30',
        '2026-12-01T08:30:00.5',
        '2026-12-01T08:30Z',
        '2026-12-01T08:30-0500',
      ].map(utcInstant),
    ).toEqual([
      '2026-12-01T00:00:00Z',
      '2026-12-01 08:30Z',
      '2026-12-01T08:30:00.5Z',
      '2026-12-01T08:30Z',
      '2026-12-01T08:30-0500',
    ]);

    expect((await app.inject('/list?from=2028-02-29')).statusCode).toBe(200);
    const response = await app.inject('/list?from=2026-13-45');
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([
      { path: 'querystring/from', message: 'must match format "date-or-time"' },
    ]);
  });
});

describe('single lines of text (SingleLine)', () => {
  const post = (body: object, query = '') =>
    app.inject({ method: 'POST', url: `/lines${query}`, payload: body });

  it('refuses line breaks, tabs and other control characters, naming the field; a blank one is "blank"', async () => {
    const refused = await post({
      name: 'Ada,\n\nURGENT: call us',
      company: 'Acme\r\nEvil',
      lines: ['ok', 'tab\there', 'nel\u0085', 'separator\u2028line'],
    });
    expect(refused.statusCode).toBe(400);
    const controls = 'must not hold line breaks, tabs or other control characters';
    expect(refused.json().errors).toEqual([
      { path: 'body/name', message: controls },
      { path: 'body/company', message: controls },
      { path: 'body/lines/1', message: controls },
      { path: 'body/lines/2', message: controls },
      { path: 'body/lines/3', message: controls },
    ]);
    // Blank (whatever blanks it holds) is said as before; an optional field may be blank.
    for (const name of ['   ', '\t', ' \n ']) {
      const blank = await post({ name, company: '  ' });
      expect(blank.json().errors, JSON.stringify(name)).toEqual([
        { path: 'body/name', message: 'must not be blank' },
      ]);
    }
    const query = await post({ name: 'Ada' }, '?label=a%0Ab');
    expect(query.json().errors).toEqual([{ path: 'querystring/label', message: controls }]);
  });

  it('takes any other text: accents, scripts, emoji, joiners, inner spaces', async () => {
    for (const name of [
      'Ada Lovelace',
      'Zoë Ñúñez-O’Brien',
      '李小龍',
      'محمد\u200c',
      '👩\u200d💻 Dev',
      ' padded ',
    ]) {
      const response = await post({ name, company: '', lines: [name] });
      expect(response.statusCode, `${JSON.stringify(name)}: ${response.body}`).toBe(200);
    }
  });

  it('means exactly the Unicode control characters (\\p{Cc}) and the line and paragraph separators', () => {
    const line = new RegExp(SINGLE_LINE_PATTERN, 'u');
    const notBlank = new RegExp(NOT_BLANK_SINGLE_LINE_PATTERN, 'u');
    const refused = (char: string) => /\p{Cc}/u.test(char) || char === '\u2028' || char === '\u2029';
    const disagreeing: string[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue; // lone surrogates: no text
      const char = String.fromCharCode(code);
      const taken = !refused(char);
      if (line.test(`a${char}b`) !== taken || notBlank.test(`a${char}b`) !== taken)
        disagreeing.push(code.toString(16));
    }
    expect(disagreeing).toEqual([]);
    // Read the same without the `u` flag (a client using the published pattern as is).
    expect(new RegExp(NOT_BLANK_SINGLE_LINE_PATTERN).test('pCc{}')).toBe(true);
    expect(new RegExp(NOT_BLANK_SINGLE_LINE_PATTERN).test('a\nb')).toBe(false);
  });

  it('checks a megabyte-long value in linear time (no backtracking blow-up)', async () => {
    const started = performance.now();
    // Under Fastify's default 1 MiB body limit: 800 000 characters in all.
    const response = await post({ name: 'Ada', lines: [`${'a '.repeat(200_000)}\n`, ' '.repeat(400_000)] });
    expect(response.json().errors, response.body.slice(0, 200)).toEqual([
      { path: 'body/lines/0', message: 'must not hold line breaks, tabs or other control characters' },
      { path: 'body/lines/1', message: 'must not be blank' },
    ]);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
