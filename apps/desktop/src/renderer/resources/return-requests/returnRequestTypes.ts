import {
  planLineRefund,
  unitsLeftToRefund,
  type Money,
  type OrderLine,
  type OrderRecord,
} from '../orders/orderTypes.ts';

/**
 * In the order of the work: what waits for staff first (the list's default sort, `sort=status`), then what is
 * finished; `withdrawn` (by the customer, before the goods arrived) last.
 */
export const RETURN_REQUEST_STATUSES = [
  'requested',
  'approved',
  'rejected',
  'received',
  'withdrawn',
] as const;
export type ReturnRequestStatus = (typeof RETURN_REQUEST_STATUSES)[number];

export const RETURN_REASONS = [
  'damaged',
  'wrong_item',
  'not_as_described',
  'no_longer_needed',
  'other',
] as const;

/** A return request as `GET /api/admin/return-requests[/{id}]` answers it. */
export interface ReturnRequestRecord {
  id: string;
  number: string;
  orderId: string;
  orderNumber: string;
  status: ReturnRequestStatus;
  reason: string;
  comment: string | null;
  note: string | null;
  rejectionReason: string | null;
  lines: { orderLineId: string; sku: string; title: string; quantity: number; unitPrice: Money }[];
  allowedTransitions: ReturnRequestStatus[];
  createdAt: string;
  updatedAt: string;
  approvedAt: string | null;
  rejectedAt: string | null;
  receivedAt: string | null;
  withdrawnAt: string | null;
  restocked: boolean | null;
  refund: { amount: Money; at: string } | null;
  /**
   * Its refund was sent but the payment gateway has not confirmed it (MCART_ERR_REFUND_PENDING): it completes by
   * itself. Absent from servers before it.
   */
  refundPending?: boolean;
}

/** Whether the request's refund waits for the payment gateway's confirmation (not to be refunded again). */
export const refundIsPending = (request: Pick<ReturnRequestRecord, 'refund' | 'refundPending'>) =>
  request.refund === null && request.refundPending === true;

/** Units asked back, all lines together. */
export const unitsOf = (request: Pick<ReturnRequestRecord, 'lines'>) =>
  request.lines.reduce((sum, line) => sum + line.quantity, 0);

/**
 * What receiving the request with "Refund these lines" gives back, as the server refunds it at receipt: the
 * request's units not refunded by line yet (a goodwill refund may have paid some back), priced by the order's
 * refund by line (`planLineRefund`, as the order's refund dialog shows it), capped at what is left to refund.
 */
export function refundAtReceipt(
  request: Pick<ReturnRequestRecord, 'lines'>,
  order: Pick<OrderRecord, 'totals' | 'refunded' | 'pricesIncludeTax' | 'lineRefunded' | 'payments'> & {
    lines: Pick<OrderLine, 'id' | 'quantity' | 'refundedQuantity' | 'unitPrice'>[];
  },
): number {
  const quantities: Record<string, string> = {};
  for (const line of order.lines) {
    const asked = request.lines
      .filter((requested) => requested.orderLineId === line.id)
      .reduce((sum, requested) => sum + requested.quantity, 0);
    const units = Math.min(asked, unitsLeftToRefund(line));
    if (units > 0) quantities[line.id] = String(units);
  }
  return planLineRefund(order, quantities).amount;
}
