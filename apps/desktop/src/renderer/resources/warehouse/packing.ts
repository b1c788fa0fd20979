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
  /** Units going into this parcel per order line (0..remaining); all remaining units by default. */
  planned: Readonly<Record<string, number>>;
  /** Units scanned per order line. */
  packed: Readonly<Record<string, number>>;
}

export type ScanOutcome =
  | { kind: 'ticked'; orderLineId: string; packed: number; remaining: number }
  | { kind: 'line-complete'; orderLineId: string }
  | { kind: 'wrong-item'; sku: string }
  | { kind: 'too-many'; orderLineId: string; sku: string };

export const startPacking = (lines: readonly PickLine[]): PackingState => ({
  lines,
  planned: Object.fromEntries(lines.map((line) => [line.orderLineId, line.remaining])),
  packed: {},
});

/** Units of a line planned for this parcel. */
export const plannedOf = (state: PackingState, orderLineId: string): number => {
  const line = state.lines.find((candidate) => candidate.orderLineId === orderLineId);
  return line ? Math.min(state.planned[orderLineId] ?? line.remaining, line.remaining) : 0;
};

/**
 * Puts `quantity` units of a line in this parcel (a partial shipment when less than what is left);
 * clamped to 0..remaining. Units already scanned beyond the new quantity are taken off again.
 */
export function setPlanned(state: PackingState, orderLineId: string, quantity: number): PackingState {
  const line = state.lines.find((candidate) => candidate.orderLineId === orderLineId);
  if (!line) return state;
  const planned = Number.isFinite(quantity) ? Math.min(Math.max(0, Math.trunc(quantity)), line.remaining) : 0;
  const packed = Math.min(state.packed[orderLineId] ?? 0, planned);
  return {
    ...state,
    planned: { ...state.planned, [orderLineId]: planned },
    packed: { ...state.packed, [orderLineId]: packed },
  };
}

const normalize = (sku: string) => sku.trim().toUpperCase();

export function scan(state: PackingState, code: string): { state: PackingState; outcome: ScanOutcome } {
  const sku = normalize(code);
  const candidates = state.lines.filter((line) => normalize(line.sku) === sku);
  if (!candidates.length) return { state, outcome: { kind: 'wrong-item', sku: code.trim() } };
  // The same SKU can appear on two lines (e.g. two prices): fill them in order.
  const line = candidates.find(
    (candidate) => (state.packed[candidate.orderLineId] ?? 0) < plannedOf(state, candidate.orderLineId),
  );
  if (!line)
    return {
      state,
      outcome: { kind: 'too-many', orderLineId: candidates[0]!.orderLineId, sku: code.trim() },
    };
  const target = plannedOf(state, line.orderLineId);
  const packed = (state.packed[line.orderLineId] ?? 0) + 1;
  const next = { ...state, packed: { ...state.packed, [line.orderLineId]: packed } };
  return {
    state: next,
    outcome:
      packed === target
        ? { kind: 'line-complete', orderLineId: line.orderLineId }
        : { kind: 'ticked', orderLineId: line.orderLineId, packed, remaining: target },
  };
}

/** Units in this parcel. */
export const plannedUnits = (state: PackingState) =>
  state.lines.reduce((sum, line) => sum + plannedOf(state, line.orderLineId), 0);

/** Every unit planned for this parcel is scanned, and the parcel is not empty. */
export const isComplete = (state: PackingState) =>
  plannedUnits(state) > 0 &&
  state.lines.every((line) => (state.packed[line.orderLineId] ?? 0) >= plannedOf(state, line.orderLineId));

/** This parcel leaves units behind: the order stays in the to-pack queue for the rest. */
export const isPartial = (state: PackingState) =>
  state.lines.some((line) => plannedOf(state, line.orderLineId) < line.remaining);

/** The shipment request's lines: what was scanned (equal to what was planned once complete). */
export const shipmentLines = (state: PackingState) =>
  state.lines
    .map((line) => ({ orderLineId: line.orderLineId, quantity: state.packed[line.orderLineId] ?? 0 }))
    .filter((line) => line.quantity > 0);

/** The box used when the packer gives no dimensions (the server's default carton, DEFAULT_BOX_MM). */
export const DEFAULT_BOX_MM = { lengthMm: 300, widthMm: 200, heightMm: 100 } as const;

export const PARCEL_FIELDS = ['weightGrams', 'lengthMm', 'widthMm', 'heightMm'] as const;
export type ParcelField = (typeof PARCEL_FIELDS)[number];
/** What the packer typed per field; a missing field keeps its default. */
export type ParcelEdits = Partial<Record<ParcelField, string>>;

const PARCEL_MAX: Record<ParcelField, number> = {
  weightGrams: 1_000_000,
  lengthMm: 5_000,
  widthMm: 5_000,
  heightMm: 5_000,
};

/**
 * The parcel's defaults: the weight of the planned units from their variants (null when a variant has
 * no weight: the packer must weigh the parcel), the default carton's dimensions.
 */
export function parcelDefaults(
  state: PackingState,
  weights: Readonly<Record<string, number | null>>,
): Record<ParcelField, number | null> {
  let weight = 0;
  let known = true;
  for (const line of state.lines) {
    const units = plannedOf(state, line.orderLineId);
    if (!units) continue;
    const grams = weights[line.orderLineId];
    if (grams === null || grams === undefined) known = false;
    else weight += grams * units;
  }
  return { weightGrams: known && weight > 0 ? weight : null, ...DEFAULT_BOX_MM };
}

/**
 * The shipment request's package from the defaults and the packer's edits, or the fields to fix
 * (a whole number from 1 to the server's maximum; a weight is required).
 */
export function parcelRequest(
  defaults: Record<ParcelField, number | null>,
  edits: ParcelEdits,
): { package: Record<ParcelField, number>; errors: null } | { package: null; errors: ParcelField[] } {
  const values = {} as Record<ParcelField, number>;
  const errors: ParcelField[] = [];
  for (const field of PARCEL_FIELDS) {
    const typed = edits[field];
    const value = typed === undefined ? defaults[field] : typed.trim() === '' ? null : Number(typed.trim());
    if (value === null || !Number.isInteger(value) || value < 1 || value > PARCEL_MAX[field])
      errors.push(field);
    else values[field] = value;
  }
  return errors.length ? { package: null, errors } : { package: values, errors: null };
}

/** How a label gets to paper: Electron prints silently to the chosen printer; a browser previews and downloads. */
export type PrintRoute = { kind: 'desktop' } | { kind: 'browser' };
export const printRoute = (bridge: { printLabels?: unknown } | undefined | null): PrintRoute =>
  bridge && typeof bridge.printLabels === 'function' ? { kind: 'desktop' } : { kind: 'browser' };
