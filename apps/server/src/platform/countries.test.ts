import { describe, expect, it } from 'vitest';
import { COUNTRY_CODES, countryCode } from './countries.ts';
import { withCheckedRegion } from './regions.ts';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

describe('ISO 3166-1 alpha-2 country codes (ADR 0059)', () => {
  it('holds the 249 assigned codes and Kosovo (XK), each one ICU has an English name for', () => {
    expect(COUNTRY_CODES.size).toBe(250);
    const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });
    for (const code of COUNTRY_CODES) {
      expect(code).toMatch(/^[A-Z]{2}$/);
      expect(names.of(code), code).not.toBe(code);
    }
    for (const code of [
      'GB',
      'US',
      'FR',
      'DE',
      'CA',
      'AU',
      'JP',
      'AX',
      'BQ',
      'CW',
      'SS',
      'SX',
      'PS',
      'TW',
      'EH',
      'XK',
    ])
      expect(COUNTRY_CODES.has(code), code).toBe(true);
  });

  it('refuses user-assigned, reserved and withdrawn codes', () => {
    const userAssigned = [
      'AA',
      'ZZ',
      ...[...'MNOPQRSTUVWXYZ'].map((letter) => `Q${letter}`),
      ...[...LETTERS].map((letter) => `X${letter}`).filter((code) => code !== 'XK'),
    ];
    const exceptionallyReserved = [
      'AC',
      'CP',
      'CQ',
      'DG',
      'EA',
      'EU',
      'EZ',
      'FX',
      'IC',
      'SU',
      'TA',
      'UK',
      'UN',
    ];
    const transitionallyReserved = [
      'AN',
      'BU',
      'CS',
      'NT',
      'SF',
      'TP',
      'YU',
      'ZR',
      'DD',
      'YD',
      'RH',
      'HV',
      'NH',
    ];
    for (const code of [...userAssigned, ...exceptionallyReserved, ...transitionallyReserved]) {
      expect(COUNTRY_CODES.has(code), code).toBe(false);
      expect(countryCode(code), code).toBeUndefined();
    }
  });

  it('takes any case and stores upper case', () => {
    expect(countryCode('gb')).toBe('GB');
    expect(countryCode('Us')).toBe('US');
    expect(countryCode('xx')).toBeUndefined();
  });

  it('withCheckedRegion refuses an unassigned country on <path>/country and stores the code upper case', () => {
    const address = { name: 'Ada', line1: '1 Row', city: 'London', postalCode: 'N1', country: 'XX' };
    let error: unknown;
    try {
      withCheckedRegion(address, 'body/shippingAddress');
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({
      status: 400,
      code: 'MCART_ERR_VALIDATION',
      errors: [
        {
          path: 'body/shippingAddress/country',
          message: 'must be an assigned ISO 3166-1 alpha-2 country code (e.g. GB, US)',
        },
      ],
    });
    expect(withCheckedRegion({ ...address, country: 'gb' }, 'body')).toEqual({ ...address, country: 'GB' });
    expect(withCheckedRegion({ ...address, country: 'us', region: 'il' }, 'body')).toMatchObject({
      country: 'US',
      region: 'IL',
    });
  });
});
