import { describe, expect, it } from 'vitest';
import { addressLines, chronological, refundForGoods } from './orderTypes.ts';

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
