import type { FastifyReply } from 'fastify';
import { renderInvoicePdf } from './invoice-pdf.ts';
import type { DocumentSnapshot, InvoiceRow } from './invoicing.service.ts';

/** A document's PDF is named by its number, downloaded or attached to its e-mail: `INV-2026-000001.pdf`. */
export const pdfFilename = (row: Pick<InvoiceRow, 'number'>) => `${row.number}.pdf`;

/** The PDF, named by the document's number; personal data, so never kept by a shared cache. */
export async function sendPdf(
  reply: FastifyReply,
  document: { row: InvoiceRow; snapshot: DocumentSnapshot },
): Promise<FastifyReply> {
  const pdf = await renderInvoicePdf(document.snapshot);
  return reply
    .type('application/pdf')
    .header('content-disposition', `inline; filename="${pdfFilename(document.row)}"`)
    .header('cache-control', 'private, no-store')
    .send(pdf);
}
