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
  lines: {
    orderLineId: string;
    sku: string;
    title: string;
    quantity: number;
    unitPrice: Money;
    /** Units put back in stock at receipt; null until received (absent from servers before it). */
    restockedQuantity?: number | null;
  }[];
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

/**
 * The receive dialog's choice of what goes back to stock, per line (units, as typed), as the receive route takes
 * it: `restock: true` when every unit goes back, `restock: false` when none does (both as before per-line
 * restock), else `lines` with each line's units. Null while a line's number is not a whole number 0..its quantity.
 */
export function restockChoice(
  request: Pick<ReturnRequestRecord, 'lines'>,
  units: Record<string, string>,
): { restock: boolean } | { lines: { orderLineId: string; restockQuantity: number }[] } | null {
  const lines: { orderLineId: string; restockQuantity: number }[] = [];
  for (const line of request.lines) {
    const typed = (units[line.orderLineId] ?? String(line.quantity)).trim();
    if (!/^\d+$/.test(typed)) return null;
    const restockQuantity = Number(typed);
    if (restockQuantity > line.quantity) return null;
    lines.push({ orderLineId: line.orderLineId, restockQuantity });
  }
  if (lines.every((line, i) => line.restockQuantity === request.lines[i]!.quantity)) return { restock: true };
  if (lines.every((line) => line.restockQuantity === 0)) return { restock: false };
  return { lines };
}

/** Whether only part of a received request's units went back to stock (per line, ADR 0051). */
export const restockedPartly = (request: Pick<ReturnRequestRecord, 'lines' | 'restocked'>) =>
  request.restocked === true &&
  request.lines.some(
    (line) => typeof line.restockedQuantity === 'number' && line.restockedQuantity < line.quantity,
  );

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
