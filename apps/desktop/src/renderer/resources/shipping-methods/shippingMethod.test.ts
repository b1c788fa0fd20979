import { describe, expect, it } from 'vitest';
import { displayRate, shippingMethodBody } from './shippingMethod.ts';

describe('shipping method form', () => {
  it('sends typed major units as minor units in the store currency', () => {
    expect(
      shippingMethodBody(
        {
          code: ' Courier ',
          name: ' Courier (next day) ',
          kind: 'free_over',
          amount: { amount: '7.5' },
          freeOverAmount: { amount: '1 234,50' },
          isDefault: true,
          active: true,
          sort: '3',
        },
        'EUR',
      ),
    ).toEqual({
      code: 'Courier',
      name: 'Courier (next day)',
      kind: 'free_over',
      amount: { amount: 750, currency: 'EUR' },
      freeOverAmount: { amount: 123450, currency: 'EUR' },
      isDefault: true,
      active: true,
      sort: 3,
    });
  });

  it('keeps loaded amounts and their currency, and drops the threshold of a flat method', () => {
    const loaded = {
      id: 'm1',
      version: 4,
      kind: 'flat',
      amount: { amount: 500, currency: 'USD' },
      freeOverAmount: { amount: 5000, currency: 'USD' },
    };
    expect(shippingMethodBody(loaded, 'EUR')).toEqual({
      kind: 'flat',
      amount: { amount: 500, currency: 'USD' },
      freeOverAmount: null,
    });
  });

  it('shows a threshold rate with its threshold', () => {
    const freeFrom = (amount: string, threshold: string) => `${amount}, free from ${threshold}`;
    const usd = (amount: number) => ({ amount, currency: 'USD' });
    expect(displayRate({ kind: 'flat', amount: usd(1500), freeOverAmount: null }, freeFrom, 'en-US')).toBe(
      '$15.00',
    );
    expect(
      displayRate({ kind: 'free_over', amount: usd(500), freeOverAmount: usd(5000) }, freeFrom, 'en-US'),
    ).toBe('$5.00, free from $50.00');
  });
});
