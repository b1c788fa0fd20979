import { defineError } from '../../platform/errors.ts';

/**
 * Refusals of a return request (ADR 0051). An illegal move of a request is the order's
 * `MCART_ERR_ILLEGAL_TRANSITION` (OrderErrors.illegalTransition), an unknown or repeated line a 400
 * `MCART_ERR_VALIDATION` naming the field.
 */
export const ReturnRequestErrors = {
  notFound: defineError('MCART_ERR_RETURN_REQUEST_NOT_FOUND', 404, 'Return request not found'),
  /** Nothing of the order reached the customer yet, or the order is in a status that takes no return. */
  notReturnable: defineError('MCART_ERR_NOT_RETURNABLE', 409, 'This order cannot be returned now'),
  /** Past RETURN_WINDOW_DAYS after delivery, or customer requests are off (RETURN_WINDOW_DAYS=0). */
  windowClosed: defineError(
    'MCART_ERR_RETURN_WINDOW_CLOSED',
    409,
    'The time to ask for a return of this order is over',
  ),
  /** More units than were delivered and are not yet returned or asked for in an open request. */
  quantity: defineError('MCART_ERR_RETURN_QUANTITY', 409, 'More units than can still be returned on a line'),
};
