import { useState } from 'react';
import PrintIcon from '@mui/icons-material/Print';
import { Button, useNotify, useTranslate } from 'react-admin';
import { useConnection } from '../../connection/ConnectionContext.tsx';
import { LabelPreviewDialog } from './LabelPreviewDialog.tsx';
import { labelFileName, labelPath, needsPrinterChoice } from './labels.ts';
import { printRoute } from './packing.ts';
import { PrinterDialog } from './PrinterDialog.tsx';
import { downloadBlob } from './transfer.ts';
import { useRawTransport } from './useTransport.ts';

/**
 * Prints the labels of the given shipments: silently to the remembered 4x6 printer in Electron
 * (asking for the printer the first time), as a PDF preview with a download in a browser.
 */
export function PrintLabelsButton({
  ids,
  label = 'mcart.labels.print',
}: {
  ids: readonly string[];
  label?: string;
}) {
  const translate = useTranslate();
  const notify = useNotify();
  const transport = useRawTransport();
  const bridge = useConnection().connection.desktop;
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState<Blob | null>(null);
  const [choosing, setChoosing] = useState(false);

  const printOnDesktop = async () => {
    if (!bridge?.printLabels) return;
    const pdf = new Uint8Array(await (await downloadBlob(transport, labelPath(ids))).arrayBuffer());
    const result = await bridge.printLabels(pdf, 1);
    if (result.ok) notify(translate('mcart.labels.sent', { printer: result.printer }), { type: 'success' });
    else if (needsPrinterChoice(result.reason)) setChoosing(true);
    else notify(result.message, { type: 'error' });
  };

  const run = async () => {
    setBusy(true);
    try {
      if (printRoute(bridge).kind === 'desktop' && bridge) {
        if (!(await bridge.getLabelPrinter?.())) setChoosing(true);
        else await printOnDesktop();
      } else {
        setPreview(await downloadBlob(transport, labelPath(ids)));
      }
    } catch (error) {
      notify(error instanceof Error ? error.message : String(error), { type: 'error' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button label={label} onClick={() => void run()} disabled={busy || ids.length === 0}>
        <PrintIcon />
      </Button>
      {preview && (
        <LabelPreviewDialog pdf={preview} fileName={labelFileName(ids)} onClose={() => setPreview(null)} />
      )}
      {bridge && (
        <PrinterDialog
          bridge={bridge}
          open={choosing}
          onClose={() => setChoosing(false)}
          onChosen={() => {
            setChoosing(false);
            void run();
          }}
        />
      )}
    </>
  );
}

/** Lets the packer change the remembered label printer (Electron only). */
export function ChoosePrinterButton() {
  const bridge = useConnection().connection.desktop;
  const [open, setOpen] = useState(false);
  const notify = useNotify();
  const translate = useTranslate();
  if (!bridge || printRoute(bridge).kind !== 'desktop') return null;
  return (
    <>
      <Button label="mcart.labels.choose_printer" onClick={() => setOpen(true)}>
        <PrintIcon />
      </Button>
      <PrinterDialog
        bridge={bridge}
        open={open}
        onClose={() => setOpen(false)}
        onChosen={(name) => {
          setOpen(false);
          notify(translate('mcart.labels.printer_saved', { printer: name }), { type: 'info' });
        }}
      />
    </>
  );
}
