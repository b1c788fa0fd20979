import { defineError } from '../../platform/errors.ts';

export const OrderErrors = {
  notFound: defineError('MCART_ERR_ORDER_NOT_FOUND', 404, 'Order not found'),
  // Shared by orders and return requests (one type, one title): the detail names which and from where.
  illegalTransition: defineError(
    'MCART_ERR_ILLEGAL_TRANSITION',
    409,
    'That status cannot be reached from the current one',
  ),
  priceChanged: defineError(
    'MCART_ERR_PRICE_CHANGED',
    409,
    'Prices changed since the cart was shown: review the new prices',
  ),
  paymentDeclined: defineError('MCART_ERR_PAYMENT_DECLINED', 402, 'The payment was declined'),
  cancelledWhilePaying: defineError(
    'MCART_ERR_ORDER_CANCELLED',
    409,
    'The order was cancelled before its payment went through',
  ),
  paymentsUnavailable: defineError(
    'MCART_ERR_PAYMENTS_UNAVAILABLE',
    503,
    'Payments are not available right now',
  ),
  refundTooLarge: defineError(
    'MCART_ERR_REFUND_EXCEEDS_TOTAL',
    409,
    'The refund exceeds what is left to refund',
  ),
  // Units a discount made free: a refund by line of them would give back nothing.
  nothingToRefund: defineError('MCART_ERR_NOTHING_TO_REFUND', 409, 'Those units cost the customer nothing'),
  returnTooLarge: defineError('MCART_ERR_RETURN_EXCEEDS_QUANTITY', 409, 'More returned than was ordered'),
  orderTooLarge: defineError('MCART_ERR_ORDER_TOO_LARGE', 422, 'The order is larger than one order can hold'),
};
