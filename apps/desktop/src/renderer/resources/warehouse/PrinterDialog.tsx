import { useEffect, useState } from 'react';
import {
  Button as MuiButton,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  List,
  ListItemButton,
  ListItemText,
  Typography,
} from '@mui/material';
import { useTranslate } from 'react-admin';
import type { DesktopBridge, PrinterSummary } from '../../../shared/ipc.ts';

/** Choose the label printer once; the main process remembers it for every later silent print. */
export function PrinterDialog({
  bridge,
  open,
  onClose,
  onChosen,
}: {
  bridge: DesktopBridge;
  open: boolean;
  onClose: () => void;
  onChosen: (name: string) => void;
}) {
  const translate = useTranslate();
  const [printers, setPrinters] = useState<PrinterSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!open || !bridge.listPrinters) return;
    let cancelled = false;
    setPrinters(null);
    bridge
      .listPrinters()
      .then((list) => !cancelled && setPrinters(list))
      .catch((cause: unknown) => !cancelled && setError(String(cause)));
    return () => {
      cancelled = true;
    };
  }, [open, bridge]);

  const choose = async (name: string) => {
    const saved = await bridge.setLabelPrinter?.(name);
    if (saved) onChosen(saved);
  };

  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="xs">
      <DialogTitle>{translate('mcart.labels.choose_printer')}</DialogTitle>
      <DialogContent>
        {error && <Typography color="error">{error}</Typography>}
        {printers && printers.length === 0 && (
          <Typography>{translate('mcart.labels.no_printers')}</Typography>
        )}
        <List>
          {printers?.map((printer) => (
            <ListItemButton key={printer.name} onClick={() => void choose(printer.name)}>
              <ListItemText
                primary={printer.displayName || printer.name}
                secondary={printer.isDefault ? translate('mcart.labels.default_printer') : undefined}
              />
            </ListItemButton>
          ))}
        </List>
      </DialogContent>
      <DialogActions>
        <MuiButton onClick={onClose}>{translate('ra.action.cancel')}</MuiButton>
      </DialogActions>
    </Dialog>
  );
}
