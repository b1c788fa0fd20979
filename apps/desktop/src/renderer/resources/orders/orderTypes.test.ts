import { describe, expect, it } from 'vitest';
// The server's pricing itself: the dialog must show what the server will refund, cent for cent.
import { computeTotals, lineRefund } from '@mcart/server/modules/cart/totals.ts';
import {
  addressLines,
  chronological,
  lineRefunded,
  planLineRefund,
  refundableAmount,
  refundedBetween,
  refundFieldErrors,
  refundForGoods,
  refundLimit,
  unitsLeftToRefund,
  type PaymentRecord,
} from './orderTypes.ts';

const event = (id: string, at: string) => ({
  id,
  at,
  kind: 'status',
  fromStatus: null,
  toStatus: null,
  message: null,
  actorType: 'system',
});

describe('order timeline', () => {
  it('lists events oldest first, ids compared as numbers within the same instant', () => {
    const placed = '2026-12-06T22:23:01.440Z';
    // As the server sends them: ids sorted as text.
    const sent = [
      event('100', '2026-12-06T22:32:34.000Z'),
      event('101', '2026-12-06T22:32:38.000Z'),
      event('98', placed),
      event('99', placed),
    ];
    expect(chronological(sent).map((e) => e.id)).toEqual(['98', '99', '100', '101']);
    expect(sent.map((e) => e.id)).toEqual(['100', '101', '98', '99']);
  });
});

describe('order address', () => {
  const us = {
    name: 'Homer Simpson',
    company: 'Springfield Nuclear Plant',
    line1: '742 Evergreen Terrace',
    city: 'Springfield',
    region: 'IL',
    postalCode: '62701',
    country: 'US',
    phone: '+1 217 555 0100',
  };

  it('shows the company under the name and a US city line as the label prints it', () => {
    expect(addressLines(us)).toEqual([
      'Homer Simpson',
      'Springfield Nuclear Plant',
      '742 Evergreen Terrace',
      'Springfield, IL 62701',
      'US',
      '+1 217 555 0100',
    ]);
  });

  it('writes Canada city first, elsewhere the postal code first and the region on its own line', () => {
    const base = { name: 'A Person', line1: '1 Main St' };
    expect(
      addressLines({ ...base, city: 'Toronto', region: 'ON', postalCode: 'M5V 2T6', country: 'CA' }),
    ).toEqual(['A Person', '1 Main St', 'Toronto ON M5V 2T6', 'CA']);
    expect(
      addressLines({
        ...base,
        line2: 'Flat 2',
        city: 'Canterbury',
        region: 'Kent',
        postalCode: 'CT1 1AA',
        country: 'GB',
      }),
    ).toEqual(['A Person', '1 Main St', 'Flat 2', 'CT1 1AA Canterbury', 'Kent', 'GB']);
  });

  it('still shows an order placed before addresses had a company or region', () => {
    const { company: _company, region: _region, phone: _phone, ...legacy } = us;
    expect(addressLines(legacy)).toEqual([
      'Homer Simpson',
      '742 Evergreen Terrace',
      'Springfield 62701',
      'US',
    ]);
  });
});

describe('refundForGoods', () => {
  const order = (discount: number, tax: number, pricesIncludeTax: boolean, refunded = 0) => ({
    totals: {
      subtotal: { amount: 5997, currency: 'USD' },
      discount: { amount: discount, currency: 'USD' },
      shipping: { amount: 0, currency: 'USD' },
      tax: { amount: tax, currency: 'USD' },
      total: { amount: 0, currency: 'USD' },
    },
    pricesIncludeTax,
    lines: [{ unitPrice: { amount: 1999, currency: 'USD' }, quantity: 3, refundedQuantity: refunded }],
  });
  it('prices refunded units as the server does: discount share off, tax share on when prices exclude it', () => {
    // 3 × 19.99, 10.00 off, 8.25% on top: tax 412 on 4997.
    expect(refundForGoods(order(1000, 412, false), 1999)).toBe(1803);
    expect(refundForGoods(order(1000, 412, true), 1999)).toBe(1666);
    expect(refundForGoods(order(0, 495, false), 1999)).toBe(2164);
    expect(refundForGoods(order(0, 495, false), 0)).toBe(0);
  });
  it('prices the next units after those refunded before, so all of them add up to what the goods cost', () => {
    const units = [0, 1, 2].map((refunded) => refundForGoods(order(1000, 412, false, refunded), 1999));
    expect(units.reduce((sum, unit) => sum + unit, 0)).toBe(4997 + 412);
  });
});

describe('refund by line', () => {
  const usd = (amount: number) => ({ amount, currency: 'USD' });
  // 2 × $10.00 and 1 × $5.00, no discount, 10% tax on top: $33.00.
  const order = (refundedQuantity = 0, refunded = 0) => ({
    totals: { subtotal: usd(2500), discount: usd(0), shipping: usd(0), tax: usd(250), total: usd(2750) },
    pricesIncludeTax: false,
    refunded: usd(refunded),
    lines: [
      { id: 'a', quantity: 2, refundedQuantity, unitPrice: usd(1000) },
      { id: 'b', quantity: 1, refundedQuantity: 0, unitPrice: usd(500) },
    ],
  });

  it('counts the units left after those refunded before', () => {
    expect(unitsLeftToRefund({ quantity: 2, refundedQuantity: 1 })).toBe(1);
    expect(unitsLeftToRefund({ quantity: 2, refundedQuantity: 2 })).toBe(0);
    expect(refundableAmount(order(1, 1100))).toBe(1650);
    expect(refundableAmount(order(2, 2750))).toBe(0);
  });

  it('refuses units already refunded instead of pricing them', () => {
    const plan = planLineRefund(order(1, 1100), { a: '2' });
    expect(plan.errors).toEqual({ a: { reason: 'too_many', left: 1 } });
    expect(plan.lines).toEqual([]);
    expect(plan.ready).toBe(false);
    const one = planLineRefund(order(1, 1100), { a: '1' });
    expect(one.errors).toEqual({});
    expect(one.amount).toBe(1100);
    expect(one.ready).toBe(true);
  });

  it('blocks the refund on any impossible quantity rather than leaving that line out', () => {
    const plan = planLineRefund(order(), { a: '3', b: '1' });
    expect(plan.errors).toEqual({ a: { reason: 'too_many', left: 2 } });
    expect(plan.lines.map(({ line, quantity }) => [line.id, quantity])).toEqual([['b', 1]]);
    expect(plan.ready).toBe(false);
    for (const typed of ['1.5', '-1', 'x', '1e1'])
      expect(planLineRefund(order(), { a: typed, b: '1' }).errors, typed).toEqual({
        a: { reason: 'not_whole' },
      });
    // Empty and 0 ask for nothing on that line.
    expect(planLineRefund(order(), { a: '', b: '1' })).toMatchObject({
      errors: {},
      amount: 550,
      ready: true,
    });
    expect(planLineRefund(order(), { a: '0', b: ' 1 ' })).toMatchObject({
      errors: {},
      amount: 550,
      ready: true,
    });
    expect(planLineRefund(order(), { a: '0' }).ready).toBe(false);
  });

  it('needs a positive amount: nothing left to refund cannot be confirmed', () => {
    // Refunded in full by amount: the units were not refunded by line, but no money is left.
    expect(planLineRefund(order(0, 2750), { a: '1' })).toMatchObject({ errors: {}, amount: 0, ready: false });
  });

  it("puts the server's field errors on the lines sent, the others apart", () => {
    expect(
      refundFieldErrors(
        ['b', 'a'],
        [
          { path: 'body/lines/1', message: 'only 1 of 2 left to refund' },
          { path: '/lines/0/quantity', message: 'must be >= 1' },
          { path: 'body/lines/7', message: 'is not a line of this order' },
          { path: 'body/amount', message: 'amount or lines required' },
        ],
      ),
    ).toEqual({
      byLine: { a: 'only 1 of 2 left to refund', b: 'must be >= 1' },
      other: ['is not a line of this order', 'amount or lines required'],
    });
    expect(refundFieldErrors(['a'], undefined)).toEqual({ byLine: {}, other: [] });
  });

  it('reports what the server refunded, from the refunded total it answered', () => {
    expect(refundedBetween({ refunded: usd(1100) }, { refunded: usd(1650) })).toBe(550);
    expect(refundedBetween({ refunded: usd(1100) }, null)).toBeNull();
  });
});

describe('refund by line priced as the server prices it', () => {
  const usd = (amount: number) => ({ amount, currency: 'USD' });
  // 3 × 3.33, shipping 4.99, 10% on top: tax 1.50 on 14.98, total 16.48; the goods were charged 10.99.
  const threeUnits = (refundedQuantity: number, refunded: number, lineRefunded?: number) => ({
    totals: { subtotal: usd(999), discount: usd(0), shipping: usd(499), tax: usd(150), total: usd(1648) },
    pricesIncludeTax: false,
    refunded: usd(refunded),
    ...(lineRefunded === undefined ? {} : { lineRefunded: usd(lineRefunded) }),
    lines: [{ id: 'a', quantity: 3, refundedQuantity, unitPrice: usd(333) }],
  });

  it('prices against the money refunded by line so far, not against the units refunded before', () => {
    // Unit 1 reserved 3.66; unit 2, priced on top of it, 3.67; then unit 1 failed at the gateway and was
    // given back: one unit refunded by line, for 3.67. The other two are what is left of the 10.99: 7.32.
    expect(planLineRefund(threeUnits(1, 367, 367), { a: '2' }).amount).toBe(732);
    // The running difference over the units refunded before gave 7.33: 11.00 back for goods charged 10.99.
    expect(planLineRefund(threeUnits(1, 367), { a: '2' }).amount).toBe(733);
    // Without failures both agree, and every unit refunded adds up to what the goods were charged.
    expect(planLineRefund(threeUnits(0, 0, 0), { a: '1' }).amount).toBe(366);
    expect(planLineRefund(threeUnits(1, 366, 366), { a: '1' }).amount).toBe(367);
    expect(planLineRefund(threeUnits(2, 733, 733), { a: '1' }).amount).toBe(366);
    expect(planLineRefund(threeUnits(2, 733), { a: '1' }).amount).toBe(366);
  });

  it('never prices from more money than the order refunded in all', () => {
    // 12.00 refunded by amount, then 2 units by line cut to the 4.48 left; the amount refund then failed.
    // Without the order's refunded-by-line figure, at most the 4.48 refunded can have been by line.
    expect(planLineRefund(threeUnits(2, 448), { a: '1' }).amount).toBe(1099 - 448);
    expect(planLineRefund(threeUnits(2, 448, 448), { a: '1' }).amount).toBe(1099 - 448);
  });

  const payment = (status: string, amount: number, capturedAmount: number): PaymentRecord => ({
    id: `p-${status}-${capturedAmount}`,
    provider: 'test',
    status,
    amount,
    currency: 'USD',
    capturedAmount,
    refundedAmount: 0,
    brand: null,
    last4: null,
    refunds: [],
  });

  it('caps at what the payment captured when a manual capture took less than the total', () => {
    const order = { ...threeUnits(0, 0, 0), payments: [payment('captured', 1648, 1200)] };
    expect(refundLimit(order)).toBe(1200);
    expect(refundableAmount({ ...order, refunded: usd(1000) })).toBe(200);
    // All three units cost 10.99; 10.00 was refunded by amount, 2.00 of the 12.00 captured is left.
    expect(planLineRefund({ ...order, refunded: usd(1000) }, { a: '3' }).amount).toBe(200);
    // Not captured yet, or no payment details: the total (the server refuses what the gateway cannot refund).
    expect(refundLimit({ ...order, payments: [payment('authorized', 1648, 0)] })).toBe(1648);
    expect(refundLimit({ totals: order.totals })).toBe(1648);
    // A failed attempt before the capture does not count.
    expect(
      refundLimit({ ...order, payments: [payment('declined', 1648, 0), payment('captured', 1648, 1648)] }),
    ).toBe(1648);
  });

  it('agrees with the server cent for cent over sequences of refunds by line, with failures between them', () => {
    // A small deterministic generator: the same orders on every run.
    let seed = 42;
    const random = (below: number) => {
      seed = (seed * 48271) % 2147483647;
      return seed % below;
    };
    let compared = 0;
    for (let run = 0; run < 400; run++) {
      const lines = Array.from({ length: 1 + random(3) }, (_, i) => ({
        id: `l${i}`,
        unitPrice: 1 + random(5000),
        quantity: 1 + random(6),
      }));
      const pricesIncludeTax = random(2) === 0;
      const totals = computeTotals({
        lines,
        discount: random(3) === 0 ? 0 : random(3000),
        shipping: { kind: 'flat', amount: random(900), freeOverAmount: null },
        taxRateBps: [0, 500, 700, 825, 1000, 1900, 2000][random(7)]!,
        pricesIncludeTax,
      });
      const figures = {
        subtotal: totals.subtotal,
        discountTotal: totals.discount,
        shippingTotal: totals.shipping,
        taxTotal: totals.tax,
        pricesIncludeTax,
      };
      // The server's state of the order: units refunded by line, money refunded (by line).
      const refundedUnits = new Map<string, number>();
      let refunded = 0;
      let byLine = 0;
      // Refunds reserved but not answered yet by the gateway: some of them fail later.
      const inFlight: { units: Map<string, number>; amount: number }[] = [];
      for (let step = 0; step < 6; step++) {
        if (inFlight.length && random(3) === 0) {
          // One in flight fails: its units and its money come back out (orders.service.ts releaseRefund).
          const failed = inFlight.splice(random(inFlight.length), 1)[0]!;
          for (const [id, units] of failed.units) refundedUnits.set(id, refundedUnits.get(id)! - units);
          refunded -= failed.amount;
          byLine = Math.max(0, byLine - failed.amount);
          continue;
        }
        if (inFlight.length && random(2) === 0) inFlight.shift(); // the gateway refunded it
        const quantities: Record<string, string> = {};
        for (const line of lines) {
          const left = line.quantity - (refundedUnits.get(line.id) ?? 0);
          if (left > 0 && random(2) === 0) quantities[line.id] = String(1 + random(left));
        }
        if (!Object.keys(quantities).length) continue;
        const order = {
          totals: {
            subtotal: usd(totals.subtotal),
            discount: usd(totals.discount),
            shipping: usd(totals.shipping),
            tax: usd(totals.tax),
            total: usd(totals.total),
          },
          pricesIncludeTax,
          refunded: usd(refunded),
          lineRefunded: usd(byLine),
          lines: lines.map((line) => ({
            id: line.id,
            quantity: line.quantity,
            refundedQuantity: refundedUnits.get(line.id) ?? 0,
            unitPrice: usd(line.unitPrice),
          })),
        };
        const plan = planLineRefund(order, quantities);
        // The server: the lines counted first, then priced under the order's lock and capped.
        const units = new Map(Object.entries(quantities).map(([id, typed]) => [id, Number(typed)]));
        const goodsAfter = lines.reduce(
          (sum, line) =>
            sum + line.unitPrice * ((refundedUnits.get(line.id) ?? 0) + (units.get(line.id) ?? 0)),
          0,
        );
        const paid = lineRefund(figures, goodsAfter, byLine);
        const amount = paid <= 0 ? 0 : Math.min(paid, totals.total - refunded);
        expect(plan.amount, JSON.stringify({ lines, totals, quantities, refunded, byLine })).toBe(amount);
        compared++;
        if (amount <= 0) continue; // refused: nothing changes
        for (const [id, n] of units) refundedUnits.set(id, (refundedUnits.get(id) ?? 0) + n);
        refunded += amount;
        byLine += amount;
        inFlight.push({ units, amount });
      }
    }
    expect(compared).toBeGreaterThan(500);
  });
});

describe('what a line was refunded', () => {
  it('shows the money refunds by line gave back for the line, nothing for a line none did or an older server', () => {
    expect(lineRefunded({ refundedAmount: { amount: 367, currency: 'USD' } })).toEqual({
      amount: 367,
      currency: 'USD',
    });
    expect(lineRefunded({ refundedAmount: { amount: 0, currency: 'USD' } })).toBeNull();
    expect(lineRefunded({})).toBeNull();
  });
});
