import { describe, expect, it } from 'vitest';
import {
  addressLines,
  chronological,
  planLineRefund,
  refundableAmount,
  refundedBetween,
  refundFieldErrors,
  refundForGoods,
  unitsLeftToRefund,
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
