import { prepared } from '../../platform/prepared.ts';
import { pgArray } from '../inventory/sql.ts';
import type { CustomerDocumentsPort } from '../identity/customer-data.service.ts';

interface DocumentRow {
  id: string;
  kind: 'invoice' | 'credit_note';
  number: string;
  order_id: string;
  order_number: string;
  issued_at: string;
  currency: string;
  total: number;
  tax_total: number;
  corrects: string | null;
}

/**
 * The documents of a customer's orders for their data export (ADR 0048): the plain columns only, so no
 * snapshot is decrypted; the full document is its PDF, which the customer downloads from their order.
 */
export const customerDocuments: CustomerDocumentsPort = {
  async documentsOf(em, orderIds) {
    const rows = await prepared<DocumentRow>(
      em,
      `SELECT d.id, d.kind, d.number, d.order_id, d.order_number, d.issued_at, d.currency, d.total, d.tax_total,
              c.number AS corrects
         FROM invoice d LEFT JOIN invoice c ON c.id = d.invoice_id
        WHERE d.order_id = ANY(?::uuid[])
        ORDER BY d.issued_at, d.kind DESC, d.seq`,
      [pgArray(orderIds)],
    );
    return rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      number: row.number,
      orderId: row.order_id,
      orderNumber: row.order_number,
      issuedAt: new Date(row.issued_at).toISOString(),
      total: { amount: row.total, currency: row.currency },
      tax: { amount: row.tax_total, currency: row.currency },
      corrects: row.corrects,
    }));
  },
};

declare module 'fastify' {
  interface FastifyInstance {
    /** The invoicing context's side of a customer's data export: see CustomerDocumentsPort. */
    customerDocuments: CustomerDocumentsPort;
  }
}
