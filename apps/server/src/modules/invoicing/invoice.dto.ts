import type { InvoiceRow } from './invoicing.service.ts';

export const toInvoiceDto = (row: InvoiceRow) => ({
  id: row.id,
  kind: row.kind,
  number: row.number,
  orderId: row.order_id,
  orderNumber: row.order_number,
  invoiceId: row.invoice_id,
  invoiceNumber: row.invoice_number,
  issuedAt: row.issued_at,
  total: { amount: row.total, currency: row.currency },
  tax: { amount: row.tax_total, currency: row.currency },
});
