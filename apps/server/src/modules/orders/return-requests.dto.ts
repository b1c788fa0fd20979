import { money } from '../cart/cart.schemas.ts';
import { lineTitle, type ReturnRequestWithLines } from './return-requests.service.ts';
import { RETURN_REQUEST_TRANSITIONS } from './return-requests.states.ts';

export const toReturnRequestDto = (request: ReturnRequestWithLines) => ({
  id: request.id,
  number: request.number,
  orderId: request.order_id,
  orderNumber: request.order_number,
  status: request.status,
  reason: request.reason,
  comment: request.comment,
  note: request.note,
  rejectionReason: request.rejection_reason,
  lines: request.lines.map((line) => ({
    orderLineId: line.order_line_id,
    sku: line.sku,
    title: lineTitle(line),
    quantity: line.quantity,
    unitPrice: money(line.unit_price, request.currency),
    restockedQuantity: line.restocked_quantity,
  })),
  allowedTransitions: [...RETURN_REQUEST_TRANSITIONS[request.status]],
  createdAt: request.created_at,
  updatedAt: request.updated_at,
  approvedAt: request.approved_at,
  rejectedAt: request.rejected_at,
  receivedAt: request.received_at,
  withdrawnAt: request.withdrawn_at,
  restocked: request.restocked,
  refund:
    request.refund_amount !== null && request.refunded_at
      ? { amount: money(request.refund_amount, request.currency), at: request.refunded_at }
      : null,
  refundPending: request.refund_pending,
});
