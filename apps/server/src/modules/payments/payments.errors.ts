import { AppError, defineError } from '../../platform/errors.ts';
import { REFUND_PENDING_CODE } from '../orders/payment-gateway.ts';

export const PaymentErrors = {
  /**
   * The card was declined. Checkout answers with it: `throw PaymentErrors.declined(undefined, { declineCode })`
   * gives 402 MCART_ERR_PAYMENT_DECLINED with `declineCode` in the problem body.
   */
  declined: defineError('MCART_ERR_PAYMENT_DECLINED', 402, 'The payment was declined'),
  webhookSignature: defineError(
    'MCART_ERR_WEBHOOK_SIGNATURE',
    400,
    'The webhook signature is missing or invalid',
  ),
  providerNotAvailable: defineError(
    'MCART_ERR_PAYMENT_PROVIDER',
    400,
    'This payment provider is not available',
  ),
  gateway: defineError('MCART_ERR_PAYMENT_GATEWAY', 502, 'The payment gateway failed to answer'),
  /**
   * The gateway did not say whether it refunded (no answer in time, a lost connection, a server error): the refund
   * stays pending, its amount reserved, and the reconciliation job confirms it (or gives it back if the gateway
   * refused it). Staff must not refund again.
   */
  refundPending: defineError(
    REFUND_PENDING_CODE,
    502,
    'The refund is pending: the payment gateway did not confirm it',
  ),
  idempotencyKeyReused: defineError(
    'MCART_ERR_IDEMPOTENCY_KEY_REUSED',
    422,
    'This idempotency key was used for another order',
  ),
  notCapturable: defineError(
    'MCART_ERR_PAYMENT_NOT_CAPTURABLE',
    409,
    'There is no authorized payment to capture',
  ),
  notCancelable: defineError(
    'MCART_ERR_PAYMENT_NOT_CANCELABLE',
    409,
    'The payment can no longer be voided; refund it instead',
  ),
  refundExceedsCaptured: defineError(
    'MCART_ERR_REFUND_EXCEEDS_CAPTURED',
    422,
    'The refund exceeds what was captured and not yet refunded',
  ),
  invalidAmount: defineError('MCART_ERR_VALIDATION', 400, 'The request is not valid'),
  ordersUnavailable: defineError('MCART_ERR_UNAVAILABLE', 503, 'Orders are not available'),
};

/** True for the declined-payment problem (checkout maps a `declined` startPayment answer to it). */
export const isPaymentDeclined = (error: unknown): error is AppError =>
  error instanceof AppError && error.code === PaymentErrors.declined.code;

/** Thrown by a provider's parseWebhook when the body is not signed with the configured secret. */
export class WebhookSignatureError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'WebhookSignatureError';
  }
}
