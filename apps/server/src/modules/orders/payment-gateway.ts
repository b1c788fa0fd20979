/**
 * The payments context as checkout and order operations use it (modules/payments implements it as
 * `app.payments`). startPayment is only ever called after the order's transaction committed; the
 * payments context calls back `markPaid` / `markPaymentFailed` (orders.service.ts) in its own transaction.
 */
export interface StartPaymentInput {
  orderId: string;
  amount: number;
  currency: string;
  provider: string;
  token?: string | undefined;
  customerEmail: string;
  idempotencyKey: string;
}

export interface StartPaymentResult {
  paymentId: string;
  status: 'authorized' | 'captured' | 'requires_action' | 'declined';
  clientSecret?: string;
  declineCode?: string;
}

export interface PaymentGateway {
  startPayment(input: StartPaymentInput): Promise<StartPaymentResult>;
  capture(orderId: string, amount?: number): Promise<unknown>;
  cancel(orderId: string): Promise<unknown>;
  refund(orderId: string, amount: number, reason?: string): Promise<unknown>;
  paymentsFor?(orderId: string): Promise<unknown[]>;
}
