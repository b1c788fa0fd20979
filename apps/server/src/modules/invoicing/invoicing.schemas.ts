import { Type } from '@sinclair/typebox';
import { DateOrTime, listQuery } from '../../platform/schemas.ts';

const Money = Type.Object({ amount: Type.Integer(), currency: Type.String({ pattern: '^[A-Z]{3}$' }) });
const Kind = Type.Union([Type.Literal('invoice'), Type.Literal('credit_note')]);

/** An issued invoice or credit note: what lists and filters need. What it says is in its PDF. */
export const InvoiceDto = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    kind: Kind,
    number: Type.String({ description: 'INV-<year>-<seq> or CN-<year>-<seq>: gap-free per kind and year' }),
    orderId: Type.String({ format: 'uuid' }),
    orderNumber: Type.String(),
    invoiceId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], {
      description: 'A credit note: the invoice it corrects (null for an invoice)',
    }),
    invoiceNumber: Type.Union([Type.String(), Type.Null()]),
    issuedAt: Type.String({ format: 'date-time' }),
    total: Type.Object(Money.properties, {
      description: 'The invoice total, or the amount a credit note credits (positive)',
    }),
    tax: Money,
  },
  { additionalProperties: false },
);

export const InvoiceListDto = Type.Object({ data: Type.Array(InvoiceDto), total: Type.Integer() });

export const InvoiceListQuery = listQuery(
  {
    orderId: Type.Optional(Type.String({ format: 'uuid' })),
    kind: Type.Optional(Kind),
    number: Type.Optional(Type.String({ maxLength: 32 })),
    from: Type.Optional(DateOrTime('issued at or after')),
    to: Type.Optional(DateOrTime('issued before')),
  },
  ['issuedAt', 'number', 'total'],
);

export const InvoiceRegisterQuery = Type.Object(
  {
    kind: Type.Optional(Kind),
    from: Type.Optional(DateOrTime('issued at or after')),
    to: Type.Optional(DateOrTime('issued before')),
  },
  { additionalProperties: false },
);

export const OrderInvoiceParams = Type.Object(
  { id: Type.String({ format: 'uuid' }), invoiceId: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
);

export const PdfResponse = {
  description: 'The document as a PDF (A4)',
  content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
};
