import { defineError } from '../../platform/errors.ts';

export const CartErrors = {
  // Every cart route (checkout's included) names the cart in the path as `id`, and the item as `itemId`: the
  // same answer for an unknown cart and one the caller may not see.
  cartNotFound: defineError('MCART_ERR_CART_NOT_FOUND', 404, 'Cart not found', {
    errors: [{ path: 'params/id', message: 'unknown cart' }],
  }),
  cartClosed: defineError('MCART_ERR_CART_CLOSED', 409, 'The cart has already been checked out'),
  cartEmpty: defineError('MCART_ERR_CART_EMPTY', 409, 'The cart is empty'),
  itemNotFound: defineError('MCART_ERR_CART_ITEM_NOT_FOUND', 404, 'Cart item not found', {
    errors: [{ path: 'params/itemId', message: 'no such item in this cart' }],
  }),
  variantNotFound: defineError('MCART_ERR_VARIANT_NOT_FOUND', 404, 'Variant not found'),
  notPurchasable: defineError('MCART_ERR_NOT_PURCHASABLE', 409, 'An item is no longer for sale'),
  tooManyItems: defineError('MCART_ERR_CART_TOO_LARGE', 409, 'The cart holds too many different items'),
  shippingMethodNotFound: defineError(
    'MCART_ERR_SHIPPING_METHOD_NOT_FOUND',
    404,
    'Shipping method not found',
  ),
  shippingMethodWithdrawn: defineError(
    'MCART_ERR_SHIPPING_METHOD_WITHDRAWN',
    409,
    'The shipping method chosen for the cart is no longer offered',
  ),
  // Staff management of shipping methods (admin.routes.ts).
  duplicateShippingMethodCode: defineError(
    'MCART_ERR_DUPLICATE_SHIPPING_METHOD_CODE',
    409,
    'A shipping method with this code already exists',
  ),
  invalidShippingMethod: defineError(
    'MCART_ERR_INVALID_SHIPPING_METHOD',
    400,
    'The shipping method is not valid',
  ),
  shippingMethodIsDefault: defineError(
    'MCART_ERR_SHIPPING_METHOD_IS_DEFAULT',
    409,
    'The default shipping method stays active and default until another one is made the default',
  ),
  currencyMismatch: defineError(
    'MCART_ERR_CURRENCY_MISMATCH',
    400,
    "Amounts must be in the store's currency",
  ),
  discountsUnavailable: defineError(
    'MCART_ERR_DISCOUNTS_UNAVAILABLE',
    503,
    'Discount codes are not available',
  ),
};
