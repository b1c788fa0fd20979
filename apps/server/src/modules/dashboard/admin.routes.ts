import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ProblemRef } from '../../platform/schemas.ts';
import { CommonErrors } from '../../platform/errors.ts';
import { DashboardDto, DashboardQuery } from './dashboard.schemas.ts';
import { DashboardService } from './dashboard.service.ts';

const knownTimeZones = new Set(Intl.supportedValuesOf('timeZone'));

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
      const timeZone = request.query.tz ?? 'UTC';
      if (timeZone !== 'UTC' && !knownTimeZones.has(timeZone)) {
        throw CommonErrors.validation('Unknown time zone', {
          errors: [{ path: 'querystring/tz', message: 'must be an IANA time zone such as Europe/Paris' }],
        });
      }
      return new DashboardService(request.em as EntityManager, currency).summary(timeZone);
    },
  );
};
