import type { FastifyInstance } from 'fastify';
import type { AttachmentResolver } from '../notifications/index.ts';
import type { InvoicingFactory } from './admin.routes.ts';
import { renderInvoicePdf } from './invoice-pdf.ts';
import type { DocumentIssued } from './invoicing.service.ts';
import { pdfFilename } from './send-pdf.ts';

/** The e-mail that brings the buyer each document, its PDF attached (ADR 0049). */
export const DOCUMENT_MAIL_TEMPLATES = {
  invoice: 'invoice-issued',
  credit_note: 'credit-note-issued',
} as const;

/** One e-mail per document, however often its event is seen or whoever issues it. */
export const documentMailKey = (documentId: string) => `invoice-mail:${documentId}`;

/**
 * Queues a document's e-mail in the transaction that issues it, to the address its order names (nothing to an
 * erased customer's `.invalid` placeholder: the mailer skips those). The e-mail names the document; its PDF
 * is drawn when it is sent (`documentAttachment`), so the queue never holds a document.
 */
export function mailIssuedDocument(mailer: FastifyInstance['mailer']): DocumentIssued {
  return async (tx, { id, snapshot, orderEmail }) => {
    await mailer.queueOnce(tx, {
      template: DOCUMENT_MAIL_TEMPLATES[snapshot.kind],
      to: orderEmail,
      dedupeKey: documentMailKey(id),
      data: {
        documentId: id,
        documentNumber: snapshot.number,
        orderNumber: snapshot.order.number,
        customerName: snapshot.buyer.address.name,
        total: snapshot.total,
        currency: snapshot.currency,
        ...(snapshot.corrects ? { invoiceNumber: snapshot.corrects.number } : {}),
      },
    });
  };
}

/**
 * The PDF of the document an e-mail names, drawn when the e-mail is sent from the sealed snapshot (an issued
 * document never changes: it is the document as issued) and named as the download is. Withdrawn when the
 * order no longer names the address the e-mail was queued for: its customer was erased while it waited.
 */
export function documentAttachment(service: InvoicingFactory): AttachmentResolver {
  return async (em, { to, data }) => {
    if (typeof data.documentId !== 'string') throw new Error('invoice e-mail without a document id');
    const invoicing = service(em);
    const { row, snapshot } = await invoicing.snapshot(data.documentId);
    if ((await invoicing.orderEmail(row.order_id)) !== to)
      return { withdrawn: 'the order no longer names this address (its customer was erased)' };
    const content = await renderInvoicePdf(snapshot);
    return { attachments: [{ filename: pdfFilename(row), content, contentType: 'application/pdf' }] };
  };
}
