import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { CommonErrors } from '../../platform/errors.ts';
import { clientOf } from '../../platform/client-address.ts';

export interface Limit {
  /** What is limited and for whom, e.g. `login:account:<email>`; hashed before it is stored. */
  key: string;
  max: number;
  windowSeconds: number;
}

export class RateLimited extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('rate limited');
  }
}

/**
 * Fixed-window counters in PostgreSQL, so every instance behind a load balancer shares them. One upsert per
 * limit; the counter is committed even when the request then fails (it runs outside any transaction).
 */
export class RateLimiter {
  constructor(private readonly em: EntityManager) {}

  /** Counts one attempt against every limit; throws RateLimited (with the longest wait) when any is exceeded. */
  async hit(limits: Limit[]): Promise<void> {
    let retryAfter = 0;
    for (const limit of limits) {
      const rows = await this.em.getConnection().execute<{ hits: number; retry_after: number }[]>(
        `INSERT INTO auth_attempt_counter AS c (key, window_start, hits) VALUES (?, now(), 1)
         ON CONFLICT (key) DO UPDATE SET
           hits = CASE WHEN c.window_start <= now() - make_interval(secs => ?) THEN 1 ELSE c.hits + 1 END,
           window_start = CASE WHEN c.window_start <= now() - make_interval(secs => ?) THEN now() ELSE c.window_start END
         RETURNING hits, ceil(extract(epoch FROM (window_start + make_interval(secs => ?) - now())))::int AS retry_after`,
        [hashKey(limit.key), limit.windowSeconds, limit.windowSeconds, limit.windowSeconds],
      );
      const row = rows[0];
      if (row && row.hits > limit.max) retryAfter = Math.max(retryAfter, Math.max(1, row.retry_after));
    }
    // Old windows are useless; a rare, cheap sweep keeps the table small without a scheduled job.
    if (Math.random() < 0.01) {
      await this.em
        .getConnection()
        .execute(`DELETE FROM auth_attempt_counter WHERE window_start < now() - interval '1 day'`);
    }
    if (retryAfter > 0) throw new RateLimited(retryAfter);
  }
}

const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** Route helper: counts the attempt, and answers 429 with Retry-After when a limit is exceeded. */
export async function enforceLimits(
  em: EntityManager,
  reply: { header: (name: string, value: string) => unknown },
  limits: Limit[],
): Promise<void> {
  try {
    await new RateLimiter(em).hit(limits);
  } catch (error) {
    if (!(error instanceof RateLimited)) throw error;
    reply.header('retry-after', String(error.retryAfterSeconds));
    throw CommonErrors.rateLimited('Too many attempts; wait before trying again');
  }
}

/** The limit of `action` per client (`clientOf`): `<action>:ip:<client>`. */
export const perClient = (action: string, ip: string, max: number, windowSeconds: number): Limit => ({
  key: `${action}:ip:${clientOf(ip)}`,
  max,
  windowSeconds,
});

/**
 * How many times AUTH_ACCOUNT_LIMIT one account's password sign-ins may be tried in a window from all clients
 * together (see `enforceSignInLimits`).
 */
export const SIGN_IN_CLIENTS_PER_ACCOUNT = 10;

export interface SignInLimits {
  accountLimit: number;
  ipLimit: number;
  limitWindowSeconds: number;
}

/**
 * The limits of a password sign-in (`login` for customers, `staff-login`), in two steps (ADR 0064). First per
 * client (AUTH_IP_LIMIT) and per account from that client (AUTH_ACCOUNT_LIMIT): whoever guesses at an account
 * from one place gets the account's budget there and waits alone. Then, for an attempt let through, per account
 * from all clients together: SIGN_IN_CLIENTS_PER_ACCOUNT times AUTH_ACCOUNT_LIMIT, so guessing spread over many
 * addresses still stops. Counting the account alone (as before) let anyone keep its owner out for good from one
 * address, with AUTH_ACCOUNT_LIMIT wrong passwords a window; now that takes that many clients, each spending its
 * own budget. `account` is the normalized e-mail address.
 */
export async function enforceSignInLimits(
  em: EntityManager,
  reply: { header: (name: string, value: string) => unknown },
  action: 'login' | 'staff-login',
  account: string,
  ip: string,
  { accountLimit, ipLimit, limitWindowSeconds }: SignInLimits,
): Promise<void> {
  await enforceLimits(em, reply, [
    perClient(action, ip, ipLimit, limitWindowSeconds),
    {
      key: `${action}:account:${account}:client:${clientOf(ip)}`,
      max: accountLimit,
      windowSeconds: limitWindowSeconds,
    },
  ]);
  // Only attempts the client's own limits let through count here: refused ones tried nothing.
  await enforceLimits(em, reply, [
    {
      key: `${action}:account:${account}`,
      max: accountLimit * SIGN_IN_CLIENTS_PER_ACCOUNT,
      windowSeconds: limitWindowSeconds,
    },
  ]);
}
