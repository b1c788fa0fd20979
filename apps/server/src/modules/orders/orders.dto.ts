import { money } from '../cart/cart.schemas.ts';
import { customerMayCancel, ORDER_TRANSITIONS, type OrderStatus } from './order-states.ts';
import type { OrderShipment } from './orders.schemas.ts';
import type { OrderDetailLine, OrderEventRow, OrderRow, ShippingAddress } from './orders.service.ts';

export const toOrderSummary = (order: OrderRow & { item_count?: number }) => ({
  id: order.id,
  number: order.number,
  status: order.status,
  email: order.email,
  customerId: order.customer_id,
  total: money(order.total, order.currency),
  refunded: money(order.refunded_total, order.currency),
  itemCount: Number(order.item_count ?? 0),
  createdAt: order.created_at,
  updatedAt: order.updated_at,
  paidAt: order.paid_at,
});

/** The shopper's list entry: the summary, and whether their cancel route would take the order. */
export const toStoreOrderSummary = (order: OrderRow & { item_count?: number }) => ({
  ...toOrderSummary(order),
  canCancel: customerMayCancel(order.status),
});

/**
 * The shopper's own order (store routes): the order, whether their cancel route would take it (`canCancel`:
 * `allowedTransitions` lists staff's moves), and its parcels.
 */
export const toStoreOrderDto = (
  order: OrderRow,
  lines: OrderDetailLine[],
  address: ShippingAddress,
  shipments: OrderShipment[],
) => ({
  ...toOrderDto(order, lines, address),
  canCancel: customerMayCancel(order.status),
  shipments,
});

export function toOrderDto(
  order: OrderRow,
  lines: OrderDetailLine[],
  address: ShippingAddress,
  extra: {
    timeline?: OrderEventRow[];
    payments?: unknown[];
    /** Staff's moves as `OrdersService.allowedTransitions` narrows them (else the status's, ORDER_TRANSITIONS). */
    allowedTransitions?: OrderStatus[];
  } = {},
) {
  const c = order.currency;
  return {
    id: order.id,
    number: order.number,
    status: order.status,
    email: order.email,
    customerId: order.customer_id,
    currency: c,
    totals: {
      subtotal: money(order.subtotal, c),
      discount: money(order.discount_total, c),
      shipping: money(order.shipping_total, c),
      tax: money(order.tax_total, c),
      total: money(order.total, c),
    },
    refunded: money(order.refunded_total, c),
    lineRefunded: money(order.line_refunded_total, c),
    taxRateBps: order.tax_rate_bps,
    pricesIncludeTax: order.prices_include_tax,
    discountCode: order.discount_code,
    shippingMethod: order.shipping_method_name
      ? { id: order.shipping_method_id, name: order.shipping_method_name }
      : null,
    shippingAddress: address,
    lines: lines.map((line) => ({
      id: line.id,
      variantId: line.variant_id,
      productId: line.product_id,
      sku: line.sku,
      title: line.title,
      productTitle: line.product_title,
      quantity: line.quantity,
      returnedQuantity: line.returned_quantity,
      refundedQuantity: line.refunded_quantity,
      withdrawnQuantity: line.withdrawn_quantity,
      refundedAmount: money(line.refunded_amount, c),
      unitPrice: money(line.unit_price, c),
      regularPrice: money(line.regular_price, c),
      total: money(line.line_total, c),
      weightGrams: line.weight_grams,
    })),
    allowedTransitions: extra.allowedTransitions ?? [...ORDER_TRANSITIONS[order.status]],
    reservedUntil: order.reserved_until,
    paidAt: order.paid_at,
    cancelledAt: order.cancelled_at,
    cancelReason: order.cancel_reason,
    createdAt: order.created_at,
    updatedAt: order.updated_at,
    ...(extra.timeline
      ? {
          timeline: extra.timeline.map((event) => ({
            id: event.id,
            at: event.created_at,
            kind: event.kind,
            fromStatus: event.from_status,
            toStatus: event.to_status,
            message: event.message,
            ...(event.message_key
              ? { messageKey: event.message_key, messageParams: event.message_params ?? {} }
              : {}),
            actorType: event.actor_type,
            actorId: event.actor_id,
          })),
        }
      : {}),
    ...(extra.payments ? { payments: extra.payments as Record<string, unknown>[] } : {}),
  };
}
