import { useEffect, useImperativeHandle, useRef, useState, type FormEvent, type Ref } from 'react';
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

/** A scan as typed: the code and the quantity field's value. */
interface Scanned {
  code: string;
  quantity: string;
}

/**
 * The scan field and the pending lines. The SKU field keeps the focus: a scanner types the code and
 * presses Enter, which looks the variant up by SKU and adds a line with the quantity field's value
 * (1 unless changed); an unknown code stays in the field, selected, with the error under it (or, when the
 * next code is already being typed, the error alone).
 */
export function ScanLines({ mode, lines, onChange, lineErrors, disabled, handle }: ScanLinesProps) {
  const translate = useTranslate();
  const dataProvider = useDataProvider();
  const [code, setCode] = useState('');
  const [quantity, setQuantity] = useState('1');
  const [scanError, setScanError] = useState<string | null>(null);
  const skuInput = useRef<HTMLInputElement>(null);
  // A scanner types the next code while the last one is looked up: lookups queue up in scan order, each
  // adding to the lines as they are by then, and the field is emptied on Enter rather than when the answer
  // comes (which erased the start of the next code, and an Enter during a lookup was dropped).
  const latestLines = useRef(lines);
  latestLines.current = lines;
  const typed = useRef(code);
  typed.current = code;
  const lookups = useRef<Promise<void>>(Promise.resolve());
  /**
   * The error is about the code in the field (typing there corrects it), not one scanned before. An error about
   * an earlier code, which arrived while the next ones were being typed, stays until Enter in the empty field
   * or another error: cleared by the next scan, it would flash by unread.
   */
  const errorInField = useRef(false);
  const refocus = (select = false) =>
    setTimeout(() => {
      skuInput.current?.focus();
      if (select) skuInput.current?.select();
    });
  useImperativeHandle(handle, () => ({ focus: () => refocus() }));
  const [putBack, setPutBack] = useState(0);
  useEffect(() => {
    if (putBack > 0) refocus(true);
  }, [putBack]);

  const invalid = invalidLines(lines, mode);

  const refuse = (message: string, scanned: Scanned) => {
    setScanError(message);
    // Put back in the fields, selected, unless the next code is already being typed there.
    errorInField.current = typed.current === '' || typed.current === scanned.code;
    if (errorInField.current) {
      setCode(scanned.code);
      setQuantity(scanned.quantity);
      // Selected once it is back in the field, not before (that left the caret after it, and the next scan
      // was typed on the end of it).
      setPutBack((n) => n + 1);
    }
  };

  const lookUp = async (sku: string, amount: number, scanned: Scanned) => {
    try {
      const { data } = await dataProvider.getList<ScannedVariant>('variants', {
        filter: { sku },
        pagination: { page: 1, perPage: 1 },
        sort: { field: 'sku', order: 'ASC' },
      });
      const variant = data[0];
      if (!variant) {
        refuse(translate('mcart.stock.scan_error.unknown', { code: sku }), scanned);
        return;
      }
      latestLines.current = addLine(latestLines.current, variant, amount);
      onChange(latestLines.current);
    } catch (error) {
      refuse(error instanceof Error ? error.message : String(error), scanned);
    }
  };

  const onScan = (event: FormEvent) => {
    event.preventDefault();
    const scan = parseScan(code);
    if (!scan.ok) {
      setScanError(
        scan.error === 'empty'
          ? null
          : translate(`mcart.stock.scan_error.${scan.error}`, { code: scan.input }),
      );
      errorInField.current = true;
      refocus(true);
      return;
    }
    const amount = scan.quantity ?? parseQuantity(quantity, mode);
    if (amount === null || parseQuantity(String(amount), mode) === null) {
      setScanError(translate(`mcart.stock.quantity_error.${mode === 'adjust' ? 'non_zero' : 'positive'}`));
      errorInField.current = true;
      refocus(true);
      return;
    }
    if (errorInField.current) setScanError(null);
    setCode('');
    typed.current = '';
    setQuantity('1');
    refocus();
    const scanned = { code, quantity };
    lookups.current = lookups.current.then(() => lookUp(scan.sku, amount, scanned));
  };

  return (
    <Stack spacing={2}>
      <Box component="form" onSubmit={onScan} noValidate>
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
              typed.current = event.target.value;
              if (scanError && errorInField.current) setScanError(null);
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
