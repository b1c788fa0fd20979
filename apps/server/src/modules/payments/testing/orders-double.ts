import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { FastifyInstance } from 'fastify';
import type { OrderPaymentsPort } from '../orders-port.ts';

/**
 * Tests only: a stand-in for the orders context's payment port, on a table of its own, with the same
 * promises (conditional update: exactly-once `transitioned`, idempotent failure), counting its calls.
 */
export async function ordersDouble(app: FastifyInstance) {
  await app.orm.em
    .fork()
    .execute(
      `CREATE TABLE IF NOT EXISTS test_order (id uuid PRIMARY KEY, status text NOT NULL, paid_by uuid NULL, failure text NULL)`,
    );
  const calls = {
    markPaid: [] as { orderId: string; result: 'transitioned' | 'already' | 'cancelled' }[],
    markPaymentFailed: [] as string[],
    paymentEvents: [] as { orderId: string; message: string }[],
    automaticRefunds: [] as { orderId: string; amount: number }[],
    gatewayRefunds: [] as { orderId: string; amount: number; message: string }[],
    refundsConfirmed: [] as { orderId: string; refundId: string }[],
    refundsRefused: [] as { orderId: string; refundId: string; reason: string | undefined }[],
    refundsReversed: [] as {
      orderId: string;
      refundId: string;
      amount: number;
      lines: { orderLineId: string; quantity: number }[];
      message: string;
    }[],
  };
  const port: OrderPaymentsPort = {
    async markPaid(em: EntityManager, orderId, paymentId) {
      const rows = await em.execute<{ id: string }[]>(
        `UPDATE test_order SET status = 'paid', paid_by = ? WHERE id = ? AND status = 'pending_payment' RETURNING id`,
        [paymentId, orderId],
      );
      const [current] = rows.length
        ? []
        : await em.execute<{ status: string }[]>(`SELECT status FROM test_order WHERE id = ?`, [orderId]);
      const result = rows.length ? 'transitioned' : current?.status === 'cancelled' ? 'cancelled' : 'already';
      calls.markPaid.push({ orderId, result });
      return result;
    },
    async markPaymentFailed(em: EntityManager, orderId, reason) {
      await em.execute(
        `UPDATE test_order SET status = 'payment_failed', failure = ? WHERE id = ? AND status = 'pending_payment'`,
        [reason, orderId],
      );
      calls.markPaymentFailed.push(orderId);
    },
    async isCancelled(em: EntityManager, orderId) {
      const [row] = await em.execute<{ status: string }[]>(`SELECT status FROM test_order WHERE id = ?`, [
        orderId,
      ]);
      return row?.status === 'cancelled';
    },
    async orderNumber(em: EntityManager, orderId) {
      const [row] = await em.execute<{ id: string }[]>(`SELECT id FROM test_order WHERE id = ?`, [orderId]);
      return row ? testOrderNumber(orderId) : null;
    },
    async addPaymentEvent(_em: EntityManager, orderId, message) {
      calls.paymentEvents.push({ orderId, message });
    },
    async addAutomaticRefund(_em: EntityManager, orderId, amount) {
      calls.automaticRefunds.push({ orderId, amount });
    },
    async addGatewayRefund(_em: EntityManager, orderId, amount, message) {
      calls.gatewayRefunds.push({ orderId, amount, message });
    },
    async refundConfirmed(_em: EntityManager, orderId, refundId) {
      calls.refundsConfirmed.push({ orderId, refundId });
    },
    async refundRefused(_em: EntityManager, orderId, refundId, reason) {
      calls.refundsRefused.push({ orderId, refundId, reason });
    },
    async refundReversed(_em: EntityManager, orderId, refund) {
      calls.refundsReversed.push({ orderId, ...refund });
    },
  };
  return {
    port,
    calls,
    async createOrder(): Promise<string> {
      const id = randomUUID();
      await app.orm.em
        .fork()
        .execute(`INSERT INTO test_order (id, status) VALUES (?, 'pending_payment')`, [id]);
      return id;
    },
    /** The order was cancelled (its reservation expired) while its payment was still open. */
    async cancelOrder(id: string): Promise<void> {
      await app.orm.em
        .fork()
        .execute(`UPDATE test_order SET status = 'cancelled' WHERE id = ? AND status = 'pending_payment'`, [
          id,
        ]);
    },
    async order(id: string) {
      const [row] = await app.orm.em
        .fork()
        .execute<{ status: string; paid_by: string | null; failure: string | null }[]>(
          `SELECT status, paid_by, failure FROM test_order WHERE id = ?`,
          [id],
        );
      return row;
    },
    transitions: (orderId: string) =>
      calls.markPaid.filter((call) => call.orderId === orderId && call.result === 'transitioned').length,
  };
}

/** The number the double gives its order `orderId` (its port's `orderNumber`). */
export const testOrderNumber = (orderId: string): string => `T-${orderId.slice(0, 8).toUpperCase()}`;

/** Outbox events about an order, oldest first. */
export async function orderEvents(app: FastifyInstance, orderId: string): Promise<Record<string, unknown>[]> {
  const rows = await app.orm.em
    .fork()
    .execute<{ payload: Record<string, unknown> }[]>(
      `SELECT payload FROM outbox_event WHERE resource = 'orders' AND ? = ANY(ids) ORDER BY id`,
      [orderId],
    );
  return rows.map((row) => row.payload);
}
