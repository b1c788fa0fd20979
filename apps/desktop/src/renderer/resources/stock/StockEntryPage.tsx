import { useRef, useState } from 'react';
import {
  Alert,
  Button,
  Card,
  CardContent,
  Stack,
  TextField,
  ToggleButton,
  ToggleButtonGroup,
  Typography,
} from '@mui/material';
import { Title, useNotify, useTranslate } from 'react-admin';
import { BatchConflict } from './BatchConflict.tsx';
import { LocationSelect, useStockLocations } from './LocationSelect.tsx';
import { ScanLines, type ScanLinesHandle } from './ScanLines.tsx';
import { adjustmentBody, invalidLines, receiptBody, totalUnits, type PendingLine } from './stockLines.ts';
import { useStockPost } from './useStockPost.ts';

type EntryMode = 'receive' | 'adjust';

interface ChangedLine {
  variantId: string;
  level: { onHand: number; available: number; locationName: string };
}

interface Outcome {
  mode: EntryMode;
  lines: { sku: string; onHand: number; available: number; locationName: string }[];
}

/**
 * Receive a delivery or correct counts by scanning: SKU + Enter adds a line, then one request posts
 * every line at once (all or nothing, `POST /api/admin/inventory/{receipts,adjustments}/batch`).
 */
export function StockEntryPage() {
  const translate = useTranslate();
  const notify = useNotify();
  const { locations, defaultId } = useStockLocations();
  const [mode, setMode] = useState<EntryMode>('receive');
  const [locationId, setLocationId] = useState('');
  const [lines, setLines] = useState<PendingLine[]>([]);
  const [reason, setReason] = useState('');
  const [reasonMissing, setReasonMissing] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const { post, saving, errors, clearErrors, warning, newBatch } = useStockPost<{ lines: ChangedLine[] }>();
  const scan = useRef<ScanLinesHandle>(null);
  const location = locationId || defaultId || '';

  const submit = async () => {
    if (mode === 'adjust' && !reason.trim()) {
      setReasonMissing(true);
      return;
    }
    const sent = lines;
    const answer =
      mode === 'receive'
        ? await post(
            '/api/admin/inventory/receipts/batch',
            receiptBody(sent, { locationId: location, reason }),
            sent,
          )
        : await post(
            '/api/admin/inventory/adjustments/batch',
            adjustmentBody(sent, { locationId: location, reason }),
            sent,
          );
    if (answer) {
      setOutcome({
        mode,
        lines: answer.lines.map((changed) => ({
          sku: sent.find((line) => line.variantId === changed.variantId)?.sku ?? changed.variantId,
          onHand: changed.level.onHand,
          available: changed.level.available,
          locationName: changed.level.locationName,
        })),
      });
      notify(mode === 'receive' ? 'mcart.stock.received' : 'mcart.stock.adjusted', {
        type: 'success',
        messageArgs: { lines: sent.length, units: totalUnits(sent) },
      });
      setLines([]);
      setReason('');
    }
    scan.current?.focus();
  };

  const blocked = lines.length === 0 || invalidLines(lines, mode).size > 0 || saving;
  return (
    <Card sx={{ mt: 2 }}>
      <Title title={translate('mcart.stock.entry_title')} />
      <CardContent>
        <Stack spacing={2}>
          <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ alignItems: 'center' }}>
            <ToggleButtonGroup
              exclusive
              size="small"
              value={mode}
              onChange={(_event, value: EntryMode | null) => {
                if (!value) return;
                setMode(value);
                clearErrors();
                scan.current?.focus();
              }}
            >
              <ToggleButton value="receive">{translate('mcart.stock.mode_receive')}</ToggleButton>
              <ToggleButton value="adjust">{translate('mcart.stock.mode_adjust')}</ToggleButton>
            </ToggleButtonGroup>
            <LocationSelect
              label={translate('mcart.stock.location')}
              value={location}
              onChange={(id) => {
                setLocationId(id);
                scan.current?.focus();
              }}
              locations={locations}
              error={errors.fields.locationId}
              disabled={saving}
              testId="entry-location"
            />
            <Typography variant="body2" color="text.secondary">
              {translate(mode === 'receive' ? 'mcart.stock.receive_hint' : 'mcart.stock.adjust_hint')}
            </Typography>
          </Stack>
          <ScanLines
            handle={scan}
            mode={mode}
            lines={lines}
            onChange={(next) => {
              setLines(next);
              setOutcome(null);
            }}
            lineErrors={errors.lines}
            disabled={saving}
          />
          <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ alignItems: 'flex-start' }}>
            <TextField
              fullWidth
              label={translate(mode === 'adjust' ? 'mcart.stock.reason_required' : 'mcart.stock.reason')}
              value={reason}
              disabled={saving}
              onChange={(event) => {
                setReason(event.target.value);
                setReasonMissing(false);
              }}
              error={reasonMissing || Boolean(errors.fields.reason)}
              helperText={
                reasonMissing
                  ? translate('mcart.stock.reason_missing')
                  : (errors.fields.reason ?? translate('mcart.stock.reason_hint'))
              }
              slotProps={{ htmlInput: { 'data-testid': 'reason-input', maxLength: 500 } }}
            />
            <Button
              variant="contained"
              disabled={blocked}
              onClick={() => void submit()}
              sx={{ whiteSpace: 'nowrap', minWidth: 200, py: 1.75 }}
            >
              {translate(mode === 'receive' ? 'mcart.stock.receive_button' : 'mcart.stock.adjust_button', {
                units: totalUnits(lines),
              })}
            </Button>
          </Stack>
          <BatchConflict
            warning={warning}
            onNewBatch={() => {
              newBatch();
              scan.current?.focus();
            }}
          />
          {outcome && (
            <Alert severity="success" data-testid="stock-result">
              {outcome.lines.map((line) => (
                <div key={line.sku}>
                  {translate('mcart.stock.now_on_hand', {
                    sku: line.sku,
                    onHand: line.onHand,
                    available: line.available,
                    location: line.locationName,
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
