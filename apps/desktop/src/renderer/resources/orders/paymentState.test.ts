import { describe, expect, it } from 'vitest';
import { problemToHttpError } from '../../api/problem.ts';
import {
  disputeOpen,
  disputeTone,
  pendingRefundTotal,
  refundLine,
  refundPendingOf,
  refundState,
} from './paymentState.ts';

describe('a refund whose gateway answer was lost', () => {
  const problem = {
    type: 'https://mcart.dev/problems/refund-pending',
    status: 502,
    title: 'The refund is pending: the payment gateway did not confirm it',
    code: 'MCART_ERR_REFUND_PENDING',
    detail: 'The payment gateway did not confirm the refund of €12.00 … Do not refund it again.',
    refundId: '7b0c5f0e-0000-4000-8000-000000000001',
    amount: 1200,
  };

  it('is recognised in the HttpError the API client throws (not an error to retry)', () => {
    const error = problemToHttpError(502, 'Bad Gateway', problem);
    expect(refundPendingOf(error.body)).toEqual({
      refundId: problem.refundId,
      amount: 1200,
      detail: problem.detail,
    });
    // The receipt of a return request answers the same code with the request's status.
    expect(
      refundPendingOf(
        problemToHttpError(502, 'Bad Gateway', {
          ...problem,
          returnRequestStatus: 'received',
          refundPending: true,
        }).body,
      ),
    ).toMatchObject({ amount: 1200 });
  });

  it('leaves a refused refund and other failures to the error path', () => {
    expect(
      refundPendingOf(
        problemToHttpError(502, 'Bad Gateway', {
          status: 502,
          title: 'The payment gateway failed to answer',
          code: 'MCART_ERR_PAYMENT_GATEWAY',
        }).body,
      ),
    ).toBeNull();
    expect(refundPendingOf(undefined)).toBeNull();
    expect(refundPendingOf('Bad Gateway')).toBeNull();
    expect(refundPendingOf({ code: 'MCART_ERR_REFUND_PENDING' })).toEqual({
      refundId: null,
      amount: null,
      detail: null,
    });
  });
});

describe('refund lines', () => {
  const refund = { status: 'succeeded', kind: 'refund', failureReason: null, reversedAt: null };

  it('says where each refund stands', () => {
    expect(refundLine(refund)).toEqual({
      state: 'succeeded',
      key: 'mcart.order_ops.refund_line',
      reason: null,
      reversedAt: null,
    });
    expect(refundLine({ ...refund, status: 'pending' })).toMatchObject({
      state: 'pending',
      key: 'mcart.order_ops.refund_pending_line',
    });
    expect(refundLine({ ...refund, status: 'failed', failureReason: 'charge_disputed' })).toEqual({
      state: 'failed',
      key: 'mcart.order_ops.refund_failed_line',
      reason: 'charge_disputed',
      reversedAt: null,
    });
    // Went through, then failed at the gateway: the money did not go back.
    expect(
      refundLine({
        ...refund,
        status: 'failed',
        failureReason: 'expired_or_canceled_card',
        reversedAt: '2026-12-26T10:00:00.000Z',
      }),
    ).toEqual({
      state: 'reversed',
      key: 'mcart.order_ops.refund_reversed_line',
      reason: 'expired_or_canceled_card',
      reversedAt: '2026-12-26T10:00:00.000Z',
    });
    expect(refundLine({ ...refund, status: 'failed', failureReason: '  ' }).reason).toBeNull();
  });

  it('tells a lost dispute from a refund, and one won on appeal', () => {
    expect(refundLine({ ...refund, kind: 'dispute' }).key).toBe('mcart.order_ops.dispute_refund_line');
    expect(
      refundLine({
        ...refund,
        kind: 'dispute',
        status: 'failed',
        failureReason: 'won on appeal',
        reversedAt: '2026-12-26T10:00:00.000Z',
      }).key,
    ).toBe('mcart.order_ops.dispute_reversed_line');
  });

  it('reads refunds of servers without outcomes as refunds', () => {
    expect(refundState({ status: 'succeeded' })).toBe('succeeded');
    expect(refundLine({ status: 'succeeded' }).key).toBe('mcart.order_ops.refund_line');
  });

  it('adds up the refunds waiting for the gateway', () => {
    expect(
      pendingRefundTotal([
        {
          refunds: [
            { status: 'pending', amount: 500 },
            { status: 'succeeded', amount: 700 },
          ],
        },
        { refunds: [{ status: 'pending', amount: 250 }] },
      ]),
    ).toBe(750);
    expect(pendingRefundTotal(undefined)).toBe(0);
  });
});

describe('disputes', () => {
  it('puts one needing a response in the warning colour', () => {
    expect(disputeTone('needs_response')).toBe('warning');
    expect(disputeTone('under_review')).toBe('info');
    expect(disputeTone('won')).toBe('success');
    expect(disputeTone('lost')).toBe('error');
    expect(disputeTone('something_new')).toBe('default');
  });

  it('shows the evidence deadline only while open', () => {
    expect(disputeOpen({ status: 'needs_response' })).toBe(true);
    expect(disputeOpen({ status: 'under_review' })).toBe(true);
    expect(disputeOpen({ status: 'won' })).toBe(false);
    expect(disputeOpen({ status: 'lost' })).toBe(false);
  });
});
