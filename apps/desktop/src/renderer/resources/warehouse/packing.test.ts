import { describe, expect, it } from 'vitest';
import { isComplete, printRoute, scan, shipmentLines, startPacking } from './packing.ts';

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

describe('print route', () => {
  it('prints through Electron when the bridge offers it, else previews in the browser', () => {
    expect(printRoute({ printLabels: async () => ({ ok: true }) })).toEqual({ kind: 'desktop' });
    expect(printRoute(undefined)).toEqual({ kind: 'browser' });
    expect(printRoute({})).toEqual({ kind: 'browser' });
  });
});
