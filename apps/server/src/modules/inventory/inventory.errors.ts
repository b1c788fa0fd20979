import { defineError } from '../../platform/errors.ts';

export const InventoryErrors = {
  outOfStock: defineError('MCART_ERR_OUT_OF_STOCK', 409, 'Not enough stock'),
  belowZero: defineError(
    'MCART_ERR_STOCK_BELOW_ZERO',
    409,
    'The change would take stock below zero or below what is reserved',
  ),
  variantNotFound: defineError('MCART_ERR_VARIANT_NOT_FOUND', 404, 'Variant not found'),
  locationNotFound: defineError('MCART_ERR_LOCATION_NOT_FOUND', 404, 'Stock location not found'),
  sameLocation: defineError('MCART_ERR_SAME_LOCATION', 400, 'A transfer needs two different locations'),
  locationCodeTaken: defineError(
    'MCART_ERR_LOCATION_CODE_TAKEN',
    409,
    'Another stock location has this code',
  ),
  locationInUse: defineError(
    'MCART_ERR_LOCATION_IN_USE',
    409,
    'The location still holds stock or is the default',
  ),
  stockLimit: defineError(
    'MCART_ERR_STOCK_LIMIT',
    409,
    'The change would take stock above the most a stock level can hold',
  ),
  invalidQuantity: defineError('MCART_ERR_INVALID_QUANTITY', 400, 'Quantities are positive whole numbers'),
};
