import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { baseProperties } from '../../platform/entity.ts';

export const SUBJECT_KINDS = ['staff', 'customer'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

/**
 * One refresh token in a rotation family. Only the SHA-256 of the token is stored. A token is spent once:
 * using a spent token again revokes the whole family (someone copied it). Every token of a family carries
 * the family's sign-in time (`familyStartedAt`): a session ends a fixed time after it, however often it is
 * refreshed (ADR 0004).
 */
export const AuthSessionSchema = defineEntity({
  name: 'AuthSession',
  tableName: 'auth_session',
  properties: {
    ...baseProperties,
    subjectKind: p.enum([...SUBJECT_KINDS]),
    subjectId: p.uuid().index(),
    familyId: p.uuid().index(),
    tokenHash: p.string().length(64).unique(),
    expiresAt: p.datetime(),
    familyStartedAt: p.datetime(),
    spentAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
    userAgent: p.string().length(255).nullable(),
    ip: p.string().length(64).nullable(),
  },
});

export type AuthSession = InferEntity<typeof AuthSessionSchema>;
