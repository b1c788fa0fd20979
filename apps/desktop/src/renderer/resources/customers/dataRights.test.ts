import { describe, expect, it } from 'vitest';
import { HttpError } from 'react-admin';
import { problemToHttpError } from '../../api/problem.ts';
import { blockingOrdersOf, fileNameOf } from './dataRights.ts';
import { dataRightsMessages } from './dataRightsMessages.ts';

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

  it('has every text in English and French, with the same variables', () => {
    const { en, fr } = dataRightsMessages;
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
    const vars = (text: string) => [...text.matchAll(/%\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(en) as (keyof typeof en)[])
      expect(vars(fr[key]), key).toEqual(vars(en[key]));
  });
});
