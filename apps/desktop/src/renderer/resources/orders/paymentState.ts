/**
 * How the order page reads a payment's refunds and dispute, and a refund whose gateway answer was lost
 * (ADR 0021, "Refund outcomes and disputes").
 */

/** The code of a refund the gateway did not confirm (502): it stays pending and is finished automatically. */
export const REFUND_PENDING_CODE = 'MCART_ERR_REFUND_PENDING';

export type RefundStatus = 'pending' | 'succeeded' | 'failed';
export type RefundKind = 'refund' | 'dispute';
export type DisputeStatus = 'needs_response' | 'under_review' | 'won' | 'lost';

/** A refund of a payment as the admin order detail returns it (`PaymentRefundDto`). */
export interface PaymentRefund {
  id: string;
  amount: number;
  reason: string | null;
  status: RefundStatus | string;
  /** Absent from servers before ADR 0021's refund outcomes: a refund. */
  kind?: RefundKind | string;
  failureReason?: string | null;
  reversedAt?: string | null;
  createdAt: string;
}

/** A dispute (chargeback) of a payment as the gateway last told it (`PaymentDisputeDto`). */
export interface PaymentDispute {
  status: DisputeStatus | string;
  amount: number;
  reason: string | null;
  evidenceDueBy: string | null;
  openedAt: string;
}

/**
 * How a refund reads: `reversed` went through, then failed at the gateway (the money did not go back);
 * `failed` never went through; `pending` waits for the gateway's confirmation (do not refund again).
 */
export type RefundState = 'succeeded' | 'pending' | 'failed' | 'reversed';

export function refundState(refund: Pick<PaymentRefund, 'status' | 'reversedAt'>): RefundState {
  if (refund.status === 'failed') return refund.reversedAt ? 'reversed' : 'failed';
  if (refund.status === 'pending') return 'pending';
  return 'succeeded';
}

/** MUI colour of a dispute's status: one that needs evidence stands out. */
export function disputeTone(status: string): 'warning' | 'info' | 'success' | 'error' | 'default' {
  switch (status) {
    case 'needs_response':
      return 'warning';
    case 'under_review':
      return 'info';
    case 'won':
      return 'success';
    case 'lost':
      return 'error';
    default:
      return 'default';
  }
}

/** Payments with a refund waiting for the gateway's confirmation: the order page says not to refund again. */
export function pendingRefundTotal(
  payments: readonly { refunds: readonly Pick<PaymentRefund, 'status' | 'amount'>[] }[] | undefined,
): number {
  return (payments ?? []).reduce(
    (sum, payment) =>
      sum + payment.refunds.filter((refund) => refund.status === 'pending').reduce((s, r) => s + r.amount, 0),
    0,
  );
}

export interface RefundPending {
  refundId: string | null;
  /** Minor units, when the server said (`amount` of the problem). */
  amount: number | null;
  /** The server's explanation ("… Do not refund it again."). */
  detail: string | null;
}

/**
 * The problem body of a refund (order refund, return receipt) whose gateway answer was lost
 * (502 MCART_ERR_REFUND_PENDING), else null: that refund is not a failure to retry.
 */
export function refundPendingOf(body: unknown): RefundPending | null {
  if (typeof body !== 'object' || body === null) return null;
  const problem = body as Record<string, unknown>;
  if (problem.code !== REFUND_PENDING_CODE) return null;
  return {
    refundId: typeof problem.refundId === 'string' ? problem.refundId : null,
    amount: typeof problem.amount === 'number' ? problem.amount : null,
    detail: typeof problem.detail === 'string' && problem.detail ? problem.detail : null,
  };
}

/**
 * What a refund's line on the order page says (an `mcart.order_ops` key and its values): a pending refund waits
 * for the gateway, a failed one says why, a reversed one that it went through and then failed at the gateway (the
 * money did not go back); a lost dispute is money taken back by the customer's bank. `reason` is null when the
 * gateway gave none (the screen says so).
 */
export function refundLine(refund: Pick<PaymentRefund, 'status' | 'kind' | 'failureReason' | 'reversedAt'>): {
  state: RefundState;
  key: string;
  reason: string | null;
  reversedAt: string | null;
} {
  const state = refundState(refund);
  const dispute = refund.kind === 'dispute';
  const reason = refund.failureReason?.trim() ? refund.failureReason.trim() : null;
  const reversedAt = refund.reversedAt ?? null;
  const key =
    state === 'pending'
      ? 'refund_pending_line'
      : state === 'failed'
        ? 'refund_failed_line'
        : state === 'reversed'
          ? dispute
            ? 'dispute_reversed_line'
            : 'refund_reversed_line'
          : dispute
            ? 'dispute_refund_line'
            : 'refund_line';
  return { state, key: `mcart.order_ops.${key}`, reason, reversedAt };
}

/** A dispute still open: its evidence deadline matters (once won or lost, it is history). */
export const disputeOpen = (dispute: Pick<PaymentDispute, 'status'>) =>
  dispute.status === 'needs_response' || dispute.status === 'under_review';
