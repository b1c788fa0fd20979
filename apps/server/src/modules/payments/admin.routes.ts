import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { listOf, ProblemRef } from '../../platform/schemas.ts';
import { PaymentDto, PaymentListQuery } from './payments.schemas.ts';

export const paymentAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/admin/payments',
    {
      schema: {
        tags: ['admin: payments'],
        summary: 'Payments, newest first (filter by order)',
        security: [{ staffBearer: [] }],
        querystring: PaymentListQuery,
        response: { 200: listOf(PaymentDto), 400: ProblemRef, 401: ProblemRef, 403: ProblemRef },
      },
      config: { auth: { permission: 'orders:read' } },
    },
    async (request) =>
      app.payments.list({
        orderId: request.query.orderId,
        page: request.query.page ?? 1,
        perPage: request.query.perPage ?? 25,
        order: request.query.order ?? 'DESC',
      }),
  );
};
