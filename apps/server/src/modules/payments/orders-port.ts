import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * A timeline event's text as a key and its parameters, for the back office to translate (ADR 0069; the orders
 * context's EventText): money as `{ amount, currency }`, free text (a gateway's reason) as `note`.
 */
export interface OrderEventText {
  key: string;
  params?: Record<string, unknown>;
}

/**
 * What payments needs from the orders context (implemented in modules/orders/orders.service.ts).
 * Both run inside the payment's own transaction (`em` is that transaction), so the order's change, the
 * payment's status and the webhook event's de-duplication row commit together or not at all.
 */
export interface OrderPaymentsPort {
  /**
   * Idempotent and exactly-once: `transitioned` the first time an order becomes paid, `already` after;
   * `cancelled` when the order was cancelled first (it stays cancelled: the payment must be given back).
   */
  markPaid(
    em: EntityManager,
    orderId: string,
    paymentId: string,
  ): Promise<'transitioned' | 'already' | 'cancelled'>;
  /** Idempotent: the order's payment failed (declined, 3-D Secure failed). */
  markPaymentFailed(em: EntityManager, orderId: string, reason: string): Promise<void>;
  /** Whether the order is cancelled (read before capturing an authorization: a cancelled order's is voided). */
  isCancelled(em: EntityManager, orderId: string): Promise<boolean>;
  /**
   * The order's number (what staff and customers call it: `MC-1042`), for the payments context's events about the
   * order (`payment_dispute`); null when there is no such order.
   */
  orderNumber(em: EntityManager, orderId: string): Promise<string | null>;
  /** Writes a payment fact into the order's timeline (staff see it), in `em`'s transaction. */
  addPaymentEvent(em: EntityManager, orderId: string, message: string, text?: OrderEventText): Promise<void>;
  /** Counts money given back without a refund of the orders context (a cancelled order's payment) in the order's refunded total. */
  addAutomaticRefund(em: EntityManager, orderId: string, amount: number): Promise<void>;
  /**
   * Money the gateway gave back outside MCart (a refund made in its dashboard): counted on the order, written into
   * its timeline with `message`, and the order moved to (partially_)refunded as a staff refund would move it.
   */
  addGatewayRefund(
    em: EntityManager,
    orderId: string,
    amount: number,
    message: string,
    text?: OrderEventText,
  ): Promise<void>;
  /**
   * The gateway refunded `refundId`. A refund the orders context reserved under that id (a staff refund) is
   * finished once: its withdrawn units restocked, the customer's refund event. Any other refund: nothing.
   */
  refundConfirmed(em: EntityManager, orderId: string, refundId: string): Promise<void>;
  /**
   * The gateway refused `refundId` (nothing moved): the orders context's reservation under that id, if any, is
   * given back once (amount, units, status), `reason` in its timeline.
   */
  refundRefused(em: EntityManager, orderId: string, refundId: string, reason?: string): Promise<void>;
  /**
   * Money counted as given back did not go back after all (a refund that failed at the gateway after it went
   * through, a lost dispute won on appeal): the order's refunded totals and, for a refund by line, its units'
   * refunded counts go down, its status follows; `message` goes into its timeline.
   */
  refundReversed(
    em: EntityManager,
    orderId: string,
    refund: {
      refundId: string;
      amount: number;
      lines: { orderLineId: string; quantity: number }[];
      message: string;
    },
  ): Promise<void>;
}
