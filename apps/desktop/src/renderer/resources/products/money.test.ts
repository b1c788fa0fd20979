import { describe, expect, it } from 'vitest';
import { formatMinor, moneyFormat, parseMajor, toMinor, validateMoney } from './money.ts';

describe('money parsing', () => {
  it('converts decimal strings to minor units without float error', () => {
    expect(parseMajor('1.005', 3)).toEqual({ ok: true, minor: 1005 });
    expect(parseMajor('1.01')).toEqual({ ok: true, minor: 101 });
    expect(parseMajor('0.29')).toEqual({ ok: true, minor: 29 }); // 0.29 * 100 = 28.999999999999996
    expect(parseMajor('19.99')).toEqual({ ok: true, minor: 1999 });
    expect(parseMajor('12')).toEqual({ ok: true, minor: 1200 });
    expect(parseMajor('12.5')).toEqual({ ok: true, minor: 1250 });
    expect(parseMajor('.5')).toEqual({ ok: true, minor: 50 });
    expect(parseMajor('7.')).toEqual({ ok: true, minor: 700 });
    expect(parseMajor('0')).toEqual({ ok: true, minor: 0 });
    expect(parseMajor('12.50')).toEqual({ ok: true, minor: 1250 });
    expect(parseMajor('12.500')).toEqual({ ok: true, minor: 1250 });
  });

  it('accepts a decimal comma and thousands separators', () => {
    expect(parseMajor('12,34')).toEqual({ ok: true, minor: 1234 });
    expect(parseMajor('1 234,99')).toEqual({ ok: true, minor: 123499 });
    expect(parseMajor('1,234.99')).toEqual({ ok: true, minor: 123499 });
    expect(parseMajor('1\u202f234,5')).toEqual({ ok: true, minor: 123450 });
  });

  it('refuses what is not an amount', () => {
    expect(parseMajor('')).toEqual({ ok: false, reason: 'empty' });
    expect(parseMajor('  ')).toEqual({ ok: false, reason: 'empty' });
    expect(parseMajor('abc')).toEqual({ ok: false, reason: 'invalid' });
    expect(parseMajor('-5')).toEqual({ ok: false, reason: 'invalid' });
    expect(parseMajor('1e3')).toEqual({ ok: false, reason: 'invalid' });
    expect(parseMajor('.')).toEqual({ ok: false, reason: 'invalid' });
    expect(parseMajor('1.2.3')).toEqual({ ok: false, reason: 'invalid' });
    expect(parseMajor('1.234')).toEqual({ ok: false, reason: 'precision' });
    expect(parseMajor('20000000.01')).toEqual({ ok: false, reason: 'range' });
    expect(parseMajor('99999999999999999999')).toEqual({ ok: false, reason: 'range' });
  });

  it('formats minor units back to a decimal string', () => {
    expect(formatMinor(1999)).toBe('19.99');
    expect(formatMinor(5)).toBe('0.05');
    expect(formatMinor(0)).toBe('0.00');
    expect(formatMinor(123450)).toBe('1234.50');
    expect(formatMinor(-250)).toBe('-2.50');
    expect(formatMinor(42, 0)).toBe('42');
  });

  it('round-trips cents up to 1000.00', () => {
    for (let minor = 0; minor <= 100_000; minor += 7) {
      expect(parseMajor(formatMinor(minor))).toEqual({ ok: true, minor });
    }
  });

  it('treats loaded numbers as minor units and typed text as major units', () => {
    expect(toMinor(1999)).toBe(1999);
    expect(toMinor('19.99')).toBe(1999);
    expect(toMinor('x')).toBeUndefined();
    expect(moneyFormat(1999)).toBe('19.99');
    expect(moneyFormat('19.9')).toBe('19.9');
    expect(moneyFormat(undefined)).toBe('');
    expect(validateMoney(true)('')).toBe('ra.validation.required');
    expect(validateMoney(false)('')).toBeUndefined();
    expect(validateMoney(true)('1.234')).toBe('mcart.catalog.money_precision');
    expect(validateMoney(true)(1200)).toBeUndefined();
  });
});
