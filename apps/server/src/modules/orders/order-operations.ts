import type { EntityManager } from '@mikro-orm/postgresql';
import { formatMoney } from '../../platform/money.ts';
import type { FastifyBaseLogger } from 'fastify';
import { CommonErrors } from '../../platform/errors.ts';
import type { FieldCipher } from '../../platform/crypto.ts';
import { OrderErrors } from './orders.errors.ts';
import {
  addOrderEvent,
  moneyParam,
  OrdersService,
  type Actor,
  type OrderRow,
  type RefundRequest,
} from './orders.service.ts';
import { canTransition, customerMayCancel } from './order-states.ts';
import { isRefundPending, type PaymentGateway } from './payment-gateway.ts';

/**
 * Order changes that move money: the gateway is called outside any database transaction, in an order
 * that never loses track of money (check legality -> gateway -> record; refunds reserve first, undo on failure).
 */
export class OrderOperations {
  private readonly orders: OrdersService;

  constructor(
    private readonly em: EntityManager,
    cipher: FieldCipher,
    private readonly payments: () => PaymentGateway | null,
    private readonly log: FastifyBaseLogger,
  ) {
    this.orders = new OrdersService(em, cipher);
  }

  private gateway(): PaymentGateway {
    const gateway = this.payments();
    if (!gateway) throw OrderErrors.paymentsUnavailable('No payment provider is installed');
    return gateway;
  }

  /** Cancel: an open payment is voided, captured money refunded; then stock goes back (released or restocked). */
  async cancel(
    orderId: string,
    actor: Actor,
    reason: string | undefined,
    asCustomer = false,
  ): Promise<OrderRow> {
    const order = await this.orders.find(orderId);
    const allowed = asCustomer ? customerMayCancel(order.status) : canTransition(order.status, 'cancelled');
    if (!allowed)
      throw OrderErrors.illegalTransition(`An order that is ${order.status} cannot be cancelled`, {
        from: order.status,
        to: 'cancelled',
      });
    const gateway = this.payments();
    if (!gateway && order.status !== 'pending_payment') {
      throw OrderErrors.paymentsUnavailable(
        'The payment must be voided or refunded first, and no payment provider is installed',
      );
    }
    // The cancellation commits first (with the lock a new parcel takes, and its shipment check): a label
    // bought at the same moment either came first, and nothing is cancelled or refunded, or finds the order
    // cancelled. Then the money goes back: now, or by the reconciliation job if the gateway fails (ADR 0043).
    // A reason someone wrote is shown as it is; the default one is translated (ADR 0069).
    const cancelled = await this.orders.transition(
      orderId,
      'cancelled',
      actor,
      reason ?? (asCustomer ? 'cancelled by the customer' : 'cancelled by staff'),
      reason ? undefined : { key: asCustomer ? 'order.cancelled_by_customer' : 'order.cancelled_by_staff' },
    );
    if (!gateway) return cancelled;
    await gateway.giveBackCancelled(orderId);
    return this.orders.find(orderId);
  }

  /**
   * Refund an amount, or what given lines cost the customer (unit price × quantity, less their share of the
   * discount, plus their tax when prices exclude it), capped at what is left.
   */
  async refund(
    orderId: string,
    input: {
      amount?: number | undefined;
      lines?: { orderLineId: string; quantity: number }[] | undefined;
      reason?: string | undefined;
    },
    actor: Actor,
  ): Promise<OrderRow> {
    return (await this.refundWithAmount(orderId, input, actor)).order;
  }

  /** `refund`, answering the amount that went back as well (a received return request records it). */
  async refundWithAmount(
    orderId: string,
    input: {
      amount?: number | undefined;
      lines?: { orderLineId: string; quantity: number }[] | undefined;
      reason?: string | undefined;
    },
    actor: Actor,
  ): Promise<{ order: OrderRow; amount: number }> {
    await this.orders.find(orderId);
    let request: RefundRequest;
    if (input.amount !== undefined) {
      request = { amount: input.amount };
    } else {
      if (!input.lines?.length)
        throw CommonErrors.validation('Give an amount or lines to refund', {
          errors: [{ path: 'body/amount', message: 'amount or lines required' }],
        });
      const lines = await this.orders.lines(orderId);
      const seen = new Set<string>();
      for (const [index, wanted] of input.lines.entries()) {
        const line = lines.find((candidate) => candidate.id === wanted.orderLineId);
        const left = line ? line.quantity - line.refunded_quantity : 0;
        if (!line || seen.has(line.id) || wanted.quantity > left) {
          throw CommonErrors.validation('Unknown line, a line twice, or more units than are left to refund', {
            errors: [
              {
                path: `body/lines/${index}`,
                message: !line
                  ? 'is not a line of this order'
                  : seen.has(line.id)
                    ? 'appears twice'
                    : `only ${left} of ${line.quantity} left to refund`,
              },
            ],
          });
        }
        seen.add(line.id);
      }
      // Priced under the order's lock as the customer paid for those units (reserveRefund).
      request = { lines: input.lines };
    }
    if ('amount' in request && (!Number.isInteger(request.amount) || request.amount <= 0))
      throw CommonErrors.validation('Nothing to refund', {
        errors: [{ path: 'body/amount', message: 'must be a positive whole number' }],
      });
    const gateway = this.gateway();
    const refundLines = 'lines' in request ? request.lines : [];
    const {
      order: reserved,
      amount,
      refundId,
    } = await this.orders.reserveRefund(orderId, request, actor, input.reason);
    try {
      await gateway.refund(orderId, amount, input.reason, refundLines, refundId);
    } catch (err) {
      if (isRefundPending(err)) {
        // The gateway may have refunded: the reservation stays (a second refund cannot take the same money or
        // units), and the reconciliation job finishes it (confirmed, or given back if the gateway refused).
        await this.orders
          .refundUnconfirmed(refundId)
          .catch((noteErr: unknown) =>
            this.log.error({ err: noteErr, orderId, refundId }, 'could not note an unconfirmed refund'),
          );
        throw err;
      }
      // Refused or never sent. Kept if the payments context still holds the refund as pending (releaseRefund).
      await this.orders
        .releaseRefund(refundId)
        .catch((undoErr: unknown) =>
          this.log.error({ err: undoErr, orderId, refundId }, 'could not undo a refund reservation'),
        );
      throw err;
    }
    // Usually finished already, in the payments context's transaction that recorded the refund: then a no-op.
    await this.orders.refundSent(refundId);
    return { order: reserved, amount };
  }

  async capture(orderId: string, amount: number | undefined, actor: Actor): Promise<OrderRow> {
    const order = await this.orders.find(orderId);
    if (order.status === 'pending_payment' || order.status === 'cancelled')
      throw OrderErrors.illegalTransition(`An order that is ${order.status} cannot be captured`);
    await this.gateway().capture(orderId, amount);
    await this.em.transactional((tx) =>
      addOrderEvent(
        tx,
        orderId,
        {
          kind: 'payment',
          message: `Payment captured${amount ? ` (${formatMoney(amount, order.currency)})` : ''}`,
          text: amount
            ? { key: 'payment.captured_amount', params: { amount: moneyParam(amount, order.currency) } }
            : { key: 'payment.captured' },
        },
        actor,
      ),
    );
    return this.orders.find(orderId);
  }
}
