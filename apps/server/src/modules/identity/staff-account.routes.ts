import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppConfig } from '../../app.ts';
import { ACCESS_TOKEN_TTL_SECONDS } from '../../platform/auth.ts';
import { CommonErrors } from '../../platform/errors.ts';
import { IdParams, ProblemRef } from '../../platform/schemas.ts';
import { TokenPairDto } from './identity.schemas.ts';
import { ChangePasswordBody, SessionDto } from './customer.schemas.ts';
import { StaffPasswordResetDto } from './staff.schemas.ts';
import { enforceLimits, perClient, type Limit } from './rate-limits.ts';
import { SessionsService } from './sessions.service.ts';
import { StaffService } from './staff.service.ts';
import { toAdminStaffDto } from './admin.routes.ts';
import { sessionContext } from './store.routes.ts';

const security = [{ staffBearer: [] }];
// Every member manages their own password and sessions: the permission every role has.
const self = { permission: 'dashboard:read' } as const;

/**
 * A staff member's own password and signed-in devices, and the password reset by an owner or admin (ADR 0004,
 * "Staff passwords").
 */
export const staffAccountRoutes: FastifyPluginAsyncTypebox<{ config: AppConfig }> = async (
  app,
  { config },
) => {
  const { accountLimit, ipLimit, limitWindowSeconds, sessionMaxSeconds } = config.auth;
  const me = (request: FastifyRequest) => request.staff!;
  // Guesses of the current password: a stolen access token gets the sign-in's budget, per account and per IP.
  const passwordGuesses = (request: FastifyRequest): Limit[] => [
    perClient('staff-password', request.ip, ipLimit, limitWindowSeconds),
    { key: `staff-password:account:${me(request).id}`, max: accountLimit, windowSeconds: limitWindowSeconds },
  ];
  const authTags = { tags: ['admin: auth'], security };

  app.post(
    '/api/admin/auth/password',
    {
      schema: {
        ...authTags,
        summary: 'Change your password',
        description:
          'With the current password. The new one: 8 to 128 characters, not a commonly used one, not ' +
          'holding your e-mail address or its part before the @ (400 MCART_ERR_WEAK_PASSWORD), not the current one (400 MCART_ERR_VALIDATION). Ends ' +
          'every session of the member, other devices too, and answers a fresh token pair for this one; clears ' +
          '`passwordChangeRequired`. 403 MCART_ERR_WRONG_PASSWORD on `body/currentPassword` when the current ' +
          'password is wrong; attempts count against per-account and per-IP limits (429 + Retry-After).',
        body: ChangePasswordBody,
        response: {
          200: TokenPairDto,
          400: ProblemRef,
          401: ProblemRef,
          403: ProblemRef,
          429: ProblemRef,
        },
      },
      config: { auth: self },
    },
    async (request, reply) => {
      await enforceLimits(request.em, reply, passwordGuesses(request));
      let staff;
      try {
        staff = await new StaffService(request.em).changePassword(
          me(request).id,
          request.body.currentPassword,
          request.body.newPassword,
        );
      } catch (error) {
        if ((error as { code?: unknown }).code === 'MCART_ERR_WRONG_PASSWORD')
          request.audit = { action: 'staff.password_change_failed' };
        throw error;
      }
      request.audit = { action: 'staff.password_changed' };
      // The password was just proven: a new session (the old ones, this one included, ended with the change).
      const { refreshToken, familyId } = await new SessionsService(request.em, sessionMaxSeconds).start(
        'staff',
        staff.id,
        sessionContext(request),
      );
      const accessToken = app.signAccessToken({
        sub: staff.id,
        kind: 'staff',
        role: staff.role,
        sid: familyId,
      });
      return { accessToken, refreshToken, expiresIn: ACCESS_TOKEN_TTL_SECONDS };
    },
  );

  app.get(
    '/api/admin/auth/sessions',
    {
      schema: {
        ...authTags,
        summary: 'Your signed-in devices (sessions), the one of this request marked `current`',
        response: { 200: Type.Object({ data: Type.Array(SessionDto) }), 401: ProblemRef },
      },
      config: { auth: self },
    },
    async (request) => {
      const sessions = await new SessionsService(request.em, sessionMaxSeconds).listFamilies(
        'staff',
        me(request).id,
      );
      return {
        data: sessions.map((session) => ({
          ...session,
          createdAt: session.createdAt.toISOString(),
          lastUsedAt: session.lastUsedAt.toISOString(),
          current: session.id === me(request).sid,
        })),
      };
    },
  );

  app.delete(
    '/api/admin/auth/sessions/:id',
    {
      schema: {
        ...authTags,
        summary: 'Sign one of your devices out (ending the current session signs this one out)',
        params: IdParams,
        response: { 204: { type: 'null' } as const, 400: ProblemRef, 401: ProblemRef, 404: ProblemRef },
      },
      config: { auth: self },
    },
    async (request, reply) => {
      const ended = await new SessionsService(request.em).revokeFamilyOf(
        'staff',
        me(request).id,
        request.params.id,
      );
      if (!ended) throw CommonErrors.notFound('No such session');
      request.audit = { action: 'staff.session_ended', details: { sessionId: request.params.id } };
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/admin/staff/:id/password-reset',
    {
      schema: {
        tags: ['admin: staff'],
        security,
        summary: 'Reset a staff member’s password: a temporary one, answered once, to change at sign-in',
        description:
          'Owners and admins (`staff:manage`); only an owner resets an owner’s (403 MCART_ERR_OWNER_ONLY), and ' +
          'nobody their own here (409 MCART_ERR_SELF_CHANGE: POST /api/admin/auth/password). Every session of the ' +
          'member ends; their role, enabled state and second factor stay. Their next sign-in answers ' +
          '`passwordChangeRequired: true` until they choose their own. Audited as `staff.password_reset`.',
        params: IdParams,
        response: {
          200: StaffPasswordResetDto,
          400: ProblemRef,
          401: ProblemRef,
          403: ProblemRef,
          404: ProblemRef,
          409: ProblemRef,
        },
      },
      config: { auth: { permission: 'staff:manage' } },
    },
    async (request) => {
      const { staff, temporaryPassword } = await new StaffService(request.em).resetPassword(
        { id: me(request).id, role: me(request).role },
        request.params.id,
      );
      request.audit = { action: 'staff.password_reset', details: { staffId: staff.id } };
      return { temporaryPassword, staff: toAdminStaffDto(staff) };
    },
  );
};
