import { describe, expect, it } from 'vitest';
import { withVersion } from './dataProvider.ts';
import { problemToHttpError } from './problem.ts';
import { alertOf } from '../live/alerts.ts';

describe('stale writes', () => {
  it('sends the version the user loaded with the changed fields', () => {
    expect(withVersion({ title: 'New' }, { id: 'p1', title: 'Old', version: 3 })).toEqual({
      title: 'New',
      version: 3,
    });
    expect(withVersion({ title: 'New' }, { id: 'p1', title: 'Old' })).toEqual({ title: 'New' });
  });

  it('turns a 409 MCART_ERR_STALE_WRITE into a message saying what to do', () => {
    const error = problemToHttpError(409, 'Conflict', {
      status: 409,
      title: 'The record was changed by someone else',
      code: 'MCART_ERR_STALE_WRITE',
    });
    expect(error.status).toBe(409);
    expect(error.message).toBe('mcart.live.stale_write');
  });
});

describe('live alerts', () => {
  const base = { ids: ['o1'], at: '2026-11-26T10:00:00.000Z', position: '10:5' };
  it('announces new orders and low stock, nothing else', () => {
    expect(
      alertOf({ ...base, resource: 'orders', type: 'created', payload: { number: 'MC-1001' } }),
    ).toMatchObject({
      kind: 'new_order',
      values: { number: 'MC-1001' },
      link: '/orders/o1/show',
    });
    expect(
      alertOf({
        ...base,
        resource: 'inventory',
        type: 'updated',
        payload: { event: 'low_stock', available: 2 },
      }),
    ).toMatchObject({ kind: 'low_stock', level: 'warning', values: { available: 2 } });
    expect(alertOf({ ...base, resource: 'orders', type: 'updated' })).toBeNull();
    expect(alertOf({ ...base, resource: 'inventory', type: 'updated' })).toBeNull();
  });
});
