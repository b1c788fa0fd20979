import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { AuthSessionSchema, type SubjectKind } from './session.entity.ts';
import { IdentityErrors } from './identity.errors.ts';

/** How long an unused refresh token stays valid (the session's idle limit). */
export const REFRESH_TOKEN_TTL_DAYS = 30;

/**
 * The longest a session (family) of each kind lasts from its sign-in, in seconds (`config.auth.sessionMaxSeconds`).
 * Checked against the family's start on every refresh and every authenticated request, so a lower value applies
 * to the sessions already open too.
 */
export type SessionLifetimes = Record<SubjectKind, number>;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export interface SessionContext {
  userAgent?: string | undefined;
  ip?: string | undefined;
}

export interface SessionSummary {
  id: string;
  createdAt: Date;
  lastUsedAt: Date;
  userAgent: string | null;
  ip: string | null;
}

export interface IssuedRefreshToken {
  refreshToken: string;
  familyId: string;
}

/** Rotating, single-use refresh tokens, stored hashed, grouped in families for reuse detection. */
export class SessionsService {
  /**
   * `lifetimes` is needed to start, refresh, check or list sessions (the routes pass `config.auth.sessionMaxSeconds`);
   * revoking does without.
   */
  constructor(
    private readonly em: EntityManager,
    private readonly lifetimes?: SessionLifetimes,
  ) {}

  private maxSeconds(kind: SubjectKind): number {
    const seconds = this.lifetimes?.[kind];
    if (seconds === undefined) throw new Error('SessionsService: the session lifetimes are needed here');
    return seconds;
  }

  /** Starts a new session family (a sign-in) and returns its first refresh token. */
  async start(kind: SubjectKind, subjectId: string, context: SessionContext): Promise<IssuedRefreshToken> {
    const familyId = randomUUID();
    const refreshToken = this.issue(this.em, kind, subjectId, familyId, new Date(), context);
    await this.em.flush();
    return { refreshToken, familyId };
  }

  /**
   * A token of the family started at `familyStartedAt`: valid for the idle limit, never past the family's end
   * (so listing, the session guard and the purge, which look at `expires_at`, see the end too).
   */
  private issue(
    em: EntityManager,
    kind: SubjectKind,
    subjectId: string,
    familyId: string,
    familyStartedAt: Date,
    context: SessionContext,
  ): string {
    const token = randomBytes(32).toString('base64url');
    const idleEnd = Date.now() + REFRESH_TOKEN_TTL_DAYS * 86_400_000;
    const familyEnd = familyStartedAt.getTime() + this.maxSeconds(kind) * 1000;
    em.create(AuthSessionSchema, {
      subjectKind: kind,
      subjectId,
      familyId,
      tokenHash: sha256(token),
      expiresAt: new Date(Math.min(idleEnd, familyEnd)),
      familyStartedAt,
      userAgent: context.userAgent?.slice(0, 255) ?? null,
      ip: context.ip?.slice(0, 64) ?? null,
    });
    return token;
  }

  /**
   * Spends a refresh token and issues its successor, which keeps the family's start. A token that was already
   * spent (or revoked) means it leaked: the whole family is revoked and the caller gets 401
   * MCART_ERR_INVALID_REFRESH_TOKEN. An unspent token whose session is over (unused for the idle limit, or
   * started longer ago than the kind's lifetime) is 401 MCART_ERR_SESSION_EXPIRED: the person signs in again.
   */
  async rotate(
    kind: SubjectKind,
    refreshToken: string,
    context: SessionContext,
  ): Promise<{ subjectId: string; familyId: string; refreshToken: string }> {
    const maxSeconds = this.maxSeconds(kind);
    const outcome = await this.em.transactional(async (em) => {
      // Conditional update: exactly one concurrent caller can spend a given token.
      // In this transaction (its context given): without it the connection runs the statement on a second
      // pooled connection and commits the spend even when the rest of the rotation rolls back.
      const spent = await em
        .getConnection()
        .execute<{ subject_id: string; family_id: string; family_started_at: Date | string }[]>(
          `UPDATE auth_session SET spent_at = now(), updated_at = now()
            WHERE token_hash = ? AND subject_kind = ? AND spent_at IS NULL AND revoked_at IS NULL AND expires_at > now()
              AND family_started_at > now() - make_interval(secs => ?)
            RETURNING subject_id, family_id, family_started_at`,
          [sha256(refreshToken), kind, maxSeconds],
          'all',
          em.getTransactionContext(),
        );
      const row = spent[0];
      if (!row) {
        const [known] = await em
          .getConnection()
          .execute<{ family_id: string; used: boolean; lifetime_over: boolean }[]>(
            `SELECT family_id, (spent_at IS NOT NULL OR revoked_at IS NOT NULL) AS used,
                  family_started_at <= now() - make_interval(secs => ?) AS lifetime_over
             FROM auth_session WHERE token_hash = ? AND subject_kind = ?`,
            [maxSeconds, sha256(refreshToken), kind],
            'all',
            em.getTransactionContext(),
          );
        if (!known) return { refused: 'unknown' as const };
        await this.revokeFamilyIn(em, known.family_id);
        if (known.used) return { refused: 'reused' as const };
        return { refused: known.lifetime_over ? ('lifetime' as const) : ('expired' as const) };
      }
      // Created in the transaction's own EntityManager: it is flushed with the commit that spends the old token.
      const token = this.issue(
        em,
        kind,
        row.subject_id,
        row.family_id,
        new Date(row.family_started_at),
        context,
      );
      return { subjectId: row.subject_id, familyId: row.family_id, refreshToken: token };
    });
    if ('refused' in outcome) {
      if (outcome.refused === 'lifetime')
        throw IdentityErrors.sessionExpired(
          `A session lasts at most ${duration(maxSeconds)} from sign-in; sign in again`,
        );
      // Unused for the idle limit (or ended by a lifetime that was longer when the token was issued).
      if (outcome.refused === 'expired')
        throw IdentityErrors.sessionExpired('The session has expired; sign in again');
      throw IdentityErrors.invalidRefreshToken();
    }
    return outcome;
  }

  async revokeByToken(kind: SubjectKind, refreshToken: string): Promise<void> {
    const session = await this.em.findOne(AuthSessionSchema, {
      tokenHash: sha256(refreshToken),
      subjectKind: kind,
    });
    if (session) await this.revokeFamilyIn(this.em, session.familyId);
  }

  async revokeFamily(familyId: string): Promise<void> {
    await this.revokeFamilyIn(this.em, familyId);
  }

  /** Ends every session of the account, a refresh in flight included (see `revoke`). */
  async revokeAllFor(kind: SubjectKind, subjectId: string): Promise<void> {
    await revoke(this.em, { kind, subjectId });
  }

  /** The open sessions (families) of one account, newest use first. */
  async listFamilies(kind: SubjectKind, subjectId: string): Promise<SessionSummary[]> {
    const rows = (await this.em.getConnection().execute(
      `SELECT DISTINCT ON (family_id) family_id, user_agent, ip, created_at AS last_used_at,
              family_started_at AS created_at
         FROM auth_session
        WHERE subject_kind = ? AND subject_id = ? AND revoked_at IS NULL AND expires_at > now()
          AND family_started_at > now() - make_interval(secs => ?)
          AND family_id IN (SELECT family_id FROM auth_session WHERE subject_id = ? AND spent_at IS NULL AND revoked_at IS NULL)
        ORDER BY family_id, created_at DESC`,
      [kind, subjectId, this.maxSeconds(kind), subjectId],
    )) as {
      family_id: string;
      created_at: Date;
      last_used_at: Date;
      user_agent: string | null;
      ip: string | null;
    }[];
    return rows
      .map((row) => ({
        id: row.family_id,
        createdAt: new Date(row.created_at),
        lastUsedAt: new Date(row.last_used_at),
        userAgent: row.user_agent,
        ip: row.ip,
      }))
      .sort((a, b) => b.lastUsedAt.getTime() - a.lastUsedAt.getTime());
  }

  /** Ends one session of this account; false when the account has no such open session. */
  async revokeFamilyOf(kind: SubjectKind, subjectId: string, familyId: string): Promise<boolean> {
    return (await revoke(this.em, { kind, subjectId, familyId })) > 0;
  }

  /**
   * A family is active while it has a token that is neither revoked nor expired, and it started less than its
   * kind's lifetime ago: an access token stops working when its session ends, not up to 15 minutes later.
   */
  async isFamilyActive(kind: SubjectKind, familyId: string): Promise<boolean> {
    const rows = await this.em.getConnection().execute<unknown[]>(
      `SELECT 1 FROM auth_session
        WHERE family_id = ? AND subject_kind = ? AND revoked_at IS NULL AND expires_at > now()
          AND family_started_at > now() - make_interval(secs => ?)
        LIMIT 1`,
      [familyId, kind, this.maxSeconds(kind)],
      'all',
      this.em.getTransactionContext(),
    );
    return rows.length > 0;
  }

  private async revokeFamilyIn(em: EntityManager, familyId: string): Promise<void> {
    await revoke(em, { familyId });
  }
}

/** Which open refresh tokens a revocation ends: one account's (one of its families), or one family's. */
type RevocationScope =
  { kind: SubjectKind; subjectId: string; familyId?: string } | { kind?: undefined; familyId: string };

/**
 * Every revocation goes through here: the open tokens in scope are locked first (in id order), then revoked by
 * a second statement, in one transaction (`em`'s when it has one). A refresh in flight holds its spent token's
 * row until it commits: the lock waits for it, and the UPDATE, a later statement, sees the successor it wrote
 * and revokes it too (a single UPDATE would not: its snapshot predates that successor, which would survive a
 * logout or a password change). A refresh that comes after the lock finds its token revoked (reuse: 401).
 * The count of tokens revoked.
 */
async function revoke(em: EntityManager, scope: RevocationScope): Promise<number> {
  const conditions = ['revoked_at IS NULL'];
  const params: string[] = [];
  if (scope.kind !== undefined) {
    conditions.push('subject_kind = ?', 'subject_id = ?::uuid');
    params.push(scope.kind, scope.subjectId);
  }
  if (scope.familyId !== undefined) {
    conditions.push('family_id = ?::uuid');
    params.push(scope.familyId);
  }
  const where = conditions.join(' AND ');
  const run = async (tx: EntityManager) => {
    const connection = tx.getConnection();
    await connection.execute(
      `SELECT id FROM auth_session WHERE ${where} ORDER BY id FOR UPDATE`,
      params,
      'all',
      tx.getTransactionContext(),
    );
    const revoked: { id: string }[] = await connection.execute(
      `UPDATE auth_session SET revoked_at = now(), updated_at = now() WHERE ${where} RETURNING id`,
      params,
      'all',
      tx.getTransactionContext(),
    );
    return revoked.length;
  };
  // Run in the caller's transaction (its other locks keep their order); in a transaction of its own otherwise.
  return em.isInTransaction() ? run(em) : em.transactional(run);
}

/** A lifetime as people say it: whole days when it is some, else hours (the settings' units). */
export function duration(seconds: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (seconds % 86_400 === 0) return plural(seconds / 86_400, 'day');
  if (seconds % 3600 === 0) return plural(seconds / 3600, 'hour');
  return plural(Math.ceil(seconds / 60), 'minute');
}
