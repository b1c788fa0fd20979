import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * What payments needs from the orders context (implemented in modules/orders/orders.service.ts).
 * Both run inside the payment's own transaction (`em` is that transaction), so the order's change, the
 * payment's status and the webhook event's de-duplication row commit together or not at all.
 */
export interface OrderPaymentsPort {
  /** Idempotent and exactly-once: `transitioned` the first time an order becomes paid, `already` after. */
  markPaid(em: EntityManager, orderId: string, paymentId: string): Promise<'transitioned' | 'already'>;
  /** Idempotent: the order's payment failed (declined, 3-D Secure failed). */
  markPaymentFailed(em: EntityManager, orderId: string, reason: string): Promise<void>;
}
