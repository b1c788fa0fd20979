import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { AppConfig } from '../../app.ts';
import { IdParams, ProblemRef } from '../../platform/schemas.ts';
import {
  SecuritySettingsDto,
  TotpCodeBody,
  TotpEnrollmentDto,
  UpdateSecuritySettingsBody,
} from './identity.schemas.ts';
import { RecoveryCodesDto, StaffTotpStatusDto, TotpConfirmedDto } from './recovery-codes.schemas.ts';
import { RecoveryCodeHasher } from './recovery-codes.ts';
import { AdminStaffDto } from './staff.schemas.ts';
import { IdentityErrors } from './identity.errors.ts';
import { enforceLimits, perClient } from './rate-limits.ts';
import { TotpService } from './totp.service.ts';
import { toAdminStaffDto } from './admin.routes.ts';

const security = [{ staffBearer: [] }];
// Every staff member manages their own second factor: the permission every role has.
const self = { permission: 'dashboard:read' } as const;

/**
 * Staff TOTP outside sign-in: each member enrolls and disables their own second factor from their profile,
 * and keeps their recovery codes; the owner requires it for everyone and resets a member's (lost phone).
 */
export const totpRoutes: FastifyPluginAsyncTypebox<{ config: AppConfig }> = async (app, { config }) => {
  const hasher = new RecoveryCodeHasher(config.secrets.encryptionKeys);
  const totp = (request: FastifyRequest) => new TotpService(request.em, app.cipher, hasher);
  const me = (request: FastifyRequest) => request.staff!.id;
  // Codes typed into the profile are guessable like sign-in codes: the same per-account limit applies.
  const limits = (request: FastifyRequest) => [
    perClient('staff-totp', request.ip, config.auth.ipLimit, config.auth.limitWindowSeconds),
    {
      key: `staff-totp:account:${me(request)}`,
      max: config.auth.accountLimit,
      windowSeconds: config.auth.limitWindowSeconds,
    },
  ];
  const profileTags = { tags: ['admin: profile'], security };

  app.get(
    '/api/admin/profile/totp',
    {
      schema: {
        ...profileTags,
        summary: 'My second factor: on, waiting for confirmation, required by the owner; recovery codes left',
        response: { 200: StaffTotpStatusDto, 401: ProblemRef },
      },
      config: { auth: self },
    },
    async (request) => totp(request).status(me(request)),
  );

  app.post(
    '/api/admin/profile/totp',
    {
      schema: {
        ...profileTags,
        summary: 'Start enrolling in TOTP: a new secret and its QR code, shown once',
        description: 'Nothing changes at sign-in until the enrollment is confirmed with a code.',
        response: { 200: TotpEnrollmentDto, 401: ProblemRef, 409: ProblemRef },
      },
      config: { auth: self },
    },
    async (request) => {
      request.audit = { action: 'staff.totp_enrollment_started' };
      return totp(request).beginEnrollment(me(request), config.store.name);
    },
  );

  app.post(
    '/api/admin/profile/totp/confirm',
    {
      schema: {
        ...profileTags,
        summary: 'Confirm the enrollment with a code from the app: TOTP is on from now',
        description:
          'The answer carries ten single-use recovery codes, shown only here: each signs in once in place of ' +
          'a code from the app (POST /api/admin/auth/totp).',
        body: TotpCodeBody,
        response: {
          200: TotpConfirmedDto,
          400: ProblemRef,
          401: ProblemRef,
          403: ProblemRef,
          409: ProblemRef,
          429: ProblemRef,
        },
      },
      config: { auth: self },
    },
    async (request, reply) => {
      await enforceLimits(request.em, reply, limits(request));
      const confirmed = await totp(request).confirmEnrollment(me(request), request.body.code);
      if (!confirmed) {
        request.audit = { action: 'staff.totp_failed' };
        throw IdentityErrors.wrongTotp();
      }
      request.audit = { action: 'staff.totp_enabled' };
      return { ...(await totp(request).status(me(request))), recoveryCodes: confirmed.recoveryCodes };
    },
  );

  app.post(
    '/api/admin/profile/totp/recovery-codes',
    {
      schema: {
        ...profileTags,
        summary: 'New recovery codes, proven with a current code from the app: the old ones stop working',
        description:
          'Like turning TOTP off, this needs a current code (wrong codes count against the sign-in limits). ' +
          'The new codes are shown only in this answer.',
        body: TotpCodeBody,
        response: {
          200: RecoveryCodesDto,
          400: ProblemRef,
          401: ProblemRef,
          403: ProblemRef,
          409: ProblemRef,
          429: ProblemRef,
        },
      },
      config: { auth: self },
    },
    async (request, reply) => {
      await enforceLimits(request.em, reply, limits(request));
      const regenerated = await totp(request).regenerateRecoveryCodes(me(request), request.body.code);
      if (!regenerated) {
        request.audit = { action: 'staff.totp_failed' };
        throw IdentityErrors.wrongTotp();
      }
      request.audit = { action: 'staff.recovery_codes_regenerated' };
      return {
        recoveryCodes: regenerated.recoveryCodes,
        recoveryCodesRemaining: regenerated.recoveryCodes.length,
      };
    },
  );

  app.delete(
    '/api/admin/profile/totp',
    {
      schema: {
        ...profileTags,
        summary: 'Turn my TOTP off, proving it with a current code',
        description:
          'Refused (409 MCART_ERR_TOTP_REQUIRED) while the owner requires TOTP for all staff. The recovery ' +
          'codes are deleted.',
        body: TotpCodeBody,
        response: {
          204: { type: 'null' },
          400: ProblemRef,
          401: ProblemRef,
          403: ProblemRef,
          409: ProblemRef,
          429: ProblemRef,
        },
      },
      config: { auth: self },
    },
    async (request, reply) => {
      const service = totp(request);
      if (await service.isRequired()) throw IdentityErrors.totpRequired();
      await enforceLimits(request.em, reply, limits(request));
      if (!(await service.disable(me(request), request.body.code))) {
        request.audit = { action: 'staff.totp_failed' };
        throw IdentityErrors.wrongTotp();
      }
      request.audit = { action: 'staff.totp_disabled' };
      return reply.status(204).send();
    },
  );

  app.delete(
    '/api/admin/staff/:id/totp',
    {
      schema: {
        tags: ['admin: staff'],
        security,
        summary:
          'Reset a staff member’s TOTP (owner): their sessions and recovery codes end, they enroll again if required',
        params: IdParams,
        response: { 200: AdminStaffDto, 401: ProblemRef, 403: ProblemRef, 404: ProblemRef, 409: ProblemRef },
      },
      config: { auth: { permission: 'security:manage' } },
    },
    async (request) => {
      // One's own factor goes off with a current code (DELETE /api/admin/profile/totp): a session opened with a
      // recovery code, or a stolen one, must not clear it (and every recovery code) here without one.
      if (request.params.id === me(request))
        throw IdentityErrors.selfChange('Turn your own TOTP off from your profile, with a code from the app');
      const staff = await totp(request).reset(request.params.id);
      request.audit = { action: 'staff.totp_reset', details: { staffId: staff.id } };
      return toAdminStaffDto(staff);
    },
  );

  const settingsTags = { tags: ['admin: settings'], security };

  app.get(
    '/api/admin/settings/security',
    {
      schema: {
        ...settingsTags,
        summary: 'Store-wide sign-in policy',
        response: { 200: SecuritySettingsDto, 401: ProblemRef, 403: ProblemRef },
      },
      config: { auth: { permission: 'staff:read' } },
    },
    async (request) => ({ staffTotpRequired: await totp(request).isRequired() }),
  );

  app.patch(
    '/api/admin/settings/security',
    {
      schema: {
        ...settingsTags,
        summary: 'Require TOTP for every staff member (owner)',
        description:
          'Members without TOTP are made to enroll at their next sign-in before they get a session.',
        body: UpdateSecuritySettingsBody,
        response: { 200: SecuritySettingsDto, 400: ProblemRef, 401: ProblemRef, 403: ProblemRef },
      },
      config: { auth: { permission: 'security:manage' } },
    },
    async (request) => {
      const { previous } = await totp(request).setRequired(me(request), request.body.staffTotpRequired);
      request.audit = {
        action: 'settings.staff_totp_required',
        details: { from: previous, to: request.body.staffTotpRequired },
      };
      return { staffTotpRequired: request.body.staffTotpRequired };
    },
  );
};
