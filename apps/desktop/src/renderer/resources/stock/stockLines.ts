/**
 * Scan-to-receive, adjust and transfer as plain functions (tested without a browser): what a scan
 * means, how scanned lines add up, what each screen sends, and where the server's errors land.
 */

/** The server's SKU rule (catalog.schemas.ts `Sku`). */
export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/;
export const MAX_QUANTITY = 1_000_000;

export type StockMode = 'receive' | 'adjust' | 'transfer';

export type ScanResult =
  | { ok: true; sku: string; quantity: number | null }
  | { ok: false; error: 'empty' | 'invalid_sku' | 'invalid_quantity'; input: string };

/**
 * A scanner types the code and presses Enter; some add a prefix/suffix of control characters (a tab,
 * a GS separator), which are dropped. `12*SKU` is the till convention for "twelve of these": it
 * overrides the quantity field (`*` cannot occur in a SKU, so the prefix is never ambiguous). The quantity's sign is checked later, per screen.
 */
export function parseScan(raw: string): ScanResult {
  // eslint-disable-next-line no-control-regex
  const input = raw.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (!input) return { ok: false, error: 'empty', input };
  const multiplied = /^(-?\d+)\s*\*\s*(\S+)$/.exec(input);
  const sku = multiplied ? multiplied[2]! : input;
  if (!SKU_PATTERN.test(sku)) return { ok: false, error: 'invalid_sku', input };
  if (!multiplied) return { ok: true, sku, quantity: null };
  const quantity = Number(multiplied[1]);
  if (!Number.isSafeInteger(quantity) || quantity === 0 || Math.abs(quantity) > MAX_QUANTITY)
    return { ok: false, error: 'invalid_quantity', input };
  return { ok: true, sku, quantity };
}

/**
 * The quantity field as typed: a whole number, positive to receive or transfer, non-zero (either
 * sign) to adjust. `null` when it is not one.
 */
export function parseQuantity(text: string, mode: StockMode): number | null {
  const trimmed = text.trim();
  if (!/^[+-]?\d+$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return quantityProblem(value, mode) ? null : value;
}

export function quantityProblem(value: number, mode: StockMode): 'positive' | 'non_zero' | null {
  const whole = Number.isSafeInteger(value) && Math.abs(value) <= MAX_QUANTITY;
  if (mode === 'adjust') return whole && value !== 0 ? null : 'non_zero';
  return whole && value > 0 ? null : 'positive';
}

export interface ScannedVariant {
  id: string;
  sku: string;
  title: string;
  productTitle: string;
}

export interface PendingLine {
  variantId: string;
  sku: string;
  label: string;
  quantity: number;
}

export const variantLabel = (variant: Pick<ScannedVariant, 'title' | 'productTitle'>) =>
  variant.title ? `${variant.productTitle} — ${variant.title}` : variant.productTitle;

/**
 * Adds a scan to the pending lines: scanning the same variant again adds to its line (one line per
 * variant, as the server wants) and brings it to the top, where the last scan is always seen.
 */
export function addLine(
  lines: readonly PendingLine[],
  variant: ScannedVariant,
  quantity: number,
): PendingLine[] {
  const existing = lines.find((line) => line.variantId === variant.id);
  const line: PendingLine = {
    variantId: variant.id,
    sku: variant.sku,
    label: variantLabel(variant),
    quantity: (existing?.quantity ?? 0) + quantity,
  };
  return [line, ...lines.filter((other) => other.variantId !== variant.id)];
}

export const setLineQuantity = (lines: readonly PendingLine[], variantId: string, quantity: number) =>
  lines.map((line) => (line.variantId === variantId ? { ...line, quantity } : line));

export const removeLine = (lines: readonly PendingLine[], variantId: string) =>
  lines.filter((line) => line.variantId !== variantId);

/** Lines whose quantity the server would refuse for this screen (e.g. a merged +2/-2 adjust is 0). */
export function invalidLines(lines: readonly PendingLine[], mode: StockMode): Set<string> {
  return new Set(lines.filter((line) => quantityProblem(line.quantity, mode)).map((line) => line.variantId));
}

export const totalUnits = (lines: readonly PendingLine[]) =>
  lines.reduce((sum, line) => sum + line.quantity, 0);

const optional = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);

/** `POST /api/admin/inventory/receipts/batch` */
export const receiptBody = (
  lines: readonly PendingLine[],
  options: { locationId?: string; reason?: string },
) => ({
  ...(options.locationId ? { locationId: options.locationId } : {}),
  ...(optional(options.reason) ? { reason: optional(options.reason) } : {}),
  lines: lines.map((line) => ({ variantId: line.variantId, quantity: line.quantity })),
});

/** `POST /api/admin/inventory/adjustments/batch` (the reason is required there). */
export const adjustmentBody = (
  lines: readonly PendingLine[],
  options: { locationId?: string; reason: string },
) => ({
  ...(options.locationId ? { locationId: options.locationId } : {}),
  reason: options.reason.trim(),
  lines: lines.map((line) => ({ variantId: line.variantId, delta: line.quantity })),
});

/** `POST /api/admin/inventory/transfers/batch` */
export const transferBody = (
  lines: readonly PendingLine[],
  options: { fromLocationId: string; toLocationId: string; reason?: string },
) => ({
  fromLocationId: options.fromLocationId,
  toLocationId: options.toLocationId,
  ...(optional(options.reason) ? { reason: optional(options.reason) } : {}),
  lines: lines.map((line) => ({ variantId: line.variantId, quantity: line.quantity })),
});

export interface PlacedErrors {
  /** Per variant id: the message for that line. */
  lines: Record<string, string>;
  /** Per form field (`reason`, `locationId`, `fromLocationId`, `toLocationId`). */
  fields: Record<string, string>;
}

/**
 * The server's field errors (`/lines/2/quantity`, `body/lines/0/delta`, `/toLocationId`) put where
 * the user can act: on the line that was sent at that index, or on the form field.
 */
export function placeErrors(
  errors: readonly { path: string; message: string }[] | undefined,
  sent: readonly PendingLine[],
): PlacedErrors {
  const placed: PlacedErrors = { lines: {}, fields: {} };
  for (const error of errors ?? []) {
    const segments = error.path.split('/').filter((segment) => segment && segment !== 'body');
    if (segments[0] === 'lines' && segments[1] !== undefined) {
      const line = sent[Number(segments[1])];
      if (line && !(line.variantId in placed.lines)) placed.lines[line.variantId] = error.message;
    } else if (segments[0] && !(segments[0] in placed.fields)) {
      placed.fields[segments[0]] = error.message;
    }
  }
  return placed;
}
