import type { FastifyReply } from 'fastify';
import { renderInvoicePdf } from './invoice-pdf.ts';
import type { DocumentSnapshot, InvoiceRow } from './invoicing.service.ts';

/** The PDF, named by the document's number; personal data, so never kept by a shared cache. */
export async function sendPdf(
  reply: FastifyReply,
  document: { row: InvoiceRow; snapshot: DocumentSnapshot },
): Promise<FastifyReply> {
  const pdf = await renderInvoicePdf(document.snapshot);
  return reply
    .type('application/pdf')
    .header('content-disposition', `inline; filename="${document.row.number}.pdf"`)
    .header('cache-control', 'private, no-store')
    .send(pdf);
}
