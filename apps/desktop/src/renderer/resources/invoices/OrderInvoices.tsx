import { useEffect, useState } from 'react';
import { Alert, Box, Stack, Typography } from '@mui/material';
import { usePermissions, useTranslate } from 'react-admin';
import { useConnection } from '../../connection/ConnectionContext.tsx';
import { useLive } from '../../live/LiveProvider.tsx';
import { formatMoney } from '../orders/orderTypes.ts';
import { InvoicePdfButton } from './InvoicePdfButton.tsx';
import { documentDate } from './invoiceDays.ts';
import { orderInvoicesPath, type InvoiceRecord } from './invoiceTypes.ts';

/**
 * The order's invoice and credit notes, each with its PDF (staff without invoices:read do not see the
 * section). Documents are issued just after the payment or refund that causes them, announced as a change
 * of the order: the list is read again on each.
 */
export function OrderInvoices({ orderId }: { orderId: string }) {
  const translate = useTranslate();
  const { http } = useConnection();
  const { permissions } = usePermissions<string[]>();
  const allowed = Array.isArray(permissions) && permissions.includes('invoices:read');
  const live = useLive();
  const [changes, setChanges] = useState(0);
  const [documents, setDocuments] = useState<InvoiceRecord[] | null>(null);
  // A failed read says so, rather than "No invoice" for an order that has one.
  const [error, setError] = useState<string | null>(null);
  useEffect(
    () =>
      live?.onChange(
        (change) => change.resource === 'orders' && change.ids.includes(orderId) && setChanges((n) => n + 1),
      ),
    [live, orderId],
  );
  useEffect(() => {
    if (!allowed) return;
    let cancelled = false;
    void http
      .request<{ data: InvoiceRecord[] }>(orderInvoicesPath(orderId))
      .then(({ body }) => {
        if (cancelled) return;
        setDocuments(body.data);
        setError(null);
      })
      // The message may be a translation key (mcart.error.network).
      .catch((err: Error) => !cancelled && setError(translate(err.message, { _: err.message })));
    return () => {
      cancelled = true;
    };
  }, [http, orderId, allowed, changes, translate]);
  if (!allowed) return null;
  if (error)
    return (
      <Alert data-testid="order-invoices" severity="warning" sx={{ mt: 2 }}>
        {translate('mcart.invoices.failed', { error })}
      </Alert>
    );
  if (documents === null) return null;
  return (
    <Box data-testid="order-invoices" sx={{ mt: 2 }}>
      <Typography variant="subtitle2">{translate('mcart.invoices.section')}</Typography>
      {documents.length === 0 && <Typography variant="body2">{translate('mcart.invoices.none')}</Typography>}
      {documents.map((doc) => (
        <Stack key={doc.id} direction="row" spacing={1} sx={{ alignItems: 'center' }}>
          <Typography variant="body2" sx={{ flex: 1 }}>
            {translate(`mcart.invoices.kind.${doc.kind}`)} {doc.number} · {documentDate(doc.issuedAt)} ·{' '}
            {formatMoney(doc.total)}
            {doc.invoiceNumber
              ? ` · ${translate('mcart.invoices.corrects_invoice', { number: doc.invoiceNumber })}`
              : ''}
          </Typography>
          <InvoicePdfButton invoice={doc} />
        </Stack>
      ))}
    </Box>
  );
}
