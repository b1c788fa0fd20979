import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { AuthSessionSchema, type SubjectKind } from './session.entity.ts';
import { IdentityErrors } from './identity.errors.ts';

export const REFRESH_TOKEN_TTL_DAYS = 30;

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
  constructor(private readonly em: EntityManager) {}

  /** Starts a new session family (a sign-in) and returns its first refresh token. */
  async start(kind: SubjectKind, subjectId: string, context: SessionContext): Promise<IssuedRefreshToken> {
    const familyId = randomUUID();
    const refreshToken = this.issue(this.em, kind, subjectId, familyId, context);
    await this.em.flush();
    return { refreshToken, familyId };
  }

  private issue(
    em: EntityManager,
    kind: SubjectKind,
    subjectId: string,
    familyId: string,
    context: SessionContext,
  ): string {
    const token = randomBytes(32).toString('base64url');
    em.create(AuthSessionSchema, {
      subjectKind: kind,
      subjectId,
      familyId,
      tokenHash: sha256(token),
      expiresAt: new Date(Date.now() + REFRESH_TOKEN_TTL_DAYS * 86_400_000),
      userAgent: context.userAgent?.slice(0, 255) ?? null,
      ip: context.ip?.slice(0, 64) ?? null,
    });
    return token;
  }

  /**
   * Spends a refresh token and issues its successor. A token that was already spent means it leaked:
   * the whole family is revoked and the caller gets 401.
   */
  async rotate(
    kind: SubjectKind,
    refreshToken: string,
    context: SessionContext,
  ): Promise<{ subjectId: string; familyId: string; refreshToken: string }> {
    const outcome = await this.em.transactional(async (em) => {
      // Conditional update: exactly one concurrent caller can spend a given token.
      // In this transaction (its context given): without it the connection runs the statement on a second
      // pooled connection and commits the spend even when the rest of the rotation rolls back.
      const spent = await em.getConnection().execute<{ subject_id: string; family_id: string }[]>(
        `UPDATE auth_session SET spent_at = now(), updated_at = now()
          WHERE token_hash = ? AND subject_kind = ? AND spent_at IS NULL AND revoked_at IS NULL AND expires_at > now()
          RETURNING subject_id, family_id`,
        [sha256(refreshToken), kind],
        'all',
        em.getTransactionContext(),
      );
      const row = spent[0];
      if (!row) {
        const known = await em.findOne(AuthSessionSchema, {
          tokenHash: sha256(refreshToken),
          subjectKind: kind,
        });
        if (known) await this.revokeFamilyIn(em, known.familyId);
        return undefined;
      }
      // Created in the transaction's own EntityManager: it is flushed with the commit that spends the old token.
      const token = this.issue(em, kind, row.subject_id, row.family_id, context);
      return { subjectId: row.subject_id, familyId: row.family_id, refreshToken: token };
    });
    if (!outcome) throw IdentityErrors.invalidRefreshToken();
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
              min(created_at) OVER (PARTITION BY family_id) AS created_at
         FROM auth_session
        WHERE subject_kind = ? AND subject_id = ? AND revoked_at IS NULL AND expires_at > now()
          AND family_id IN (SELECT family_id FROM auth_session WHERE subject_id = ? AND spent_at IS NULL AND revoked_at IS NULL)
        ORDER BY family_id, created_at DESC`,
      [kind, subjectId, subjectId],
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

  /** A family is active while it has a token that is neither revoked nor expired. */
  async isFamilyActive(familyId: string): Promise<boolean> {
    const count = await this.em.count(AuthSessionSchema, {
      familyId,
      revokedAt: null,
      expiresAt: { $gt: new Date() },
    });
    return count > 0;
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
