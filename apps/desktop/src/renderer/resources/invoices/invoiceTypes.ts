import type { Money } from '../orders/orderTypes.ts';

/** `GET /api/admin/invoices` rows: an invoice, or a credit note correcting one. */
export interface InvoiceRecord {
  id: string;
  kind: 'invoice' | 'credit_note';
  /** `INV-2026-000123`, `CN-2026-000007`: gap-free per kind and year. */
  number: string;
  orderId: string;
  orderNumber: string;
  /** A credit note: the invoice it corrects. */
  invoiceId: string | null;
  invoiceNumber: string | null;
  issuedAt: string;
  total: Money;
  tax: Money;
}

export const invoicePdfPath = (id: string) => `/api/admin/invoices/${encodeURIComponent(id)}/pdf`;

/** An order's documents, oldest first (its invoice, then its credit notes). */
export const orderInvoicesPath = (orderId: string) =>
  `/api/admin/invoices?${new URLSearchParams({ orderId, sort: 'issuedAt', order: 'ASC', perPage: '100' })}`;
