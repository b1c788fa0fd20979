import { describe, expect, it } from 'vitest';
import { HttpError } from 'react-admin';
import { problemToHttpError } from '../../api/problem.ts';
import { blockingOrdersOf, fileNameOf } from './dataRights.ts';

describe('customer data rights', () => {
  it('reads the orders that block an erasure from the 409 problem, and nothing else', () => {
    const orders = [{ id: 'o1', number: '1001', status: 'paid' }];
    const blocked = problemToHttpError(409, 'Conflict', {
      type: 'https://mcart.dev/problems/erasure_blocked',
      status: 409,
      title: 'Orders in progress',
      code: 'MCART_ERR_ERASURE_BLOCKED',
      detail: 'Not yet finished: 1001 (paid)',
      orders,
    });
    expect(blockingOrdersOf(blocked)).toEqual(orders);
    expect(blocked.message).toBe('Not yet finished: 1001 (paid)');
    const stale = problemToHttpError(409, 'Conflict', {
      status: 409,
      title: 'The record was changed by someone else',
      code: 'MCART_ERR_STALE_WRITE',
    });
    expect(blockingOrdersOf(stale)).toBeNull();
    expect(blockingOrdersOf(new HttpError('Forbidden', 403, { code: 'MCART_ERR_FORBIDDEN' }))).toBeNull();
    expect(blockingOrdersOf(new Error('offline'))).toBeNull();
  });

  it('names the download as the server does', () => {
    expect(fileNameOf('attachment; filename="customer-c1-personal-data-2027-01-02.json"', 'x.json')).toBe(
      'customer-c1-personal-data-2027-01-02.json',
    );
    expect(fileNameOf(null, 'fallback.json')).toBe('fallback.json');
  });
});
