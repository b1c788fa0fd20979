import { defineError } from '../../platform/errors.ts';

export const InvoicingErrors = {
  notFound: defineError('MCART_ERR_INVOICE_NOT_FOUND', 404, 'No such invoice or credit note'),
};
