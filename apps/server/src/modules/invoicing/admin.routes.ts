import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import { IdParams, ProblemRef } from '../../platform/schemas.ts';
import { toInvoiceDto } from './invoice.dto.ts';
import { sendPdf } from './send-pdf.ts';
import type { InvoicingService } from './invoicing.service.ts';
import { InvoiceDto, InvoiceListDto, InvoiceListQuery, PdfResponse } from './invoicing.schemas.ts';

export type InvoicingFactory = (em: EntityManager) => InvoicingService;

const tags = ['admin: invoices'];
const security = [{ staffBearer: [] }];
const auth = { permission: 'invoices:read' } as const;

export const invoiceAdminRoutes: FastifyPluginAsyncTypebox<{ service: InvoicingFactory }> = async (
  app,
  { service },
) => {
  app.get(
    '/api/admin/invoices',
    {
      schema: {
        tags,
        summary: 'Invoices and credit notes, newest first (filter by order, kind, number, issue date)',
        security,
        querystring: InvoiceListQuery,
        response: { 200: InvoiceListDto, 400: ProblemRef, 401: ProblemRef, 403: ProblemRef },
      },
      config: { auth },
    },
    async (request) => {
      const { page = 1, perPage = 25, sort, order, ...filters } = request.query;
      const result = await service(request.em).list(filters, { page, perPage, sort, order });
      return { data: result.data.map(toInvoiceDto), total: result.total };
    },
  );

  app.get(
    '/api/admin/invoices/:id',
    {
      schema: {
        tags,
        summary: 'One invoice or credit note (what lists show; the PDF has what it says)',
        security,
        params: IdParams,
        response: { 200: InvoiceDto, 400: ProblemRef, 401: ProblemRef, 403: ProblemRef, 404: ProblemRef },
      },
      config: { auth },
    },
    async (request) => toInvoiceDto(await service(request.em).get(request.params.id)),
  );

  app.get(
    '/api/admin/invoices/:id/pdf',
    {
      schema: {
        tags,
        summary: 'The invoice or credit note as issued, as an A4 PDF',
        description:
          'Drawn from the document as it was issued; `Content-Disposition` names it by its number.',
        security,
        params: IdParams,
        produces: ['application/pdf'],
        response: { 200: PdfResponse, 400: ProblemRef, 401: ProblemRef, 403: ProblemRef, 404: ProblemRef },
      },
      config: { auth },
    },
    async (request, reply) => sendPdf(reply, await service(request.em).snapshot(request.params.id)),
  );
};
