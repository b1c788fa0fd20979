import { defineError } from '../../platform/errors.ts';

export const CartErrors = {
  cartNotFound: defineError('MCART_ERR_CART_NOT_FOUND', 404, 'Cart not found'),
  cartClosed: defineError('MCART_ERR_CART_CLOSED', 409, 'The cart has already been checked out'),
  cartEmpty: defineError('MCART_ERR_CART_EMPTY', 409, 'The cart is empty'),
  itemNotFound: defineError('MCART_ERR_CART_ITEM_NOT_FOUND', 404, 'Cart item not found'),
  variantNotFound: defineError('MCART_ERR_VARIANT_NOT_FOUND', 404, 'Variant not found'),
  notPurchasable: defineError('MCART_ERR_NOT_PURCHASABLE', 409, 'An item is no longer for sale'),
  tooManyItems: defineError('MCART_ERR_CART_TOO_LARGE', 409, 'The cart holds too many different items'),
  shippingMethodNotFound: defineError(
    'MCART_ERR_SHIPPING_METHOD_NOT_FOUND',
    404,
    'Shipping method not found',
  ),
  discountsUnavailable: defineError(
    'MCART_ERR_DISCOUNTS_UNAVAILABLE',
    503,
    'Discount codes are not available',
  ),
};
