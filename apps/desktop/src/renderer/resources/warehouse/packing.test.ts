import { describe, expect, it } from 'vitest';
import {
  DEFAULT_BOX_MM,
  isComplete,
  isPartial,
  parcelDefaults,
  parcelRequest,
  plannedUnits,
  printRoute,
  scan,
  setPlanned,
  shipmentLines,
  startPacking,
} from './packing.ts';

const lines = [
  { orderLineId: 'l1', sku: 'MUG-RED', title: 'Mug red', remaining: 2 },
  { orderLineId: 'l2', sku: 'MUG-BLUE', title: 'Mug blue', remaining: 1 },
];

describe('scan to verify', () => {
  it('ticks a unit per scan and completes lines', () => {
    let state = startPacking(lines);
    let result = scan(state, 'mug-red ');
    expect(result.outcome).toEqual({ kind: 'ticked', orderLineId: 'l1', packed: 1, remaining: 2 });
    state = result.state;
    result = scan(state, 'MUG-RED');
    expect(result.outcome).toEqual({ kind: 'line-complete', orderLineId: 'l1' });
    state = result.state;
    expect(isComplete(state)).toBe(false);
    expect(shipmentLines(state)).toEqual([{ orderLineId: 'l1', quantity: 2 }]);
    state = scan(state, 'MUG-BLUE').state;
    expect(isComplete(state)).toBe(true);
    expect(shipmentLines(state)).toEqual([
      { orderLineId: 'l1', quantity: 2 },
      { orderLineId: 'l2', quantity: 1 },
    ]);
  });

  it('flags a wrong item and an extra unit without changing anything', () => {
    const state = scan(scan(startPacking(lines), 'MUG-BLUE').state, 'MUG-BLUE');
    expect(state.outcome).toEqual({ kind: 'too-many', orderLineId: 'l2', sku: 'MUG-BLUE' });
    const wrong = scan(state.state, 'TEAPOT');
    expect(wrong.outcome).toEqual({ kind: 'wrong-item', sku: 'TEAPOT' });
    expect(wrong.state).toBe(state.state);
  });

  it('fills lines that share a SKU in order', () => {
    const twice = [
      { orderLineId: 'a', sku: 'X', title: 'X', remaining: 1 },
      { orderLineId: 'b', sku: 'X', title: 'X', remaining: 1 },
    ];
    const first = scan(startPacking(twice), 'X');
    const second = scan(first.state, 'X');
    expect([first.outcome, second.outcome]).toEqual([
      { kind: 'line-complete', orderLineId: 'a' },
      { kind: 'line-complete', orderLineId: 'b' },
    ]);
  });
});

describe('partial shipments', () => {
  it('ships only the units planned for this parcel; the rest stays behind', () => {
    let state = setPlanned(startPacking(lines), 'l1', 1);
    state = setPlanned(state, 'l2', 0);
    expect(isPartial(state)).toBe(true);
    expect(plannedUnits(state)).toBe(1);
    expect(isComplete(state)).toBe(false);
    const first = scan(state, 'MUG-RED');
    expect(first.outcome).toEqual({ kind: 'line-complete', orderLineId: 'l1' });
    state = first.state;
    // A line left out of the parcel is not to be scanned, nor a second unit of a line planned once.
    expect(scan(state, 'MUG-BLUE').outcome).toEqual({ kind: 'too-many', orderLineId: 'l2', sku: 'MUG-BLUE' });
    expect(scan(state, 'MUG-RED').outcome.kind).toBe('too-many');
    expect(isComplete(state)).toBe(true);
    expect(shipmentLines(state)).toEqual([{ orderLineId: 'l1', quantity: 1 }]);
  });

  it('clamps the planned quantity to what is left and takes back scans above it', () => {
    let state = scan(scan(startPacking(lines), 'MUG-RED').state, 'MUG-RED').state;
    expect(state.packed).toEqual({ l1: 2 });
    state = setPlanned(state, 'l1', 1);
    expect(state.packed.l1).toBe(1);
    expect(setPlanned(state, 'l1', 99).planned.l1).toBe(2);
    expect(setPlanned(state, 'l1', -3).planned.l1).toBe(0);
    expect(setPlanned(state, 'l1', Number.NaN).planned.l1).toBe(0);
    expect(setPlanned(state, 'nope', 1)).toBe(state);
    expect(isPartial(setPlanned(state, 'l1', 2))).toBe(false);
  });

  it('never allows an empty parcel', () => {
    const empty = setPlanned(setPlanned(startPacking(lines), 'l1', 0), 'l2', 0);
    expect(plannedUnits(empty)).toBe(0);
    expect(isComplete(empty)).toBe(false);
    expect(shipmentLines(empty)).toEqual([]);
  });
});

describe('parcel weight and dimensions', () => {
  const weights = { l1: 350, l2: 500 };

  it('defaults the weight from the variants of the planned units, the box to the default carton', () => {
    const state = startPacking(lines);
    expect(parcelDefaults(state, weights)).toEqual({ weightGrams: 2 * 350 + 500, ...DEFAULT_BOX_MM });
    expect(parcelDefaults(setPlanned(state, 'l1', 1), weights).weightGrams).toBe(850);
    // A variant without a weight in the parcel: the packer weighs it.
    expect(parcelDefaults(state, { l1: 350, l2: null }).weightGrams).toBeNull();
    expect(parcelDefaults(setPlanned(state, 'l2', 0), { l1: 350, l2: null }).weightGrams).toBe(700);
  });

  it('takes the packer edits and names the fields to fix', () => {
    const defaults = parcelDefaults(startPacking(lines), weights);
    expect(parcelRequest(defaults, {})).toEqual({
      package: { weightGrams: 1200, lengthMm: 300, widthMm: 200, heightMm: 100 },
      errors: null,
    });
    expect(parcelRequest(defaults, { weightGrams: ' 1450 ', heightMm: '120' }).package).toEqual({
      weightGrams: 1450,
      lengthMm: 300,
      widthMm: 200,
      heightMm: 120,
    });
    expect(
      parcelRequest(defaults, { weightGrams: '', lengthMm: '0', widthMm: '2.5', heightMm: '9999' }),
    ).toEqual({ package: null, errors: ['weightGrams', 'lengthMm', 'widthMm', 'heightMm'] });
    expect(parcelRequest({ ...defaults, weightGrams: null }, {}).errors).toEqual(['weightGrams']);
  });
});

describe('print route', () => {
  it('prints through Electron when the bridge offers it, else previews in the browser', () => {
    expect(printRoute({ printLabels: async () => ({ ok: true }) })).toEqual({ kind: 'desktop' });
    expect(printRoute(undefined)).toEqual({ kind: 'browser' });
    expect(printRoute({})).toEqual({ kind: 'browser' });
  });
});
