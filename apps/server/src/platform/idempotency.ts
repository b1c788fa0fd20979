import { createHash, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EntityManager } from '@mikro-orm/postgresql';
import { prepared, queued } from './prepared.ts';
import { AppError, CommonErrors, defineError, toProblem } from './errors.ts';

/**
 * Idempotency-Key for unsafe calls (checkout, stock batches). The first request with a key claims it;
 * its final answer is stored with a hash of the request; a replay with the same body gets that answer
 * again (header `Idempotent-Replayed: true`), another body gets 422, and a replay while the first is
 * still running gets 409. Answers that committed nothing (validation errors, conflicts, 5xx) release the
 * key so the same key can be retried once the cause is fixed. See ADR 0014 (and 0033 for batches).
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
  /** Who the key belongs to: `customer:<id>`, `cart:<id>`, `staff:<id>`; keys of different scopes never meet. */
  scope: string;
  /**
   * Which outcomes are final and stored (default: 2xx and 402). Others release the key. A 5xx is never stored,
   * whatever this says: the server failed, and the same key must be able to try again.
   */
  stores?: (statusCode: number) => boolean;
}

interface Row {
  request_hash: string;
  status: 'in_progress' | 'completed';
  response_status: number | null;
  response_type: string | null;
  /** The stored answer's JSON text, as it was sent. */
  response_body: string | null;
  stale: boolean;
}

const defaultStores = (status: number) => (status >= 200 && status < 300) || status === 402;

/** The caller's rule for final answers, never storing a server error. */
const finalAnswers = (options: IdempotencyOptions) => {
  const stores = options.stores ?? defaultStores;
  return (status: number) => status < 500 && stores(status);
};

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

/** Proof that a claim is still this request's: a stale claim taken over by a retry gets a new token. */
interface Claim {
  scope: string;
  key: string;
  token: string;
}

/** SQLSTATE of a transaction's stored answer whose claim was taken over meanwhile (`mcart_raise`). */
const CLAIM_LOST = 'MCS03';

/**
 * Claims (scope, key) for this request: its own statement, committed at once. Or answers: the stored answer
 * replayed, 422 for a key used with another request, 409 while its first request runs. A claim older than
 * STALE_CLAIM_SECONDS belongs to a request that died: exactly one retry takes it over (a new token).
 */
async function claimKey(
  em: EntityManager,
  request: FastifyRequest,
  reply: FastifyReply,
  scope: string,
  key: string,
): Promise<{ claim: Claim } | { replayed: FastifyReply }> {
  const hash = requestHash(request.method, request.url.split('?')[0]!, request.body);
  const token = randomUUID();
  // A key released between the INSERT and the SELECT below is claimed again rather than refused.
  for (let attempt = 0; attempt < 3; attempt++) {
    const claimed = await prepared<{ key: string }>(
      em,
      `INSERT INTO idempotency_key (scope, key, request_hash, status, locked_at, claim)
       VALUES (?, ?, ?, 'in_progress', now(), ?::uuid)
       ON CONFLICT (scope, key) DO NOTHING RETURNING key`,
      [scope, key, hash, token],
    );
    if (claimed.length) return { claim: { scope, key, token } };
    const [row] = await prepared<Row>(
      em,
      `SELECT request_hash, status, response_status, response_type, response_body::text AS response_body,
              locked_at < now() - make_interval(secs => ?) AS stale
         FROM idempotency_key WHERE scope = ? AND key = ?`,
      [STALE_CLAIM_SECONDS, scope, key],
    );
    if (!row) continue;
    if (row.request_hash !== hash) throw IdempotencyErrors.mismatch();
    if (row.status === 'completed') {
      reply.header('Idempotent-Replayed', 'true');
      if (row.response_type) reply.type(row.response_type);
      // The stored text as it is: the same bytes as the first answer (a string is sent unserialized).
      return { replayed: reply.status(row.response_status ?? 200).send(row.response_body ?? 'null') };
    }
    if (!row.stale) throw IdempotencyErrors.inProgress();
    // The first attempt died mid-way (crash): take the claim over, exactly one taker wins.
    const taken = await prepared<{ key: string }>(
      em,
      `UPDATE idempotency_key SET locked_at = now(), claim = ?::uuid
        WHERE scope = ? AND key = ? AND status = 'in_progress' AND locked_at < now() - make_interval(secs => ?)
        RETURNING key`,
      [token, scope, key, STALE_CLAIM_SECONDS],
    );
    if (!taken.length) throw IdempotencyErrors.inProgress();
    return { claim: { scope, key, token } };
  }
  throw IdempotencyErrors.inProgress('The key was released a moment ago: retry');
}

/** Frees a claim still held by this request (not one a retry took over, nor an answer stored meanwhile). */
const release = (em: EntityManager, claim: Claim) =>
  prepared(
    em,
    `DELETE FROM idempotency_key WHERE scope = ? AND key = ? AND status = 'in_progress' AND claim = ?::uuid`,
    [claim.scope, claim.key, claim.token],
  );

/** Stores the final answer (its JSON text) of a claim still held by this request, in its own statement. */
const complete = (em: EntityManager, claim: Claim, statusCode: number, type: string | null, text: string) =>
  prepared(
    em,
    `UPDATE idempotency_key SET status = 'completed', response_status = ?, response_type = ?, response_body = ?::json, completed_at = now()
      WHERE scope = ? AND key = ? AND status = 'in_progress' AND claim = ?::uuid`,
    [statusCode, type, text, claim.scope, claim.key, claim.token],
  );

/**
 * A success answer as the route sends it: serialized by its response schema for that status (field order,
 * only the declared fields). Sent and stored as this text, so a replay is the same bytes (ADR 0014).
 */
function serialized(reply: FastifyReply, answer: IdempotentAnswer): string {
  reply.status(answer.statusCode).type(JSON_TYPE);
  return reply.serialize(answer.body ?? null) as string;
}

/**
 * Stores the answer in the work's own transaction, queued with its COMMIT (no round trip of its own). If the
 * claim is no longer this request's (a retry took it over as stale, or it was forgotten), the statement raises
 * CLAIM_LOST and the COMMIT fails: the work rolls back rather than being done twice.
 */
const COMPLETE_IN_TRANSACTION = `
  WITH done AS (
    UPDATE idempotency_key SET status = 'completed', response_status = ?, response_type = ?, response_body = ?::json,
           completed_at = now()
     WHERE scope = ? AND key = ? AND status = 'in_progress' AND claim = ?::uuid
    RETURNING 1
  )
  SELECT CASE WHEN EXISTS (SELECT 1 FROM done) THEN true
              ELSE mcart_raise('${CLAIM_LOST}', 'the Idempotency-Key was taken over by a retry', NULL) END AS stored`;

const JSON_TYPE = 'application/json; charset=utf-8';
const PROBLEM_TYPE = 'application/problem+json; charset=utf-8';

/**
 * Runs `handler` at most once per (scope, key) and answers the reply. Without an Idempotency-Key header
 * the handler simply runs. The claim is its own short transaction (never held open around the handler); the
 * answer is stored after the handler, in a statement of its own. So a request that dies between its work and
 * that statement leaves a claim that a retry takes over once stale, running the handler again: only for work
 * that resumes what its first attempt did (checkout pays the pending order its cart became). Work that is one
 * transaction uses `runIdempotentTransaction`, which stores the answer with the work.
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
  const stores = finalAnswers(options);
  const em = app.orm.em.fork() as EntityManager;
  const claimed = await claimKey(em, request, reply, options.scope, key);
  if ('replayed' in claimed) return claimed.replayed;
  const { claim } = claimed;

  let answer: IdempotentAnswer;
  try {
    answer = await handler();
  } catch (err) {
    if (err instanceof AppError && stores(err.status)) {
      const problem = JSON.stringify(toProblem(err, request.url.split('?')[0]));
      await complete(em, claim, err.status, PROBLEM_TYPE, problem);
    } else {
      await release(em, claim).catch((releaseErr: unknown) =>
        request.log.warn({ err: releaseErr }, 'could not release idempotency key'),
      );
    }
    throw err;
  }
  if (!stores(answer.statusCode)) {
    await release(em, claim);
    return reply.status(answer.statusCode).send(answer.body);
  }
  const text = serialized(reply, answer);
  await complete(em, claim, answer.statusCode, JSON_TYPE, text);
  return reply.send(text);
}

/**
 * `runIdempotent` for work that is one database transaction (stock batches): `handler` runs inside it (on the
 * `em` it is given) and a final answer is stored by that same transaction, with its COMMIT. The answer exists
 * exactly when the work does: a request that dies after the commit leaves a key that replays; one that dies
 * before it leaves nothing done and a claim that a retry takes over once stale. A first attempt still running
 * when a retry took its claim over cannot commit (409 MCART_ERR_IDEMPOTENCY_IN_PROGRESS; the retry's work
 * stands). A thrown error rolled the work back, so it is never stored: the key is released.
 */
export async function runIdempotentTransaction(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  options: IdempotencyOptions,
  handler: (em: EntityManager) => Promise<IdempotentAnswer>,
): Promise<FastifyReply> {
  const key = idempotencyKeyOf(request);
  const work = request.em as EntityManager;
  if (key === undefined) {
    const answer = await work.transactional(handler);
    return reply.status(answer.statusCode).send(answer.body);
  }
  const stores = finalAnswers(options);
  const em = app.orm.em.fork() as EntityManager;
  const claimed = await claimKey(em, request, reply, options.scope, key);
  if ('replayed' in claimed) return claimed.replayed;
  const { claim } = claimed;

  let answer: IdempotentAnswer;
  let text: string | undefined;
  try {
    answer = await work.transactional(async (tx) => {
      const result = await handler(tx);
      if (stores(result.statusCode)) {
        text = serialized(reply, result);
        await queued(tx, COMPLETE_IN_TRANSACTION, [
          result.statusCode,
          JSON_TYPE,
          text,
          claim.scope,
          claim.key,
          claim.token,
        ]);
      }
      return result;
    });
  } catch (err) {
    if ((err as { code?: unknown } | null)?.code === CLAIM_LOST) throw IdempotencyErrors.inProgress();
    await release(em, claim).catch((releaseErr: unknown) =>
      request.log.warn({ err: releaseErr }, 'could not release idempotency key'),
    );
    throw err;
  }
  if (text !== undefined) return reply.send(text);
  await release(em, claim);
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
