import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EntityManager } from '@mikro-orm/postgresql';
import { prepared } from './prepared.ts';
import { AppError, CommonErrors, defineError, toProblem } from './errors.ts';

/**
 * Idempotency-Key for unsafe store calls (checkout, payment). The first request with a key claims it;
 * its final answer is stored with a hash of the request; a replay with the same body gets that answer
 * again (header `Idempotent-Replayed: true`), another body gets 422, and a replay while the first is
 * still running gets 409. Answers that committed nothing (validation errors, conflicts, 5xx) release the
 * key so the same key can be retried once the cause is fixed. See docs/adr (idempotency keys).
 */
export const IdempotencyErrors = {
  mismatch: defineError(
    'MCART_ERR_IDEMPOTENCY_MISMATCH',
    422,
    'This Idempotency-Key was used with a different request',
  ),
  inProgress: defineError(
    'MCART_ERR_IDEMPOTENCY_IN_PROGRESS',
    409,
    'A request with this Idempotency-Key is still being processed',
  ),
};

const KEY = /^[\x21-\x7e]{1,255}$/;
/** A claim older than this belongs to a crashed request: a replay may take it over. */
const STALE_CLAIM_SECONDS = 120;

export interface IdempotentAnswer {
  statusCode: number;
  body: unknown;
}

export interface IdempotencyOptions {
  /** Who the key belongs to: `customer:<id>` or `cart:<id>`; keys of different scopes never meet. */
  scope: string;
  /** Which outcomes are final and stored (default: 2xx and 402). Others release the key. */
  stores?: (statusCode: number) => boolean;
}

interface Row {
  request_hash: string;
  status: 'in_progress' | 'completed';
  response_status: number | null;
  response_type: string | null;
  response_body: unknown;
  stale: boolean;
}

const defaultStores = (status: number) => (status >= 200 && status < 300) || status === 402;

/** Stable hash of the request: method, path and the body with keys sorted (so key order does not matter). */
export function requestHash(method: string, path: string, body: unknown): string {
  const canonical = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(canonical);
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.keys(value as Record<string, unknown>)
          .sort()
          .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
      );
    }
    return value;
  };
  return createHash('sha256')
    .update(`${method} ${path}\n${JSON.stringify(canonical(body ?? null))}`)
    .digest('hex');
}

export function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const raw = request.headers['idempotency-key'];
  if (raw === undefined) return undefined;
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (typeof key !== 'string' || !KEY.test(key)) {
    throw CommonErrors.validation('The Idempotency-Key header must be 1-255 visible ASCII characters', {
      errors: [{ path: 'headers/idempotency-key', message: 'must be 1-255 visible ASCII characters' }],
    });
  }
  return key;
}

/**
 * Runs `handler` at most once per (scope, key) and answers the reply. Without an Idempotency-Key header
 * the handler simply runs. The claim is its own short transaction (never held open around the handler).
 */
export async function runIdempotent(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  options: IdempotencyOptions,
  handler: () => Promise<IdempotentAnswer>,
): Promise<FastifyReply> {
  const key = idempotencyKeyOf(request);
  if (key === undefined) {
    const answer = await handler();
    return reply.status(answer.statusCode).send(answer.body);
  }
  const stores = options.stores ?? defaultStores;
  const hash = requestHash(request.method, request.url.split('?')[0]!, request.body);
  const em = app.orm.em.fork() as EntityManager;

  const claimed = await prepared<{ key: string }>(
    em,
    `INSERT INTO idempotency_key (scope, key, request_hash, status, locked_at) VALUES (?, ?, ?, 'in_progress', now())
     ON CONFLICT (scope, key) DO NOTHING RETURNING key`,
    [options.scope, key, hash],
  );
  if (!claimed.length) {
    const [row] = await prepared<Row>(
      em,
      `SELECT request_hash, status, response_status, response_type, response_body,
              locked_at < now() - make_interval(secs => ?) AS stale
         FROM idempotency_key WHERE scope = ? AND key = ?`,
      [STALE_CLAIM_SECONDS, options.scope, key],
    );
    if (!row) throw IdempotencyErrors.inProgress('The key was released a moment ago: retry');
    if (row.request_hash !== hash) throw IdempotencyErrors.mismatch();
    if (row.status === 'completed') {
      reply.header('Idempotent-Replayed', 'true');
      if (row.response_type) reply.type(row.response_type);
      return reply
        .status(row.response_status ?? 200)
        .serializer(JSON.stringify)
        .send(row.response_body);
    }
    if (!row.stale) throw IdempotencyErrors.inProgress();
    // The first attempt died mid-way (crash): take the claim over, exactly one taker wins.
    const taken = await prepared<{ key: string }>(
      em,
      `UPDATE idempotency_key SET locked_at = now() WHERE scope = ? AND key = ? AND status = 'in_progress'
          AND locked_at < now() - make_interval(secs => ?) RETURNING key`,
      [options.scope, key, STALE_CLAIM_SECONDS],
    );
    if (!taken.length) throw IdempotencyErrors.inProgress();
  }

  const release = () =>
    prepared(em, `DELETE FROM idempotency_key WHERE scope = ? AND key = ? AND status = 'in_progress'`, [
      options.scope,
      key,
    ]);
  const complete = (statusCode: number, type: string | null, body: unknown) =>
    prepared(
      em,
      `UPDATE idempotency_key SET status = 'completed', response_status = ?, response_type = ?, response_body = ?::jsonb, completed_at = now()
        WHERE scope = ? AND key = ?`,
      [statusCode, type, JSON.stringify(body ?? null), options.scope, key],
    );

  let answer: IdempotentAnswer;
  try {
    answer = await handler();
  } catch (err) {
    if (err instanceof AppError && stores(err.status)) {
      await complete(
        err.status,
        'application/problem+json; charset=utf-8',
        toProblem(err, request.url.split('?')[0]),
      );
    } else {
      await release().catch((releaseErr: unknown) =>
        request.log.warn({ err: releaseErr }, 'could not release idempotency key'),
      );
    }
    throw err;
  }
  if (stores(answer.statusCode)) {
    // Stored exactly as the client will see it (the response schema may drop fields): serialize once here.
    await complete(answer.statusCode, 'application/json; charset=utf-8', answer.body);
  } else {
    await release();
  }
  return reply.status(answer.statusCode).send(answer.body);
}

/** Keys are kept at least `retentionHours`, then purged (a job runs this). */
export async function purgeIdempotencyKeys(em: EntityManager, retentionHours: number): Promise<number> {
  const rows = await em.execute<{ n: string }[]>(
    `WITH gone AS (DELETE FROM idempotency_key WHERE created_at < now() - make_interval(hours => ?) RETURNING 1) SELECT count(*) AS n FROM gone`,
    [retentionHours],
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * Forgets every key of one scope, answered or in progress, in `em`'s transaction when it has one. For a
 * customer's erasure (ADR 0048): a row names its scope (`customer:<id>`) and keeps a hash of the request, whose
 * body held their e-mail and address. A request still running then finds its key gone and stores nothing.
 */
export async function forgetIdempotencyScope(em: EntityManager, scope: string): Promise<void> {
  await prepared(em, `DELETE FROM idempotency_key WHERE scope = ?`, [scope]);
}
