import type { EntityManager } from '@mikro-orm/core';

/**
 * How long a finished session family (every token expired or revoked) is kept: long enough to show
 * "signed out" sessions and investigate a reported theft, after which its rows serve nothing.
 */
export const SESSION_FAMILY_RETENTION_DAYS = 30;

export interface IdentityPurgeResult {
  oauthStates: number;
  accountTokens: number;
  sessionTokens: number;
  attemptCounters: number;
}

/**
 * Deletes identity rows that can no longer be used:
 * - OAuth states past their 10 minutes (used or not: a used state is refused the same way as an unknown one);
 * - account tokens (password reset, e-mail verification, OAuth hand-over) that are used or expired;
 * - refresh tokens, but only by whole family, once every token of the family has been expired or revoked
 *   for the retention period. A spent token of a living family must stay: presenting it again is how a
 *   stolen token is detected (and the family revoked).
 * - rate-limit counters whose window ended more than a day ago.
 * Each is one statement, safe to run on any instance at any time (the job queue runs it once per schedule).
 */
export async function purgeExpiredIdentityRows(
  em: EntityManager,
  retentionDays = SESSION_FAMILY_RETENTION_DAYS,
): Promise<IdentityPurgeResult> {
  const count = async (sql: string, values: unknown[] = []) => {
    const rows = await em
      .getConnection()
      .execute<{ n: string }[]>(`WITH gone AS (${sql} RETURNING 1) SELECT count(*) AS n FROM gone`, values);
    return Number(rows[0]?.n ?? 0);
  };
  const oauthStates = await count(`DELETE FROM oauth_state WHERE expires_at < now()`);
  const accountTokens = await count(
    `DELETE FROM account_token WHERE used_at IS NOT NULL OR expires_at < now()`,
  );
  const sessionTokens = await count(
    `DELETE FROM auth_session WHERE family_id IN (
       SELECT family_id FROM auth_session
        GROUP BY family_id
       HAVING bool_and(least(coalesce(revoked_at, expires_at), expires_at) < now() - make_interval(days => ?))
     )`,
    [retentionDays],
  );
  const attemptCounters = await count(
    `DELETE FROM auth_attempt_counter WHERE window_start < now() - interval '1 day'`,
  );
  return { oauthStates, accountTokens, sessionTokens, attemptCounters };
}
