import { describe, expect, it } from 'vitest';
import {
  addLine,
  adjustmentBody,
  invalidLines,
  parseQuantity,
  parseScan,
  placeErrors,
  receiptBody,
  removeLine,
  setLineQuantity,
  transferBody,
  type PendingLine,
} from './stockLines.ts';

const mug = { id: 'v-mug', sku: 'MUG-1', title: 'Red', productTitle: 'Mug' };
const bowl = { id: 'v-bowl', sku: 'BOWL-1', title: '', productTitle: 'Bowl' };

describe('parseScan', () => {
  it('reads what a scanner types, without its control characters and spaces', () => {
    expect(parseScan('MUG-1')).toEqual({ ok: true, sku: 'MUG-1', quantity: null });
    expect(parseScan('  MUG-1\t')).toEqual({ ok: true, sku: 'MUG-1', quantity: null });
    expect(parseScan('\u001dMUG-1\r\n')).toEqual({ ok: true, sku: 'MUG-1', quantity: null });
  });

  it('reads a quantity prefix "12*SKU", signed for adjustments', () => {
    expect(parseScan('12*MUG-1')).toEqual({ ok: true, sku: 'MUG-1', quantity: 12 });
    expect(parseScan('3 * MUG-1')).toEqual({ ok: true, sku: 'MUG-1', quantity: 3 });
    expect(parseScan('-2*MUG-1')).toEqual({ ok: true, sku: 'MUG-1', quantity: -2 });
  });

  it('takes SKUs that look like quantities at face value (no "x" multiplier)', () => {
    expect(parseScan('3X-LARGE')).toEqual({ ok: true, sku: '3X-LARGE', quantity: null });
    expect(parseScan('12x4')).toEqual({ ok: true, sku: '12x4', quantity: null });
  });

  it('refuses empty input, impossible SKUs and silly quantities before asking the server', () => {
    expect(parseScan(' \t')).toMatchObject({ ok: false, error: 'empty' });
    expect(parseScan('MUG 1')).toMatchObject({ ok: false, error: 'invalid_sku' });
    expect(parseScan('-MUG')).toMatchObject({ ok: false, error: 'invalid_sku' });
    expect(parseScan('A'.repeat(65))).toMatchObject({ ok: false, error: 'invalid_sku' });
    expect(parseScan('0*MUG-1')).toMatchObject({ ok: false, error: 'invalid_quantity' });
    expect(parseScan('2000000*MUG-1')).toMatchObject({ ok: false, error: 'invalid_quantity' });
  });
});

describe('parseQuantity', () => {
  it('wants positive whole numbers to receive or transfer, and non-zero ones to adjust', () => {
    expect(parseQuantity('1', 'receive')).toBe(1);
    expect(parseQuantity(' 40 ', 'transfer')).toBe(40);
    expect(parseQuantity('-3', 'receive')).toBeNull();
    expect(parseQuantity('0', 'transfer')).toBeNull();
    expect(parseQuantity('1.5', 'receive')).toBeNull();
    expect(parseQuantity('', 'receive')).toBeNull();
    expect(parseQuantity('-3', 'adjust')).toBe(-3);
    expect(parseQuantity('+3', 'adjust')).toBe(3);
    expect(parseQuantity('0', 'adjust')).toBeNull();
    expect(parseQuantity('1000001', 'adjust')).toBeNull();
  });
});

describe('pending lines', () => {
  it('merges repeated scans of a variant into one line, brought to the top', () => {
    let lines: PendingLine[] = [];
    lines = addLine(lines, mug, 1);
    lines = addLine(lines, bowl, 2);
    lines = addLine(lines, mug, 1);
    expect(lines).toEqual([
      { variantId: 'v-mug', sku: 'MUG-1', label: 'Mug — Red', quantity: 2 },
      { variantId: 'v-bowl', sku: 'BOWL-1', label: 'Bowl', quantity: 2 },
    ]);
    expect(setLineQuantity(lines, 'v-bowl', 5)[1]!.quantity).toBe(5);
    expect(removeLine(lines, 'v-mug').map((line) => line.sku)).toEqual(['BOWL-1']);
  });

  it('flags lines the server would refuse, e.g. an adjustment that nets to zero', () => {
    const lines = addLine(addLine([], mug, 2), mug, -2);
    expect(lines).toHaveLength(1);
    expect(invalidLines(lines, 'adjust')).toEqual(new Set(['v-mug']));
    const negative = addLine([], bowl, -1);
    expect(invalidLines(negative, 'adjust').size).toBe(0);
    expect(invalidLines(negative, 'receive')).toEqual(new Set(['v-bowl']));
  });
});

describe('request bodies and server errors', () => {
  const lines = addLine(addLine([], mug, 3), bowl, -1);

  it('builds each batch request from the lines in screen order', () => {
    expect(receiptBody(lines, { locationId: 'loc', reason: ' PO-7 ' })).toEqual({
      locationId: 'loc',
      reason: 'PO-7',
      lines: [
        { variantId: 'v-bowl', quantity: -1 },
        { variantId: 'v-mug', quantity: 3 },
      ],
    });
    expect(receiptBody(lines, { reason: '  ' })).not.toHaveProperty('reason');
    expect(adjustmentBody(lines, { reason: 'count ' })).toEqual({
      reason: 'count',
      lines: [
        { variantId: 'v-bowl', delta: -1 },
        { variantId: 'v-mug', delta: 3 },
      ],
    });
    expect(transferBody(lines, { fromLocationId: 'a', toLocationId: 'b' })).toEqual({
      fromLocationId: 'a',
      toLocationId: 'b',
      lines: [
        { variantId: 'v-bowl', quantity: -1 },
        { variantId: 'v-mug', quantity: 3 },
      ],
    });
  });

  it('puts line errors on the line sent at that index and the rest on form fields', () => {
    expect(
      placeErrors(
        [
          { path: '/lines/1/quantity', message: 'would take stock below zero' },
          { path: 'body/lines/0/delta', message: 'must be <= 1000000' },
          { path: '/toLocationId', message: 'must differ from fromLocationId' },
          { path: 'body/reason', message: 'must NOT have fewer than 1 characters' },
          { path: '/lines/9/quantity', message: 'no such line' },
        ],
        lines,
      ),
    ).toEqual({
      lines: { 'v-mug': 'would take stock below zero', 'v-bowl': 'must be <= 1000000' },
      fields: {
        toLocationId: 'must differ from fromLocationId',
        reason: 'must NOT have fewer than 1 characters',
      },
    });
    expect(placeErrors(undefined, lines)).toEqual({ lines: {}, fields: {} });
  });
});
