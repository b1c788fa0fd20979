/**
 * Return requests (RMA, ADR 0051): a customer asks to send goods back, staff approve or reject, then record
 * the goods' arrival; until the goods arrive the customer may withdraw the request. As the order's state
 * machine, a table of allowed moves per actor; every move is a conditional UPDATE (`WHERE status = <from>`)
 * under the request's row lock, so two people acting at once can never both win.
 */
export const RETURN_REQUEST_STATUSES = [
  'requested',
  'approved',
  'rejected',
  'received',
  'withdrawn',
] as const;
export type ReturnRequestStatus = (typeof RETURN_REQUEST_STATUSES)[number];

/** Who moves a request: staff through the admin routes, the customer (withdrawing) through the store's. */
export type ReturnRequestMover = 'staff' | 'customer';

/** Staff's moves (the admin routes); `allowedTransitions` in the API lists these. */
export const RETURN_REQUEST_TRANSITIONS: Record<ReturnRequestStatus, readonly ReturnRequestStatus[]> = {
  requested: ['approved', 'rejected'],
  // Approved but the goods never came (or came back unlike what was asked): staff may still reject.
  approved: ['received', 'rejected'],
  rejected: [],
  received: [],
  // The customer's own decision: staff neither reopen nor receive it.
  withdrawn: [],
};

/**
 * The customer's moves (the store's withdraw route): they may change their mind until the goods arrive.
 * Staff never move a request to `withdrawn`.
 */
export const CUSTOMER_RETURN_REQUEST_TRANSITIONS: Record<
  ReturnRequestStatus,
  readonly ReturnRequestStatus[]
> = {
  requested: ['withdrawn'],
  approved: ['withdrawn'],
  rejected: [],
  received: [],
  withdrawn: [],
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

export const canMoveReturnRequest = (
  from: ReturnRequestStatus,
  to: ReturnRequestStatus,
  by: ReturnRequestMover,
) =>
  (by === 'customer' ? CUSTOMER_RETURN_REQUEST_TRANSITIONS : RETURN_REQUEST_TRANSITIONS)[from].includes(to);
