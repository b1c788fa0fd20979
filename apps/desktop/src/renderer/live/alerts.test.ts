import { describe, expect, it } from 'vitest';
import { formatMoney } from '../resources/orders/orderTypes.ts';
import { alertOf } from './alerts.ts';

describe('payment dispute alerts', () => {
  const base = {
    resource: 'orders',
    type: 'updated' as const,
    ids: ['0d7b3c1e-1111-4000-8000-000000000000'],
    at: '2026-12-26T10:00:00.000Z',
    position: '42:7',
  };
  const payload = {
    event: 'payment_dispute',
    paymentId: 'p1',
    status: 'needs_response',
    amount: 4999,
    currency: 'EUR',
    reason: 'fraudulent',
    evidenceDueBy: '2027-01-05T23:59:59.000Z',
  };

  it('raises a warning for a dispute that needs a response, leading to the order', () => {
    expect(alertOf({ ...base, payload })).toEqual({
      id: '42:7:dispute',
      kind: 'payment_dispute',
      level: 'warning',
      messageKey: 'mcart.live.dispute_needs_response',
      values: {
        order: '0d7b3c1e',
        amount: formatMoney({ amount: 4999, currency: 'EUR' }),
        date: new Date('2027-01-05T23:59:59.000Z').toLocaleDateString(),
      },
      link: '/orders/0d7b3c1e-1111-4000-8000-000000000000/show',
      at: base.at,
    });
  });

  it('names the order by number when the event carries one, and does without a deadline', () => {
    const { evidenceDueBy: _due, ...undated } = payload;
    expect(alertOf({ ...base, payload: { ...undated, number: 'MC-1042' } })).toMatchObject({
      messageKey: 'mcart.live.dispute_needs_response_undated',
      values: { order: 'MC-1042', amount: formatMoney({ amount: 4999, currency: 'EUR' }) },
    });
  });

  it('stays quiet for the other dispute steps and payment events (timeline and order page show them)', () => {
    for (const status of ['under_review', 'won', 'lost'])
      expect(alertOf({ ...base, payload: { ...payload, status } })).toBeNull();
    for (const event of ['refund_unconfirmed', 'refund_reversed', 'gateway_refund_failed'])
      expect(alertOf({ ...base, payload: { event, amount: 100, currency: 'EUR' } })).toBeNull();
  });
});
