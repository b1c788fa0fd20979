import { randomUUID } from 'node:crypto';
import { formatMoney } from '../../platform/money.ts';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { FastifyBaseLogger } from 'fastify';
import { recordChange } from '../../platform/outbox.ts';
import { AppError, CommonErrors } from '../../platform/errors.ts';
import type { DisputeStatus, PaymentStatus } from './payment.entity.ts';
import type { OrderPaymentsPort } from './orders-port.ts';
import {
  GatewayError,
  gatewayRefused,
  type PaymentProvider,
  type ProviderDisputeEvent,
  type ProviderEvent,
  type ProviderListedRefund,
  type ProviderPayment,
  type ProviderRefund,
  type ProviderRefundEvent,
} from './provider.ts';
import { PaymentErrors } from './payments.errors.ts';
import { TOKEN_PATTERN, type PaymentDtoType, type PaymentRefundDtoType } from './payments.schemas.ts';
import { prepared, queued } from '../../platform/prepared.ts';
import type { StartPaymentInput, StartPaymentResult } from '../orders/payment-gateway.ts';

type MarkPaidOutcome = Awaited<ReturnType<OrderPaymentsPort['markPaid']>>;

/** Thrown inside `apply`'s transaction to roll back an order transition sent before the payment was seen to move. */
const NOT_MOVED = new Error('payment did not move');

/**
 * The payment state machine: from each status, where it may go. Every change is one conditional UPDATE
 * (`... WHERE status = ANY(<statuses allowed to reach the target>)`), so when a webhook and a shopper race
 * only one of them moves the row and only that one runs the effects (capture, markPaid, events).
 */
export const PAYMENT_TRANSITIONS: Record<PaymentStatus, readonly PaymentStatus[]> = {
  pending: ['requires_action', 'authorized', 'captured', 'declined', 'canceled'],
  requires_action: ['authorized', 'captured', 'declined', 'canceled'],
  // 'capturing' is the claim of the one caller that sends the capture to the gateway.
  authorized: ['capturing', 'captured', 'canceled'],
  // Back to 'authorized' when the gateway refused or failed the capture; 'canceled' when reconciliation
  // finds the authorization voided or lapsed at the gateway.
  capturing: ['captured', 'authorized', 'canceled'],
  captured: [],
  // A failed attempt is not the end of a gateway payment: the shopper may try another card on the same one
  // (Stripe.js on a PaymentIntent back to requires_payment_method), or a payment reconciliation found nowhere
  // may still arrive. Its order failed (cancelled), so it is a late payment: marked orphaned and given back.
  declined: ['authorized', 'captured'],
  canceled: [],
};

const allowedFrom = (target: PaymentStatus): PaymentStatus[] =>
  (Object.keys(PAYMENT_TRANSITIONS) as PaymentStatus[]).filter((from) =>
    PAYMENT_TRANSITIONS[from].includes(target),
  );

// The contract checkout calls is the orders context's port (orders/payment-gateway.ts); this service implements it.
export type { StartPaymentInput, StartPaymentResult };

export interface PaymentsServiceDeps {
  orm: MikroORM;
  provider: PaymentProvider;
  /** `automatic`: an authorized payment is captured at once; `manual`: the order is paid on authorization, captured later. */
  captureMode: 'automatic' | 'manual';
  orders: OrderPaymentsPort;
  log: FastifyBaseLogger;
}

interface PaymentRow {
  id: string;
  order_id: string;
  provider: string;
  provider_ref: string | null;
  idempotency_key: string;
  status: PaymentStatus;
  amount: string;
  currency: string;
  captured_amount: string;
  refunded_amount: string;
  brand: string | null;
  last4: string | null;
  decline_code: string | null;
  /** Set when the payment succeeded for an order already cancelled: its money goes back (void or refund). */
  orphaned_at: Date | string | null;
  dispute_ref: string | null;
  dispute_status: DisputeStatus | null;
  dispute_amount: string | null;
  dispute_reason: string | null;
  dispute_due_by: Date | string | null;
  disputed_at: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

interface RefundRow {
  id: string;
  payment_id: string;
  amount: string;
  reason: string | null;
  status: PaymentRefundDtoType['status'];
  kind: PaymentRefundDtoType['kind'];
  failure_reason: string | null;
  reversed_at: Date | string | null;
  created_at: Date | string;
}

/** A refund row as the gateway's answers find it (its units, its gateway reference). */
interface OpenRefund {
  id: string;
  amount: string;
  reason: string | null;
  status: PaymentRefundDtoType['status'];
  kind: PaymentRefundDtoType['kind'];
  lines: RefundedLine[] | null;
  provider_ref: string | null;
}

/** The units a refund by line gave back (the orders context's lines), carried to invoicing by its event. */
/**
 * Announces a refund that went through (invoicing credits it, the desktop follows it), in its transaction;
 * `payment` as it stands after the refund. `lines`: null for a refund from before they were kept.
 */
function recordRefunded(
  tx: EntityManager,
  payment: PaymentRow,
  refund: { id: string; amount: number; lines: RefundedLine[] | null; reason: string | undefined },
): void {
  recordChange(tx, {
    resource: 'orders',
    ids: [payment.order_id],
    type: 'updated',
    payload: {
      event: 'refunded',
      paymentId: payment.id,
      refundId: refund.id,
      amount: refund.amount,
      currency: payment.currency,
      refundedAmount: Number(payment.refunded_amount),
      capturedAmount: Number(payment.captured_amount),
      ...(refund.lines ? { lines: refund.lines } : {}),
      ...(refund.reason ? { reason: refund.reason.slice(0, 255) } : {}),
    },
  });
}

export interface RefundedLine {
  orderLineId: string;
  quantity: number;
}

const COLUMNS = `id, order_id, provider, provider_ref, idempotency_key, status, amount, currency, captured_amount, refunded_amount,
  brand, last4, decline_code, orphaned_at, dispute_ref, dispute_status, dispute_amount, dispute_reason, dispute_due_by,
  disputed_at, created_at, updated_at`;
const REFUND_COLUMNS = `id, payment_id, amount, reason, status, kind, failure_reason, reversed_at, created_at`;

/** Raw queries return timestamps as the driver gives them (a string with the ORM's UTC settings). */
const iso = (value: Date | string) => new Date(value).toISOString();

const toDto = (row: PaymentRow, refunds: RefundRow[]): PaymentDtoType => ({
  id: row.id,
  orderId: row.order_id,
  provider: row.provider,
  providerRef: row.provider_ref,
  status: row.status,
  amount: Number(row.amount),
  currency: row.currency,
  capturedAmount: Number(row.captured_amount),
  refundedAmount: Number(row.refunded_amount),
  brand: row.brand,
  last4: row.last4,
  declineCode: row.decline_code,
  dispute: row.dispute_status
    ? {
        status: row.dispute_status,
        amount: Number(row.dispute_amount ?? 0),
        reason: row.dispute_reason,
        evidenceDueBy: row.dispute_due_by ? iso(row.dispute_due_by) : null,
        openedAt: iso(row.disputed_at ?? row.updated_at),
      }
    : null,
  refunds: refunds
    .filter((refund) => refund.payment_id === row.id)
    .map((refund) => ({
      id: refund.id,
      amount: Number(refund.amount),
      reason: refund.reason,
      status: refund.status,
      kind: refund.kind,
      failureReason: refund.failure_reason,
      reversedAt: refund.reversed_at ? iso(refund.reversed_at) : null,
      createdAt: iso(refund.created_at),
    })),
  createdAt: iso(row.created_at),
  updatedAt: iso(row.updated_at),
});

/** The shopper-facing status of the contract: internal steps read as the state they lead from. */
const publicStatus = (status: PaymentStatus): StartPaymentResult['status'] => {
  switch (status) {
    case 'captured':
      return 'captured';
    case 'authorized':
    case 'capturing':
      return 'authorized';
    case 'declined':
    case 'canceled':
      return 'declined';
    default:
      return 'requires_action';
  }
};

/** What one reconciliation run did (the scheduled `payments.reconcile` job). */
export interface ReconcileOutcome {
  /** Payments in flight (pending, capturing) checked with the gateway. */
  checked: number;
  /** Payments of cancelled orders whose money was given back (voided or refunded) in this run. */
  givenBack: number;
  /** Payments that could not be settled this time (gateway down): the next run tries again. */
  failed: number;
}

/** Why money goes back by itself: the shopper paid for an order that was already cancelled. */
const GIVE_BACK_REASON = 'order cancelled';
/** Money as a timeline event's parameter (ADR 0069). */
const money = (amount: number, currency: string) => ({ amount, currency });
/** A refund the gateway made without MCart asking (its dashboard), learnt from its webhook. */
const GATEWAY_REFUND_REASON = 'at the gateway, outside MCart';
/** The reason earlier versions wrote on automatic refunds (still found on refunds left pending by them). */
const LEGACY_GIVE_BACK_REASON = 'order cancelled before the payment arrived';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Why the gateway refused, as a short text for the refund row and the timeline. */
const refusal = (err: unknown): string =>
  (err instanceof Error ? err.message : String(err)).replace(/^stripe: /, '').slice(0, 255);

/** Where a dispute stands, as the timeline says it. */
function disputeMessage(status: DisputeStatus, amount: string, dispute: ProviderDisputeEvent): string {
  const reason = dispute.reason ? ` (${dispute.reason.replaceAll('_', ' ')})` : '';
  switch (status) {
    case 'needs_response':
      return (
        `Payment of ${amount} disputed by the customer's bank${reason}` +
        (dispute.evidenceDueBy
          ? `: evidence due by ${dispute.evidenceDueBy.toISOString().slice(0, 10)}`
          : '') +
        `. Respond in the payment gateway's dashboard`
      );
    case 'under_review':
      return `Dispute of ${amount} under review by the customer's bank${reason}`;
    case 'won':
      return `Dispute of ${amount} won: the money stays with the store`;
    case 'lost':
      return `Dispute of ${amount} lost${reason}: the money went back to the customer through their bank`;
  }
}

export interface WebhookOutcome {
  replayed: boolean;
  paymentId?: string | undefined;
}

/**
 * Payments of orders, over one PaymentProvider. Rules: the gateway is only ever called outside a database
 * transaction; every status change goes through `apply` (one transaction: conditional update, webhook
 * de-duplication row, order effect, outbox event); a webhook and a shopper's return take the same path.
 */
export class PaymentsService {
  private orders: OrderPaymentsPort;

  constructor(private readonly deps: PaymentsServiceDeps) {
    this.orders = deps.orders;
  }

  get provider(): PaymentProvider {
    return this.deps.provider;
  }

  /** Replaces the orders port (tests use a double while the real one is not wired). */
  useOrders(orders: OrderPaymentsPort): void {
    this.orders = orders;
  }

  private em(): EntityManager {
    return this.deps.orm.em.fork();
  }

  private async find(id: string): Promise<PaymentRow | undefined> {
    const rows = await this.em().execute<PaymentRow[]>(`SELECT ${COLUMNS} FROM payment WHERE id = ?`, [id]);
    return rows[0];
  }

  /** Refuses a payment no gateway could take, before anything is written or sent. */
  private checkInput(input: StartPaymentInput): void {
    if (input.provider !== this.deps.provider.id) {
      throw PaymentErrors.providerNotAvailable(
        `Payment provider "${input.provider}" is not active; use "${this.deps.provider.id}"`,
        {
          errors: [{ path: 'body/payment/provider', message: `must be "${this.deps.provider.id}"` }],
        },
      );
    }
    if (!Number.isSafeInteger(input.amount) || input.amount <= 0) {
      throw CommonErrors.validation('The amount must be a positive whole number of minor units', {
        errors: [{ path: 'body/amount', message: 'must be a positive integer' }],
      });
    }
    if (input.token === undefined && this.deps.provider.tokenRequired) {
      throw CommonErrors.validation(`The "${input.provider}" payment provider needs a token`, {
        errors: [{ path: 'body/payment/token', message: `is required by the "${input.provider}" provider` }],
      });
    }
    // Same rule as PaymentInputBody: a token, never something that looks like a card number.
    if (input.token !== undefined && !TOKEN_PATTERN.test(input.token)) {
      throw CommonErrors.validation('The payment token is not a gateway token', {
        errors: [{ path: 'body/payment/token', message: 'must be a gateway token such as tok_visa' }],
      });
    }
    if (!/^[A-Z]{3}$/.test(input.currency)) {
      throw CommonErrors.validation('The currency must be an ISO 4217 code', {
        errors: [{ path: 'body/currency', message: 'must be like USD' }],
      });
    }
  }

  /**
   * Checkout's first step of a payment, inside the order's transaction: the input is checked, and the pending
   * payment row travels with that transaction's COMMIT (ADR 0040), so it exists exactly when the order does
   * and costs no round trip of its own.
   */
  async openPayment(tx: EntityManager, input: StartPaymentInput): Promise<string> {
    this.checkInput(input);
    const id = randomUUID();
    await queued(
      tx,
      `INSERT INTO payment (id, created_at, updated_at, order_id, provider, idempotency_key, status, amount, currency)
       VALUES (?, now(), now(), ?, ?, ?, 'pending', ?, ?)`,
      [id, input.orderId, input.provider, input.idempotencyKey, input.amount, input.currency],
    );
    return id;
  }

  /**
   * Called by checkout after the order committed. Declines are an answer (`declined`), not a throw.
   * `openedPaymentId`: the pending payment openPayment wrote with the order; without it the payment of this
   * idempotency key is made here, or found (a resumed checkout finds the payment its first attempt made).
   */
  async startPayment(input: StartPaymentInput): Promise<StartPaymentResult> {
    this.checkInput(input);
    const payment: Pick<PaymentRow, 'id' | 'status' | 'provider_ref'> = input.openedPaymentId
      ? { id: input.openedPaymentId, status: 'pending', provider_ref: null }
      : await this.paymentFor(input);

    let state: ProviderPayment | undefined;
    if (payment.status === 'pending') {
      state = await this.gateway(() =>
        this.deps.provider.authorize({
          paymentId: payment.id,
          orderId: input.orderId,
          amount: input.amount,
          currency: input.currency,
          token: input.token,
          customerEmail: input.customerEmail,
          idempotencyKey: `mcart-payment-${payment.id}`,
          capture: this.deps.captureMode,
        }),
      );
    } else if (payment.provider_ref) {
      // A replay of a payment that already has an answer: the gateway's current view (with its client secret).
      state = await this.gateway(() => this.deps.provider.retrieve(payment.provider_ref!));
    }
    // (A payment closed without ever reaching the gateway, e.g. by reconciliation, is never sent again.)
    const moved = state ? await this.apply(payment.id, state, input.orderId) : undefined;
    const settled = await this.settle(payment.id, moved);
    return {
      paymentId: payment.id,
      status: publicStatus(settled.status),
      // markPaid ran in the transaction that moved the payment there; an order cancelled first got an
      // orphaned payment instead (given back).
      givenBack: Boolean(settled.orphaned_at),
      orderPaid:
        !settled.orphaned_at &&
        (settled.status === 'captured' ||
          (settled.status === 'authorized' && this.deps.captureMode === 'manual')),
      ...(settled.status === 'requires_action' && state?.clientSecret
        ? { clientSecret: state.clientSecret }
        : {}),
      ...(settled.decline_code && publicStatus(settled.status) === 'declined'
        ? { declineCode: settled.decline_code }
        : {}),
    };
  }

  /**
   * One payment per idempotency key: created, or the one already there, in one statement. A row being inserted
   * concurrently is not in this statement's snapshot: then it is read once it committed.
   */
  private async paymentFor(input: StartPaymentInput): Promise<PaymentRow> {
    const em = this.em();
    const byKey = `SELECT ${COLUMNS} FROM payment WHERE provider = ? AND idempotency_key = ?`;
    let [payment] = await prepared<PaymentRow>(
      em,
      `WITH created AS (
         INSERT INTO payment (id, created_at, updated_at, order_id, provider, idempotency_key, status, amount, currency)
         VALUES (gen_random_uuid(), now(), now(), ?, ?, ?, 'pending', ?, ?)
         ON CONFLICT (provider, idempotency_key) DO NOTHING RETURNING ${COLUMNS}
       )
       SELECT * FROM created UNION ALL (${byKey} AND NOT EXISTS (SELECT 1 FROM created))`,
      [
        input.orderId,
        input.provider,
        input.idempotencyKey,
        input.amount,
        input.currency,
        input.provider,
        input.idempotencyKey,
      ],
    );
    payment ??= (await prepared<PaymentRow>(em, byKey, [input.provider, input.idempotencyKey]))[0];
    if (!payment) throw CommonErrors.internal();
    if (payment.order_id !== input.orderId || Number(payment.amount) !== input.amount)
      throw PaymentErrors.idempotencyKeyReused();
    return payment;
  }

  /** The shopper is back from a required action: ask the gateway, and move the payment the same way a webhook would. */
  async confirm(paymentId: string): Promise<PaymentRow> {
    const payment = await this.find(paymentId);
    if (!payment) throw CommonErrors.notFound('No such payment');
    if (
      payment.provider === this.deps.provider.id &&
      payment.provider_ref &&
      ['pending', 'requires_action', 'authorized'].includes(payment.status)
    ) {
      const state = await this.gateway(() => this.deps.provider.retrieve(payment.provider_ref!));
      await this.apply(payment.id, state);
    }
    return this.settle(payment.id);
  }

  /** A verified gateway event: de-duplicated by its id in the same transaction as its effect. */
  async handleWebhook(event: ProviderEvent): Promise<WebhookOutcome> {
    const provider = this.deps.provider.id;
    const ref = event.refunded?.ref ?? event.refund?.paymentRef ?? event.dispute?.paymentRef;
    const payment = event.payment
      ? await this.findForEvent(event.payment)
      : ref
        ? await this.findByRef(ref)
        : undefined;
    // The gateway's refunds of the payment, asked before the transaction (never inside one): `charge.refunded`
    // records the ones made outside MCart by them (a failure answers 502, so the gateway sends the event again);
    // a pending refund that failed counts one it had left no room for (best effort).
    let listed: ProviderListedRefund[] | undefined;
    if (payment?.provider_ref && (event.refunded || event.refund?.status === 'failed')) {
      if (await this.seen(event)) return { replayed: true, paymentId: payment.id };
      const paymentRef = payment.provider_ref;
      listed = event.refunded
        ? await this.gateway(() => this.deps.provider.listRefunds(paymentRef))
        : await this.listedRefunds(paymentRef);
    }
    const outcome = await this.em().transactional(async (tx) => {
      const inserted = await tx.execute<{ id: string }[]>(
        `INSERT INTO payment_webhook_event (provider, event_id, type, payment_id) VALUES (?, ?, ?, ?)
         ON CONFLICT (provider, event_id) DO NOTHING RETURNING id`,
        [provider, event.id.slice(0, 255), event.type.slice(0, 128), payment?.id ?? null],
      );
      if (!inserted.length) return { replayed: true };
      if (payment && event.payment) await this.transition(tx, payment.id, event.payment);
      else if (payment && event.refunded && listed) await this.recordGatewayRefunds(tx, payment.id, listed);
      else if (payment && event.refund) await this.applyRefundEvent(tx, payment.id, event.refund, listed);
      else if (payment && event.dispute) await this.applyDispute(tx, payment.id, event.dispute);
      return { replayed: false };
    });
    if (!outcome.replayed && payment) await this.settle(payment.id);
    return { ...outcome, paymentId: payment?.id };
  }

  private async findByRef(ref: string): Promise<PaymentRow | undefined> {
    const [row] = await prepared<PaymentRow>(
      this.em(),
      `SELECT ${COLUMNS} FROM payment WHERE provider = ? AND provider_ref = ?`,
      [this.deps.provider.id, ref],
    );
    return row;
  }

  /** Whether this gateway event was handled already (a replay), before the gateway is asked anything for it. */
  private async seen(event: ProviderEvent): Promise<boolean> {
    const rows = await this.em().execute<{ id: string }[]>(
      `SELECT id FROM payment_webhook_event WHERE provider = ? AND event_id = ?`,
      [this.deps.provider.id, event.id.slice(0, 255)],
    );
    return rows.length > 0;
  }

  /** The gateway's refunds of a payment, or undefined when it could not be asked (logged: best effort). */
  private async listedRefunds(paymentRef: string | null): Promise<ProviderListedRefund[] | undefined> {
    if (!paymentRef) return undefined;
    try {
      return await this.deps.provider.listRefunds(paymentRef);
    } catch (err) {
      this.deps.log.warn(
        { err, paymentRef },
        "could not list the gateway's refunds: one made outside MCart is counted from its next charge.refunded",
      );
      return undefined;
    }
  }

  /**
   * The gateway's refunds of a payment (`listed`, oldest first): each one MCart did not make (no MCart refund id:
   * made in the gateway's dashboard) and has not recorded is recorded as a refund that succeeded, under the
   * gateway's id (`provider_ref`, unique: once, whichever event brings it, however often, in any order), counted
   * on the payment and the order, written into its timeline and announced like any refund (invoicing credits it).
   * Never from the gateway's running total, which cannot tell such a refund from an MCart refund still reserved
   * (pending) that the gateway may never have made. A refund the payment has no room for yet (MCart refunds
   * reserved meanwhile: refunded ≤ captured) waits: it is counted when one of them is given back (`failRefund`
   * with the list) or by the next event. Rows recorded from the running total before (no `provider_ref`) are
   * matched first, so those refunds are not counted twice.
   */
  private async recordGatewayRefunds(
    tx: EntityManager,
    paymentId: string,
    listed: readonly ProviderListedRefund[],
  ): Promise<void> {
    const [row] = await tx.execute<PaymentRow[]>(`SELECT ${COLUMNS} FROM payment WHERE id = ? FOR UPDATE`, [
      paymentId,
    ]);
    if (row?.status !== 'captured') return;
    const outside = listed.filter(
      (refund) =>
        refund.refundId === undefined &&
        refund.status !== 'failed' &&
        Number.isSafeInteger(refund.amount) &&
        refund.amount > 0,
    );
    if (!outside.length) return;
    const known = await tx.execute<
      { id: string; provider_ref: string | null; amount: string; legacy: boolean }[]
    >(
      `SELECT id, provider_ref, amount,
              (provider_ref IS NULL AND kind = 'refund' AND status = 'succeeded' AND reason = ?) AS legacy
         FROM payment_refund WHERE payment_id = ? ORDER BY created_at, id`,
      [GATEWAY_REFUND_REASON, paymentId],
    );
    const recorded = new Set(known.map((refund) => refund.provider_ref).filter((ref) => ref !== null));
    // Recorded from the running total by earlier versions: one of the same amount is that refund (it takes its
    // id); the rest of them counted the oldest refunds in all.
    const legacy = known.filter((refund) => refund.legacy);
    let legacyLeft = legacy.reduce((sum, refund) => sum + Number(refund.amount), 0);
    let refunded = Number(row.refunded_amount);
    for (const refund of outside) {
      if (recorded.has(refund.ref)) continue;
      const same = legacy.findIndex((old) => Number(old.amount) === refund.amount);
      if (same >= 0) {
        const [old] = legacy.splice(same, 1);
        legacyLeft -= refund.amount;
        await tx.execute(
          `UPDATE payment_refund SET provider_ref = ?, updated_at = now() WHERE id = ? AND provider_ref IS NULL`,
          [refund.ref, old!.id],
        );
        continue;
      }
      if (legacyLeft >= refund.amount) {
        legacyLeft -= refund.amount;
        continue;
      }
      if (refunded + refund.amount > Number(row.captured_amount)) {
        this.deps.log.warn(
          { paymentId, refundRef: refund.ref, amount: refund.amount },
          'a refund made at the gateway waits to be counted: MCart refunds reserved on the payment leave no room for it',
        );
        continue;
      }
      const [inserted] = await tx.execute<{ id: string }[]>(
        `INSERT INTO payment_refund (id, created_at, updated_at, succeeded_at, payment_id, amount, reason, status, lines, provider_ref)
         VALUES (gen_random_uuid(), now(), now(), now(), ?, ?, ?, 'succeeded', '[]'::jsonb, ?)
         ON CONFLICT (provider_ref) DO NOTHING RETURNING id`,
        [paymentId, refund.amount, GATEWAY_REFUND_REASON, refund.ref.slice(0, 255)],
      );
      if (!inserted) continue;
      const [moved] = await tx.execute<PaymentRow[]>(
        `UPDATE payment SET refunded_amount = refunded_amount + ?, version = version + 1, updated_at = now()
          WHERE id = ? RETURNING ${COLUMNS}`,
        [refund.amount, paymentId],
      );
      refunded = Number(moved!.refunded_amount);
      await this.orders.addGatewayRefund(
        tx,
        row.order_id,
        refund.amount,
        `Refunded ${formatMoney(refund.amount, row.currency)} ${GATEWAY_REFUND_REASON}`,
        { key: 'refund.at_gateway', params: { amount: money(refund.amount, row.currency) } },
      );
      recordRefunded(tx, moved!, {
        id: inserted.id,
        amount: refund.amount,
        lines: [],
        reason: GATEWAY_REFUND_REASON,
      });
    }
  }

  /**
   * One refund's state from the gateway (Stripe's `refund.*`, `charge.refund.updated`), in the webhook's
   * transaction. MCart's refund is found by the gateway's id or by MCart's own (metadata: its answer may have been
   * lost). A pending one is finished by it (confirmed, or given back when it failed); one that went through and
   * failed afterwards is reversed: the money did not go back. A failed refund made outside MCart reverses the
   * refund recorded at the gateway for the same amount, if there is one.
   */
  private async applyRefundEvent(
    tx: EntityManager,
    paymentId: string,
    event: ProviderRefundEvent,
    /** The gateway's refunds of the payment (asked for a failed refund): counted when one is given back. */
    listed?: readonly ProviderListedRefund[],
  ): Promise<void> {
    const [payment] = await tx.execute<PaymentRow[]>(
      `SELECT ${COLUMNS} FROM payment WHERE id = ? FOR UPDATE`,
      [paymentId],
    );
    if (!payment) return;
    const mine = event.refundId && UUID.test(event.refundId) ? event.refundId : null;
    let [refund] = await tx.execute<OpenRefund[]>(
      `SELECT id, amount, reason, status, kind, lines, provider_ref FROM payment_refund
        WHERE payment_id = ? AND (provider_ref = ? OR id = ?::uuid) ORDER BY (provider_ref = ?) DESC NULLS LAST LIMIT 1`,
      [paymentId, event.ref, mine, event.ref],
    );
    if (!refund) {
      // Made outside MCart: recorded from the gateway's list of refunds (charge.refunded), by its id.
      if (event.status !== 'failed') return;
      [refund] = await tx.execute<OpenRefund[]>(
        `SELECT id, amount, reason, status, kind, lines, provider_ref FROM payment_refund
          WHERE payment_id = ? AND kind = 'refund' AND status = 'succeeded' AND reason = ? AND provider_ref IS NULL
            AND amount = ? ORDER BY created_at LIMIT 1`,
        [paymentId, GATEWAY_REFUND_REASON, event.amount],
      );
      if (!refund) {
        // Nothing MCart counted matches it: said, not guessed.
        await this.orders.addPaymentEvent(
          tx,
          payment.order_id,
          `A refund of ${formatMoney(event.amount, payment.currency)} made at the gateway, outside MCart, failed (${event.failureReason ?? 'failed'}): check the payment gateway's dashboard`,
        );
        recordChange(tx, {
          resource: 'orders',
          ids: [payment.order_id],
          type: 'updated',
          payload: {
            event: 'gateway_refund_failed',
            paymentId,
            amount: event.amount,
            currency: payment.currency,
            reason: event.failureReason ?? 'failed',
          },
        });
        return;
      }
    }
    const amount = Number(refund.amount);
    if (refund.status === 'pending') {
      if (event.status === 'failed')
        await this.failRefund(tx, payment, refund.id, amount, event.failureReason ?? 'failed', listed);
      else
        await this.confirmRefund(
          tx,
          payment,
          { id: refund.id, amount, reason: refund.reason ?? undefined, lines: refund.lines },
          event.ref,
          PaymentsService.automatic(payment, refund.reason),
        );
    } else if (refund.status === 'succeeded' && event.status === 'failed') {
      await this.reverseRefund(tx, payment, refund, event.ref, event.failureReason ?? 'failed');
    }
  }

  /**
   * A refund counted as given back did not go back after all: it failed at the gateway after it went through, or
   * the lost dispute it records was won on appeal. The row is marked failed (`reversed_at`; its `succeeded_at` stays:
   * sales reports count the refund on its day and the reversal on this one, ADR 0050), the payment's
   * refunded amount and the order's totals go down (`refundReversed`: units refundable again, status follows), and
   * staff are told (`refund_reversed`). Once: a row already failed is left alone.
   */
  private async reverseRefund(
    tx: EntityManager,
    payment: PaymentRow,
    refund: OpenRefund,
    providerRef: string | null,
    reason: string,
  ): Promise<void> {
    const reversed = await tx.execute<{ id: string }[]>(
      `UPDATE payment_refund SET status = 'failed', failure_reason = ?, reversed_at = now(),
              provider_ref = COALESCE(provider_ref, ?), updated_at = now()
        WHERE id = ? AND status = 'succeeded' RETURNING id`,
      [reason.slice(0, 255), providerRef, refund.id],
    );
    if (!reversed.length) return;
    const amount = Number(refund.amount);
    const [row] = await tx.execute<PaymentRow[]>(
      `UPDATE payment SET refunded_amount = GREATEST(0, refunded_amount - ?), version = version + 1, updated_at = now()
        WHERE id = ? RETURNING ${COLUMNS}`,
      [amount, payment.id],
    );
    const money = formatMoney(amount, payment.currency);
    const lines = refund.lines ?? [];
    const message =
      refund.kind === 'dispute'
        ? `Dispute of ${money} won after it was lost (${reason}): the money is the store's again`
        : `Refund of ${money} failed at the payment gateway after it was sent (${reason.replaceAll('_', ' ')}): the money did not go back to the customer` +
          (lines.length ? '; its units can be refunded again' : '');
    await this.orders.refundReversed(tx, payment.order_id, { refundId: refund.id, amount, lines, message });
    recordChange(tx, {
      resource: 'orders',
      ids: [payment.order_id],
      type: 'updated',
      payload: {
        event: 'refund_reversed',
        paymentId: payment.id,
        refundId: refund.id,
        kind: refund.kind,
        amount,
        currency: payment.currency,
        reason: reason.slice(0, 255),
        refundedAmount: Number(row!.refunded_amount),
      },
    });
  }

  /**
   * A dispute opened, moved or closed (Stripe's `charge.dispute.*`), in the webhook's transaction: the payment
   * records where it stands, the order's timeline says so, staff are told (`payment_dispute`). A closed dispute
   * does not reopen (a late copy of an earlier event). Lost: the money went back to the customer through their
   * bank, so it is counted as given back (a `payment_refund` of kind `dispute`, up to what the payment still
   * held), as a refund made at the gateway is: the order moves to (partially_)refunded, invoicing credits it.
   * Won after it was lost (an appeal): that is reversed.
   */
  private async applyDispute(
    tx: EntityManager,
    paymentId: string,
    dispute: ProviderDisputeEvent,
  ): Promise<void> {
    const [payment] = await tx.execute<PaymentRow[]>(
      `SELECT ${COLUMNS} FROM payment WHERE id = ? FOR UPDATE`,
      [paymentId],
    );
    if (!payment) return;
    const before = payment.dispute_status;
    const closed = (status: DisputeStatus | null) => status === 'won' || status === 'lost';
    if (before === dispute.status || (closed(before) && !closed(dispute.status))) return;
    const [row] = await tx.execute<PaymentRow[]>(
      `UPDATE payment SET dispute_ref = ?, dispute_status = ?, dispute_amount = ?, dispute_reason = ?,
              dispute_due_by = ?, disputed_at = COALESCE(disputed_at, now()), version = version + 1, updated_at = now()
        WHERE id = ? RETURNING ${COLUMNS}`,
      [
        dispute.ref.slice(0, 255),
        dispute.status,
        dispute.amount,
        dispute.reason?.slice(0, 64) ?? null,
        dispute.evidenceDueBy ?? null,
        paymentId,
      ],
    );
    const message = disputeMessage(dispute.status, formatMoney(dispute.amount, payment.currency), dispute);
    if (dispute.status === 'lost') await this.countDisputeLost(tx, row!, dispute, message);
    else await this.orders.addPaymentEvent(tx, payment.order_id, message);
    if (before === 'lost' && dispute.status === 'won') {
      const [lost] = await tx.execute<OpenRefund[]>(
        `SELECT id, amount, reason, status, kind, lines, provider_ref FROM payment_refund
          WHERE payment_id = ? AND kind = 'dispute' AND provider_ref = ?`,
        [paymentId, dispute.ref],
      );
      if (lost) await this.reverseRefund(tx, row!, lost, null, 'won on appeal');
    }
    // Named by its number too, as the orders context's own events are: staff's alert says which order.
    const number = await this.orders.orderNumber(tx, payment.order_id);
    recordChange(tx, {
      resource: 'orders',
      ids: [payment.order_id],
      type: 'updated',
      payload: {
        event: 'payment_dispute',
        ...(number ? { number } : {}),
        paymentId,
        status: dispute.status,
        amount: dispute.amount,
        currency: payment.currency,
        ...(dispute.reason ? { reason: dispute.reason.slice(0, 64) } : {}),
        ...(dispute.evidenceDueBy ? { evidenceDueBy: dispute.evidenceDueBy.toISOString() } : {}),
      },
    });
  }

  /** A lost dispute: the money the payment still held, up to the disputed amount, counted as given back, once. */
  private async countDisputeLost(
    tx: EntityManager,
    payment: PaymentRow,
    dispute: ProviderDisputeEvent,
    message: string,
  ): Promise<void> {
    const amount = Math.min(
      dispute.amount,
      Number(payment.captured_amount) - Number(payment.refunded_amount),
    );
    if (payment.status !== 'captured' || amount <= 0) {
      await this.orders.addPaymentEvent(
        tx,
        payment.order_id,
        `${message} (already refunded: nothing more is counted)`,
      );
      return;
    }
    const reason = `dispute lost${dispute.reason ? `: ${dispute.reason}` : ''}`.slice(0, 255);
    const [refund] = await tx.execute<{ id: string }[]>(
      `INSERT INTO payment_refund (id, created_at, updated_at, succeeded_at, payment_id, amount, reason, status, lines, kind, provider_ref)
       VALUES (gen_random_uuid(), now(), now(), now(), ?, ?, ?, 'succeeded', '[]'::jsonb, 'dispute', ?)
       ON CONFLICT (provider_ref) DO NOTHING RETURNING id`,
      [payment.id, amount, reason, dispute.ref.slice(0, 255)],
    );
    if (!refund) return;
    const [moved] = await tx.execute<PaymentRow[]>(
      `UPDATE payment SET refunded_amount = refunded_amount + ?, version = version + 1, updated_at = now()
        WHERE id = ? RETURNING ${COLUMNS}`,
      [amount, payment.id],
    );
    await this.orders.addGatewayRefund(
      tx,
      payment.order_id,
      amount,
      amount < dispute.amount
        ? `${message} (${formatMoney(amount, payment.currency)} counted: the rest was refunded already)`
        : message,
    );
    recordRefunded(tx, moved!, { id: refund.id, amount, lines: [], reason });
  }

  private async findForEvent(state: ProviderPayment): Promise<PaymentRow | undefined> {
    const em = this.em();
    const [byRef] = await prepared<PaymentRow>(
      em,
      `SELECT ${COLUMNS} FROM payment WHERE provider = ? AND provider_ref = ?`,
      [this.deps.provider.id, state.ref],
    );
    if (byRef) return byRef;
    // An event can overtake the synchronous answer that stores the gateway's id: match on our own id in its metadata.
    if (!state.paymentId || !/^[0-9a-f-]{36}$/i.test(state.paymentId)) return undefined;
    const [byId] = await prepared<PaymentRow>(
      em,
      `SELECT ${COLUMNS} FROM payment WHERE id = ? AND provider = ? AND (provider_ref IS NULL OR provider_ref = ?)`,
      [state.paymentId, this.deps.provider.id, state.ref],
    );
    return byId;
  }

  /**
   * Applies the gateway's view of a payment in a transaction of its own: the row as this call left it, if it moved it.
   * `orderId` (checkout knows it): when the status pays the order, the order's transition is sent in the same
   * round trip as the payment's, before knowing that the payment moved; if it did not (another path moved it
   * first), the transaction is rolled back, the order's change with it.
   */
  private async apply(
    paymentId: string,
    state: ProviderPayment,
    orderId?: string,
  ): Promise<PaymentRow | undefined> {
    const pays = orderId !== undefined && this.paysOrder(state.status);
    try {
      return await this.em().transactional((tx) =>
        this.transition(tx, paymentId, state, pays ? orderId : undefined),
      );
    } catch (err) {
      if (err === NOT_MOVED) return undefined;
      throw err;
    }
  }

  /** A payment in this status secures the money: its order is paid (manual capture pays at authorization). */
  private paysOrder(status: PaymentStatus): boolean {
    return status === 'captured' || (status === 'authorized' && this.deps.captureMode === 'manual');
  }

  /**
   * Moves the payment to the gateway's status if the transition table allows it from where it is now, and
   * runs that transition's effects in the same transaction. Returns the moved row if this caller made the move.
   */
  private async transition(
    tx: EntityManager,
    paymentId: string,
    state: ProviderPayment,
    /** Given only in a transaction of the transition's own (`apply`): the order this payment pays. */
    paidOrderId?: string,
  ): Promise<PaymentRow | undefined> {
    const target: PaymentStatus = state.status;
    const update = [
      `UPDATE payment SET status = ?, provider_ref = COALESCE(provider_ref, NULLIF(?, '')), brand = COALESCE(?, brand), last4 = COALESCE(?, last4),
              decline_code = COALESCE(?, decline_code),
              captured_amount = CASE WHEN ? = 'captured' THEN COALESCE(?::bigint, amount) ELSE captured_amount END,
              settled_at = CASE WHEN ? IN ('captured', 'canceled') THEN now() END,
              version = version + 1, updated_at = now()
        WHERE id = ? AND status = ANY(?::text[])
        RETURNING ${COLUMNS}`,
      [
        target,
        state.ref,
        state.brand?.slice(0, 32) ?? null,
        state.last4?.slice(-4) ?? null,
        state.declineCode?.slice(0, 64) ?? null,
        target,
        // Gateways that do not report the captured amount captured all of it.
        target === 'captured' && state.capturedAmount > 0 ? state.capturedAmount : null,
        target,
        paymentId,
        `{${allowedFrom(target).join(',')}}`,
      ],
    ] as const;
    let row: PaymentRow | undefined;
    let paid: MarkPaidOutcome | undefined;
    if (paidOrderId) {
      // The payment's UPDATE travels with the order's transition (ADR 0040): one round trip for both.
      const moved = await queued<PaymentRow>(tx, ...update);
      paid = await this.orders.markPaid(tx, paidOrderId, paymentId);
      row = (await moved.rows)[0];
      if (!row) throw NOT_MOVED;
      // Checkout's payment is its order's (openPayment, paymentFor): anything else is a bug, not a race.
      if (row.order_id !== paidOrderId) throw CommonErrors.internal();
    } else {
      row = (await prepared<PaymentRow>(tx, ...update))[0];
    }
    if (!row) return undefined;
    const changedFurther = await this.effects(tx, row, paid);
    // Unknown (read again by the caller) when an effect changed the payment row after this UPDATE.
    return changedFurther ? undefined : row;
  }

  /** What a status reached means for the order, in the transaction that reached it. */
  /** Returns true when it changed the payment row itself (marked it orphaned). */
  /** `paid`: what markPaid answered when the transition already sent it (`transition` with an order). */
  private async effects(tx: EntityManager, row: PaymentRow, paid?: MarkPaidOutcome): Promise<boolean> {
    const base = { paymentId: row.id, currency: row.currency };
    const markPaid = async () => paid ?? (await this.orders.markPaid(tx, row.order_id, row.id));
    switch (row.status) {
      case 'captured':
        if ((await markPaid()) === 'cancelled') {
          await this.markOrphaned(tx, row, Number(row.captured_amount), 'captured', 'refunded');
          return true;
        }
        recordChange(tx, {
          resource: 'orders',
          ids: [row.order_id],
          type: 'updated',
          payload: { event: 'payment_captured', ...base, amount: Number(row.captured_amount) },
        });
        break;
      case 'authorized':
        // With manual capture the money is secured at authorization: the order is paid, captured later.
        if (this.deps.captureMode === 'manual') {
          if ((await markPaid()) === 'cancelled') {
            await this.markOrphaned(tx, row, Number(row.amount), 'authorized', 'voided');
            return true;
          }
          recordChange(tx, {
            resource: 'orders',
            ids: [row.order_id],
            type: 'updated',
            payload: { event: 'payment_authorized', ...base, amount: Number(row.amount) },
          });
        }
        break;
      case 'declined': {
        const reason = row.decline_code ?? 'declined';
        await this.orders.markPaymentFailed(tx, row.order_id, reason);
        recordChange(tx, {
          resource: 'orders',
          ids: [row.order_id],
          type: 'updated',
          payload: { event: 'payment_failed', ...base, reason },
        });
        break;
      }
      case 'canceled':
        if (row.orphaned_at)
          await this.orders.addPaymentEvent(
            tx,
            row.order_id,
            `Payment of ${formatMoney(Number(row.amount), row.currency)} voided automatically: ${GIVE_BACK_REASON}`,
            {
              key: 'payment.voided_order_cancelled',
              params: { amount: money(Number(row.amount), row.currency) },
            },
          );
        recordChange(tx, {
          resource: 'orders',
          ids: [row.order_id],
          type: 'updated',
          payload: { event: 'payment_canceled', ...base },
        });
        break;
      default:
        break;
    }
    return false;
  }

  /**
   * After any change: an authorized payment under automatic capture is captured now, by exactly one caller,
   * unless its order was cancelled meanwhile (expired while the shopper was at the bank): then it is not
   * captured but voided. A payment that succeeded for a cancelled order gives its money back here.
   * `known`: the row as this caller's committed transition left it (saves reading it again).
   */
  private async settle(paymentId: string, known?: PaymentRow): Promise<PaymentRow> {
    let payment = known ?? (await this.find(paymentId));
    if (!payment) throw CommonErrors.notFound('No such payment');
    if (payment.status === 'authorized' && !payment.orphaned_at && this.deps.captureMode === 'automatic') {
      if (await this.orders.isCancelled(this.em(), payment.order_id)) {
        const authorized = payment;
        await this.em().transactional((tx) =>
          this.markOrphaned(tx, authorized, Number(authorized.amount), 'authorized', 'voided'),
        );
        payment = (await this.find(paymentId))!;
      } else {
        payment = await this.captureClaimed(payment, undefined);
      }
    }
    if (payment.orphaned_at) payment = await this.giveBack(payment);
    return payment;
  }

  /**
   * The payment succeeded for an order that was cancelled first: the order stays cancelled (its stock is
   * gone) and the money must go back. Marked in the transaction that saw it (so a crash before the give-back
   * leaves a mark the reconciliation job finds), written into the order's timeline, announced to staff.
   */
  private async markOrphaned(
    tx: EntityManager,
    row: PaymentRow,
    amount: number,
    what: 'authorized' | 'captured',
    remedy: 'voided' | 'refunded',
    cause: 'paid after cancellation' | 'order cancelled' = 'paid after cancellation',
  ): Promise<void> {
    const marked = await tx.execute<{ id: string }[]>(
      `UPDATE payment SET orphaned_at = now(), version = version + 1, updated_at = now()
        WHERE id = ? AND orphaned_at IS NULL RETURNING id`,
      [row.id],
    );
    if (!marked.length) return;
    await this.orders.addPaymentEvent(
      tx,
      row.order_id,
      cause === 'order cancelled'
        ? `Order cancelled: the payment of ${formatMoney(amount, row.currency)} is ${remedy} automatically`
        : `Payment of ${formatMoney(amount, row.currency)} ${what} after the order was cancelled: it is ${remedy} automatically`,
      {
        key:
          cause === 'order cancelled'
            ? `payment.order_cancelled_${remedy}`
            : `payment.late_${what}_${remedy}`,
        params: { amount: money(amount, row.currency) },
      },
    );
    recordChange(tx, {
      resource: 'orders',
      ids: [row.order_id],
      type: 'updated',
      payload: {
        event: cause === 'order cancelled' ? 'payment_giving_back' : 'payment_after_cancellation',
        paymentId: row.id,
        currency: row.currency,
        amount,
      },
    });
  }

  /**
   * The order was cancelled (OrderOperations.cancel commits the cancellation first, so no parcel can be
   * labelled for it while its money goes back). A payment still open at the gateway is voided there; one
   * holding money (authorized, captured and not fully refunded, or being captured) is marked orphaned in its
   * own transaction, then voided or refunded now. A gateway failure is logged, not thrown: the mark stays
   * and the reconciliation job finishes the give-back (ADR 0034).
   */
  async giveBackCancelled(orderId: string): Promise<void> {
    const rows = await this.forOrder(orderId, [
      'pending',
      'requires_action',
      'authorized',
      'capturing',
      'captured',
    ]);
    for (const row of rows) {
      try {
        if (row.status === 'pending' || row.status === 'requires_action') {
          await this.voidOpen(row);
          continue;
        }
        if (row.status === 'captured' && !PaymentsService.holdsMoney(row)) continue;
        const amount =
          row.status === 'captured'
            ? Number(row.captured_amount) - Number(row.refunded_amount)
            : Number(row.amount);
        const what = row.status === 'authorized' ? 'authorized' : 'captured';
        await this.em().transactional((tx) =>
          this.markOrphaned(
            tx,
            row,
            amount,
            what,
            what === 'authorized' ? 'voided' : 'refunded',
            'order cancelled',
          ),
        );
        // Being captured: the reconciliation job learns the capture's outcome first, then gives it back.
        if (row.status !== 'capturing') await this.settle(row.id);
      } catch (err) {
        this.deps.log.error(
          { err, paymentId: row.id, orderId },
          "could not give back a cancelled order's payment; the reconciliation job retries",
        );
      }
    }
  }

  /**
   * Gives back the money of an orphaned payment: voids an authorization, refunds what was captured and not
   * yet refunded. Safe to repeat and to race (the void is re-read from the gateway, the refund reserves
   * first). A gateway failure is logged, not thrown: the payment keeps its mark and the reconciliation job
   * tries again.
   */
  private async giveBack(payment: PaymentRow): Promise<PaymentRow> {
    try {
      if (payment.status === 'authorized' && payment.provider_ref) {
        let state: ProviderPayment;
        try {
          state = await this.deps.provider.cancel(payment.provider_ref);
        } catch (err) {
          if (!(err instanceof GatewayError)) throw err;
          // Voided by a concurrent caller, or captured after all: the gateway's current view decides.
          state = await this.deps.provider.retrieve(payment.provider_ref);
        }
        await this.apply(payment.id, state);
        payment = (await this.find(payment.id))!;
      }
      const left = Number(payment.captured_amount) - Number(payment.refunded_amount);
      if (payment.status === 'captured' && left > 0) {
        await this.refundPayment(payment, left, GIVE_BACK_REASON, true).catch((err: unknown) => {
          // Another caller reserved the same refund first: it is theirs to finish.
          if (!(err instanceof AppError && err.code === 'MCART_ERR_REFUND_EXCEEDS_CAPTURED')) throw err;
        });
        payment = (await this.find(payment.id))!;
      }
    } catch (err) {
      this.deps.log.error(
        { err, paymentId: payment.id, orderId: payment.order_id },
        'could not give back the payment of a cancelled order; the reconciliation job retries',
      );
    }
    return payment;
  }

  /** Whether the orphaned payment still holds money (an authorization, or a capture not fully refunded). */
  private static holdsMoney(payment: PaymentRow): boolean {
    return (
      payment.status === 'authorized' ||
      (payment.status === 'captured' && Number(payment.refunded_amount) < Number(payment.captured_amount))
    );
  }

  /**
   * The cleanup after a crash (scheduled job `payments.reconcile`). A process killed between a gateway call
   * and its commit leaves a payment `pending` (authorize sent, answer lost) or `capturing` (capture sent,
   * answer lost). For each older than `olderThanMinutes`, the gateway's view goes through the same `apply`
   * + `settle` as a webhook, so the order becomes paid (or failed) by the one path that does it:
   * - `pending`: the gateway's payment carrying our id; none there means the call never reached it: the
   *   payment is declined (`not_submitted`) and the order fails like any decline (stock released, cart open).
   * - `capturing`: the gateway says captured (→ paid), still authorized (→ back to authorized, captured again
   *   under automatic capture) or canceled.
   * - orphaned payments still holding money (a crash between seeing them and giving the money back).
   * - refunds left `pending` (reserved, gateway answer lost): sent again under their own idempotency key.
   */
  async reconcile(olderThanMinutes: number, limit = 100): Promise<ReconcileOutcome> {
    const outcome: ReconcileOutcome = { checked: 0, givenBack: 0, failed: 0 };
    const em = this.em();
    const stuck = await em.execute<PaymentRow[]>(
      `SELECT ${COLUMNS} FROM payment
        WHERE provider = ? AND status IN ('pending', 'capturing') AND updated_at < now() - make_interval(mins => ?)
        ORDER BY updated_at LIMIT ?`,
      [this.deps.provider.id, olderThanMinutes, limit],
    );
    for (const payment of stuck) {
      outcome.checked++;
      try {
        let state: ProviderPayment | undefined;
        if (payment.provider_ref) state = await this.deps.provider.retrieve(payment.provider_ref);
        else state = await this.deps.provider.findByPaymentId(payment.id);
        if (!state) {
          // The authorize call never reached the gateway: nothing was taken, the order's payment failed.
          state = {
            ref: '',
            status: 'declined',
            amount: Number(payment.amount),
            capturedAmount: 0,
            declineCode: 'not_submitted',
          };
        }
        await this.apply(payment.id, state);
        await this.settle(payment.id);
      } catch (err) {
        outcome.failed++;
        this.deps.log.error({ err, paymentId: payment.id }, 'could not reconcile a payment in flight');
      }
    }
    const orphans = await em.execute<PaymentRow[]>(
      `SELECT ${COLUMNS} FROM payment
        WHERE provider = ? AND orphaned_at IS NOT NULL AND orphaned_at < now() - make_interval(mins => ?)
          AND (status = 'authorized' OR (status = 'captured' AND refunded_amount < captured_amount))
          -- A refund that failed after it went through (a closed card) would fail again: staff settle it.
          AND NOT EXISTS (SELECT 1 FROM payment_refund r WHERE r.payment_id = payment.id AND r.reversed_at IS NOT NULL)
        ORDER BY orphaned_at LIMIT ?`,
      [this.deps.provider.id, olderThanMinutes, limit],
    );
    for (const orphan of orphans) {
      const after = await this.giveBack(orphan);
      if (PaymentsService.holdsMoney(after)) outcome.failed++;
      else outcome.givenBack++;
    }
    outcome.failed += await this.retryPendingRefunds(olderThanMinutes, limit);
    return outcome;
  }

  /**
   * Claims the payment (authorized → capturing, committed), then captures at the gateway outside any
   * transaction, then applies the answer. A caller that loses the claim does nothing: one capture only.
   */
  private async captureClaimed(
    payment: PaymentRow,
    amount: number | undefined,
    /** Staff's capture: one that another caller took first is refused, not answered as if this one captured. */
    refuseIfTaken = false,
  ): Promise<PaymentRow> {
    const em = this.em();
    const claimed = await em.execute<PaymentRow[]>(
      `UPDATE payment SET status = 'capturing', version = version + 1, updated_at = now()
        WHERE id = ? AND status = 'authorized' RETURNING ${COLUMNS}`,
      [payment.id],
    );
    if (!claimed[0]) {
      const now = (await this.find(payment.id))!;
      if (refuseIfTaken)
        throw PaymentErrors.notCapturable(
          now.status === 'capturing'
            ? 'The payment is being captured'
            : now.status === 'captured'
              ? 'The payment was captured already'
              : `The payment is ${now.status}: nothing to capture`,
        );
      return now;
    }
    let state: ProviderPayment;
    try {
      state = await this.deps.provider.capture(payment.provider_ref!, amount, `mcart-capture-${payment.id}`);
    } catch (err) {
      await em.execute(
        `UPDATE payment SET status = 'authorized', version = version + 1, updated_at = now() WHERE id = ? AND status = 'capturing'`,
        [payment.id],
      );
      this.deps.log.error({ err, paymentId: payment.id }, 'capture failed; the payment stays authorized');
      throw PaymentErrors.gateway('The gateway did not capture the payment');
    }
    return (await this.apply(payment.id, state)) ?? (await this.find(payment.id))!;
  }

  private async gateway<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if (err instanceof GatewayError) {
        this.deps.log.error({ err }, 'payment gateway call failed');
        throw PaymentErrors.gateway();
      }
      throw err;
    }
  }

  private async forOrder(orderId: string, statuses: PaymentStatus[]): Promise<PaymentRow[]> {
    return this.em().execute<PaymentRow[]>(
      `SELECT ${COLUMNS} FROM payment WHERE order_id = ? AND status = ANY(?::text[]) ORDER BY created_at`,
      [orderId, `{${statuses.join(',')}}`],
    );
  }

  /** Captures the order's authorized payment (manual capture), all of it or `amount`. Idempotent once captured. */
  async capture(orderId: string, amount?: number): Promise<PaymentDtoType> {
    if (amount !== undefined && (!Number.isSafeInteger(amount) || amount <= 0)) {
      throw CommonErrors.validation('The amount must be a positive whole number', {
        errors: [{ path: 'body/amount', message: 'must be a positive integer' }],
      });
    }
    const [authorized] = await this.forOrder(orderId, ['authorized']);
    if (authorized) {
      if (amount !== undefined && amount > Number(authorized.amount)) {
        throw CommonErrors.validation('The amount exceeds the authorization', {
          errors: [{ path: 'body/amount', message: 'exceeds the authorized amount' }],
        });
      }
      return this.dto(await this.captureClaimed(authorized, amount, true));
    }
    // Nothing left to capture: said so, so no caller records a capture that did not happen.
    const [done] = await this.forOrder(orderId, ['captured', 'capturing']);
    if (done)
      throw PaymentErrors.notCapturable(
        done.status === 'capturing' ? 'The payment is being captured' : 'The payment was captured already',
      );
    throw PaymentErrors.notCapturable();
  }

  /** Voids the order's open payment (authorized or waiting for the shopper). */
  async cancel(orderId: string): Promise<PaymentDtoType | null> {
    const [open] = await this.forOrder(orderId, ['pending', 'requires_action', 'authorized']);
    if (!open) {
      if ((await this.forOrder(orderId, ['captured', 'capturing'])).length)
        throw PaymentErrors.notCancelable();
      return null;
    }
    await this.voidOpen(open);
    return this.dto((await this.find(open.id))!);
  }

  /**
   * Voids a payment not captured, at the gateway. One the gateway has not answered yet (no reference) is left
   * pending: its authorize call may still be on its way (checkout sends it after the order committed), and
   * closing the row here would refuse that call's answer while the gateway keeps the money. Its answer comes
   * back through `apply` (money taken for a cancelled order is marked orphaned and given back), or the
   * reconciliation job asks the gateway about it once it is old (`reconcile`: not found → declined).
   */
  private async voidOpen(open: PaymentRow): Promise<void> {
    if (!open.provider_ref) return;
    const state = await this.gateway(() => this.deps.provider.cancel(open.provider_ref!));
    await this.apply(open.id, state);
  }

  /**
   * Refunds `amount` of the order's captured money. The amount is reserved first (a conditional UPDATE that
   * keeps refunded ≤ captured, committed), then sent to the gateway, then confirmed or released. `lines`: the
   * units a refund by line gives back (none for an amount), kept with the refund and told by its `refunded`
   * event, so each credit note lists its own refund's lines (ADR 0049).
   */
  async refund(
    orderId: string,
    amount: number,
    reason?: string,
    lines: RefundedLine[] = [],
    /** The orders context's reservation: the refund takes its id, so finishing one finishes the other. */
    refundId?: string,
  ): Promise<PaymentDtoType> {
    if (!Number.isSafeInteger(amount) || amount <= 0) {
      throw CommonErrors.validation('The amount must be a positive whole number', {
        errors: [{ path: 'body/amount', message: 'must be a positive integer' }],
      });
    }
    const captured = await this.forOrder(orderId, ['captured']);
    const payment = captured.find(
      (row) => Number(row.captured_amount) - Number(row.refunded_amount) >= amount,
    );
    if (!payment) throw PaymentErrors.refundExceedsCaptured();
    if (refundId !== undefined && !UUID.test(refundId)) throw CommonErrors.internal();
    const kept = lines.map(({ orderLineId, quantity }) => ({ orderLineId, quantity }));
    return this.refundPayment(payment, amount, reason, false, kept, refundId);
  }

  /**
   * Refunds `amount` of one captured payment; `automatic` when MCart gives money back by itself (timeline).
   * Reserved first (committed), then sent, then: confirmed; given back when the gateway refused it (nothing
   * moved: 502 MCART_ERR_PAYMENT_GATEWAY as before); or, when its answer says nothing about the money (no answer
   * in time, a lost connection, a server error), left pending with its reservation (and the orders context's):
   * 502 MCART_ERR_REFUND_PENDING, and the reconciliation job finishes it (`retryPendingRefunds`).
   */
  private async refundPayment(
    payment: PaymentRow,
    amount: number,
    reason: string | undefined,
    automatic: boolean,
    lines: RefundedLine[] = [],
    id?: string,
  ): Promise<PaymentDtoType> {
    const refundId = await this.em().transactional(async (tx) => {
      const reserved = await tx.execute<{ id: string }[]>(
        `UPDATE payment SET refunded_amount = refunded_amount + ?, version = version + 1, updated_at = now()
          WHERE id = ? AND status = 'captured' AND refunded_amount + ? <= captured_amount RETURNING id`,
        [amount, payment.id, amount],
      );
      if (!reserved.length) return undefined;
      const [refund] = await tx.execute<{ id: string }[]>(
        `INSERT INTO payment_refund (id, created_at, updated_at, payment_id, amount, reason, status, lines)
         VALUES (COALESCE(?::uuid, gen_random_uuid()), now(), now(), ?, ?, ?, 'pending', ?::jsonb) RETURNING id`,
        [id ?? null, payment.id, amount, reason?.slice(0, 255) ?? null, JSON.stringify(lines)],
      );
      return refund!.id;
    });
    if (!refundId) throw PaymentErrors.refundExceedsCaptured();

    let answer: ProviderRefund;
    try {
      answer = await this.deps.provider.refund({
        ref: payment.provider_ref!,
        amount,
        idempotencyKey: `mcart-refund-${refundId}`,
        refundId,
        reason: reason?.slice(0, 255),
      });
    } catch (err) {
      if (gatewayRefused(err)) {
        const listed = await this.listedRefunds(payment.provider_ref);
        await this.em().transactional((tx) =>
          this.failRefund(tx, payment, refundId, amount, refusal(err), listed),
        );
        this.deps.log.error({ err, paymentId: payment.id, refundId }, 'refund refused by the gateway');
        throw PaymentErrors.gateway('The gateway did not refund the payment');
      }
      this.deps.log.error(
        { err, paymentId: payment.id, refundId },
        'refund outcome unknown: left pending for the reconciliation job',
      );
      throw PaymentErrors.refundPending(
        `The payment gateway did not confirm the refund of ${formatMoney(amount, payment.currency)}: it may have gone through. ` +
          'It stays pending and is confirmed automatically, usually within minutes (up to a day when the gateway itself failed), or given back if the gateway refused it. Do not refund it again.',
        { refundId, amount },
      );
    }
    await this.em().transactional((tx) =>
      this.confirmRefund(tx, payment, { id: refundId, amount, reason, lines }, answer.ref, automatic),
    );
    return this.dto((await this.find(payment.id))!);
  }

  /**
   * The gateway refunded (or took the refund, to finish later): the refund row succeeds (once) and the refund is
   * announced, in the caller's transaction. A staff refund finishes the orders context's reservation of the same
   * id in it too (restock, the customer's e-mail), so neither can be recorded without the other.
   */
  private async confirmRefund(
    tx: EntityManager,
    payment: PaymentRow,
    /** `lines` null for a refund reserved before its lines were kept: invoicing then infers them. */
    refund: { id: string; amount: number; reason: string | undefined; lines: RefundedLine[] | null },
    providerRef: string,
    automatic: boolean,
  ): Promise<void> {
    const orderId = payment.order_id;
    const { id: refundId, amount, reason, lines } = refund;
    const confirmed = await tx.execute<{ id: string }[]>(
      `UPDATE payment_refund SET status = 'succeeded', provider_ref = ?, succeeded_at = COALESCE(succeeded_at, now()),
              updated_at = now()
        WHERE id = ? AND status = 'pending' RETURNING id`,
      [providerRef, refundId],
    );
    if (!confirmed.length) return;
    const [row] = await tx.execute<PaymentRow[]>(`SELECT ${COLUMNS} FROM payment WHERE id = ?`, [payment.id]);
    // Staff refunds are written into the timeline by the orders context; this one has no other author.
    if (automatic) {
      await this.orders.addPaymentEvent(
        tx,
        orderId,
        `Refunded ${formatMoney(amount, payment.currency)} automatically: ${reason ?? GIVE_BACK_REASON}`,
        reason && reason !== GIVE_BACK_REASON
          ? { key: 'refund.automatic', params: { amount: money(amount, payment.currency), note: reason } }
          : { key: 'refund.automatic_order_cancelled', params: { amount: money(amount, payment.currency) } },
      );
      await this.orders.addAutomaticRefund(tx, orderId, amount);
    } else {
      await this.orders.refundConfirmed(tx, orderId, refundId);
    }
    recordRefunded(tx, row!, { id: refundId, amount, lines, reason });
  }

  /**
   * The gateway refused the refund (nothing moved): the row fails (once, with the gateway's reason), the payment's
   * reservation is given back, and so is the orders context's of the same id, in the caller's transaction.
   * `listed`: the gateway's refunds of the payment, asked after it refused: one made outside MCart that this
   * reservation had left no room for is counted now, in the same transaction (`recordGatewayRefunds`).
   */
  private async failRefund(
    tx: EntityManager,
    payment: PaymentRow,
    refundId: string,
    amount: number,
    reason: string,
    listed?: readonly ProviderListedRefund[],
  ): Promise<void> {
    const failed = await tx.execute<{ id: string }[]>(
      `UPDATE payment_refund SET status = 'failed', failure_reason = ?, updated_at = now()
        WHERE id = ? AND status = 'pending' RETURNING id`,
      [reason.slice(0, 255), refundId],
    );
    if (!failed.length) return;
    await tx.execute(
      `UPDATE payment SET refunded_amount = refunded_amount - ?, version = version + 1, updated_at = now() WHERE id = ?`,
      [amount, payment.id],
    );
    await this.orders.refundRefused(tx, payment.order_id, refundId, reason);
    if (listed) await this.recordGatewayRefunds(tx, payment.id, listed);
  }

  /** Whether a refund of this payment was MCart giving money back by itself (a cancelled order's payment). */
  private static automatic(payment: PaymentRow, reason: string | null | undefined): boolean {
    return (
      payment.orphaned_at !== null && (reason === GIVE_BACK_REASON || reason === LEGACY_GIVE_BACK_REASON)
    );
  }

  /**
   * Refunds left `pending` (amount reserved, the gateway's answer lost: a crash, a timeout): the gateway is asked
   * for the refund MCart sent under that id first (`findRefund`), and only when it has none is it sent again, under
   * its own idempotency key (a gateway that refunded meanwhile answers with that refund, never a second one). Its
   * answer finishes it as it would have then: confirmed, or given back (both reservations) when the gateway
   * refused or failed it. No answer again: left pending for the next run.
   */
  private async retryPendingRefunds(olderThanMinutes: number, limit: number): Promise<number> {
    const pending = await this.em().execute<
      (RefundRow & { provider_ref: string | null; lines: RefundedLine[] | null })[]
    >(
      `SELECT r.id, r.payment_id, r.amount, r.reason, r.status, r.created_at, p.provider_ref, r.lines
         FROM payment_refund r JOIN payment p ON p.id = r.payment_id
        WHERE r.status = 'pending' AND p.provider = ? AND r.updated_at < now() - make_interval(mins => ?)
        ORDER BY r.updated_at LIMIT ?`,
      [this.deps.provider.id, olderThanMinutes, limit],
    );
    let failed = 0;
    for (const refund of pending) {
      const amount = Number(refund.amount);
      const reason = refund.reason ?? undefined;
      let payment: PaymentRow | undefined;
      try {
        payment = (await this.find(refund.payment_id))!;
        const paid = payment;
        const idempotencyKey = `mcart-refund-${refund.id}`;
        const answer =
          (await this.deps.provider.findRefund(refund.provider_ref!, { id: refund.id, idempotencyKey })) ??
          (await this.deps.provider.refund({
            ref: refund.provider_ref!,
            amount,
            idempotencyKey,
            refundId: refund.id,
            reason,
          }));
        // A failed refund gives its reservation back: with the gateway's refunds, asked now (a failure to ask is
        // not a refusal: the refund stays pending for the next run).
        const listed = answer.status === 'failed' ? await this.mustList(refund.provider_ref!) : undefined;
        await this.em().transactional((tx) =>
          answer.status === 'failed'
            ? this.failRefund(tx, paid, refund.id, amount, answer.failureReason ?? 'failed', listed)
            : this.confirmRefund(
                tx,
                paid,
                { id: refund.id, amount, reason, lines: refund.lines },
                answer.ref,
                PaymentsService.automatic(paid, reason),
              ),
        );
      } catch (err) {
        if (payment && gatewayRefused(err)) {
          // It has no such refund (asked first) and refused this one: nothing moved, both reservations go back,
          // with the gateway's refunds (one made outside MCart that this one left no room for is counted now).
          const refused = payment;
          try {
            const listed = await this.mustList(refund.provider_ref!);
            await this.em().transactional((tx) =>
              this.failRefund(tx, refused, refund.id, amount, refusal(err), listed),
            );
          } catch (undoErr) {
            failed++;
            this.deps.log.error(
              { err: undoErr, refundId: refund.id },
              'could not give back a refused refund: the next run tries again',
            );
            continue;
          }
          this.deps.log.warn(
            { err, refundId: refund.id },
            'a pending refund was refused by the gateway: given back',
          );
          continue;
        }
        failed++;
        this.deps.log.error({ err, refundId: refund.id }, 'could not finish a pending refund');
      }
    }
    return failed;
  }

  /** The gateway's refunds of a payment; any failure to ask is an unknown outcome (never taken as a refusal). */
  private async mustList(paymentRef: string): Promise<ProviderListedRefund[]> {
    try {
      return await this.deps.provider.listRefunds(paymentRef);
    } catch (err) {
      throw new GatewayError("could not list the gateway's refunds", { cause: err, outcome: 'unknown' });
    }
  }

  /** Every payment of an order, oldest first, with its refunds (order detail screens). */
  async paymentsFor(orderId: string): Promise<PaymentDtoType[]> {
    const rows = await this.em().execute<PaymentRow[]>(
      `SELECT ${COLUMNS} FROM payment WHERE order_id = ? ORDER BY created_at, id`,
      [orderId],
    );
    return this.withRefunds(rows);
  }

  async list(query: {
    orderId?: string | undefined;
    page: number;
    perPage: number;
    order: 'ASC' | 'DESC';
  }): Promise<{ data: PaymentDtoType[]; total: number }> {
    const em = this.em();
    const where = query.orderId ? `WHERE order_id = ?` : '';
    const params = query.orderId ? [query.orderId] : [];
    const rows = await em.execute<PaymentRow[]>(
      `SELECT ${COLUMNS} FROM payment ${where} ORDER BY created_at ${query.order === 'ASC' ? 'ASC' : 'DESC'}, id LIMIT ? OFFSET ?`,
      [...params, query.perPage, (query.page - 1) * query.perPage],
    );
    const [count] = await em.execute<{ total: string }[]>(
      `SELECT count(*)::text AS total FROM payment ${where}`,
      params,
    );
    return { data: await this.withRefunds(rows), total: Number(count?.total ?? 0) };
  }

  private async withRefunds(rows: PaymentRow[]): Promise<PaymentDtoType[]> {
    if (!rows.length) return [];
    const refunds = await this.em().execute<RefundRow[]>(
      `SELECT ${REFUND_COLUMNS} FROM payment_refund WHERE payment_id = ANY(?::uuid[]) ORDER BY created_at, id`,
      [`{${rows.map((row) => row.id).join(',')}}`],
    );
    return rows.map((row) => toDto(row, refunds));
  }

  private async dto(row: PaymentRow): Promise<PaymentDtoType> {
    return (await this.withRefunds([row]))[0]!;
  }

  /** The shopper's view of one payment. */
  async status(paymentId: string): Promise<PaymentRow> {
    const payment = await this.find(paymentId);
    if (!payment) throw CommonErrors.notFound('No such payment');
    return payment;
  }
}

export type { PaymentRow };
