/**
 * Return requests (RMA, ADR 0051): a customer asks to send goods back, staff approve or reject, then record
 * the goods' arrival. As the order's state machine, a table of allowed moves; every move is a conditional
 * UPDATE (`WHERE status = <from>`), so two staff members acting at once can never both win.
 */
export const RETURN_REQUEST_STATUSES = ['requested', 'approved', 'rejected', 'received'] as const;
export type ReturnRequestStatus = (typeof RETURN_REQUEST_STATUSES)[number];

export const RETURN_REQUEST_TRANSITIONS: Record<ReturnRequestStatus, readonly ReturnRequestStatus[]> = {
  requested: ['approved', 'rejected'],
  // Approved but the goods never came (or came back unlike what was asked): staff may still reject.
  approved: ['received', 'rejected'],
  rejected: [],
  received: [],
};

/** Requests whose units are still on their way back: they count against what may be asked again. */
export const OPEN_RETURN_REQUEST_STATUSES: readonly ReturnRequestStatus[] = ['requested', 'approved'];

export const RETURN_REASONS = [
  'damaged',
  'wrong_item',
  'not_as_described',
  'no_longer_needed',
  'other',
] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];

export const canMoveReturnRequest = (from: ReturnRequestStatus, to: ReturnRequestStatus) =>
  RETURN_REQUEST_TRANSITIONS[from].includes(to);
