import { useState } from 'react';
import { Dialog, DialogActions, DialogContent, DialogTitle, TextField } from '@mui/material';
import TuneIcon from '@mui/icons-material/Tune';
import { useQueryClient } from '@tanstack/react-query';
import { Button, useCanAccess, useGetOne, useNotify, useRecordContext, useTranslate } from 'react-admin';
import { useConnection } from '../../connection/ConnectionContext.tsx';
import { RowActionButton } from './RowActionButton.tsx';

interface LevelRecord {
  variantId: string;
  allowBackorder: boolean;
  lowStockThreshold: number | null;
}

/** Empty → no threshold (null); otherwise a whole number of units, or undefined when it is not one. */
export function parseThreshold(text: string): number | null | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (!/^\d{1,9}$/.test(trimmed)) return undefined;
  return Number(trimmed);
}

/**
 * The variant's low-stock threshold, which puts it on the low-stock list and the dashboard once its
 * available stock falls to it (`PUT /api/admin/inventory/policies/:variantId`). The threshold is per
 * variant: every location row of the variant shows the same one.
 */
export function ThresholdButton() {
  const record = useRecordContext<LevelRecord>();
  const translate = useTranslate();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const { http } = useConnection();
  const { canAccess } = useCanAccess({ resource: 'stock-entry', action: 'list' });
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  // The dialog hides the row it was opened from: it names the variant (read by the SKU column already).
  const { data: variant } = useGetOne<{ id: string; sku: string }>(
    'variants',
    { id: record?.variantId ?? '' },
    { enabled: open && record !== undefined },
  );
  if (!record || !canAccess) return null;

  const threshold = parseThreshold(text);
  const save = async () => {
    if (threshold === undefined) return;
    setSaving(true);
    setError(null);
    try {
      await http.request(`/api/admin/inventory/policies/${encodeURIComponent(record.variantId)}`, {
        method: 'PUT',
        // The backorder policy travels with the threshold: send back the one the variant has.
        body: { allowBackorder: record.allowBackorder, lowStockThreshold: threshold },
      });
      await queryClient.invalidateQueries({ queryKey: ['stock-levels'] });
      notify('mcart.inventory.threshold_saved', { type: 'success' });
      setOpen(false);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      <RowActionButton
        label="mcart.inventory.threshold_button"
        icon={<TuneIcon />}
        onClick={(event) => {
          event.stopPropagation();
          setText(record.lowStockThreshold === null ? '' : String(record.lowStockThreshold));
          setError(null);
          setOpen(true);
        }}
      />
      <Dialog
        open={open}
        onClose={() => !saving && setOpen(false)}
        onClick={(event) => event.stopPropagation()}
      >
        <DialogTitle>
          {variant?.sku
            ? translate('mcart.inventory.threshold_title_sku', { sku: variant.sku })
            : translate('mcart.inventory.threshold_title')}
        </DialogTitle>
        <DialogContent>
          <TextField
            autoFocus
            fullWidth
            margin="dense"
            label={translate('mcart.inventory.threshold')}
            value={text}
            onChange={(event) => {
              setText(event.target.value);
              setError(null);
            }}
            onKeyDown={(event) => {
              if (event.key === 'Enter') void save();
            }}
            error={threshold === undefined || error !== null}
            helperText={
              error ??
              translate(
                threshold === undefined
                  ? 'mcart.inventory.threshold_invalid'
                  : 'mcart.inventory.threshold_help',
              )
            }
            slotProps={{ htmlInput: { inputMode: 'numeric' } }}
          />
        </DialogContent>
        <DialogActions>
          <Button label="ra.action.cancel" onClick={() => setOpen(false)} disabled={saving} />
          <Button
            label="ra.action.save"
            variant="contained"
            onClick={() => void save()}
            disabled={saving || threshold === undefined}
          />
        </DialogActions>
      </Dialog>
    </>
  );
}
