import { describe, expect, it } from 'vitest';
import { computeTotals, divideRoundHalfUp, lineRefund, paidForGoodsUpTo, refundForGoods } from './totals.ts';

const flat = { kind: 'flat' as const, amount: 500, freeOverAmount: null };
const freeOver = { kind: 'free_over' as const, amount: 500, freeOverAmount: 5000 };

describe('totals (integer minor units)', () => {
  it('rounds half up', () => {
    expect(divideRoundHalfUp(5, 10)).toBe(1);
    expect(divideRoundHalfUp(4, 10)).toBe(0);
    expect(divideRoundHalfUp(15, 10)).toBe(2);
  });

  it('adds tax on subtotal - discount + shipping when prices exclude tax', () => {
    const totals = computeTotals({
      lines: [{ unitPrice: 1999, quantity: 3 }],
      discount: 1000,
      shipping: flat,
      taxRateBps: 825,
      pricesIncludeTax: false,
    });
    // 5997 - 1000 + 500 = 5497; 8.25% = 453.5025 -> 454
    expect(totals).toEqual({ subtotal: 5997, discount: 1000, shipping: 500, tax: 454, total: 5951 });
  });

  it('extracts included tax without changing the total', () => {
    const totals = computeTotals({
      lines: [{ unitPrice: 1200, quantity: 1 }],
      discount: 0,
      shipping: null,
      taxRateBps: 2000,
      pricesIncludeTax: true,
    });
    expect(totals).toEqual({ subtotal: 1200, discount: 0, shipping: 0, tax: 200, total: 1200 });
  });

  it('ships free over the threshold (after discount), caps the discount at the subtotal', () => {
    expect(
      computeTotals({
        lines: [{ unitPrice: 5000, quantity: 1 }],
        discount: 0,
        shipping: freeOver,
        taxRateBps: 0,
        pricesIncludeTax: false,
      }).shipping,
    ).toBe(0);
    expect(
      computeTotals({
        lines: [{ unitPrice: 5000, quantity: 1 }],
        discount: 1,
        shipping: freeOver,
        taxRateBps: 0,
        pricesIncludeTax: false,
      }).shipping,
    ).toBe(500);
    expect(
      computeTotals({
        lines: [{ unitPrice: 300, quantity: 1 }],
        discount: 900,
        shipping: flat,
        taxRateBps: 0,
        pricesIncludeTax: false,
      }),
    ).toMatchObject({
      discount: 300,
      total: 500,
    });
    expect(
      computeTotals({ lines: [], discount: 0, shipping: flat, taxRateBps: 2000, pricesIncludeTax: false })
        .total,
    ).toBe(0);
  });

  it('ships goods that cost nothing at the rate (priced 0, a 100% sale); an empty cart ships nothing', () => {
    const rate = { kind: 'flat' as const, amount: 500, freeOverAmount: null };
    expect(
      computeTotals({
        lines: [{ unitPrice: 0, quantity: 2 }],
        discount: 0,
        shipping: rate,
        taxRateBps: 1000,
        pricesIncludeTax: false,
      }),
    ).toEqual({ subtotal: 0, discount: 0, shipping: 500, tax: 50, total: 550 });
    expect(
      computeTotals({ lines: [], discount: 0, shipping: rate, taxRateBps: 1000, pricesIncludeTax: false }),
    ).toEqual({ subtotal: 0, discount: 0, shipping: 0, tax: 0, total: 0 });
  });

  it("prices some of an order's goods as the customer paid them: discount share off, tax share on when excluded", () => {
    // 3 × 19.99 with 10.00 off, 8.25% on top, no shipping: tax 412 (412.25) on 4997.
    const order = {
      subtotal: 5997,
      discountTotal: 1000,
      shippingTotal: 0,
      taxTotal: 412,
      pricesIncludeTax: false,
    };
    // One unit: 1999 - 333 (a third of the discount) = 1666, + 137 tax (412 × 1666 / 4997 = 137.36).
    expect(paidForGoodsUpTo(order, 1999)).toBe(1803);
    // The three units: the goods of the order, less the whole discount, plus the whole tax.
    expect(paidForGoodsUpTo(order, 5997)).toBe(4997 + 412);
    // Tax included in the prices: only the discount share comes off.
    expect(paidForGoodsUpTo({ ...order, pricesIncludeTax: true }, 1999)).toBe(1666);
    expect(paidForGoodsUpTo(order, 0)).toBe(0);
  });

  it('refunds goods by line as running differences that add up to what the goods were charged, in any order', () => {
    // 3 × 3.33, 10% on top, free shipping: tax 99.9 → 100, total 1099. Unit by unit, each rounding its own tax,
    // gave 366 × 3 = 1098.
    const order = {
      subtotal: 999,
      discountTotal: 0,
      shippingTotal: 0,
      taxTotal: 100,
      pricesIncludeTax: false,
    };
    const units = [0, 333, 666].map((before) => refundForGoods(order, before, 333));
    expect(units.reduce((sum, unit) => sum + unit, 0)).toBe(1099);
    expect(paidForGoodsUpTo(order, 999)).toBe(1099);
    // Shipping 5.00, 1.00 off, three lines of 1.00, 10% on top: tax 70 on 700; the goods were charged 200 + 20.
    const shipped = {
      subtotal: 300,
      discountTotal: 100,
      shippingTotal: 500,
      taxTotal: 70,
      pricesIncludeTax: false,
    };
    expect([0, 100, 200].map((before) => refundForGoods(shipped, before, 100))).toEqual([74, 72, 74]);
    expect(paidForGoodsUpTo(shipped, 300)).toBe(220);
    // Random orders: any split of the goods adds up to the whole, and no piece is negative.
    for (let round = 0; round < 500; round++) {
      const { prices, subtotal, figures } = pseudoRandomOrder(round, 1);
      let before = 0;
      let refunded = 0;
      for (const price of prices) {
        const piece = refundForGoods(figures, before, price);
        expect(piece).toBeGreaterThanOrEqual(0);
        refunded += piece;
        before += price;
      }
      expect(refunded).toBe(paidForGoodsUpTo(figures, subtotal));
      const whole = subtotal - figures.discountTotal;
      expect(refunded).toBe(
        figures.pricesIncludeTax
          ? whole
          : whole + divideRoundHalfUp(whole * figures.taxTotal, whole + figures.shippingTotal || 1),
      );
    }
  });

  it('prices a refund by line against the money refunded by line so far, so a refund failing in between does not break the sum', () => {
    // 3 × 3.33, flat shipping 4.99, 10% on top: tax 150 on 1498; the goods were charged 999 + 100 = 1099.
    const order = {
      subtotal: 999,
      discountTotal: 0,
      shippingTotal: 499,
      taxTotal: 150,
      pricesIncludeTax: false,
    };
    expect(paidForGoodsUpTo(order, 999)).toBe(1099);
    // A (line 1) reserved, B (line 2) priced on top of A's units, A fails and gives its amount back, then
    // lines 1 and 3 go in one refund.
    const a = lineRefund(order, 333, 0);
    const b = lineRefund(order, 666, a);
    let byLine = b; // a + b, then a given back
    const rest = lineRefund(order, 999, byLine);
    byLine += rest;
    expect(b + rest).toBe(1099);
    expect(byLine).toBe(1099);
    // The running difference over the goods before gave a cent too many here.
    expect(b + refundForGoods(order, 333, 666)).toBe(1100);
    // Without failures it prices as the running difference did.
    expect(
      [333, 666, 999].map((after, i, all) =>
        lineRefund(order, after, paidForGoodsUpTo(order, all[i - 1] ?? 0)),
      ),
    ).toEqual([0, 333, 666].map((before) => refundForGoods(order, before, 333)));
    // Never negative.
    expect(lineRefund(order, 333, 1000)).toBe(0);
    expect(lineRefund(order, 0, 0)).toBe(0);
    // Random orders, random refunds some of which fail: what went back is what the goods were charged.
    for (let round = 0; round < 300; round++) {
      const { prices, subtotal, figures } = pseudoRandomOrder(round, 2);
      let goods = 0;
      let refundedByLine = 0;
      let succeeded = 0;
      const inFlight: { price: number; amount: number }[] = [];
      for (const [i, price] of prices.entries()) {
        goods += price;
        const amount = lineRefund(figures, goods, refundedByLine);
        refundedByLine += amount;
        if ((round + i) % 3 === 0) inFlight.push({ price, amount });
        else succeeded += amount;
      }
      // The held ones fail: their units and amounts come back out, then go again in one refund.
      for (const failed of inFlight) {
        goods -= failed.price;
        refundedByLine -= failed.amount;
      }
      goods += inFlight.reduce((sum, failed) => sum + failed.price, 0);
      const last = lineRefund(figures, goods, refundedByLine);
      succeeded += last;
      refundedByLine += last;
      expect(goods).toBe(subtotal);
      expect(succeeded).toBe(paidForGoodsUpTo(figures, subtotal));
      expect(refundedByLine).toBe(succeeded);
    }
  });
});

/**
 * The `round`-th of a fixed series of orders (the same every run): 1-5 unit prices from `minLines` on, a discount
 * up to the subtotal, no shipping or 4.99, 8.25% tax on top or included, its tax rounded once as computeTotals does.
 */
function pseudoRandomOrder(round: number, minLines: number) {
  const prices = Array.from(
    { length: minLines + (round % 5) },
    (_, i) => 1 + ((round * 7919 + i * 104729) % 5000),
  );
  const subtotal = prices.reduce((sum, price) => sum + price, 0);
  const discountTotal = (round * 31) % (subtotal + 1);
  const shippingTotal = round % 3 === 0 ? 0 : 499;
  const figures = {
    subtotal,
    discountTotal,
    shippingTotal,
    taxTotal: divideRoundHalfUp((subtotal - discountTotal + shippingTotal) * 825, 10_000),
    pricesIncludeTax: round % 4 === 0,
  };
  return { prices, subtotal, figures };
}
