/**
 * The order state machine, as a table: from each status, the statuses it may move to. Every status change
 * goes through `OrdersService.transition`/`markPaid`, which check this table and apply the change with a
 * conditional UPDATE (`WHERE status = <from>`), so two concurrent changes can never both win.
 */
export const ORDER_STATUSES = [
  'pending_payment',
  'paid',
  'processing',
  'shipped',
  'delivered',
  'cancelled',
  'refunded',
  'partially_refunded',
  'returned',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const ORDER_TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  pending_payment: ['paid', 'cancelled'],
  paid: ['processing', 'shipped', 'cancelled', 'refunded', 'partially_refunded'],
  processing: ['shipped', 'cancelled', 'refunded', 'partially_refunded'],
  shipped: ['delivered', 'returned', 'refunded', 'partially_refunded'],
  delivered: ['returned', 'refunded', 'partially_refunded'],
  // Some money went back; the goods may or may not have left. So the transitions that depend on where the
  // goods are check the order's shipments and timeline (refuseWithLiveShipments, recordReturn).
  partially_refunded: [
    'processing',
    'shipped',
    'delivered',
    'returned',
    'partially_refunded',
    'refunded',
    'cancelled',
  ],
  returned: ['returned', 'partially_refunded', 'refunded'],
  cancelled: [],
  refunded: [],
};

export const canTransition = (from: OrderStatus, to: OrderStatus) => ORDER_TRANSITIONS[from].includes(to);

/**
 * A parcel returned to sender is back in the warehouse, its units to ship again (ADR 0047): an order that
 * counted as fully shipped goes back to `processing`. Made only by `OrdersService.parcelReturnedToSender`
 * (the carrier's tracking says so), never by hand: these moves are not in ORDER_TRANSITIONS, so staff cannot
 * move an order marked shipped by hand (which has no parcel to come back) back into the to-ship queue.
 * Other statuses stay as they are (processing and partially_refunded orders can ship already; cancelled,
 * refunded and returned ones do not ship again).
 */
export const REOPENED_BY_PARCEL_RETURN: Partial<Record<OrderStatus, OrderStatus>> = {
  shipped: 'processing',
  delivered: 'processing',
};

/**
 * Statuses that record money or goods moving, reached only through the operation that moves them, never by a
 * plain status change: marked so, the order would claim a payment, refund or return that never happened (and
 * `refunded` is final, so the real refund could no longer follow).
 */
export const STATUSES_SET_BY_OPERATIONS: Partial<Record<OrderStatus, string>> = {
  paid: 'An order becomes paid when its payment succeeds',
  refunded: 'An order becomes refunded by a refund (POST /api/admin/orders/{id}/refund)',
  partially_refunded: 'An order becomes partially refunded by a refund (POST /api/admin/orders/{id}/refund)',
  returned:
    'An order becomes returned by recording the goods that came back (POST /api/admin/orders/{id}/returns)',
};

/**
 * A shopper may cancel until the warehouse starts on the order: `processing` means a label was bought or
 * parcels left (possibly part of the order), which staff settle with a return or a refund.
 */
export const CUSTOMER_CANCELLABLE: readonly OrderStatus[] = ['pending_payment', 'paid'];
/**
 * Whether the shopper's cancel route accepts an order in this status (the store's `canCancel`); staff's moves
 * are `ORDER_TRANSITIONS` (`allowedTransitions`).
 */
export const customerMayCancel = (status: OrderStatus): boolean => CUSTOMER_CANCELLABLE.includes(status);
/** Statuses in which the warehouse ships (shipping's SHIPPABLE_ORDER_STATUSES): paid, not yet fully shipped. */
export const SHIPPABLE_STATUSES: readonly OrderStatus[] = ['paid', 'processing', 'partially_refunded'];
/** Statuses in which goods left the warehouse (cancelling would need a return instead). */
export const SHIPPED_STATUSES: readonly OrderStatus[] = ['shipped', 'delivered', 'returned'];
/** Statuses in which every unit had left: an order marked shipped by hand has no shipment rows to count. */
export const FULLY_SHIPPED_STATUSES: readonly OrderStatus[] = ['shipped', 'delivered'];

/**
 * SQL: which of `statuses` the order (`orderId`, an SQL expression of its id) was last moved to, as its timeline
 * tells, unless a parcel came back to the warehouse since (returned to sender: an event of kind `return` carrying
 * statuses, which staff returns never carry), else NULL. The statuses are written as a literal list: with
 * FULLY_SHIPPED_STATUSES the condition is order_event_shipped_index's predicate word for word.
 */
export function reachedSinceParcelReturnSql(orderId: string, statuses: readonly OrderStatus[]): string {
  const list = statuses.map((status) => `'${status}'`).join(', ');
  return `(SELECT CASE WHEN e.kind <> 'return' THEN e.to_status END FROM order_event e
     WHERE e.order_id = ${orderId}
       AND ((e.kind <> 'return' AND e.to_status IN (${list})) OR (e.kind = 'return' AND e.to_status IS NOT NULL))
     ORDER BY e.id DESC LIMIT 1)`;
}
