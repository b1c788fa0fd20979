import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { useTestApp } from '../../test/app.ts';
import { AppError, CommonErrors, defineError, registerErrorHandling } from './errors.ts';
import { runIdempotent, runIdempotentTransaction, type IdempotentAnswer } from './idempotency.ts';
import { prepared } from './prepared.ts';

/*
 * The idempotency store on its own: a small server on the test database whose routes run handlers the tests hold
 * and release, so every interleaving below is forced, not hoped for.
 */
const { app: mcart } = await useTestApp();
const orm = mcart.orm;
const fork = () => orm.em.fork() as EntityManager;
await prepared(fork(), `CREATE TABLE idem_work (id serial PRIMARY KEY, note text NOT NULL)`);

type Handler = (em: EntityManager | null) => Promise<IdempotentAnswer>;
/** What the next request for a test's route does; set by the test. */
const handlers = new Map<string, Handler>();
const runs = new Map<string, number>();

const server: FastifyInstance = Fastify();
server.decorate('orm', orm);
server.decorateRequest('em', {
  getter() {
    const request = this as unknown as { ownEm?: EntityManager };
    return (request.ownEm ??= orm.em.fork() as EntityManager);
  },
});
registerErrorHandling(server);
const handle = (route: string, em: EntityManager | null) => {
  runs.set(route, (runs.get(route) ?? 0) + 1);
  return handlers.get(route)!(em);
};
server.post<{ Params: { route: string } }>('/plain/:route', (request, reply) =>
  runIdempotent(server, request, reply, { scope: scopeOf(request) }, () =>
    handle(request.params.route, null),
  ),
);
server.post<{ Params: { route: string } }>('/everything-final/:route', (request, reply) =>
  runIdempotent(server, request, reply, { scope: scopeOf(request), stores: () => true }, () =>
    handle(request.params.route, null),
  ),
);
server.post<{ Params: { route: string } }>('/transaction/:route', (request, reply) =>
  runIdempotentTransaction(server, request, reply, { scope: scopeOf(request) }, (em) =>
    handle(request.params.route, em),
  ),
);
// A route with a response schema: what it sends is the schema's serialization (its order, its fields only).
server.post<{ Params: { route: string } }>(
  '/schema/:route',
  {
    schema: {
      response: {
        201: {
          type: 'object',
          properties: { zeta: { type: 'integer' }, alpha: { type: 'integer' }, when: { type: 'string' } },
        },
      },
    },
  },
  (request, reply) =>
    runIdempotent(server, request, reply, { scope: scopeOf(request) }, () =>
      handle(request.params.route, null),
    ),
);
await server.ready();
afterAll(() => server.close());

function scopeOf(request: FastifyRequest): string {
  return `test:${String(request.headers['x-who'] ?? 'me')}`;
}

const send = (path: string, body: unknown, key?: string, who = 'me') =>
  server.inject({
    method: 'POST',
    url: path,
    payload: body as object,
    headers: { 'x-who': who, ...(key !== undefined ? { 'idempotency-key': key } : {}) },
  });

function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

async function keyRow(key: string, scope = 'test:me') {
  const [row] = await prepared<{ status: string; response_status: number | null }>(
    fork(),
    `SELECT status, response_status FROM idempotency_key WHERE scope = ? AND key = ?`,
    [scope, key],
  );
  return row ?? null;
}

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('timed out');
}

const ageClaim = (key: string) =>
  prepared(fork(), `UPDATE idempotency_key SET locked_at = now() - interval '1 hour' WHERE key = ?`, [key]);

let serial = 0;
const fresh = (name: string) => `${name}-${++serial}-${Date.now()}`;

describe('Idempotency-Key store', () => {
  it('replays a final answer, refuses another body (422) and keeps scopes apart', async () => {
    const route = fresh('replay');
    handlers.set(route, async () => ({ statusCode: 201, body: { run: runs.get(route) } }));
    const first = await send(`/plain/${route}`, { a: 1, b: [1, 2] }, 'k1');
    // The same body with its keys in another order is the same request.
    const again = await send(`/plain/${route}`, { b: [1, 2], a: 1 }, 'k1');
    const other = await send(`/plain/${route}`, { a: 2, b: [1, 2] }, 'k1');
    const someoneElse = await send(`/plain/${route}`, { a: 1, b: [1, 2] }, 'k1', 'you');
    expect([first.statusCode, again.statusCode, other.statusCode, someoneElse.statusCode]).toEqual([
      201, 201, 422, 201,
    ]);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual({ run: 1 });
    expect(other.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(other.json()).toMatchObject({ code: 'MCART_ERR_IDEMPOTENCY_MISMATCH' });
    expect(someoneElse.headers['idempotent-replayed']).toBeUndefined();
    expect(someoneElse.json()).toEqual({ run: 2 });
  });

  it('replays the very bytes of the first answer, as its response schema sent them', async () => {
    const route = fresh('bytes');
    handlers.set(route, async () => ({
      statusCode: 201,
      // Not in the schema's order, with a field the schema does not declare (never sent, nor replayed).
      body: { alpha: 1, internal: 'not for the client', when: '2026-12-07T10:00:00.500Z', zeta: 26 },
    }));
    const first = await send(`/schema/${route}`, { a: 1 }, 'bytes-1');
    const again = await send(`/schema/${route}`, { a: 1 }, 'bytes-1');
    expect(first.statusCode, first.body).toBe(201);
    expect(first.body).toBe('{"zeta":26,"alpha":1,"when":"2026-12-07T10:00:00.500Z"}');
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers['content-type']).toBe(first.headers['content-type']);
    expect(again.body).toBe(first.body);
    expect(runs.get(route)).toBe(1);
  });

  it('answers 409 to the same key while the first request runs, then replays its answer to everyone', async () => {
    const route = fresh('concurrent');
    const held = gate();
    handlers.set(route, async () => {
      await held.opened;
      return { statusCode: 201, body: { done: true } };
    });
    const first = send(`/plain/${route}`, {}, route);
    await until(async () => (await keyRow(route))?.status === 'in_progress');
    const during = await Promise.all([1, 2, 3].map(() => send(`/plain/${route}`, {}, route)));
    expect(during.map((answer) => answer.statusCode)).toEqual([409, 409, 409]);
    expect(during[0]!.json()).toMatchObject({ code: 'MCART_ERR_IDEMPOTENCY_IN_PROGRESS' });
    held.open();
    expect((await first).statusCode).toBe(201);
    const after = await Promise.all([1, 2, 3].map(() => send(`/plain/${route}`, {}, route)));
    expect(after.map((answer) => [answer.statusCode, answer.headers['idempotent-replayed']])).toEqual([
      [201, 'true'],
      [201, 'true'],
      [201, 'true'],
    ]);
    expect(runs.get(route)).toBe(1);
  });

  it('stores 402 as final but never a 5xx, even when the route says every answer is final', async () => {
    const declined = defineError('MCART_ERR_PAYMENT_DECLINED', 402, 'Declined');
    const paid = fresh('declined');
    handlers.set(paid, async () => {
      throw declined('card declined');
    });
    const first = await send(`/plain/${paid}`, {}, paid);
    const replay = await send(`/plain/${paid}`, {}, paid);
    expect([first.statusCode, replay.statusCode, replay.headers['idempotent-replayed']]).toEqual([
      402,
      402,
      'true',
    ]);
    expect(replay.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(replay.json()).toEqual(first.json());
    expect(runs.get(paid)).toBe(1);

    for (const [name, failure] of [
      ['thrown-500', () => Promise.reject(CommonErrors.internal('boom'))],
      ['thrown-503', () => Promise.reject(new AppError('MCART_ERR_UNAVAILABLE', 503, 'Unavailable'))],
      ['returned-500', () => Promise.resolve({ statusCode: 500, body: { failed: true } })],
      ['unexpected', () => Promise.reject(new Error('socket hang up'))],
    ] as const) {
      const route = fresh(name);
      handlers.set(route, failure);
      const failed = await send(`/everything-final/${route}`, {}, route);
      expect(failed.statusCode, name).toBeGreaterThanOrEqual(500);
      expect(await keyRow(route), name).toBeNull();
      // Fixed: the same key runs again.
      handlers.set(route, async () => ({ statusCode: 201, body: { ok: true } }));
      const retried = await send(`/everything-final/${route}`, {}, route);
      expect([retried.statusCode, retried.headers['idempotent-replayed']], name).toEqual([201, undefined]);
    }

    // A refusal (4xx other than 402) frees the key too: the request can be corrected and sent with it again.
    const refused = fresh('refused');
    handlers.set(refused, () => Promise.reject(CommonErrors.validation('bad')));
    expect((await send(`/plain/${refused}`, {}, refused)).statusCode).toBe(400);
    expect(await keyRow(refused)).toBeNull();
  });

  it('a first attempt that finishes after a retry took its stale claim over neither frees nor overwrites it', async () => {
    const route = fresh('stale');
    const slow = gate();
    const retry = gate();
    handlers.set(route, async () => {
      await slow.opened;
      throw CommonErrors.conflict('the slow attempt failed late');
    });
    const first = send(`/plain/${route}`, {}, route);
    await until(async () => (await keyRow(route))?.status === 'in_progress');
    await ageClaim(route);
    handlers.set(route, async () => {
      await retry.opened;
      return { statusCode: 201, body: { by: 'retry' } };
    });
    const second = send(`/plain/${route}`, {}, route);
    await until(async () => runs.get(route) === 2);

    // The first attempt fails now: its key is not its own any more, so it frees nothing.
    slow.open();
    expect((await first).statusCode).toBe(409);
    expect(await keyRow(route)).toEqual({ status: 'in_progress', response_status: null });
    const third = await send(`/plain/${route}`, {}, route);
    expect(third.json()).toMatchObject({ code: 'MCART_ERR_IDEMPOTENCY_IN_PROGRESS' });

    retry.open();
    expect((await second).json()).toEqual({ by: 'retry' });
    const replay = await send(`/plain/${route}`, {}, route);
    expect([replay.headers['idempotent-replayed'], replay.json()]).toEqual(['true', { by: 'retry' }]);
    expect(runs.get(route)).toBe(2);
  });

  it('in a transaction: the answer is stored with the work, a failure rolls both back and frees the key', async () => {
    const route = fresh('tx');
    const write = async (em: EntityManager | null, note: string) => {
      await prepared(em!, `INSERT INTO idem_work (note) VALUES (?)`, [note]);
    };
    handlers.set(route, async (em) => {
      await write(em, route);
      throw refusal();
    });
    expect((await send(`/transaction/${route}`, {}, route)).statusCode).toBe(409);
    expect(await keyRow(route)).toBeNull();
    // A 402 thrown from a transaction rolled its work back too: it is not stored either.
    handlers.set(route, async (em) => {
      await write(em, route);
      throw defineError('MCART_ERR_PAYMENT_DECLINED', 402, 'Declined')();
    });
    expect((await send(`/transaction/${route}`, {}, route)).statusCode).toBe(402);
    expect(await keyRow(route)).toBeNull();

    handlers.set(route, async (em) => {
      await write(em, route);
      return { statusCode: 201, body: { booked: true } };
    });
    const booked = await send(`/transaction/${route}`, {}, route);
    const replay = await send(`/transaction/${route}`, {}, route);
    expect([booked.statusCode, replay.statusCode, replay.headers['idempotent-replayed']]).toEqual([
      201,
      201,
      'true',
    ]);
    const [work] = await prepared<{ n: number }>(
      fork(),
      `SELECT count(*)::int AS n FROM idem_work WHERE note = ?`,
      [route],
    );
    expect(work!.n).toBe(1);
    expect(await keyRow(route)).toEqual({ status: 'completed', response_status: 201 });

    // Without a key the handler still runs in a transaction of its own.
    const plain = fresh('tx-plain');
    handlers.set(plain, async (em) => {
      await write(em, plain);
      throw refusal();
    });
    expect((await send(`/transaction/${plain}`, {})).statusCode).toBe(409);
    const [none] = await prepared<{ n: number }>(
      fork(),
      `SELECT count(*)::int AS n FROM idem_work WHERE note = ?`,
      [plain],
    );
    expect(none!.n).toBe(0);
  });

  it('takes keys of 1-255 visible ASCII characters; anything else is a 400 on the header, before any work', async () => {
    const route = fresh('keys');
    handlers.set(route, async () => ({ statusCode: 201, body: {} }));
    const longest = 'k'.repeat(255);
    expect((await send(`/plain/${route}`, {}, longest)).statusCode).toBe(201);
    expect((await send(`/plain/${route}`, {}, longest)).headers['idempotent-replayed']).toBe('true');
    for (const key of ['k'.repeat(256), '', 'two words', 'tab\there']) {
      const refused = await send(`/plain/${route}`, {}, key);
      expect(refused.statusCode, JSON.stringify(key)).toBe(400);
      expect(refused.json()).toMatchObject({
        code: 'MCART_ERR_VALIDATION',
        errors: [{ path: 'headers/idempotency-key' }],
      });
    }
    expect(runs.get(route)).toBe(1);
  });
});

function refusal(): AppError {
  return CommonErrors.conflict('refused: nothing booked');
}
