import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppConfig } from '../../app.ts';
import { enforceLimits } from './rate-limits.ts';
import { normalizeEmail } from './staff.service.ts';
import { ProblemRef } from '../../platform/schemas.ts';
import { ACCESS_TOKEN_TTL_SECONDS } from '../../platform/auth.ts';
import { CommonErrors } from '../../platform/errors.ts';
import { ROLE_PERMISSIONS } from './permissions.ts';
import { LoginBody, RefreshBody, StaffLoginDto, StaffMeDto, TokenPairDto } from './identity.schemas.ts';
import { StaffService } from './staff.service.ts';
import { SessionsService } from './sessions.service.ts';
import type { Staff } from './staff.entity.ts';

const toStaffDto = (staff: Staff) => ({
  id: staff.id,
  email: staff.email,
  role: staff.role,
  firstName: staff.firstName,
  lastName: staff.lastName,
});

/** Staff sign-in: short-lived access JWT plus a rotating refresh token. */
export const adminAuthRoutes: FastifyPluginAsyncTypebox<{ config: AppConfig }> = async (app, { config }) => {
  const { accountLimit, ipLimit, limitWindowSeconds } = config.auth;
  const context = (request: { headers: Record<string, unknown>; ip: string }) => ({
    userAgent: typeof request.headers['user-agent'] === 'string' ? request.headers['user-agent'] : undefined,
    ip: request.ip,
  });

  app.post(
    '/api/admin/auth/login',
    {
      schema: {
        tags: ['admin: auth'],
        summary: 'Staff sign-in',
        body: LoginBody,
        response: { 200: StaffLoginDto, 400: ProblemRef, 401: ProblemRef, 429: ProblemRef },
      },
      config: { auth: 'public' },
    },
    async (request, reply) => {
      // Counters in PostgreSQL: shared by every instance behind the load balancer.
      await enforceLimits(request.em, reply, [
        { key: `staff-login:ip:${request.ip}`, max: ipLimit, windowSeconds: limitWindowSeconds },
        {
          key: `staff-login:account:${normalizeEmail(request.body.email)}`,
          max: accountLimit,
          windowSeconds: limitWindowSeconds,
        },
      ]);
      let staff;
      try {
        staff = await new StaffService(request.em).authenticate(request.body.email, request.body.password);
      } catch (error) {
        request.audit = { action: 'staff.sign_in_failed' };
        throw error;
      }
      request.audit = { action: 'staff.signed_in', staffId: staff.id };
      const { refreshToken, familyId } = await new SessionsService(request.em).start(
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
      return { accessToken, refreshToken, expiresIn: ACCESS_TOKEN_TTL_SECONDS, staff: toStaffDto(staff) };
    },
  );

  app.post(
    '/api/admin/auth/refresh',
    {
      schema: {
        tags: ['admin: auth'],
        summary: 'Exchange a refresh token (single use) for a new token pair',
        body: RefreshBody,
        response: { 200: TokenPairDto, 400: ProblemRef, 401: ProblemRef },
      },
      config: { auth: 'public', rateLimit: { max: 60, timeWindow: '1 minute' } },
    },
    async (request) => {
      const sessions = new SessionsService(request.em);
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
      return { ...toStaffDto(staff), permissions: [...ROLE_PERMISSIONS[staff.role]] };
    },
  );
};
