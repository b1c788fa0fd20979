/**
 * Scan-to-verify for packing, as plain functions (tested without a browser): every scanned SKU ticks
 * one unit of its line; an SKU that is not on the pick list, or one scanned more often than ordered,
 * is flagged and changes nothing.
 */
export interface PickLine {
  orderLineId: string;
  sku: string;
  title: string;
  remaining: number;
}

export interface PackingState {
  lines: readonly PickLine[];
  /** Units scanned per order line. */
  packed: Readonly<Record<string, number>>;
}

export type ScanOutcome =
  | { kind: 'ticked'; orderLineId: string; packed: number; remaining: number }
  | { kind: 'line-complete'; orderLineId: string }
  | { kind: 'wrong-item'; sku: string }
  | { kind: 'too-many'; orderLineId: string; sku: string };

export const startPacking = (lines: readonly PickLine[]): PackingState => ({ lines, packed: {} });

const normalize = (sku: string) => sku.trim().toUpperCase();

export function scan(state: PackingState, code: string): { state: PackingState; outcome: ScanOutcome } {
  const sku = normalize(code);
  const candidates = state.lines.filter((line) => normalize(line.sku) === sku);
  if (!candidates.length) return { state, outcome: { kind: 'wrong-item', sku: code.trim() } };
  // The same SKU can appear on two lines (e.g. two prices): fill them in order.
  const line = candidates.find(
    (candidate) => (state.packed[candidate.orderLineId] ?? 0) < candidate.remaining,
  );
  if (!line)
    return {
      state,
      outcome: { kind: 'too-many', orderLineId: candidates[0]!.orderLineId, sku: code.trim() },
    };
  const packed = (state.packed[line.orderLineId] ?? 0) + 1;
  const next = { ...state, packed: { ...state.packed, [line.orderLineId]: packed } };
  return {
    state: next,
    outcome:
      packed === line.remaining
        ? { kind: 'line-complete', orderLineId: line.orderLineId }
        : { kind: 'ticked', orderLineId: line.orderLineId, packed, remaining: line.remaining },
  };
}

export const isComplete = (state: PackingState) =>
  state.lines.every((line) => (state.packed[line.orderLineId] ?? 0) >= line.remaining);

/** The shipment request for what was actually scanned (a partial shipment when not everything is there). */
export const shipmentLines = (state: PackingState) =>
  state.lines
    .map((line) => ({ orderLineId: line.orderLineId, quantity: state.packed[line.orderLineId] ?? 0 }))
    .filter((line) => line.quantity > 0);

/** How a label gets to paper: Electron prints silently to the chosen printer; a browser previews and downloads. */
export type PrintRoute = { kind: 'desktop' } | { kind: 'browser' };
export const printRoute = (bridge: { printLabels?: unknown } | undefined | null): PrintRoute =>
  bridge && typeof bridge.printLabels === 'function' ? { kind: 'desktop' } : { kind: 'browser' };
