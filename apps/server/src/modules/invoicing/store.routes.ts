import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FieldCipher } from '../../platform/crypto.ts';
import { IdParams, ProblemRef } from '../../platform/schemas.ts';
import { OrdersService } from '../orders/orders.service.ts';
import type { InvoicingFactory } from './admin.routes.ts';
import { toInvoiceDto } from './invoice.dto.ts';
import { InvoicingErrors } from './invoicing.errors.ts';
import { InvoiceListDto, OrderInvoiceParams, PdfResponse } from './invoicing.schemas.ts';
import { sendPdf } from './send-pdf.ts';

const tags = ['store: orders'];
const security = [{ customerBearer: [] }];
const errors = { 400: ProblemRef, 401: ProblemRef, 404: ProblemRef };

/**
 * A signed-in customer's own invoices and credit notes. Anyone else's order is 404 (as for the order
 * itself); a guest order has no account to show them in: its documents reach it by e-mail (invoice-mail.ts).
 */
export const invoiceStoreRoutes: FastifyPluginAsyncTypebox<{
  service: InvoicingFactory;
  cipher: FieldCipher;
}> = async (app, { service, cipher }) => {
  app.get(
    '/api/store/orders/:id/invoices',
    {
      schema: {
        tags,
        security,
        summary: 'The invoice and credit notes of one of my orders, oldest first',
        params: IdParams,
        response: { 200: InvoiceListDto, ...errors },
      },
      config: { auth: 'customer' },
    },
    async (request) => {
      await new OrdersService(request.em, cipher).findForCustomer(request.params.id, request.customer!.id);
      const rows = await service(request.em).forOrder(request.params.id);
      return { data: rows.map(toInvoiceDto), total: rows.length };
    },
  );

  app.get(
    '/api/store/orders/:id/invoices/:invoiceId/pdf',
    {
      schema: {
        tags,
        security,
        summary: 'An invoice or credit note of one of my orders, as an A4 PDF',
        params: OrderInvoiceParams,
        produces: ['application/pdf'],
        response: { 200: PdfResponse, ...errors },
      },
      config: { auth: 'customer' },
    },
    async (request, reply) => {
      await new OrdersService(request.em, cipher).findForCustomer(request.params.id, request.customer!.id);
      const document = await service(request.em).snapshot(request.params.invoiceId);
      if (document.row.order_id !== request.params.id) throw InvoicingErrors.notFound();
      return sendPdf(reply, document);
    },
  );
};
