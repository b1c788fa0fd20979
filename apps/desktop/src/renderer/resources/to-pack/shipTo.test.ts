import { HttpError } from 'react-admin';
import { describe, expect, it } from 'vitest';
import { problemToHttpError } from '../../api/problem.ts';
import {
  addressErrors,
  addressRequest,
  draftFrom,
  LABEL_ADDRESS_REFUSED,
  missingFields,
  readRefusal,
  regionCodeExample,
  sameAsOrder,
} from './shipTo.ts';

const ORDER_ADDRESS = {
  name: 'Ann Example',
  company: 'Acme',
  line1: '22 Acacia Avenue',
  city: 'Portland',
  region: 'OR',
  postalCode: '97201',
  country: 'US',
};
const QUEUED = { name: 'Ann Example', city: 'Portland', country: 'US' };

describe('the label address on the packing screen', () => {
  it("is pre-filled from the order's address, blank where the order has nothing", () => {
    expect(draftFrom(ORDER_ADDRESS, QUEUED)).toEqual({
      name: 'Ann Example',
      company: 'Acme',
      line1: '22 Acacia Avenue',
      line2: '',
      city: 'Portland',
      region: 'OR',
      postalCode: '97201',
      country: 'US',
      phone: '',
    });
    // The order's detail not there yet: what the queue knows.
    expect(draftFrom(undefined, QUEUED)).toMatchObject({ name: 'Ann Example', line1: '', country: 'US' });
  });

  it('sends trimmed fields, leaves blank optional ones out, and names the blank required ones', () => {
    const draft = {
      ...draftFrom(ORDER_ADDRESS, QUEUED),
      company: '  ',
      line1: ' 23 Acacia Avenue ',
      region: ' or',
      country: 'us',
    };
    expect(addressRequest(draft)).toEqual({
      name: 'Ann Example',
      line1: '23 Acacia Avenue',
      city: 'Portland',
      region: 'or',
      postalCode: '97201',
      country: 'US',
    });
    expect(missingFields(draft)).toEqual([]);
    expect(missingFields({ ...draft, name: ' ', postalCode: '' })).toEqual(['name', 'postalCode']);
  });

  it("puts the server's field errors on the matching inputs, the first per field", () => {
    expect(
      addressErrors([
        { path: 'body/shippingAddress/region', message: 'must be a 2-letter US state code (e.g. IL)' },
        { path: 'shippingAddress/line1', message: 'is 52 characters; the label prints at most 35' },
        { path: 'shippingAddress/line1', message: 'has characters the label printer cannot print' },
        { path: 'senderAddress/line1', message: 'is 50 characters; the label prints at most 45' },
        { path: 'body/lines/0/quantity', message: 'only 2 of 2 left to ship' },
        { path: 'body/shippingAddress', message: 'must NOT have additional properties' },
      ]),
    ).toEqual({
      region: 'must be a 2-letter US state code (e.g. IL)',
      line1: 'is 52 characters; the label prints at most 35',
    });
  });

  it("marks a draft put aside only where it still has the order's refused value", () => {
    const order = draftFrom({ ...ORDER_ADDRESS, line1: 'Apartment 12, The Long Name Residences' }, QUEUED);
    const errors = { line1: 'is 38 characters; the label prints at most 35', name: 'has characters …' };
    expect(sameAsOrder(errors, order, order)).toEqual(errors);
    expect(sameAsOrder(errors, { ...order, line1: 'Apt 12, Long Name Residences' }, order)).toEqual({
      name: 'has characters …',
    });
  });

  it('reads the code, message and field errors of a refused request', () => {
    const refused = problemToHttpError(422, 'Unprocessable Entity', {
      status: 422,
      title: 'The address does not fit on the label',
      code: LABEL_ADDRESS_REFUSED,
      detail: 'shippingAddress/line1 is 52 characters; the label prints at most 35',
      errors: [{ path: 'shippingAddress/line1', message: 'is 52 characters; the label prints at most 35' }],
    });
    expect(readRefusal(refused)).toEqual({
      code: LABEL_ADDRESS_REFUSED,
      message: 'shippingAddress/line1 is 52 characters; the label prints at most 35',
      fieldErrors: [
        { path: 'shippingAddress/line1', message: 'is 52 characters; the label prints at most 35' },
      ],
    });
    expect(readRefusal(new HttpError('mcart.error.network', 0, { cause: 'x' }))).toEqual({
      code: undefined,
      message: 'mcart.error.network',
      fieldErrors: [],
    });
    expect(readRefusal(new Error('boom')).fieldErrors).toEqual([]);
  });

  it('knows which countries take a 2-letter region code', () => {
    expect(regionCodeExample('us')).toBe('IL');
    expect(regionCodeExample('CA')).toBe('ON');
    expect(regionCodeExample('FR')).toBeUndefined();
  });
});
