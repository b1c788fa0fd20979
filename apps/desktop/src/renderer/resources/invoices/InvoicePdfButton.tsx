import { useState } from 'react';
import { Button } from '@mui/material';
import PictureAsPdfIcon from '@mui/icons-material/PictureAsPdf';
import { useNotify, useTranslate } from 'react-admin';
import { saveBlob } from '../../files/download.ts';
import { downloadBlob } from '../warehouse/transfer.ts';
import { useRawTransport } from '../warehouse/useTransport.ts';
import { invoicePdfPath, type InvoiceRecord } from './invoiceTypes.ts';

/**
 * Saves the document's PDF under its number (`INV-2026-000123.pdf`): a download in a browser, the save
 * dialog in Electron, whose PDF viewer then opens it. The PDF is drawn by the server from the document as
 * issued.
 */
export function InvoicePdfButton({ invoice }: { invoice: Pick<InvoiceRecord, 'id' | 'number'> }) {
  const translate = useTranslate();
  const notify = useNotify();
  const transport = useRawTransport();
  const [busy, setBusy] = useState(false);

  const save = async () => {
    setBusy(true);
    try {
      saveBlob(await downloadBlob(transport, invoicePdfPath(invoice.id)), `${invoice.number}.pdf`);
      notify(translate('mcart.invoices.downloaded', { number: invoice.number }), { type: 'info' });
    } catch (error) {
      notify(error instanceof Error ? error.message : String(error), { type: 'error' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Button
      size="small"
      startIcon={<PictureAsPdfIcon />}
      disabled={busy}
      aria-label={translate('mcart.invoices.download_pdf', { number: invoice.number })}
      onClick={(event) => {
        event.stopPropagation();
        void save();
      }}
    >
      {translate('mcart.invoices.pdf')}
    </Button>
  );
}
