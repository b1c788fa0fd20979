import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Guessing tracking numbers on the public tracking routes (`/api/store/tracking/{n}`, `/track/{n}`).
 *
 * A shopper follows the link in an e-mail and finds the parcel; someone trying numbers mostly finds nothing.
 * So besides the per-route request limit (60 a minute), unknown numbers are counted per client across both
 * routes, and a client that asked for `MAX_MISSES` of them within the window gets 429 for every lookup (found
 * or not) until the window ends: refusing only the misses would tell a guesser which numbers exist all the
 * same. A client is its IPv4 address, or its IPv6 /64 (one subscriber's network: counting single IPv6
 * addresses gave anyone with a /64 a fresh allowance per address). Fixed windows in PostgreSQL, shared by
 * every instance, as the sign-in limits (identity/rate-limits.ts); the key is a hash, not the address.
 */
export const MAX_MISSES = 20;
export const MISS_WINDOW_SECONDS = 3600;

/** The per-route request limit of the tracking routes, counted per client (`clientOf`, as every route limit) as the misses are. */
export const TRACKING_RATE_LIMIT = {
  max: 60,
  timeWindow: '1 minute',
} as const;

const keyOf = (client: string) => createHash('sha256').update(`tracking-miss:${client}`).digest('hex');

/** Seconds until the client may look up again, or 0 when it may now. Reads only. */
export async function secondsBlocked(em: EntityManager, client: string): Promise<number> {
  const [row] = await em.getConnection().execute<{ retry_after: number }[]>(
    `SELECT ceil(extract(epoch FROM (window_start + make_interval(secs => ?) - now())))::int AS retry_after
       FROM tracking_lookup_miss
      WHERE key = ? AND misses >= ? AND window_start > now() - make_interval(secs => ?)`,
    [MISS_WINDOW_SECONDS, keyOf(client), MAX_MISSES, MISS_WINDOW_SECONDS],
  );
  return row ? Math.max(1, row.retry_after) : 0;
}

/** Counts one unknown number for the client (outside any transaction: it stays counted whatever follows). */
export async function countMiss(em: EntityManager, client: string): Promise<void> {
  await em.getConnection().execute(
    `INSERT INTO tracking_lookup_miss AS m (key, window_start, misses) VALUES (?, now(), 1)
     ON CONFLICT (key) DO UPDATE SET
       misses = CASE WHEN m.window_start <= now() - make_interval(secs => ?) THEN 1 ELSE m.misses + 1 END,
       window_start = CASE WHEN m.window_start <= now() - make_interval(secs => ?) THEN now() ELSE m.window_start END`,
    [keyOf(client), MISS_WINDOW_SECONDS, MISS_WINDOW_SECONDS],
  );
  // Ended windows are useless; a rare, cheap sweep keeps the table small without a scheduled job.
  if (Math.random() < 0.01) {
    await em
      .getConnection()
      .execute(`DELETE FROM tracking_lookup_miss WHERE window_start < now() - make_interval(secs => ?)`, [
        MISS_WINDOW_SECONDS,
      ]);
  }
}
