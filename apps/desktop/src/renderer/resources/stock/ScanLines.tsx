import { useImperativeHandle, useRef, useState, type FormEvent, type Ref } from 'react';
import {
  Box,
  IconButton,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import DeleteIcon from '@mui/icons-material/Delete';
import { useDataProvider, useTranslate } from 'react-admin';
import {
  addLine,
  invalidLines,
  parseQuantity,
  parseScan,
  removeLine,
  setLineQuantity,
  type PendingLine,
  type ScannedVariant,
  type StockMode,
} from './stockLines.ts';

export interface ScanLinesHandle {
  focus(): void;
}

interface ScanLinesProps {
  mode: StockMode;
  lines: PendingLine[];
  onChange(lines: PendingLine[]): void;
  /** Server messages per variant id, shown on their line. */
  lineErrors: Record<string, string>;
  disabled?: boolean;
  handle?: Ref<ScanLinesHandle>;
}

/**
 * The scan field and the pending lines. The SKU field keeps the focus: a scanner types the code and
 * presses Enter, which looks the variant up by SKU and adds a line with the quantity field's value
 * (1 unless changed); an unknown code stays in the field, selected, with the error under it.
 */
export function ScanLines({ mode, lines, onChange, lineErrors, disabled, handle }: ScanLinesProps) {
  const translate = useTranslate();
  const dataProvider = useDataProvider();
  const [code, setCode] = useState('');
  const [quantity, setQuantity] = useState('1');
  const [scanError, setScanError] = useState<string | null>(null);
  const [looking, setLooking] = useState(false);
  const skuInput = useRef<HTMLInputElement>(null);
  const refocus = (select = false) =>
    setTimeout(() => {
      skuInput.current?.focus();
      if (select) skuInput.current?.select();
    });
  useImperativeHandle(handle, () => ({ focus: () => refocus() }));

  const invalid = invalidLines(lines, mode);

  const onScan = async (event: FormEvent) => {
    event.preventDefault();
    if (looking) return;
    const scan = parseScan(code);
    if (!scan.ok) {
      setScanError(
        scan.error === 'empty'
          ? null
          : translate(`mcart.stock.scan_error.${scan.error}`, { code: scan.input }),
      );
      refocus(true);
      return;
    }
    const amount = scan.quantity ?? parseQuantity(quantity, mode);
    if (amount === null || parseQuantity(String(amount), mode) === null) {
      setScanError(translate(`mcart.stock.quantity_error.${mode === 'adjust' ? 'non_zero' : 'positive'}`));
      refocus(true);
      return;
    }
    setLooking(true);
    try {
      const { data } = await dataProvider.getList<ScannedVariant>('variants', {
        filter: { sku: scan.sku },
        pagination: { page: 1, perPage: 1 },
        sort: { field: 'sku', order: 'ASC' },
      });
      const variant = data[0];
      if (!variant) {
        setScanError(translate('mcart.stock.scan_error.unknown', { code: scan.sku }));
        refocus(true);
        return;
      }
      onChange(addLine(lines, variant, amount));
      setScanError(null);
      setCode('');
      setQuantity('1');
      refocus();
    } catch (error) {
      setScanError(error instanceof Error ? error.message : String(error));
      refocus(true);
    } finally {
      setLooking(false);
    }
  };

  return (
    <Stack spacing={2}>
      <Box component="form" onSubmit={(event) => void onScan(event)} noValidate>
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ alignItems: 'flex-start' }}>
          <TextField
            inputRef={skuInput}
            autoFocus
            fullWidth
            disabled={disabled}
            label={translate('mcart.stock.sku')}
            value={code}
            onChange={(event) => {
              setCode(event.target.value);
              if (scanError) setScanError(null);
            }}
            error={Boolean(scanError)}
            helperText={scanError ?? translate('mcart.stock.scan_hint')}
            autoComplete="off"
            slotProps={{ htmlInput: { 'data-testid': 'sku-input', spellCheck: false } }}
          />
          <TextField
            label={translate('mcart.stock.quantity')}
            value={quantity}
            disabled={disabled}
            onChange={(event) => setQuantity(event.target.value)}
            sx={{ width: { sm: 140 } }}
            slotProps={{ htmlInput: { inputMode: 'numeric', 'data-testid': 'quantity-input' } }}
          />
          {/* Enter in either field submits the form; the button is for mouse users. */}
          <button type="submit" hidden />
        </Stack>
      </Box>
      {lines.length === 0 ? (
        <Typography color="text.secondary">{translate('mcart.stock.no_lines')}</Typography>
      ) : (
        <Table size="small" data-testid="pending-lines">
          <TableHead>
            <TableRow>
              <TableCell>{translate('mcart.stock.sku')}</TableCell>
              <TableCell>{translate('mcart.stock.variant')}</TableCell>
              <TableCell sx={{ width: 160 }}>
                {translate(mode === 'adjust' ? 'mcart.stock.delta' : 'mcart.stock.quantity')}
              </TableCell>
              <TableCell sx={{ width: 48 }} />
            </TableRow>
          </TableHead>
          <TableBody>
            {lines.map((line) => {
              const message =
                lineErrors[line.variantId] ??
                (invalid.has(line.variantId)
                  ? translate(`mcart.stock.quantity_error.${mode === 'adjust' ? 'non_zero' : 'positive'}`)
                  : undefined);
              return (
                <TableRow key={line.variantId} data-testid="pending-line" data-sku={line.sku}>
                  <TableCell>{line.sku}</TableCell>
                  <TableCell>{line.label}</TableCell>
                  <TableCell>
                    <TextField
                      size="small"
                      type="number"
                      disabled={disabled}
                      value={Number.isFinite(line.quantity) ? line.quantity : ''}
                      onChange={(event) =>
                        onChange(setLineQuantity(lines, line.variantId, Number(event.target.value)))
                      }
                      error={Boolean(message)}
                      helperText={message}
                      slotProps={{
                        htmlInput: { 'aria-label': translate('mcart.stock.quantity_of', { sku: line.sku }) },
                      }}
                    />
                  </TableCell>
                  <TableCell>
                    <IconButton
                      size="small"
                      disabled={disabled}
                      aria-label={translate('mcart.stock.remove_line', { sku: line.sku })}
                      onClick={() => {
                        onChange(removeLine(lines, line.variantId));
                        refocus();
                      }}
                    >
                      <DeleteIcon fontSize="small" />
                    </IconButton>
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
    </Stack>
  );
}
