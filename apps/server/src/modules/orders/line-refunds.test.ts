import { describe, expect, it } from 'vitest';
import { refundedPerLine } from './line-refunds.ts';

const lines = [
  { id: 'a', unitPrice: 1000, refundedQuantity: 0 },
  { id: 'b', unitPrice: 500, refundedQuantity: 0 },
  { id: 'c', unitPrice: 0, refundedQuantity: 0 },
];
const asObject = (map: Map<string, number>) => Object.fromEntries(map);

describe('the money refunds by line gave back per line', () => {
  it('splits a refund over its lines by what their units cost, the cents left to the largest remainders', () => {
    const refunded = lines.map((line) => ({ ...line, refundedQuantity: line.id === 'c' ? 0 : 1 }));
    // 1001 over 1000:500: 667.33 and 333.67, the cent left to b.
    expect(
      asObject(
        refundedPerLine(
          refunded,
          [
            {
              amount: 1001,
              lines: [
                { orderLineId: 'a', quantity: 1 },
                { orderLineId: 'b', quantity: 1 },
              ],
            },
          ],
          1001,
        ),
      ),
    ).toEqual({ a: 667, b: 334, c: 0 });
  });

  it('shares what is left of the money refunded by line over units refunded before reservations were kept', () => {
    const refunded = [
      { id: 'a', unitPrice: 1000, refundedQuantity: 2 },
      { id: 'b', unitPrice: 500, refundedQuantity: 1 },
    ];
    // One unit of a by a kept refund (1100); the other unit of a and b's from before: 1650 over 1000:500.
    expect(
      asObject(
        refundedPerLine(refunded, [{ amount: 1100, lines: [{ orderLineId: 'a', quantity: 1 }] }], 2750),
      ),
    ).toEqual({ a: 2200, b: 550 });
  });

  it('splits by units when every unit is free, and counts nothing for a line it does not know', () => {
    expect(
      asObject(
        refundedPerLine(
          lines,
          [
            { amount: 10, lines: [{ orderLineId: 'c', quantity: 2 }] },
            { amount: 50, lines: [{ orderLineId: 'gone', quantity: 1 }] },
          ],
          10,
        ),
      ),
    ).toEqual({ a: 0, b: 0, c: 10 });
  });
});
