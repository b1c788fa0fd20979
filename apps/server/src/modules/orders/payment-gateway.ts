import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../platform/errors.ts';

/**
 * The code of the problem a refund answers when the gateway did not say whether it refunded (a timeout, a lost
 * connection, a server error): the refund is pending, its reservation kept, and it is finished automatically.
 */
export const REFUND_PENDING_CODE = 'MCART_ERR_REFUND_PENDING';

export const isRefundPending = (err: unknown): boolean =>
  err instanceof AppError && err.code === REFUND_PENDING_CODE;

/**
 * The payments context as checkout and order operations use it (modules/payments implements it as
 * `app.payments`). openPayment writes the order's pending payment inside the order's own transaction;
 * startPayment is only ever called after that transaction committed, and talks to the gateway; the
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
  /** The payment openPayment wrote for this order, in the order's committed transaction. */
  openedPaymentId?: string | undefined;
}

export interface StartPaymentResult {
  paymentId: string;
  status: 'authorized' | 'captured' | 'requires_action' | 'declined';
  clientSecret?: string;
  declineCode?: string;
  /**
   * The payment left its order paid: captured, or authorized under manual capture, and not given back. The
   * checkout's answer then says `paid` without reading the order again; otherwise it reads the order.
   */
  orderPaid: boolean;
  /** The order was cancelled while it was being paid: what the payment took is given back (orphaned). */
  givenBack: boolean;
}

export interface PaymentGateway {
  /**
   * Checks the payment input (refusing it with a clear error before anything is written) and queues the
   * order's pending payment in `tx`, the order's transaction, so that the payment exists exactly when the
   * order does. Returns the payment's id, to pass to startPayment as `openedPaymentId`.
   */
  openPayment(tx: EntityManager, input: StartPaymentInput): Promise<string>;
  startPayment(input: StartPaymentInput): Promise<StartPaymentResult>;
  capture(orderId: string, amount?: number): Promise<unknown>;
  cancel(orderId: string): Promise<unknown>;
  /**
   * `lines`: the units a refund by line gives back (none for a refund of an amount), told to invoicing.
   * `refundId`: the orders context's reservation (`reserveRefund`), which the refund takes as its id: the payments
   * context finishes the reservation through `orderPaymentsPort` once it learns the outcome. Throws an AppError
   * with code REFUND_PENDING_CODE when the gateway's answer was lost: the refund stays pending (reserved) and is
   * confirmed or given back by the reconciliation job; any other throw means it did not happen.
   */
  refund(
    orderId: string,
    amount: number,
    reason?: string,
    lines?: { orderLineId: string; quantity: number }[],
    refundId?: string,
  ): Promise<unknown>;
  /**
   * The order was cancelled (committed): its money goes back, now if the gateway answers, else by the
   * reconciliation job. Never throws for a gateway failure.
   */
  giveBackCancelled(orderId: string): Promise<void>;
  paymentsFor?(orderId: string): Promise<unknown[]>;
}
