import { describe, expect, it } from 'vitest';
import {
  dateTimeToApi,
  discountValueToApi,
  displayDiscount,
  optionalCount,
  validateDiscountValue,
  validateEndsAfterStart,
} from './discount.ts';

describe('discount values', () => {
  it('sends percents as whole numbers and fixed amounts in minor units', () => {
    expect(discountValueToApi('percent', '15')).toBe(15);
    expect(discountValueToApi('percent', 15)).toBe(15);
    expect(discountValueToApi('percent', '1.5')).toBeUndefined();
    expect(discountValueToApi('fixed', '4.99')).toBe(499);
    expect(discountValueToApi('fixed', 499)).toBe(499);
    expect(discountValueToApi('fixed', 'x')).toBeUndefined();
  });

  it('validates by discount type', () => {
    expect(validateDiscountValue('', { discountType: 'percent' })).toBe('ra.validation.required');
    expect(validateDiscountValue('101', { discountType: 'percent' })).toBe('mcart.pricing.percent_range');
    expect(validateDiscountValue('0', { discountType: 'percent' })).toBe('mcart.pricing.percent_range');
    expect(validateDiscountValue('100', { discountType: 'percent' })).toBeUndefined();
    expect(validateDiscountValue('0.00', { discountType: 'fixed' })).toBe('mcart.pricing.value_positive');
    expect(validateDiscountValue('2.345', { discountType: 'fixed' })).toBe('mcart.catalog.money_precision');
    expect(validateDiscountValue('2.35', { discountType: 'fixed' })).toBeUndefined();
  });

  it('converts date/time inputs to ISO instants', () => {
    expect(dateTimeToApi('')).toBeNull();
    expect(dateTimeToApi(null)).toBeNull();
    expect(dateTimeToApi('nonsense')).toBeNull();
    expect(dateTimeToApi(new Date('2026-12-01T10:00:00Z'))).toBe('2026-12-01T10:00:00.000Z');
    expect(dateTimeToApi('2026-12-01T10:00:00Z')).toBe('2026-12-01T10:00:00.000Z');
    expect(dateTimeToApi('2026-12-01T10:00')).toBe(new Date(2026, 11, 1, 10, 0).toISOString());
  });

  it('wants the end after the start, when both are given', () => {
    const startsAt = '2027-01-10T10:00';
    expect(validateEndsAfterStart('2027-01-01T10:00', { startsAt })).toBe('mcart.pricing.ends_before_start');
    expect(validateEndsAfterStart('2027-01-10T10:00', { startsAt })).toBe('mcart.pricing.ends_before_start');
    expect(validateEndsAfterStart('2027-01-10T10:01', { startsAt })).toBeUndefined();
    // No end (runs until stopped), or no start yet: nothing to compare.
    expect(validateEndsAfterStart('', { startsAt })).toBeUndefined();
    expect(validateEndsAfterStart(null, { startsAt })).toBeUndefined();
    expect(validateEndsAfterStart('2027-01-01T10:00', { startsAt: '' })).toBeUndefined();
  });

  it('displays and counts', () => {
    expect(displayDiscount('percent', 20)).toBe('20 %');
    expect(displayDiscount('fixed', 1050, 'EUR')).toBe('10.50 EUR');
    expect(optionalCount('')).toBeNull();
    expect(optionalCount('5')).toBe(5);
    expect(optionalCount('5.5')).toBeUndefined();
  });
});
