import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import { IdParams, ProblemRef, utcInstant } from '../../platform/schemas.ts';
import { CommonErrors } from '../../platform/errors.ts';
import { toInvoiceDto } from './invoice.dto.ts';
import { sendPdf } from './send-pdf.ts';
import type { InvoicingService } from './invoicing.service.ts';
import {
  InvoiceDto,
  InvoiceListDto,
  InvoiceListQuery,
  InvoiceRegisterQuery,
  PdfResponse,
} from './invoicing.schemas.ts';
import { invoiceRegisterCsv } from './invoice-register.ts';
import { AuditService } from '../audit/audit.service.ts';
import type { FieldCipher } from '../../platform/crypto.ts';

export type InvoicingFactory = (em: EntityManager) => InvoicingService;

const tags = ['admin: invoices'];
const security = [{ staffBearer: [] }];
const auth = { permission: 'invoices:read' } as const;

export const invoiceAdminRoutes: FastifyPluginAsyncTypebox<{
  service: InvoicingFactory;
  cipher: FieldCipher;
}> = async (app, { service, cipher }) => {
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
    '/api/admin/invoices/export',
    {
      schema: {
        tags,
        summary:
          'The invoice register as CSV: every invoice and credit note issued in the range, oldest first',
        description:
          'For the books: one line per document (`number, kind, issued_at, order_number, corrects, buyer_name, ' +
          'buyer_company, buyer_country, currency, net_minor, tax_minor, total_minor`). Amounts are minor units, a ' +
          "credit note's negative, so a column sums to what the period invoiced net of credits. The buyer is as " +
          'the document names them. `from` is inclusive, `to` exclusive (`from=2026-12-01&to=2027-01-01` is ' +
          'December, UTC). Streamed, no row limit. Audited as `invoices.exported` (it lists buyers by name).',
        security,
        querystring: InvoiceRegisterQuery,
        produces: ['text/csv'],
        response: {
          200: Type.String({ description: 'text/csv' }),
          400: ProblemRef,
          401: ProblemRef,
          403: ProblemRef,
        },
      },
      config: { auth },
    },
    async (request, reply) => {
      const { from, to, kind } = request.query;
      // Swapped dates would give the accountant an empty register that looks like a quiet month.
      if (from && to && Date.parse(utcInstant(from)) >= Date.parse(utcInstant(to)))
        throw CommonErrors.validation('to must be after from', {
          errors: [{ path: 'querystring/to', message: 'must be after from' }],
        });
      await new AuditService(request.em).record({
        staffId: request.staff!.id,
        action: 'invoices.exported',
        method: request.method,
        route: request.routeOptions.url,
        params: request.query,
        status: 200,
        ip: request.ip,
        requestId: request.id,
      });
      const range = [from?.slice(0, 10), to?.slice(0, 10)].filter(Boolean).join('-to-');
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="invoices${range ? `-${range}` : ''}.csv"`)
        .send(invoiceRegisterCsv(request.em, cipher, { from, to, kind }));
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
