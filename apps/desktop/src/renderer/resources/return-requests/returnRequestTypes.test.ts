import { describe, expect, it } from 'vitest';
import {
  refundAtReceipt,
  refundIsPending,
  restockChoice,
  restockedPartly,
  unitsOf,
} from './returnRequestTypes.ts';

const usd = (amount: number) => ({ amount, currency: 'USD' });
// 2 × $10.00 and 1 × $5.00, $2.50 off, 10% tax on top of goods less discount plus $5.00 shipping: tax 275.
const order = (refundedQuantity = 0, refunded = 0) => ({
  totals: { subtotal: usd(2500), discount: usd(250), shipping: usd(500), tax: usd(275), total: usd(3025) },
  pricesIncludeTax: false,
  refunded: usd(refunded),
  lines: [
    { id: 'a', quantity: 2, refundedQuantity, unitPrice: usd(1000) },
    { id: 'b', quantity: 1, refundedQuantity: 0, unitPrice: usd(500) },
  ],
});
const request = (lines: [string, number][]) => ({
  lines: lines.map(([orderLineId, quantity]) => ({
    orderLineId,
    quantity,
    sku: orderLineId,
    title: orderLineId,
    unitPrice: usd(1000),
  })),
});

describe('the refund a return request gives at receipt', () => {
  it('prices its units as the order’s refund by line: discount share off, tax share on', () => {
    // One $10.00 unit: 10.00 less its 1.00 share of the discount, plus its 0.90 share of the tax.
    expect(refundAtReceipt(request([['a', 1]]), order())).toBe(990);
    expect(refundAtReceipt(request([['a', 2]]), order())).toBe(1980);
    expect(
      refundAtReceipt(
        request([
          ['a', 2],
          ['b', 1],
        ]),
        order(),
      ),
    ).toBe(2475);
    expect(
      unitsOf(
        request([
          ['a', 2],
          ['b', 1],
        ]),
      ),
    ).toBe(3);
  });

  it('skips units already refunded by line, and gives nothing once the order is refunded in full', () => {
    // One unit of line a went back as a goodwill refund: only the other one and line b are refunded.
    expect(
      refundAtReceipt(
        request([
          ['a', 2],
          ['b', 1],
        ]),
        order(1, 990),
      ),
    ).toBe(1485);
    expect(refundAtReceipt(request([['a', 1]]), order(2, 1980))).toBe(0);
    expect(refundAtReceipt(request([['b', 1]]), order(0, 3025))).toBe(0);
  });

  it('never gives more than is left to refund on the order', () => {
    // A refund by amount took all but $3.00 of the order: that is all receiving can give back.
    expect(refundAtReceipt(request([['a', 2]]), order(0, 2725))).toBe(300);
  });
});

describe('a return request whose refund is pending', () => {
  it('is pending while the gateway has not confirmed its refund, no longer once it is recorded', () => {
    expect(refundIsPending({ refund: null, refundPending: true })).toBe(true);
    expect(
      refundIsPending({
        refund: { amount: { amount: 2000, currency: 'USD' }, at: '2027-01-03T10:00:00.000Z' },
        refundPending: false,
      }),
    ).toBe(false);
    expect(refundIsPending({ refund: null, refundPending: false })).toBe(false);
    // A server from before the figure says nothing: not pending.
    expect(refundIsPending({ refund: null })).toBe(false);
  });
});

describe('what the receive dialog puts back in stock', () => {
  const asked = request([
    ['a', 3],
    ['b', 2],
  ]);
  it('sends restock: true for all, false for none (as before per-line restock), lines otherwise', () => {
    expect(restockChoice(asked, {})).toEqual({ restock: true });
    expect(restockChoice(asked, { a: '3', b: '2' })).toEqual({ restock: true });
    expect(restockChoice(asked, { a: '0', b: '0' })).toEqual({ restock: false });
    expect(restockChoice(asked, { a: '2', b: '0' })).toEqual({
      lines: [
        { orderLineId: 'a', restockQuantity: 2 },
        { orderLineId: 'b', restockQuantity: 0 },
      ],
    });
  });

  it('takes nothing but whole numbers from 0 to the units received', () => {
    for (const typed of ['4', '-1', '1.5', '', 'x'])
      expect(restockChoice(asked, { a: typed }), typed).toBeNull();
  });

  it('tells a partial restock from all or none', () => {
    const received = (restocked: boolean, restockedQuantity: number) => ({
      restocked,
      lines: [{ ...asked.lines[0]!, restockedQuantity }],
    });
    expect(restockedPartly(received(true, 2))).toBe(true);
    expect(restockedPartly(received(true, 3))).toBe(false);
    expect(restockedPartly(received(false, 0))).toBe(false);
    expect(restockedPartly({ restocked: true, lines: asked.lines })).toBe(false);
  });
});
