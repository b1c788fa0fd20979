import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { baseProperties } from '../../platform/entity.ts';

export const PAYMENT_STATUSES = [
  'pending',
  'requires_action',
  'authorized',
  'capturing',
  'captured',
  'declined',
  'canceled',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** A dispute open (`needs_response`: evidence due; `under_review`) or closed (`won`, `lost`: the money is gone). */
export const DISPUTE_STATUSES = ['needs_response', 'under_review', 'won', 'lost'] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];

/**
 * One payment attempt for an order. Status changes are conditional UPDATEs guarded by the transition table
 * in payments.service.ts (never read-modify-write), so concurrent webhooks and shoppers cannot both win.
 */
export const PaymentSchema = defineEntity({
  name: 'Payment',
  tableName: 'payment',
  properties: {
    ...baseProperties,
    /** The order (orders context) by id only. */
    orderId: p.uuid().index(),
    provider: p.string().length(32),
    providerRef: p.string().length(255).nullable().unique(),
    idempotencyKey: p.string().length(255),
    status: p.enum([...PAYMENT_STATUSES]),
    amount: p.bigint('number'),
    currency: p.string().length(3),
    capturedAmount: p.bigint('number').default(0),
    refundedAmount: p.bigint('number').default(0),
    brand: p.string().length(32).nullable(),
    last4: p.string().length(4).nullable(),
    declineCode: p.string().length(64).nullable(),
    /** When it was captured or canceled at the gateway (the sales report dates an uncaptured remainder by it). */
    settledAt: p.datetime().nullable(),
    /** The payment succeeded for an order already cancelled: its money goes back (void or refund). */
    orphanedAt: p.datetime().nullable(),
    /** A dispute (chargeback) of the payment, as the gateway last told it (ADR 0021, disputes). */
    disputeRef: p.string().length(255).nullable(),
    disputeStatus: p.enum([...DISPUTE_STATUSES]).nullable(),
    disputeAmount: p.bigint('number').nullable(),
    disputeReason: p.string().length(64).nullable(),
    disputeDueBy: p.datetime().nullable(),
    disputedAt: p.datetime().nullable(),
    version: p.integer().version(),
  },
});
export type Payment = InferEntity<typeof PaymentSchema>;

export const REFUND_STATUSES = ['pending', 'succeeded', 'failed'] as const;
/** `refund`: money given back (staff, automatic, or at the gateway); `dispute`: taken back by a lost dispute. */
export const REFUND_KINDS = ['refund', 'dispute'] as const;

export const PaymentRefundSchema = defineEntity({
  name: 'PaymentRefund',
  tableName: 'payment_refund',
  properties: {
    ...baseProperties,
    paymentId: p.uuid().index(),
    amount: p.bigint('number'),
    reason: p.string().length(255).nullable(),
    status: p.enum([...REFUND_STATUSES]),
    providerRef: p.string().length(255).nullable().unique(),
    /** A refund by line: its units (`[{ orderLineId, quantity }]`, none for an amount); null before they were kept. */
    lines: p.json<{ orderLineId: string; quantity: number }[]>().nullable(),
    kind: p.enum([...REFUND_KINDS]).default('refund'),
    /** Why it failed, in the gateway's words (a refusal, or a failure reported after it went through). */
    failureReason: p.string().length(255).nullable(),
    /** When it went through (confirmed by the gateway, or recorded as made): set once, kept when it is reversed. */
    succeededAt: p.datetime().nullable(),
    /** It had gone through, then failed at the gateway (or the lost dispute was won after all): not given back. */
    reversedAt: p.datetime().nullable(),
  },
});
export type PaymentRefund = InferEntity<typeof PaymentRefundSchema>;

/** Gateway events already applied: the unique (provider, event_id) makes a replay a no-op. */
export const PaymentWebhookEventSchema = defineEntity({
  name: 'PaymentWebhookEvent',
  tableName: 'payment_webhook_event',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    provider: p.string().length(32),
    eventId: p.string().length(255),
    type: p.string().length(128),
    paymentId: p.uuid().nullable(),
    receivedAt: p.datetime(),
  },
});
