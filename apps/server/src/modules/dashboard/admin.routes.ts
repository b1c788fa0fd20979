import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ProblemRef } from '../../platform/schemas.ts';
import { CommonErrors } from '../../platform/errors.ts';
import { zoneOf } from '../../platform/time-zones.ts';
import { DashboardDto, DashboardQuery } from './dashboard.schemas.ts';
import { DashboardService } from './dashboard.service.ts';
import { can } from '../identity/permissions.ts';

export const dashboardRoutes: FastifyPluginAsyncTypebox<{ currency: string }> = async (app, { currency }) => {
  app.get(
    '/api/admin/dashboard',
    {
      schema: {
        tags: ['admin: dashboard'],
        summary: 'Sales, orders to pack, low stock and new customers, for the back-office dashboard',
        security: [{ staffBearer: [] }],
        querystring: DashboardQuery,
        response: { 200: DashboardDto, 400: ProblemRef, 401: ProblemRef, 403: ProblemRef },
      },
      config: { auth: { permission: 'dashboard:read' } },
    },
    async (request) => {
      // A desk in Kyiv reports Europe/Kyiv, which Intl's list knows as Europe/Kiev (platform/time-zones.ts).
      const timeZone = zoneOf(request.query.tz ?? 'UTC');
      if (!timeZone) {
        throw CommonErrors.validation('Unknown time zone', {
          errors: [{ path: 'querystring/tz', message: 'must be an IANA time zone such as Europe/Paris' }],
        });
      }
      // The store's takings are for the roles that read the sales reports (ADR 0050).
      return new DashboardService(request.em as EntityManager, currency).summary(timeZone, {
        withSales: can(request.staff!.role, 'reports:read'),
      });
    },
  );
};
