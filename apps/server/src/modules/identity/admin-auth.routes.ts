import { createHash, randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppConfig } from '../../app.ts';
import { enforceLimits, enforceSignInLimits, perClient } from './rate-limits.ts';
import { normalizeEmail } from './staff.service.ts';
import { ProblemRef } from '../../platform/schemas.ts';
import { ACCESS_TOKEN_TTL_SECONDS, type AccessClaims } from '../../platform/auth.ts';
import { CommonErrors } from '../../platform/errors.ts';
import { ROLE_PERMISSIONS } from './permissions.ts';
import {
  LoginBody,
  RefreshBody,
  StaffLoginChallengeDto,
  StaffLoginDto,
  StaffMeDto,
  TokenPairDto,
  TotpEnrollChallengeBody,
  TotpEnrollmentDto,
} from './identity.schemas.ts';
import { StaffTotpLoginDto, TotpAnswerBody } from './recovery-codes.schemas.ts';
import { parseSecondFactorCode, RecoveryCodeHasher } from './recovery-codes.ts';
import { AuditService } from '../audit/audit.service.ts';
import { IdentityErrors } from './identity.errors.ts';
import { TotpService } from './totp.service.ts';
import { StaffService } from './staff.service.ts';
import { SessionsService } from './sessions.service.ts';
import { StaffSchema, type Staff } from './staff.entity.ts';

const CHALLENGE_AUDIENCE = 'mcart:staff-challenge';
const CHALLENGE_TTL_SECONDS = 5 * 60;
interface ChallengeClaims extends AccessClaims {
  next: 'totp' | 'totp_enroll';
  /** `passwordMark` of the password the challenge was earned with. */
  pwd: string;
}

/**
 * Which password a challenge was earned with: a digest of the member's stored (salted) hash, which tells nothing
 * about the password. A challenge answered after the password changed (the member's change, or an owner's reset
 * cutting off whoever knew the old one) is refused, as the member's sessions were ended (ADR 0064).
 */
const passwordMark = (passwordHash: string) =>
  createHash('sha256').update(passwordHash).digest('base64url').slice(0, 22);

const toStaffDto = (staff: Staff) => ({
  id: staff.id,
  email: staff.email,
  role: staff.role,
  firstName: staff.firstName,
  lastName: staff.lastName,
});

/** Staff sign-in (password, then TOTP when on): short-lived access JWT plus a rotating refresh token. */
export const adminAuthRoutes: FastifyPluginAsyncTypebox<{ config: AppConfig }> = async (app, { config }) => {
  const { accountLimit, ipLimit, limitWindowSeconds, sessionMaxSeconds } = config.auth;
  const recoveryHasher = new RecoveryCodeHasher(config.secrets.encryptionKeys);
  const context = (request: { headers: Record<string, unknown>; ip: string }) => ({
    userAgent: typeof request.headers['user-agent'] === 'string' ? request.headers['user-agent'] : undefined,
    ip: request.ip,
  });

  /** Issues the session of a fully signed-in staff member. */
  const startSession = async (request: FastifyRequest, staff: Staff) => {
    await new StaffService(request.em).markSignedIn(staff);
    const { refreshToken, familyId } = await new SessionsService(request.em, sessionMaxSeconds).start(
      'staff',
      staff.id,
      context(request),
    );
    const accessToken = app.signAccessToken({
      sub: staff.id,
      kind: 'staff',
      role: staff.role,
      sid: familyId,
    });
    return {
      accessToken,
      refreshToken,
      expiresIn: ACCESS_TOKEN_TTL_SECONDS,
      staff: toStaffDto(staff),
      passwordChangeRequired: staff.passwordChangeRequired === true,
    };
  };

  /**
   * After the password, when a second factor is due: a short-lived JWT with its own audience (it opens no
   * route, and an access token is not a challenge). It carries no session; the code exchanges it for one.
   */
  const signChallenge = (staff: Staff, next: ChallengeClaims['next']) => {
    const claims: ChallengeClaims = {
      sub: staff.id,
      kind: 'staff',
      sid: randomUUID(),
      next,
      pwd: passwordMark(staff.passwordHash),
    };
    return app.jwt.sign(claims, { aud: CHALLENGE_AUDIENCE, expiresIn: CHALLENGE_TTL_SECONDS });
  };
  const readChallenge = (challenge: string): ChallengeClaims => {
    try {
      const claims = app.jwt.verify<ChallengeClaims>(challenge, { allowedAud: CHALLENGE_AUDIENCE });
      if (
        claims.kind !== 'staff' ||
        (claims.next !== 'totp' && claims.next !== 'totp_enroll') ||
        typeof claims.pwd !== 'string'
      )
        throw new Error();
      return claims;
    } catch {
      throw IdentityErrors.invalidChallenge();
    }
  };
  /** The active member a challenge names, while their password is still the one it was earned with. */
  const challengedMember = async (request: FastifyRequest, claims: ChallengeClaims): Promise<Staff> => {
    const staff = await request.em.findOne(
      StaffSchema,
      { id: claims.sub, disabledAt: null },
      { populate: ['passwordHash'] },
    );
    if (!staff || passwordMark(staff.passwordHash) !== claims.pwd) throw IdentityErrors.invalidChallenge();
    return staff;
  };
  const totpLimits = (request: FastifyRequest, staffId: string) => [
    perClient('staff-totp', request.ip, ipLimit, limitWindowSeconds),
    { key: `staff-totp:account:${staffId}`, max: accountLimit, windowSeconds: limitWindowSeconds },
  ];

  app.post(
    '/api/admin/auth/login',
    {
      schema: {
        tags: ['admin: auth'],
        summary: 'Staff sign-in',
        description:
          'Answers the tokens, or, when the member has TOTP on (or the owner requires it and the member has ' +
          'none yet), a challenge to complete at POST /api/admin/auth/totp (refused, 401 ' +
          'MCART_ERR_INVALID_CHALLENGE, once the password has changed). Limited as the customer sign-in: ' +
          'AUTH_IP_LIMIT per client, AUTH_ACCOUNT_LIMIT per account from one client, ten times that per account ' +
          'from all clients (429 MCART_ERR_RATE_LIMITED with Retry-After).',
        body: LoginBody,
        response: {
          200: Type.Union([StaffLoginDto, StaffLoginChallengeDto]),
          400: ProblemRef,
          401: ProblemRef,
          429: ProblemRef,
        },
      },
      config: { auth: 'public' },
    },
    async (request, reply) => {
      // Counters in PostgreSQL: shared by every instance behind the load balancer.
      await enforceSignInLimits(
        request.em,
        reply,
        'staff-login',
        normalizeEmail(request.body.email),
        request.ip,
        config.auth,
      );
      let staff;
      try {
        staff = await new StaffService(request.em).authenticate(request.body.email, request.body.password);
      } catch (error) {
        request.audit = { action: 'staff.sign_in_failed' };
        throw error;
      }
      const next =
        staff.totpEnabledAt !== null
          ? 'totp'
          : (await new TotpService(request.em, app.cipher).isRequired())
            ? 'totp_enroll'
            : undefined;
      if (next) {
        request.audit = { action: 'staff.password_accepted', staffId: staff.id, details: { next } };
        return { next, challenge: signChallenge(staff, next), expiresIn: CHALLENGE_TTL_SECONDS };
      }
      request.audit = { action: 'staff.signed_in', staffId: staff.id };
      return startSession(request, staff);
    },
  );

  app.post(
    '/api/admin/auth/totp/enroll',
    {
      schema: {
        tags: ['admin: auth'],
        summary: 'Enroll in TOTP during sign-in (when the owner requires it)',
        description:
          'With a `totp_enroll` challenge: a new secret and its QR code, shown once. Confirm it by answering ' +
          'the challenge with a code at POST /api/admin/auth/totp, which then signs in.',
        body: TotpEnrollChallengeBody,
        response: { 200: TotpEnrollmentDto, 400: ProblemRef, 401: ProblemRef, 429: ProblemRef },
      },
      config: { auth: 'public' },
    },
    async (request, reply) => {
      const claims = readChallenge(request.body.challenge);
      if (claims.next !== 'totp_enroll') throw IdentityErrors.invalidChallenge();
      await enforceLimits(request.em, reply, totpLimits(request, claims.sub));
      const staff = await challengedMember(request, claims);
      request.audit = { action: 'staff.totp_enrollment_started', staffId: staff.id };
      return new TotpService(request.em, app.cipher).beginEnrollment(staff.id, config.store.name);
    },
  );

  app.post(
    '/api/admin/auth/totp',
    {
      schema: {
        tags: ['admin: auth'],
        summary: 'Second sign-in step: a TOTP code, or a recovery code, for a challenge',
        description:
          'A TOTP code is accepted one 30-second step either side of now, and only once. In its place, one ' +
          'of the member’s recovery codes (told apart by shape: ten letters and digits, e.g. `k7m2x-9qpfa`) ' +
          'signs in once; the answer then says how many are left (`recoveryCodesRemaining`). Confirming an ' +
          'enrollment (`totp_enroll`) takes a TOTP code and answers the new recovery codes. Wrong codes of ' +
          'either kind count against the same per-account and per-IP limits as the password.',
        body: TotpAnswerBody,
        response: {
          200: StaffTotpLoginDto,
          400: ProblemRef,
          401: ProblemRef,
          409: ProblemRef,
          429: ProblemRef,
        },
      },
      config: { auth: 'public' },
    },
    async (request, reply) => {
      const answer = parseSecondFactorCode(request.body.code);
      if (!answer) {
        throw CommonErrors.validation(undefined, {
          errors: [
            {
              path: 'body/code',
              message: 'must be the 6 digits from the authenticator app, or a 10-character recovery code',
            },
          ],
        });
      }
      const claims = readChallenge(request.body.challenge);
      const enrolling = claims.next === 'totp_enroll';
      if (enrolling && answer.kind === 'recovery') {
        throw CommonErrors.validation('Confirm the enrollment with a code from the authenticator app', {
          errors: [{ path: 'body/code', message: 'a recovery code cannot confirm an enrollment' }],
        });
      }
      await enforceLimits(request.em, reply, totpLimits(request, claims.sub));
      const staff = await challengedMember(request, claims);
      const totp = new TotpService(request.em, app.cipher, recoveryHasher);

      if (answer.kind === 'recovery') {
        const used = await totp.useRecoveryCode(staff.id, answer.code);
        if (!used) {
          request.audit = { action: 'staff.recovery_code_failed', staffId: staff.id };
          throw IdentityErrors.invalidRecoveryCode();
        }
        // Its own entry, so an owner can find every use of a recovery code; the sign-in is recorded as usual.
        await new AuditService(request.em).record({
          staffId: staff.id,
          action: 'staff.recovery_code_used',
          method: request.method,
          route: request.routeOptions.url,
          ip: request.ip,
          requestId: request.id,
          details: { remaining: used.remaining },
        });
        request.audit = {
          action: 'staff.signed_in',
          staffId: staff.id,
          details: { totp: true, recoveryCode: true },
        };
        return { ...(await startSession(request, staff)), recoveryCodesRemaining: used.remaining };
      }

      if (enrolling) {
        const confirmed = await totp.confirmEnrollment(staff.id, answer.code);
        if (!confirmed) {
          request.audit = { action: 'staff.totp_failed', staffId: staff.id };
          throw IdentityErrors.invalidTotp();
        }
        request.audit = {
          action: 'staff.signed_in',
          staffId: staff.id,
          details: { totp: true, enrolled: true },
        };
        return { ...(await startSession(request, staff)), recoveryCodes: confirmed.recoveryCodes };
      }

      if (!(await totp.verifyActive(staff.id, answer.code))) {
        request.audit = { action: 'staff.totp_failed', staffId: staff.id };
        throw IdentityErrors.invalidTotp();
      }
      request.audit = {
        action: 'staff.signed_in',
        staffId: staff.id,
        details: { totp: true, enrolled: false },
      };
      return startSession(request, staff);
    },
  );

  app.post(
    '/api/admin/auth/refresh',
    {
      schema: {
        tags: ['admin: auth'],
        summary: 'Exchange a refresh token (single use) for a new token pair',
        description:
          'A spent token is refused with 401 MCART_ERR_INVALID_REFRESH_TOKEN and its whole session is revoked. ' +
          'A session ends STAFF_SESSION_MAX_HOURS after sign-in however often it is refreshed: then 401 ' +
          'MCART_ERR_SESSION_EXPIRED, sign in again.',
        body: RefreshBody,
        response: { 200: TokenPairDto, 400: ProblemRef, 401: ProblemRef },
      },
      config: { auth: 'public', rateLimit: { max: 60, timeWindow: '1 minute' } },
    },
    async (request) => {
      const sessions = new SessionsService(request.em, sessionMaxSeconds);
      const rotated = await sessions.rotate('staff', request.body.refreshToken, context(request));
      const staff = await new StaffService(request.em).findActive(rotated.subjectId);
      if (!staff) {
        await sessions.revokeFamily(rotated.familyId);
        throw CommonErrors.unauthorized('The account is disabled');
      }
      const accessToken = app.signAccessToken({
        sub: staff.id,
        kind: 'staff',
        role: staff.role,
        sid: rotated.familyId,
      });
      return { accessToken, refreshToken: rotated.refreshToken, expiresIn: ACCESS_TOKEN_TTL_SECONDS };
    },
  );

  app.post(
    '/api/admin/auth/logout',
    {
      schema: {
        tags: ['admin: auth'],
        summary: 'End the session of this refresh token',
        body: RefreshBody,
        response: { 204: { type: 'null' } },
      },
      config: { auth: 'public' },
    },
    async (request, reply) => {
      await new SessionsService(request.em).revokeByToken('staff', request.body.refreshToken);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/admin/auth/me',
    {
      schema: {
        tags: ['admin: auth'],
        summary: 'The signed-in staff member and their permissions',
        security: [{ staffBearer: [] }],
        response: { 200: StaffMeDto, 401: ProblemRef },
      },
      config: { auth: { permission: 'dashboard:read' } },
    },
    async (request) => {
      const staff = await new StaffService(request.em).findActive(request.staff!.id);
      if (!staff) throw CommonErrors.unauthorized('The account is disabled');
      return {
        ...toStaffDto(staff),
        permissions: [...ROLE_PERMISSIONS[staff.role]],
        passwordChangeRequired: staff.passwordChangeRequired === true,
      };
    },
  );
};
