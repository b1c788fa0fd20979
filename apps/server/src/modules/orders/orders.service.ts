import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { formatMoney } from '../../platform/money.ts';
import { recordChange } from '../../platform/outbox.ts';
import { CommonErrors } from '../../platform/errors.ts';
import type { FieldCipher } from '../../platform/crypto.ts';
import { InventoryService } from '../inventory/inventory.service.ts';
import { releaseDiscountRedemption } from '../pricing/discount-codes.service.ts';
import { pgArray, query } from '../inventory/sql.ts';
import { lineRefund, type OrderFigures } from '../cart/totals.ts';
import { OrderErrors } from './orders.errors.ts';
import { refundedPerLine } from './line-refunds.ts';
import {
  ORDER_TRANSITIONS,
  REOPENED_BY_PARCEL_RETURN,
  SHIPPABLE_STATUSES,
  SHIPPED_STATUSES,
  canTransition,
  FULLY_SHIPPED_STATUSES,
  reachedSinceParcelReturnSql,
  STATUSES_SET_BY_OPERATIONS,
  type OrderStatus,
} from './order-states.ts';

export interface Actor {
  type: 'staff' | 'customer' | 'system';
  id: string | null;
}
export const SYSTEM: Actor = { type: 'system', id: null };

/** The order's address snapshot (sealed JSON). Orders placed before ADR 0047 have no company or region. */
export interface ShippingAddress {
  name: string;
  company?: string | undefined;
  line1: string;
  line2?: string | undefined;
  city: string;
  /** State, province or county; for US and CA the 2-letter code, upper case. */
  region?: string | undefined;
  postalCode: string;
  country: string;
  phone?: string | undefined;
}

export interface OrderRow {
  id: string;
  number: string;
  status: OrderStatus;
  customer_id: string | null;
  cart_id: string | null;
  email: string;
  currency: string;
  subtotal: number;
  discount_total: number;
  shipping_total: number;
  tax_total: number;
  total: number;
  refunded_total: number;
  /**
   * Of `refunded_total`, the money reserved by refunds by line (less what failed at the gateway gave back):
   * what the next refund by line is priced against (cart/totals.ts `lineRefund`, ADR 0044).
   */
  line_refunded_total: number;
  tax_rate_bps: number;
  prices_include_tax: boolean;
  discount_code: string | null;
  shipping_method_id: string | null;
  shipping_method_name: string | null;
  shipping_address: string;
  reserved_until: Date | null;
  paid_at: Date | null;
  cancelled_at: Date | null;
  cancel_reason: string | null;
  payment_id: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface OrderLineRow {
  id: string;
  position: number;
  variant_id: string;
  product_id: string | null;
  sku: string;
  title: string;
  product_title: string;
  quantity: number;
  unit_price: number;
  regular_price: number;
  line_total: number;
  weight_grams: number | null;
  returned_quantity: number;
  /** Units refunded by line (each unit once). */
  refunded_quantity: number;
  /** Of those, the units refunded before they shipped: no longer to ship, back in stock. */
  withdrawn_quantity: number;
}

/** An order line with the money refunds by line gave back for it (the order detail's). */
export type OrderDetailLine = OrderLineRow & { refunded_amount: number };

/** Units of a refund by line. */
export interface RefundLine {
  orderLineId: string;
  quantity: number;
}

/** A refund of an amount, or of units by line (priced in the refund's transaction: lineRefundAmount). */
export type RefundRequest = { amount: number } | { lines: RefundLine[] };

/** What a refund by line took out of fulfilment, per line (given back to stock once the gateway refunded). */
export interface WithdrawnLine {
  orderLineId: string;
  variantId: string;
  quantity: number;
}

export interface OrderEventRow {
  id: string;
  created_at: Date;
  kind: 'status' | 'note' | 'payment' | 'refund' | 'return';
  from_status: string | null;
  to_status: string | null;
  message: string | null;
  /** The text as a stable key and its parameters (ADR 0069); null on free text (notes, reasons) and older rows. */
  message_key: string | null;
  message_params: Record<string, unknown> | null;
  actor_type: Actor['type'];
  actor_id: string | null;
}

/**
 * An event's text for the back office to translate (ADR 0069): a stable key (`refund.made`) and its parameters.
 * Money is `{ amount, currency }` (minor units); `note` is free text written by someone (staff's reason, a gateway's
 * answer), shown as it is after the translated text. `message` keeps the English text beside it.
 */
export interface EventText {
  key: string;
  params?: Record<string, unknown>;
}

/** Money as an event's parameter (ADR 0069). */
export const moneyParam = (amount: number, currency: string) => ({ amount, currency });

const ORDER_COLUMNS = `id, number, status, customer_id, cart_id, email, currency, subtotal, discount_total, shipping_total, tax_total, total,
  refunded_total, line_refunded_total, tax_rate_bps, prices_include_tax, discount_code, shipping_method_id, shipping_method_name, shipping_address,
  reserved_until, paid_at, cancelled_at, cancel_reason, payment_id, created_at, updated_at`;
const LINE_COLUMNS = `id, position, variant_id, product_id, sku, title, product_title, quantity, unit_price, regular_price, line_total, weight_grams, returned_quantity, refunded_quantity, withdrawn_quantity`;

export async function addOrderEvent(
  em: EntityManager,
  orderId: string,
  event: {
    kind: OrderEventRow['kind'];
    from?: string | null;
    to?: string | null;
    message?: string | null;
    text?: EventText | undefined;
  },
  actor: Actor,
): Promise<void> {
  await query(
    em,
    `INSERT INTO order_event (order_id, kind, from_status, to_status, message, message_key, message_params, actor_type, actor_id)
     VALUES (?::uuid, ?, ?, ?, ?, ?, ?::jsonb, ?, ?::uuid)`,
    [
      orderId,
      event.kind,
      event.from ?? null,
      event.to ?? null,
      event.message?.slice(0, 2000) ?? null,
      event.text?.key ?? null,
      event.text ? JSON.stringify(eventParams(event.text.params)) : null,
      actor.type,
      actor.id,
    ],
  );
}

/** An event's parameters as stored: a `note` (free text) is cut as `message` is. */
function eventParams(params: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!params) return {};
  const kept = Object.fromEntries(Object.entries(params).filter(([, value]) => value !== undefined));
  if (typeof kept.note === 'string') kept.note = kept.note.slice(0, 1000);
  return kept;
}

/**
 * Payment received (called by the payments context, in its transaction, for a webhook or a synchronous
 * approval). Exactly once: a conditional UPDATE from pending_payment; the reservations become sales in the
 * same transaction. A second call answers 'already'. A cancelled (e.g. expired) order stays cancelled and
 * answers 'cancelled': its stock is gone, so the payments context gives the money back (void or refund).
 */
export async function markPaid(
  em: EntityManager,
  orderId: string,
  /** Null for an order with nothing to pay (a total of 0), paid as it is placed. */
  paymentId: string | null,
): Promise<'transitioned' | 'already' | 'cancelled'> {
  const work = async (tx: EntityManager): Promise<'transitioned' | 'already' | 'cancelled'> => {
    // The transition and its timeline event in one statement.
    const rows = await query<{ number: string }>(
      tx,
      `WITH paid AS (
         UPDATE orders SET status = 'paid', paid_at = now(), payment_id = ?::uuid, reserved_until = NULL, updated_at = now(), version = version + 1
          WHERE id = ?::uuid AND status = 'pending_payment' RETURNING id, number
       ), e AS (
         INSERT INTO order_event (order_id, kind, from_status, to_status, message, message_key, message_params, actor_type, actor_id)
         SELECT id, 'status', 'pending_payment', 'paid', ?, ?, '{}'::jsonb, ?, ?::uuid FROM paid
       )
       SELECT number FROM paid`,
      [
        paymentId,
        orderId,
        paymentId ? 'Payment received' : 'Nothing to pay',
        paymentId ? 'payment.received' : 'payment.nothing_to_pay',
        SYSTEM.type,
        SYSTEM.id,
      ],
    );
    if (!rows[0]) {
      const [current] = await query<{ status: OrderStatus }>(
        tx,
        `SELECT status FROM orders WHERE id = ?::uuid`,
        [orderId],
      );
      if (!current) throw OrderErrors.notFound();
      if (current.status === 'cancelled') return 'cancelled';
      return 'already';
    }
    await new InventoryService(tx).commitReservations(orderId);
    recordChange(tx, {
      resource: 'orders',
      ids: [orderId],
      type: 'updated',
      payload: { event: 'paid', number: rows[0].number },
    });
    return 'transitioned';
  };
  // In the payment's transaction (the usual caller) no savepoint is needed: an error rolls all of it back
  // anyway, and the events are written by the same flush as the payment's.
  return em.isInTransaction() ? work(em) : em.transactional(work);
}

/**
 * The payment failed (declined, authentication failed): the unpaid order is cancelled, its stock released
 * and its cart reopened so the shopper can try another card. Idempotent; a paid order is left alone.
 */
export async function markPaymentFailed(em: EntityManager, orderId: string, reason: string): Promise<void> {
  await cancelUnpaid(em, orderId, `payment_failed: ${reason}`.slice(0, 200), SYSTEM, {
    key: 'order.payment_failed',
    params: { note: reason.slice(0, 185) },
  });
}

/** Whether the order is cancelled (a payment that succeeds for it must be given back). */
export async function isCancelled(em: EntityManager, orderId: string): Promise<boolean> {
  const [row] = await query<{ status: OrderStatus }>(em, `SELECT status FROM orders WHERE id = ?::uuid`, [
    orderId,
  ]);
  return row?.status === 'cancelled';
}

/** The order's number (the payments context's events name the order by it), or null when there is none. */
export async function orderNumber(em: EntityManager, orderId: string): Promise<string | null> {
  const [row] = await query<{ number: string }>(em, `SELECT number FROM orders WHERE id = ?::uuid`, [
    orderId,
  ]);
  return row?.number ?? null;
}

/** A payment fact for the order's timeline (staff read it there), written in the caller's transaction. */
export async function addPaymentEvent(
  em: EntityManager,
  orderId: string,
  message: string,
  text?: EventText,
): Promise<void> {
  await addOrderEvent(em, orderId, { kind: 'payment', message, text }, SYSTEM);
}

/** What the payments context calls back (modules/payments/orders-port.ts), in its own transactions. */
/**
 * Money the payments context gave back by itself (a cancelled order's): counted on the order, up to its total. A
 * payment that arrived after its order was cancelled unpaid (expired, or failed and then paid on the same gateway
 * payment) was never a sale: the shopper was told the order was cancelled or that no money was taken, so the
 * customer's `refund` event (their "we have refunded" e-mail) says the money they see taken went back. A paid
 * order's cancellation already told them (its `cancelled` e-mail says a charge is refunded).
 */
export async function addAutomaticRefund(em: EntityManager, orderId: string, amount: number): Promise<void> {
  const [order] = await query<{ number: string; currency: string; paid_at: Date | null }>(
    em,
    `UPDATE orders SET refunded_total = LEAST(total, refunded_total + ?::int), updated_at = now(), version = version + 1
      WHERE id = ?::uuid RETURNING number, currency, paid_at`,
    [amount, orderId],
  );
  if (order && order.paid_at === null)
    recordChange(em, {
      resource: 'orders',
      ids: [orderId],
      type: 'updated',
      payload: { event: 'refund', number: order.number, amount, currency: order.currency },
    });
}

/**
 * Money the gateway gave back by itself, outside MCart (a refund made in its dashboard): counted on the order and
 * written into its timeline; the order moves to (partially_)refunded as a staff refund of that amount would (refunded
 * once everything captured went back), unless it is cancelled or its status allows no such move (it keeps it).
 */
export async function addGatewayRefund(
  em: EntityManager,
  orderId: string,
  amount: number,
  message: string,
  text?: EventText,
): Promise<void> {
  const [order] = await query<OrderRow>(
    em,
    `SELECT ${ORDER_COLUMNS} FROM orders WHERE id = ?::uuid FOR UPDATE`,
    [orderId],
  );
  if (!order) return;
  const refunded = Math.min(order.total, order.refunded_total + amount);
  const to = refundedStatus(refunded, await refundableTotal(em, order));
  const status = order.status !== 'cancelled' && canTransition(order.status, to) ? to : order.status;
  await query(
    em,
    `UPDATE orders SET refunded_total = ?::int, status = ?, updated_at = now(), version = version + 1 WHERE id = ?::uuid`,
    [refunded, status, orderId],
  );
  await addOrderEvent(em, orderId, { kind: 'refund', from: order.status, to: status, message, text }, SYSTEM);
}

/** An orders-context refund reservation (`order_refund`), made by `reserveRefund`. */
interface OrderRefundRow {
  id: string;
  order_id: string;
  amount: number;
  by_line: boolean;
  from_status: OrderStatus;
  to_status: OrderStatus;
  lines: RefundLine[];
  withdrawn: WithdrawnLine[];
  unconfirmed_at: Date | null;
  actor_type: Actor['type'];
  actor_id: string | null;
}
const ORDER_REFUND_COLUMNS = `id, order_id, amount, by_line, from_status, to_status, lines, withdrawn, unconfirmed_at, actor_type, actor_id`;

/**
 * The gateway refunded the reservation `refundId` (staff's request, or the reconciliation job once the answer had
 * been lost), in the caller's transaction: the units it withdrew go back on the shelf, and the customer's `refund`
 * event (their e-mail) is recorded, once. A reservation whose answer had been lost says so in the timeline. A
 * refund the orders context did not reserve (automatic, at the gateway, from before) finds nothing: false.
 */
export async function confirmRefundReservation(em: EntityManager, refundId: string): Promise<boolean> {
  const [refund] = await query<OrderRefundRow>(
    em,
    `UPDATE order_refund SET status = 'refunded', updated_at = now() WHERE id = ?::uuid AND status = 'pending'
     RETURNING ${ORDER_REFUND_COLUMNS}`,
    [refundId],
  );
  if (!refund) return false;
  const [order] = await query<{ number: string; currency: string }>(
    em,
    `SELECT number, currency FROM orders WHERE id = ?::uuid`,
    [refund.order_id],
  );
  // Refunded before they shipped: back on the shelf, now that the money went back.
  if (refund.withdrawn.length)
    await new InventoryService(em).restock(
      refund.order_id,
      refund.withdrawn.map((line) => ({ variantId: line.variantId, quantity: line.quantity })),
      'refunded before shipping',
      refund.actor_type === 'staff' ? refund.actor_id : null,
    );
  if (refund.unconfirmed_at)
    await addOrderEvent(
      em,
      refund.order_id,
      {
        kind: 'refund',
        message: `Refund of ${formatMoney(refund.amount, order!.currency)} confirmed by the payment gateway`,
        text: {
          key: 'refund.confirmed_late',
          params: { amount: moneyParam(refund.amount, order!.currency) },
        },
      },
      SYSTEM,
    );
  recordChange(em, {
    resource: 'orders',
    ids: [refund.order_id],
    type: 'updated',
    payload: { event: 'refund', number: order!.number, amount: refund.amount, currency: order!.currency },
  });
  await finishReturnRefund(em, refund, order!);
  return true;
}

/**
 * A received return request's refund (ADR 0051) is made with the reason `return <request number>`: once the
 * gateway confirms it, the request records it (amount, time), once. Usually the return flow records it itself
 * right after the gateway's answer; when that answer was lost (MCART_ERR_REFUND_PENDING), the reconciliation job
 * (or the gateway's event) confirms it later, here. The payments context's refund row carries the reason under
 * the reservation's id.
 */
async function finishReturnRefund(
  em: EntityManager,
  refund: OrderRefundRow,
  order: { number: string; currency: string },
): Promise<void> {
  const [request] = await query<{ id: string; number: string }>(
    em,
    `UPDATE return_request r SET refund_amount = ?::int, refunded_at = now(), updated_at = now(), version = r.version + 1
       FROM payment_refund p
      WHERE p.id = ?::uuid AND r.order_id = ?::uuid AND p.reason = 'return ' || r.number
        AND r.status = 'received' AND r.refunded_at IS NULL
      RETURNING r.id, r.number`,
    [refund.amount, refund.id, refund.order_id],
  );
  if (!request) return;
  if (refund.unconfirmed_at)
    await addOrderEvent(
      em,
      refund.order_id,
      {
        kind: 'return',
        message: `Return ${request.number} refunded: ${formatMoney(refund.amount, order.currency)}, confirmed by the payment gateway`,
        text: {
          key: 'return.refund_confirmed_late',
          params: { number: request.number, amount: moneyParam(refund.amount, order.currency) },
        },
      },
      SYSTEM,
    );
  // As the return flow announces it (ReturnRequestsService.announce): the live screens and the order's timeline.
  recordChange(em, {
    resource: 'return-requests',
    ids: [request.id],
    type: 'updated',
    payload: { event: 'return_refunded', number: request.number, orderId: refund.order_id },
  });
  recordChange(em, {
    resource: 'orders',
    ids: [refund.order_id],
    type: 'updated',
    payload: {
      event: 'return_refunded',
      number: order.number,
      returnRequestId: request.id,
      returnNumber: request.number,
    },
  });
}

/**
 * Gives back the reservation `refundId`, whose refund the gateway did not make (refused it, or it was never sent),
 * in the caller's transaction, once: its amount (and its share of the money refunded by line), its units as
 * refunded by line and withdrawn. The status goes back only if the order is still where the reservation put it: a
 * change made meanwhile (a cancellation, another refund) stands, so a cancelled and restocked order never comes
 * back as paid. Kept while the payments context holds the refund as pending (its outcome is not known yet: the
 * reconciliation job finishes both) or as refunded. `reason`: the gateway's, for the timeline.
 */
export async function releaseRefundReservation(
  em: EntityManager,
  refundId: string,
  reason?: string,
): Promise<boolean> {
  const [refund] = await query<OrderRefundRow>(
    em,
    `UPDATE order_refund r SET status = 'released', updated_at = now()
      WHERE r.id = ?::uuid AND r.status = 'pending'
        AND NOT EXISTS (SELECT 1 FROM payment_refund p WHERE p.id = r.id AND p.status IN ('pending', 'succeeded'))
     RETURNING ${ORDER_REFUND_COLUMNS}`,
    [refundId],
  );
  if (!refund) return false;
  const orderId = refund.order_id;
  for (const line of refund.lines) {
    const withdrawn = refund.withdrawn.find((w) => w.orderLineId === line.orderLineId)?.quantity ?? 0;
    await query(
      em,
      `UPDATE order_line SET refunded_quantity = refunded_quantity - ?::int, withdrawn_quantity = withdrawn_quantity - ?::int
        WHERE id = ?::uuid AND order_id = ?::uuid`,
      [line.quantity, withdrawn, line.orderLineId, orderId],
    );
  }
  // A reservation by line gives its amount back to the money refunded by line too (what later refunds by line are
  // priced against, whatever was priced on top of it meanwhile). The status follows what stays refunded, as a
  // reversal's does: other refunds may have gone through, or been reserved, meanwhile (reserved before this one
  // or after it, refused in any order), so an order left `refunded` with money still held, or `partially_refunded`
  // with nothing refunded, would be wrong (and `refunded` is final: the rest could no longer be refunded).
  const amount = refund.amount;
  const [order] = await query<OrderRow>(
    em,
    `SELECT ${ORDER_COLUMNS} FROM orders WHERE id = ?::uuid FOR UPDATE`,
    [orderId],
  );
  const refunded = Math.max(0, (order?.refunded_total ?? 0) - amount);
  const status = order ? await statusWhenRefunded(em, order, refunded, refund.from_status) : undefined;
  const [released] = await query<{ number: string; currency: string }>(
    em,
    `UPDATE orders SET refunded_total = ?::int, line_refunded_total = GREATEST(0, line_refunded_total - ?::int),
       status = COALESCE(?, status), updated_at = now(), version = version + 1
     WHERE id = ?::uuid RETURNING number, currency`,
    [refunded, refund.by_line ? amount : 0, status ?? null, orderId],
  );
  // Units it withdrew go back to stock now if the order was cancelled meanwhile: the cancellation restocked what
  // the order still held, which left them out (they were to be restocked once the money went back).
  if (order?.status === 'cancelled' && refund.withdrawn.length)
    await new InventoryService(em).restock(
      orderId,
      refund.withdrawn.map((line) => ({ variantId: line.variantId, quantity: line.quantity })),
      'order cancelled',
      refund.actor_type === 'staff' ? refund.actor_id : null,
    );
  await addOrderEvent(
    em,
    orderId,
    {
      kind: 'refund',
      message: `Refund of ${released ? formatMoney(amount, released.currency) : amount} failed at the gateway and was undone${reason ? ` (${reason})` : ''}`,
      ...(released
        ? {
            text: {
              key: 'refund.refused',
              params: { amount: moneyParam(amount, released.currency), note: reason },
            },
          }
        : {}),
    },
    { type: refund.actor_type, id: refund.actor_id },
  );
  recordChange(em, {
    resource: 'orders',
    ids: [orderId],
    type: 'updated',
    payload: { event: 'refund_failed', number: released?.number },
  });
  return true;
}

/**
 * Where an order goes once only `refunded` stays given back (a refund refused or reversed after it was counted):
 * in a refunded status, by the `refundedStatus` rule, or back to where it was before any refund once nothing is
 * (`fallback` when its timeline does not say). Any other status (cancelled, returned, shipped...) stays.
 */
async function statusWhenRefunded(
  em: EntityManager,
  order: OrderRow,
  refunded: number,
  fallback: OrderStatus,
): Promise<OrderStatus> {
  if (order.status !== 'refunded' && order.status !== 'partially_refunded') return order.status;
  if (refunded > 0) return refundedStatus(refunded, await refundableTotal(em, order));
  return (await statusBeforeRefunds(em, order.id)) ?? fallback;
}

/**
 * The status an order had before money went back (the last move into a refunded status, as its timeline tells),
 * or null when its timeline has none.
 */
async function statusBeforeRefunds(em: EntityManager, orderId: string): Promise<OrderStatus | null> {
  const [row] = await query<{ from_status: OrderStatus }>(
    em,
    `SELECT from_status FROM order_event
      WHERE order_id = ?::uuid AND to_status IN ('refunded', 'partially_refunded')
        AND from_status IS NOT NULL AND from_status NOT IN ('refunded', 'partially_refunded')
      ORDER BY id DESC LIMIT 1`,
    [orderId],
  );
  return row?.from_status ?? null;
}

/**
 * Money counted as given back that did not go back after all (a refund the gateway reported failed after it went
 * through; a lost dispute won on appeal), in the payments context's transaction: the order's refunded total goes
 * down by it (and the money refunded by line, for a refund by line), the units of a refund by line can be refunded
 * by line again (units it withdrew stay withdrawn: they were restocked, nothing ships them), and an order in a
 * refunded status moves by the `refundedStatus` rule, or back to where it was before any refund once nothing is
 * refunded. A cancelled, returned or shipped order keeps its status. Written into the timeline with `message`.
 */
export async function reverseRefund(
  em: EntityManager,
  orderId: string,
  refund: { refundId: string; amount: number; lines: RefundLine[]; message: string; text?: EventText },
): Promise<void> {
  const [order] = await query<OrderRow>(
    em,
    `SELECT ${ORDER_COLUMNS} FROM orders WHERE id = ?::uuid FOR UPDATE`,
    [orderId],
  );
  if (!order) return;
  for (const line of refund.lines)
    await query(
      em,
      `UPDATE order_line SET refunded_quantity = GREATEST(0, refunded_quantity - ?::int) WHERE id = ?::uuid AND order_id = ?::uuid`,
      [line.quantity, line.orderLineId, orderId],
    );
  const refunded = Math.max(0, order.refunded_total - refund.amount);
  const byLine = refund.lines.length > 0;
  const status = await statusWhenRefunded(em, order, refunded, order.status);
  await query(
    em,
    `UPDATE orders SET refunded_total = ?::int, line_refunded_total = GREATEST(0, line_refunded_total - ?::int), status = ?,
       updated_at = now(), version = version + 1
     WHERE id = ?::uuid`,
    [refunded, byLine ? refund.amount : 0, status, orderId],
  );
  await addOrderEvent(
    em,
    orderId,
    { kind: 'refund', from: order.status, to: status, message: refund.message, text: refund.text },
    SYSTEM,
  );
  await query(
    em,
    `UPDATE order_refund SET status = 'reversed', updated_at = now() WHERE id = ?::uuid AND status = 'refunded'`,
    [refund.refundId],
  );
}

export const orderPaymentsPort = {
  markPaid,
  markPaymentFailed,
  isCancelled,
  orderNumber,
  addPaymentEvent,
  addAutomaticRefund,
  addGatewayRefund,
  async refundConfirmed(em: EntityManager, _orderId: string, refundId: string): Promise<void> {
    await confirmRefundReservation(em, refundId);
  },
  async refundRefused(em: EntityManager, _orderId: string, refundId: string, reason?: string): Promise<void> {
    await releaseRefundReservation(em, refundId, reason);
  },
  refundReversed: reverseRefund,
};

/**
 * What an order that was never paid gives back when it is cancelled: its reserved stock, the use of its
 * discount code, and its cart, reopened so the shopper can try again.
 */
async function giveBackUnpaid(tx: EntityManager, orderId: string): Promise<void> {
  await new InventoryService(tx).releaseReservations(orderId);
  await releaseDiscountRedemption(tx, orderId);
  await query(
    tx,
    `UPDATE cart SET status = 'open', order_id = NULL, updated_at = now() WHERE order_id = ?::uuid AND status = 'completed'`,
    [orderId],
  );
}

/**
 * Shipments of the order that still stand (a label bought, goods handed over): while there are any, the order
 * cannot be cancelled; its labels are voided first, and goods that left come back as a return. Read from the
 * shipping context's table: shipping depends on orders, not the other way round. Nor can an order be
 * cancelled once it was shipped (its timeline shows it), with or without shipment rows: its status may have
 * moved on since (partially_refunded says nothing about the goods), and cancelling would restock goods that
 * are with the customer.
 */
export async function refuseWithLiveShipments(em: EntityManager, orderId: string): Promise<void> {
  const [row] = await query<{ shipments: number }>(
    em,
    `SELECT count(*)::int AS shipments FROM shipment WHERE order_id = ?::uuid AND status <> ALL(?::text[])`,
    [orderId, pgArray(GONE_SHIPMENT_STATUSES)],
  );
  if (row?.shipments) {
    throw OrderErrors.illegalTransition(
      `The order has ${row.shipments} shipment(s): void their labels first; goods that left come back as a return`,
      { shipments: row.shipments },
    );
  }
  const reached = await reachedSinceParcelReturn(em, orderId, SHIPPED_STATUSES);
  if (reached) {
    throw OrderErrors.illegalTransition(
      `The order was ${reached}: goods that left come back as a return, money as a refund`,
      { from: reached, to: 'cancelled' },
    );
  }
}

/**
 * Shipment statuses whose units are not out (the shipping context's): a voided label never left, a parcel
 * returned to sender is back in the warehouse, its units to ship again (ADR 0047).
 */
const GONE_SHIPMENT_STATUSES = ['voided', 'returned_to_sender'] as const;

/**
 * Which of `statuses` the order was last moved to, as its timeline tells, unless a parcel came back to the
 * warehouse since (returned to sender: an event of kind `return` carrying statuses, which staff returns never
 * carry). Then its parcels tell what is out, until the order is marked shipped again.
 */
async function reachedSinceParcelReturn(
  em: EntityManager,
  orderId: string,
  statuses: readonly OrderStatus[],
): Promise<OrderStatus | null> {
  const [row] = await query<{ reached: OrderStatus | null }>(
    em,
    `SELECT ${reachedSinceParcelReturnSql('?::uuid', statuses)} AS reached`,
    [orderId],
  );
  return row?.reached ?? null;
}

/** A partly refunded order's moves that depend on where its goods are (`refusedWhereGoodsAre`). */
const WHERE_GOODS_ARE_MOVES: readonly OrderStatus[] = ['processing', 'delivered'];

/**
 * Why a partly refunded order may not make this move, given the fully shipped status its timeline last reached
 * (`shipped`, null when none: ADR 0047, unless a parcel came back since), or null when it may. Some money went
 * back: an order that was shipped does not go back into the warehouse's queue (marked shipped by hand, it has no
 * parcels to tell shipping that nothing is left), and one that never was is not delivered.
 */
function refusedWhereGoodsAre(shipped: OrderStatus | null, to: OrderStatus): string | null {
  if (to === 'processing' && shipped)
    return `The order was ${shipped}: it does not go back to processing; goods that come back are a return`;
  if (to === 'delivered' && !shipped) return 'The order was not shipped: it cannot be delivered';
  return null;
}

/** Where money given back leaves an order: refunded once all it could give back (`refundableTotal`) went back. */
const refundedStatus = (refunded: number, refundable: number): OrderStatus =>
  refunded >= refundable ? 'refunded' : 'partially_refunded';

/**
 * The most an order can give back: what its payment captured, read from the payments context's table (as
 * shipments are read from shipping's: payments depends on orders). A manual capture of less than the total
 * never charged the rest, so an order is refunded once everything captured went back. The total while the
 * paying payment is not captured (a refund is then refused by the payments context), or with no payment row.
 */
async function refundableTotal(em: EntityManager, order: OrderRow): Promise<number> {
  if (!order.payment_id) return order.total;
  const [row] = await query<{ captured: number }>(
    em,
    `SELECT captured_amount::int AS captured FROM payment WHERE id = ?::uuid AND status = 'captured'`,
    [order.payment_id],
  );
  return row ? Math.min(order.total, row.captured) : order.total;
}

/**
 * Units that left per order line, the most a return can bring back: those in shipments that are out (not
 * voided, not returned to sender: the shipping context's tables), or every unit once the order was marked
 * shipped or delivered (staff may ship outside the shipping module and move the order by hand) and no parcel
 * came back since.
 */
async function shippedUnits(em: EntityManager, orderId: string): Promise<Map<string, number> | 'all'> {
  if (await reachedSinceParcelReturn(em, orderId, FULLY_SHIPPED_STATUSES)) return 'all';
  const rows = await query<{ order_line_id: string; quantity: number }>(
    em,
    `SELECT l.order_line_id, sum(l.quantity)::int AS quantity FROM shipment_line l JOIN shipment s ON s.id = l.shipment_id
      WHERE s.order_id = ?::uuid AND s.status <> ALL(?::text[]) GROUP BY l.order_line_id`,
    [orderId, pgArray(GONE_SHIPMENT_STATUSES)],
  );
  return new Map(rows.map((row) => [row.order_line_id, row.quantity]));
}

/**
 * The lock a change to an order's fulfilment holds until its transaction ends: a new shipment
 * (ShippingService.create), a cancellation, a refund by line. Whichever commits first is seen by the others.
 */
export async function lockFulfilment(em: EntityManager, orderId: string): Promise<void> {
  await query(em, `SELECT pg_advisory_xact_lock(hashtext('shipment:' || ?))`, [orderId]);
}

/**
 * Records a refund by line in the refund's transaction: each unit is refunded once (conditional UPDATE), and
 * units not yet shipped are withdrawn from fulfilment. Holds the lock a new shipment takes, so a parcel
 * labelled at the same moment is either counted here or no longer offered those units.
 *
 * Afterwards a line's refunded units are out or withdrawn as far as its units in the warehouse allow: a unit
 * refunded while its parcel was out (a goodwill refund) and back since (returned to sender) is withdrawn by
 * the next refund of the line, so a line refunded in full never leaves a unit to ship (ADR 0047).
 */
async function refundLines(
  em: EntityManager,
  orderId: string,
  lines: RefundLine[],
): Promise<WithdrawnLine[]> {
  await lockFulfilment(em, orderId);
  // A cancelled order gave all it held back to stock when it was cancelled (under this lock): refunding its units
  // (money the cancellation's give-back has not returned yet) withdraws nothing, or they would be restocked twice.
  const [order] = await query<{ status: OrderStatus }>(em, `SELECT status FROM orders WHERE id = ?::uuid`, [
    orderId,
  ]);
  const shipped = order?.status === 'cancelled' ? 'all' : await shippedUnits(em, orderId);
  const withdrawn: WithdrawnLine[] = [];
  for (const [index, line] of lines.entries()) {
    const shippedOfLine = shipped === 'all' ? Number.MAX_SAFE_INTEGER : (shipped.get(line.orderLineId) ?? 0);
    const [row] = await query<{ variant_id: string; withdrawn: number }>(
      em,
      `WITH l AS (SELECT * FROM order_line WHERE id = ?::uuid AND order_id = ?::uuid FOR UPDATE),
            w AS (SELECT GREATEST(0, LEAST(l.refunded_quantity + ?::int, l.quantity - LEAST(?::bigint, l.quantity)) - l.withdrawn_quantity)::int AS n FROM l)
       UPDATE order_line o SET refunded_quantity = o.refunded_quantity + ?::int, withdrawn_quantity = o.withdrawn_quantity + w.n
         FROM l, w WHERE o.id = l.id AND l.refunded_quantity + ?::int <= l.quantity
       RETURNING o.variant_id, w.n AS withdrawn`,
      [line.orderLineId, orderId, line.quantity, shippedOfLine, line.quantity, line.quantity],
    );
    if (!row)
      throw OrderErrors.refundTooLarge('A unit is refunded by line once', {
        errors: [
          {
            path: `body/lines/${index}/quantity`,
            message: 'more units than are left to refund on this line',
          },
        ],
      });
    if (row.withdrawn > 0)
      withdrawn.push({ orderLineId: line.orderLineId, variantId: row.variant_id, quantity: row.withdrawn });
  }
  return withdrawn;
}

/**
 * What a refund by line gives back, in the refund's transaction once its lines are counted as refunded and the
 * order is locked (`order` read under the lock): what the goods refunded by line, this refund's included, were
 * charged less the money refunded by line so far (`orders.line_refunded_total`; cart/totals.ts `lineRefund`),
 * so every unit refunded by line adds up to what the goods were charged, discount share off and tax share on,
 * whatever the order and size of the refunds, and whichever of them failed at the gateway meanwhile.
 */
async function lineRefundAmount(em: EntityManager, order: OrderRow): Promise<number> {
  const [row] = await query<{ refunded: string }>(
    em,
    `SELECT COALESCE(sum(unit_price::bigint * refunded_quantity), 0) AS refunded FROM order_line WHERE order_id = ?::uuid`,
    [order.id],
  );
  return lineRefund(orderFigures(order), Number(row!.refunded), order.line_refunded_total);
}

/** The order's figures its goods are priced by (cart/totals.ts). */
export const orderFigures = (order: OrderRow): OrderFigures => ({
  subtotal: order.subtotal,
  discountTotal: order.discount_total,
  shippingTotal: order.shipping_total,
  taxTotal: order.tax_total,
  pricesIncludeTax: order.prices_include_tax,
});

/** Cancels a pending_payment order (payment failed, reservation expired): releases stock, reopens the cart. */
export async function cancelUnpaid(
  em: EntityManager,
  orderId: string,
  reason: string,
  actor: Actor,
  text?: EventText,
): Promise<boolean> {
  return em.transactional(async (tx) => {
    const rows = await query<{ number: string }>(
      tx,
      `UPDATE orders SET status = 'cancelled', cancelled_at = now(), cancel_reason = ?, reserved_until = NULL, updated_at = now(), version = version + 1
        WHERE id = ?::uuid AND status = 'pending_payment' RETURNING number`,
      [reason, orderId],
    );
    if (!rows[0]) return false;
    await giveBackUnpaid(tx, orderId);
    await addOrderEvent(
      tx,
      orderId,
      { kind: 'status', from: 'pending_payment', to: 'cancelled', message: reason, text },
      actor,
    );
    recordChange(tx, {
      resource: 'orders',
      ids: [orderId],
      type: 'updated',
      payload: { event: 'cancelled', number: rows[0].number, reason },
    });
    return true;
  });
}

export interface FulfilmentOrder {
  id: string;
  number: string;
  status: OrderStatus;
  email: string;
  shippingAddress: ShippingAddress;
  currency: string;
  /** What was charged, in minor units (the order confirmation e-mail shows it). */
  totals: { subtotal: number; discount: number; shipping: number; tax: number; total: number };
  pricesIncludeTax: boolean;
  lines: {
    id: string;
    variantId: string;
    sku: string;
    title: string;
    quantity: number;
    unitPrice: number;
    weightGrams: number | null;
    /** Units that came back (shipping never sends them again). */
    returnedQuantity: number;
  }[];
}

export interface OrderListFilters {
  id?: string[] | undefined;
  status?: OrderStatus | undefined;
  customerId?: string | undefined;
  email?: string | undefined;
  number?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  minTotal?: number | undefined;
  maxTotal?: number | undefined;
}

export interface OrderListPage {
  page: number;
  perPage: number;
  sort?: string | undefined;
  order?: 'ASC' | 'DESC' | undefined;
}

/** The WHERE clause (alias `o`) and its parameters of an order list's filters. */
function orderListWhere(filters: OrderListFilters): { clause: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    where.push(clause);
    params.push(value);
  };
  if (filters.id) add('o.id = ANY(?::uuid[])', pgArray(filters.id));
  if (filters.status) add('o.status = ?', filters.status);
  if (filters.customerId) add('o.customer_id = ?::uuid', filters.customerId);
  if (filters.email) add('lower(o.email) = lower(?)', filters.email.trim());
  if (filters.number) add('o.number = upper(?)', filters.number.trim());
  if (filters.from) add('o.created_at >= ?::timestamptz', filters.from);
  if (filters.to) add('o.created_at < ?::timestamptz', filters.to);
  if (filters.minTotal !== undefined) add('o.total >= ?::int', filters.minTotal);
  if (filters.maxTotal !== undefined) add('o.total <= ?::int', filters.maxTotal);
  return { clause: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

/** Orders: reads, the state machine, notes, returns. Money moves (capture/refund/void) are orchestrated by OrderOperations. */
export class OrdersService {
  constructor(
    private readonly em: EntityManager,
    private readonly cipher: FieldCipher,
  ) {}

  async find(orderId: string): Promise<OrderRow> {
    const rows = await query<OrderRow>(this.em, `SELECT ${ORDER_COLUMNS} FROM orders WHERE id = ?::uuid`, [
      orderId,
    ]);
    if (!rows[0]) throw OrderErrors.notFound();
    return rows[0];
  }

  /** A customer's own order; anyone else's is "not found". */
  async findForCustomer(orderId: string, customerId: string): Promise<OrderRow> {
    const order = await this.find(orderId);
    if (order.customer_id !== customerId) throw OrderErrors.notFound();
    return order;
  }

  async lines(orderId: string): Promise<OrderLineRow[]> {
    return query<OrderLineRow>(
      this.em,
      `SELECT ${LINE_COLUMNS} FROM order_line WHERE order_id = ?::uuid ORDER BY position`,
      [orderId],
    );
  }

  /** Several orders at once (an outbox consumer's batch, ADR 0040's profile); missing ones are left out. */
  async findMany(orderIds: readonly string[]): Promise<OrderRow[]> {
    if (!orderIds.length) return [];
    return query<OrderRow>(this.em, `SELECT ${ORDER_COLUMNS} FROM orders WHERE id = ANY(?::uuid[])`, [
      pgArray([...orderIds]),
    ]);
  }

  /** The lines of several orders at once, by order, each order's in position order (as `lines`). */
  async linesOfMany(orderIds: readonly string[]): Promise<Map<string, OrderLineRow[]>> {
    const byOrder = new Map<string, OrderLineRow[]>(orderIds.map((id) => [id, []]));
    if (!orderIds.length) return byOrder;
    const rows = await query<OrderLineRow & { of_order: string }>(
      this.em,
      `SELECT ${LINE_COLUMNS}, order_id AS of_order FROM order_line WHERE order_id = ANY(?::uuid[]) ORDER BY order_id, position`,
      [pgArray([...orderIds])],
    );
    for (const { of_order, ...line } of rows) byOrder.get(of_order)?.push(line);
    return byOrder;
  }

  /**
   * The order's lines as its detail shows them: each with the money refunds by line gave back for it
   * (`refundedPerLine`: each refund's amount split over its lines by what their units cost).
   */
  async detailLines(order: OrderRow): Promise<OrderDetailLine[]> {
    const lines = await this.lines(order.id);
    const refunds = await query<{ amount: number; lines: RefundLine[] }>(
      this.em,
      `SELECT amount, lines FROM order_refund
        WHERE order_id = ?::uuid AND by_line AND status IN ('pending', 'refunded') ORDER BY created_at, id`,
      [order.id],
    );
    const refunded = refundedPerLine(
      lines.map((line) => ({
        id: line.id,
        unitPrice: line.unit_price,
        refundedQuantity: line.refunded_quantity,
      })),
      refunds,
      order.line_refunded_total,
    );
    return lines.map((line) => ({ ...line, refunded_amount: refunded.get(line.id) ?? 0 }));
  }

  async timeline(orderId: string): Promise<OrderEventRow[]> {
    return query<OrderEventRow>(
      this.em,
      `SELECT id::text, created_at, kind, from_status, to_status, message, message_key, message_params, actor_type, actor_id
         FROM order_event WHERE order_id = ?::uuid ORDER BY order_event.id`,
      [orderId],
    );
  }

  address(order: OrderRow): ShippingAddress {
    return this.cipher.decryptJson<ShippingAddress>(order.shipping_address);
  }

  /** For shipping: what to pack and where to send it. */
  async getOrderForFulfilment(orderId: string): Promise<FulfilmentOrder> {
    const order = await this.find(orderId);
    return this.fulfilment(order, await this.lines(orderId));
  }

  /** `getOrderForFulfilment` for several orders in two statements (an outbox consumer's batch); missing ones are left out. */
  async getOrdersForFulfilment(orderIds: readonly string[]): Promise<FulfilmentOrder[]> {
    const orders = await this.findMany(orderIds);
    const lines = await this.linesOfMany(orders.map((order) => order.id));
    return orders.map((order) => this.fulfilment(order, lines.get(order.id) ?? []));
  }

  private fulfilment(order: OrderRow, lines: OrderLineRow[]): FulfilmentOrder {
    return {
      id: order.id,
      number: order.number,
      status: order.status,
      email: order.email,
      shippingAddress: this.address(order),
      currency: order.currency,
      totals: {
        subtotal: Number(order.subtotal),
        discount: Number(order.discount_total),
        shipping: Number(order.shipping_total),
        tax: Number(order.tax_total),
        total: Number(order.total),
      },
      pricesIncludeTax: order.prices_include_tax,
      lines: lines.map((line) => ({
        id: line.id,
        variantId: line.variant_id,
        sku: line.sku,
        title:
          line.product_title && line.title && line.title !== line.product_title
            ? `${line.product_title} – ${line.title}`
            : line.product_title || line.title,
        // Units refunded before they shipped are not shipped (ADR 0044).
        quantity: line.quantity - line.withdrawn_quantity,
        unitPrice: line.unit_price,
        weightGrams: line.weight_grams,
        returnedQuantity: line.returned_quantity,
      })),
    };
  }

  /**
   * Staff's moves from the order's status (ORDER_TRANSITIONS, the order's `allowedTransitions`), less those
   * `transition` refuses for where a partly refunded order's goods are: what the back office offers is taken.
   */
  async allowedTransitions(order: OrderRow): Promise<OrderStatus[]> {
    const moves = ORDER_TRANSITIONS[order.status];
    if (order.status !== 'partially_refunded') return [...moves];
    const shipped = await reachedSinceParcelReturn(this.em, order.id, FULLY_SHIPPED_STATUSES);
    return moves.filter((to) => !WHERE_GOODS_ARE_MOVES.includes(to) || !refusedWhereGoodsAre(shipped, to));
  }

  /**
   * Moves an order along the state machine (ORDER_TRANSITIONS). 'paid' only comes from the payment
   * (markPaid), the refunded statuses from a refund, 'returned' from a return (STATUSES_SET_BY_OPERATIONS). Cancelling an unpaid order releases its reservations; cancelling a paid one restocks what
   * was sold. The caller voids or refunds money (outside any transaction) — see OrderOperations.
   */
  async transition(
    orderId: string,
    to: OrderStatus,
    actor: Actor,
    message?: string,
    /** The message as a key (ADR 0069); none for a message someone wrote (a reason), shown as it is. */
    text?: EventText,
  ): Promise<OrderRow> {
    const setByOperation = STATUSES_SET_BY_OPERATIONS[to];
    if (setByOperation) throw OrderErrors.illegalTransition(setByOperation, { to });
    return this.em.transactional(async (tx) => {
      const svc = new OrdersService(tx, this.cipher);
      const order = await svc.find(orderId);
      if (!canTransition(order.status, to))
        throw OrderErrors.illegalTransition(`${order.status} → ${to} is not allowed`, {
          from: order.status,
          to,
        });
      if (order.status === 'partially_refunded' && WHERE_GOODS_ARE_MOVES.includes(to)) {
        const refused = refusedWhereGoodsAre(
          await reachedSinceParcelReturn(tx, orderId, FULLY_SHIPPED_STATUSES),
          to,
        );
        if (refused) throw OrderErrors.illegalTransition(refused, { from: order.status, to });
      }
      if (to === 'cancelled') {
        // A label bought at the same moment either committed first, and is seen here, or finds the order
        // cancelled once this commits.
        await lockFulfilment(tx, orderId);
        await refuseWithLiveShipments(tx, orderId);
      }
      // Marked shipped or delivered by hand: a label bought at the same moment either committed first, or finds in
      // the timeline that the goods left (shipping's shippedInFullSql) and is refused.
      if ((FULLY_SHIPPED_STATUSES as readonly OrderStatus[]).includes(to)) await lockFulfilment(tx, orderId);
      const rows = await query<OrderRow>(
        tx,
        `UPDATE orders SET status = ?, updated_at = now(), version = version + 1,
           cancelled_at = CASE WHEN ? = 'cancelled' THEN now() ELSE cancelled_at END,
           cancel_reason = CASE WHEN ? = 'cancelled' THEN ? ELSE cancel_reason END,
           reserved_until = CASE WHEN ? = 'cancelled' THEN NULL ELSE reserved_until END
         WHERE id = ?::uuid AND status = ? RETURNING ${ORDER_COLUMNS}`,
        [to, to, to, message?.slice(0, 200) ?? null, to, orderId, order.status],
      );
      // Someone else changed the order between our read and our write: their change stands.
      if (!rows[0]) throw CommonErrors.staleWrite('The order changed meanwhile; reload it');
      if (to === 'cancelled') {
        if (order.status === 'pending_payment') await giveBackUnpaid(tx, orderId);
        else {
          await releaseDiscountRedemption(tx, orderId);
          const lines = await svc.lines(orderId);
          // Units returned or withdrawn by a refund are back in stock already.
          const inHand = (line: OrderLineRow) =>
            line.quantity - line.returned_quantity - line.withdrawn_quantity;
          const back = lines.filter((line) => inHand(line) > 0);
          if (back.length) {
            await new InventoryService(tx).restock(
              orderId,
              back.map((line) => ({ variantId: line.variant_id, quantity: inHand(line) })),
              'order cancelled',
              actor.type === 'staff' ? actor.id : null,
            );
          }
        }
      }
      await addOrderEvent(
        tx,
        orderId,
        { kind: 'status', from: order.status, to, message: message ?? null, text },
        actor,
      );
      recordChange(tx, {
        resource: 'orders',
        ids: [orderId],
        type: 'updated',
        payload: { event: to, number: order.number },
      });
      return rows[0];
    });
  }

  async addNote(orderId: string, body: string, actor: Actor): Promise<void> {
    await this.em.transactional(async (tx) => {
      await new OrdersService(tx, this.cipher).find(orderId);
      await addOrderEvent(tx, orderId, { kind: 'note', message: body }, actor);
      recordChange(tx, { resource: 'orders', ids: [orderId], type: 'updated', payload: { event: 'note' } });
    });
  }

  /**
   * Goods come back: per line a quantity and whether it goes back on the shelf (restock) or not (damaged).
   * Returned quantities can never exceed what was ordered (conditional update + CHECK), nor what was shipped
   * (`shippedUnits`): goods that never left are not restocked a second time, nor shipped after their return.
   */
  async recordReturn(
    orderId: string,
    input: {
      lines: { orderLineId: string; quantity: number; restock: boolean }[];
      reason?: string | undefined;
    },
    actor: Actor,
  ): Promise<OrderRow> {
    return this.em.transactional(async (tx) => {
      const svc = new OrdersService(tx, this.cipher);
      const order = await svc.find(orderId);
      if (!canTransition(order.status, 'returned'))
        throw OrderErrors.illegalTransition(`${order.status} → returned is not allowed`);
      const orderLines = new Map((await svc.lines(orderId)).map((line) => [line.id, line]));
      const unknown = input.lines.flatMap((line, index) =>
        orderLines.has(line.orderLineId)
          ? []
          : [{ path: `body/lines/${index}/orderLineId`, message: 'is not a line of this order' }],
      );
      if (unknown.length)
        throw CommonErrors.validation(`${unknown.length} line(s) are not lines of this order`, {
          errors: unknown,
        });
      const shipped = await shippedUnits(tx, orderId);
      const restock: { variantId: string; quantity: number }[] = [];
      for (const [index, line] of input.lines.entries()) {
        const ordered = orderLines.get(line.orderLineId)!.quantity;
        const left = shipped === 'all' ? ordered : Math.min(ordered, shipped.get(line.orderLineId) ?? 0);
        // Conditional on the row as it is now (a line named twice, a concurrent return).
        const rows = await query<{ variant_id: string }>(
          tx,
          `UPDATE order_line SET returned_quantity = returned_quantity + ?::int
            WHERE id = ?::uuid AND order_id = ?::uuid AND returned_quantity + ?::int <= ?::int RETURNING variant_id`,
          [line.quantity, line.orderLineId, orderId, line.quantity, left],
        );
        if (!rows[0]) {
          throw OrderErrors.returnTooLarge(undefined, {
            errors: [
              {
                path: `body/lines/${index}/quantity`,
                message:
                  left < ordered
                    ? `exceeds what is left to return on this line (${left} of ${ordered} shipped)`
                    : 'exceeds what is left to return on this line',
              },
            ],
          });
        }
        if (line.restock) restock.push({ variantId: rows[0].variant_id, quantity: line.quantity });
      }
      if (restock.length)
        await new InventoryService(tx).restock(
          orderId,
          restock,
          input.reason?.trim() || 'customer return',
          actor.id,
        );
      // All restocked, none, or how many (some lines, or part of a line, kept out as damaged).
      const returned = input.lines.reduce((n, l) => n + l.quantity, 0);
      const restocked = restock.reduce((n, l) => n + l.quantity, 0);
      const message = `${returned} item(s) returned${restocked === 0 ? '' : restocked === returned ? ', restocked' : `, ${restocked} restocked`}${input.reason ? `: ${input.reason}` : ''}`;
      await addOrderEvent(
        tx,
        orderId,
        {
          kind: 'return',
          message,
          text: {
            key:
              restocked === 0
                ? 'return.recorded'
                : restocked === returned
                  ? 'return.recorded_restocked'
                  : 'return.recorded_partly_restocked',
            params: { items: returned, restocked, note: input.reason || undefined },
          },
        },
        actor,
      );
      const updated = await query<OrderRow>(
        tx,
        `UPDATE orders SET status = 'returned', updated_at = now(), version = version + 1 WHERE id = ?::uuid AND status = ? RETURNING ${ORDER_COLUMNS}`,
        [orderId, order.status],
      );
      if (!updated[0]) throw CommonErrors.staleWrite('The order changed meanwhile; reload it');
      if (order.status !== 'returned')
        await addOrderEvent(tx, orderId, { kind: 'status', from: order.status, to: 'returned' }, actor);
      recordChange(tx, {
        resource: 'orders',
        ids: [orderId],
        type: 'updated',
        payload: { event: 'returned', number: order.number },
      });
      return updated[0];
    });
  }

  /**
   * A parcel came back to the warehouse undelivered (the carrier returned it to sender), in the caller's
   * transaction (the tracking update's). Its units are out no more: shipping offers them again (the shipping
   * context stops counting a returned parcel), returns and refunds by line no longer count them as shipped,
   * and an order that counted as fully shipped goes back to processing (REOPENED_BY_PARCEL_RETURN). The
   * timeline says so, in one `return` event carrying the statuses (which also tells `shippedUnits` that a
   * parcel came back). Nothing is restocked: the goods are the order's, to be sent again (ADR 0047); a
   * cancellation or a refund by line gives them back to stock if the customer no longer wants them.
   * Holds the fulfilment lock, as a new shipment does.
   */
  async parcelReturnedToSender(
    orderId: string,
    parcel: { trackingNumber: string; units: number },
    actor: Actor = SYSTEM,
  ): Promise<OrderRow> {
    return this.em.transactional(async (tx) => {
      await lockFulfilment(tx, orderId);
      const order = await new OrdersService(tx, this.cipher).find(orderId);
      const to = REOPENED_BY_PARCEL_RETURN[order.status] ?? order.status;
      const [updated] = await query<OrderRow>(
        tx,
        `UPDATE orders SET status = ?, updated_at = now(), version = version + 1
          WHERE id = ?::uuid AND status = ? RETURNING ${ORDER_COLUMNS}`,
        [to, orderId, order.status],
      );
      if (!updated) throw CommonErrors.staleWrite('The order changed meanwhile; reload it');
      const shipsAgain = SHIPPABLE_STATUSES.includes(to);
      const message =
        `Parcel ${parcel.trackingNumber} returned to sender: ${parcel.units} item(s) back in the warehouse` +
        (shipsAgain ? ', to ship again' : ` (the order is ${to}: not shipped again, nothing restocked)`);
      const text: EventText = {
        key: shipsAgain ? 'parcel.returned_to_sender' : 'parcel.returned_to_sender_kept',
        params: { trackingNumber: parcel.trackingNumber, items: parcel.units, status: to },
      };
      await addOrderEvent(tx, orderId, { kind: 'return', from: order.status, to, message, text }, actor);
      recordChange(tx, {
        resource: 'orders',
        ids: [orderId],
        type: 'updated',
        payload: { event: 'returned_to_sender', number: order.number, trackingNumber: parcel.trackingNumber },
      });
      return updated;
    });
  }

  /**
   * Reserves a refund amount on the order (never more than its payment captured: `refundableTotal`) before the
   * gateway is called; `releaseRefund` gives it back if the gateway fails. Moves the status to
   * (partially_)refunded: refunded once all that was captured went back.
   * Answers the order as reserved and the status it was reserved from.
   *
   * Decided on the order's row, locked until commit: concurrent refunds, cancellations and status changes of
   * the order take turns, so each refund sees what the others reserved and the status they left. Refunds
   * that fit all go through; only one that does not fit what is left is refused as too large. The row is
   * locked after the lines (as a cancellation or a return does: the fulfilment lock and the lines first).
   * A refund by line is priced under that lock (`lineRefundAmount`) and capped to what is left; the answer
   * says what was reserved (added to `line_refunded_total` too when by line, taken back out by `releaseRefund`).
   */
  async reserveRefund(
    orderId: string,
    request: RefundRequest,
    actor: Actor,
    reason: string | undefined,
  ): Promise<{
    order: OrderRow;
    from: OrderStatus;
    withdrawn: WithdrawnLine[];
    amount: number;
    /** The refund's id: the payments context's refund takes it, so either side can finish the other's (ADR 0021). */
    refundId: string;
  }> {
    return this.em.transactional(async (tx) => {
      const withdrawn = 'lines' in request ? await refundLines(tx, orderId, request.lines) : [];
      const [order] = await query<OrderRow>(
        tx,
        `SELECT ${ORDER_COLUMNS} FROM orders WHERE id = ?::uuid FOR UPDATE`,
        [orderId],
      );
      if (!order) throw OrderErrors.notFound();
      // Everything captured refunded is a refunded order, even when less than the total was captured.
      const refundable = await refundableTotal(tx, order);
      let amount: number;
      if ('amount' in request) amount = request.amount;
      else {
        const paid = await lineRefundAmount(tx, order);
        if (paid <= 0)
          throw OrderErrors.nothingToRefund(
            'A discount made those units free: there is nothing to give back',
            {
              errors: [{ path: 'body/lines', message: 'the units were free (discount)' }],
            },
          );
        amount = Math.min(paid, refundable - order.refunded_total);
        if (amount <= 0) throw OrderErrors.refundTooLarge('Nothing is left to refund on this order');
      }
      const to = refundedStatus(order.refunded_total + amount, refundable);
      // What is left first: a refunded order's answer is that nothing is (not that refunded → refunded is no move).
      if (order.refunded_total + amount > refundable)
        throw OrderErrors.refundTooLarge(
          `At most ${formatMoney(Math.max(0, refundable - order.refunded_total), order.currency)} can still be refunded`,
        );
      // A refund after a cancellation (money already captured) keeps the order cancelled.
      const keepStatus = order.status === 'cancelled';
      if (!keepStatus && !canTransition(order.status, to))
        throw OrderErrors.illegalTransition(`An order that is ${order.status} cannot be refunded`, {
          from: order.status,
          to,
        });
      // Still conditional, so the total is never exceeded (the row is locked: it matches). A refund by line
      // adds its amount to the money refunded by line as well, which the next one is priced against.
      const rows = await query<OrderRow>(
        tx,
        `UPDATE orders SET refunded_total = refunded_total + ?::int, line_refunded_total = line_refunded_total + ?::int,
           status = ?, updated_at = now(), version = version + 1
          WHERE id = ?::uuid AND status = ? AND refunded_total + ?::int <= total RETURNING ${ORDER_COLUMNS}`,
        [
          amount,
          'lines' in request ? amount : 0,
          keepStatus ? order.status : to,
          orderId,
          order.status,
          amount,
        ],
      );
      if (!rows[0]) throw CommonErrors.staleWrite('The order changed meanwhile; reload it');
      await addOrderEvent(
        tx,
        orderId,
        {
          kind: 'refund',
          from: order.status,
          to: keepStatus ? order.status : to,
          message: `Refund ${formatMoney(amount, order.currency)}${reason ? `: ${reason}` : ''}`,
          text: {
            key: 'refund.made',
            params: { amount: moneyParam(amount, order.currency), note: reason || undefined },
          },
        },
        actor,
      );
      // What the reservation changed, kept until the gateway's answer finishes it (refundSent, releaseRefund), here
      // or, once an answer was lost, by the payments context's reconciliation (through orderPaymentsPort).
      const refundId = randomUUID();
      await query(
        tx,
        `INSERT INTO order_refund (id, order_id, amount, by_line, from_status, to_status, lines, withdrawn, status, actor_type, actor_id)
         VALUES (?::uuid, ?::uuid, ?::int, ?, ?, ?, ?::jsonb, ?::jsonb, 'pending', ?, ?::uuid)`,
        [
          refundId,
          orderId,
          amount,
          'lines' in request,
          order.status,
          rows[0].status,
          JSON.stringify('lines' in request ? request.lines : []),
          JSON.stringify(withdrawn),
          actor.type,
          actor.id,
        ],
      );
      // Not `refund` yet: that one tells the customer the money went back (refundSent), and the gateway may still fail.
      recordChange(tx, {
        resource: 'orders',
        ids: [orderId],
        type: 'updated',
        payload: { event: 'refund_pending', number: order.number },
      });
      return { order: rows[0], from: order.status, withdrawn, amount, refundId };
    });
  }

  /**
   * The gateway refunded the reservation `refundId`: finished now (`confirmRefundReservation`), unless the payments
   * context already did in the transaction that recorded the gateway's answer. Idempotent.
   */
  async refundSent(refundId: string): Promise<void> {
    await this.em.transactional((tx) => confirmRefundReservation(tx, refundId));
  }

  /**
   * Gives back the reservation `refundId` after its refund failed before the gateway took it (refused, or never
   * sent): `releaseRefundReservation`. A reservation whose refund the payments context still holds as pending, or
   * recorded as refunded, is kept: its outcome finishes it. Idempotent.
   */
  async releaseRefund(refundId: string): Promise<void> {
    await this.em.transactional((tx) => releaseRefundReservation(tx, refundId));
  }

  /**
   * The gateway's answer to the refund `refundId` was lost (a timeout, a connection lost, a server error): whether
   * the money went back is not known. The reservation stays (nothing can be refunded twice meanwhile); the timeline
   * and staff say so. The reconciliation job learns the outcome and finishes it either way.
   */
  async refundUnconfirmed(refundId: string): Promise<void> {
    await this.em.transactional(async (tx) => {
      const [refund] = await query<{
        order_id: string;
        amount: number;
        actor_type: Actor['type'];
        actor_id: string | null;
      }>(
        tx,
        `UPDATE order_refund SET unconfirmed_at = now(), updated_at = now()
          WHERE id = ?::uuid AND status = 'pending' AND unconfirmed_at IS NULL
          RETURNING order_id, amount, actor_type, actor_id`,
        [refundId],
      );
      if (!refund) return;
      const [order] = await query<{ number: string; currency: string }>(
        tx,
        `SELECT number, currency FROM orders WHERE id = ?::uuid`,
        [refund.order_id],
      );
      const amount = formatMoney(refund.amount, order!.currency);
      await addOrderEvent(
        tx,
        refund.order_id,
        {
          kind: 'refund',
          message: `Refund of ${amount} not confirmed: the payment gateway did not answer. It stays pending and is confirmed automatically; do not refund it again`,
          text: { key: 'refund.unconfirmed', params: { amount: moneyParam(refund.amount, order!.currency) } },
        },
        { type: refund.actor_type, id: refund.actor_id },
      );
      recordChange(tx, {
        resource: 'orders',
        ids: [refund.order_id],
        type: 'updated',
        payload: {
          event: 'refund_unconfirmed',
          number: order!.number,
          amount: refund.amount,
          currency: order!.currency,
          refundId,
        },
      });
    });
  }

  async list(
    filters: OrderListFilters,
    list: OrderListPage,
  ): Promise<{ data: (OrderRow & { item_count: number })[]; total: number }> {
    const data = await this.listPage(filters, list);
    const { clause, params } = orderListWhere(filters);
    const [count] = await query<{ n: string }>(
      this.em,
      `SELECT count(*) AS n FROM orders o ${clause}`,
      params,
    );
    return { data, total: Number(count?.n ?? 0) };
  }

  /** One page of `list` without its total, for readers that page through and show no count (the to-pack queue). */
  async listPage(
    filters: OrderListFilters,
    list: OrderListPage,
  ): Promise<(OrderRow & { item_count: number })[]> {
    const { clause, params } = orderListWhere(filters);
    const sorts: Record<string, string> = {
      createdAt: 'o.created_at',
      total: 'o.total',
      number: 'o.number',
      status: 'o.status',
      updatedAt: 'o.updated_at',
    };
    const sort = sorts[list.sort ?? ''] ?? 'o.created_at';
    return query<OrderRow & { item_count: number }>(
      this.em,
      `SELECT ${ORDER_COLUMNS.replace(/(^|,\s*)(\w+)/g, '$1o.$2')},
              (SELECT COALESCE(sum(quantity), 0)::int FROM order_line l WHERE l.order_id = o.id) AS item_count
         FROM orders o ${clause} ORDER BY ${sort} ${list.order === 'ASC' ? 'ASC' : 'DESC'}, o.id LIMIT ?::int OFFSET ?::int`,
      [...params, list.perPage, (list.page - 1) * list.perPage],
    );
  }

  /** Orders per status (tabs of the admin list). */
  async counts(): Promise<Record<OrderStatus | 'all', number>> {
    const rows = await query<{ status: OrderStatus; n: string }>(
      this.em,
      `SELECT status, count(*) AS n FROM orders GROUP BY status`,
    );
    const counts = Object.fromEntries(Object.keys(ORDER_TRANSITIONS).map((status) => [status, 0])) as Record<
      OrderStatus | 'all',
      number
    >;
    counts.all = 0;
    for (const row of rows) {
      counts[row.status] = Number(row.n);
      counts.all += Number(row.n);
    }
    return counts;
  }

  /** Unpaid orders whose reservation ran out: cancelled as expired, stock released (the expiry job). */
  async expireUnpaid(limit = 200): Promise<string[]> {
    const due = await query<{ id: string }>(
      this.em,
      `SELECT id FROM orders WHERE status = 'pending_payment' AND reserved_until < now() ORDER BY reserved_until LIMIT ?::int`,
      [limit],
    );
    const expired: string[] = [];
    for (const { id } of due) {
      if (await cancelUnpaid(this.em, id, 'expired: not paid in time', SYSTEM, { key: 'order.expired' }))
        expired.push(id);
    }
    return expired;
  }

  async existing(orderIds: string[]): Promise<string[]> {
    if (!orderIds.length) return [];
    const rows = await query<{ id: string }>(this.em, `SELECT id FROM orders WHERE id = ANY(?::uuid[])`, [
      pgArray(orderIds),
    ]);
    return rows.map((row) => row.id);
  }
}
