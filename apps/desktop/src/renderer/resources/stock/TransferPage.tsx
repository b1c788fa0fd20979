import { useRef, useState } from 'react';
import { Alert, Button, Card, CardContent, Stack, TextField } from '@mui/material';
import { Title, useNotify, useTranslate } from 'react-admin';
import { BatchConflict } from './BatchConflict.tsx';
import { LocationSelect, useStockLocations } from './LocationSelect.tsx';
import { ScanLines, type ScanLinesHandle } from './ScanLines.tsx';
import { invalidLines, totalUnits, transferBody, type PendingLine } from './stockLines.ts';
import { useStockPost } from './useStockPost.ts';

interface Level {
  onHand: number;
  available: number;
  locationName: string;
}

interface TransferredLine {
  variantId: string;
  from: Level;
  to: Level;
}

/**
 * Move available stock from one location to another, line by scanned line, in one request
 * (`POST /api/admin/inventory/transfers/batch`). The server decides what is possible: the same
 * location twice comes back on the "to" field, a line with too little available on that line.
 */
export function TransferPage() {
  const translate = useTranslate();
  const notify = useNotify();
  const { locations, defaultId } = useStockLocations();
  const [fromId, setFromId] = useState('');
  const [toId, setToId] = useState('');
  const [lines, setLines] = useState<PendingLine[]>([]);
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<{ sku: string; from: Level; to: Level }[] | null>(null);
  const { post, saving, errors, warning, newBatch } = useStockPost<{ lines: TransferredLine[] }>();
  const scan = useRef<ScanLinesHandle>(null);
  const from = fromId || defaultId || '';

  const submit = async () => {
    const sent = lines;
    const answer = await post(
      '/api/admin/inventory/transfers/batch',
      transferBody(sent, { fromLocationId: from, toLocationId: toId, reason }),
      sent,
    );
    if (answer) {
      setDone(
        answer.lines.map((moved) => ({
          sku: sent.find((line) => line.variantId === moved.variantId)?.sku ?? moved.variantId,
          from: moved.from,
          to: moved.to,
        })),
      );
      notify('mcart.stock.transferred', {
        type: 'success',
        messageArgs: { lines: sent.length, units: totalUnits(sent) },
      });
      setLines([]);
      setReason('');
    }
    scan.current?.focus();
  };

  const blocked = lines.length === 0 || !from || !toId || invalidLines(lines, 'transfer').size > 0 || saving;
  return (
    <Card sx={{ mt: 2 }}>
      <Title title={translate('mcart.stock.transfer_title')} />
      <CardContent>
        <Stack spacing={2}>
          <Stack direction={{ xs: 'column', md: 'row' }} spacing={2}>
            <LocationSelect
              label={translate('mcart.stock.from')}
              value={from}
              onChange={(id) => {
                setFromId(id);
                scan.current?.focus();
              }}
              locations={locations}
              error={errors.fields.fromLocationId}
              disabled={saving}
              testId="transfer-from"
            />
            <LocationSelect
              label={translate('mcart.stock.to')}
              value={toId}
              onChange={(id) => {
                setToId(id);
                scan.current?.focus();
              }}
              locations={locations}
              error={errors.fields.toLocationId}
              disabled={saving}
              testId="transfer-to"
            />
          </Stack>
          <ScanLines
            handle={scan}
            mode="transfer"
            lines={lines}
            onChange={(next) => {
              setLines(next);
              setDone(null);
            }}
            lineErrors={errors.lines}
            disabled={saving}
          />
          <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ alignItems: 'flex-start' }}>
            <TextField
              fullWidth
              label={translate('mcart.stock.reason')}
              value={reason}
              disabled={saving}
              onChange={(event) => setReason(event.target.value)}
              error={Boolean(errors.fields.reason)}
              helperText={errors.fields.reason}
              slotProps={{ htmlInput: { maxLength: 500 } }}
            />
            <Button
              variant="contained"
              disabled={blocked}
              onClick={() => void submit()}
              sx={{ whiteSpace: 'nowrap', minWidth: 200, py: 1.75 }}
            >
              {translate('mcart.stock.transfer_button', { units: totalUnits(lines) })}
            </Button>
          </Stack>
          <BatchConflict
            warning={warning}
            onNewBatch={() => {
              newBatch();
              scan.current?.focus();
            }}
          />
          {done && (
            <Alert severity="success" data-testid="stock-result">
              {done.map((line) => (
                <div key={line.sku}>
                  {translate('mcart.stock.moved', {
                    sku: line.sku,
                    from: line.from.locationName,
                    fromOnHand: line.from.onHand,
                    to: line.to.locationName,
                    toOnHand: line.to.onHand,
                  })}
                </div>
              ))}
            </Alert>
          )}
        </Stack>
      </CardContent>
    </Card>
  );
}
