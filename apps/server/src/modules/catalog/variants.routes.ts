import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ProblemRef } from '../../platform/schemas.ts';
import { VariantList, VariantListQuery as VariantListQuerySchema } from './catalog.schemas.ts';
import { CatalogService, type VariantListQuery } from './catalog.service.ts';

const errors = { 400: ProblemRef, 401: ProblemRef, 403: ProblemRef };

/**
 * Variants as a flat list, for the back-office screens that work by SKU (scan to receive, transfer)
 * or that show variant ids (stock levels, the ledger: react-admin getMany with `?id=a&id=b`).
 */
export const variantAdminRoutes: FastifyPluginAsyncTypebox<{ currency: string }> = async (
  app,
  { currency },
) => {
  app.get(
    '/api/admin/variants',
    {
      schema: {
        tags: ['admin: catalog'],
        summary: 'Find variants by SKU (exact, case-insensitive), text or ids',
        security: [{ staffBearer: [] }],
        querystring: VariantListQuerySchema,
        response: { 200: VariantList, ...errors },
      },
      config: { auth: { permission: 'catalog:read' } },
    },
    async (request) =>
      new CatalogService(request.em, currency).listVariants({
        ...request.query,
        sort: request.query.sort as VariantListQuery['sort'],
      }),
  );
};
