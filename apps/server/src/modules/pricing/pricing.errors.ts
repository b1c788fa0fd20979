import { defineError } from '../../platform/errors.ts';

export const PricingErrors = {
  saleNotFound: defineError('MCART_ERR_SALE_NOT_FOUND', 404, 'Sale not found'),
  invalidSale: defineError('MCART_ERR_INVALID_SALE', 400, 'The sale is not valid'),
  discountCodeNotFound: defineError('MCART_ERR_DISCOUNT_CODE_NOT_FOUND', 404, 'Discount code not found'),
  duplicateDiscountCode: defineError(
    'MCART_ERR_DUPLICATE_DISCOUNT_CODE',
    409,
    'A discount code with this code already exists',
  ),
  invalidDiscountCode: defineError('MCART_ERR_INVALID_DISCOUNT_CODE', 400, 'The discount code is not valid'),
  // Shopper-facing outcomes of applying a code to a cart.
  unknownCode: defineError('MCART_ERR_DISCOUNT_CODE_UNKNOWN', 404, 'This discount code does not exist'),
  expiredCode: defineError(
    'MCART_ERR_DISCOUNT_CODE_EXPIRED',
    422,
    'This discount code is not valid at this time',
  ),
  exhaustedCode: defineError('MCART_ERR_DISCOUNT_CODE_EXHAUSTED', 409, 'This discount code has been used up'),
  minSubtotalNotMet: defineError(
    'MCART_ERR_DISCOUNT_CODE_MIN_SUBTOTAL',
    422,
    'The cart is below the minimum for this code',
  ),
  perCustomerLimit: defineError(
    'MCART_ERR_DISCOUNT_CODE_CUSTOMER_LIMIT',
    409,
    'You have already used this discount code',
  ),
};
