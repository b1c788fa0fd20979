/**
 * The one boundary between MCart and a payment gateway. Domain code (payments.service.ts) only sees these
 * types; a gateway SDK is imported by its own provider file and nowhere else. Card data never crosses it:
 * the shop front-end tokenizes the card with the gateway, MCart passes the token and keeps ids, brand, last4.
 */

/** Where a gateway says a payment stands, in MCart's words. */
export type ProviderPaymentStatus = 'requires_action' | 'authorized' | 'captured' | 'declined' | 'canceled';

export interface ProviderPayment {
  /** The gateway's id for the payment (a PaymentIntent id, a test intent id). */
  ref: string;
  status: ProviderPaymentStatus;
  amount: number;
  capturedAmount: number;
  /** MCart's payment id as echoed back by the gateway (metadata), to match early webhooks. */
  paymentId?: string | undefined;
  /** Handed to the shop front-end so it can finish a required action (3-D Secure) with the gateway. */
  clientSecret?: string | undefined;
  declineCode?: string | undefined;
  brand?: string | undefined;
  last4?: string | undefined;
}

export interface AuthorizeInput {
  paymentId: string;
  orderId: string;
  amount: number;
  currency: string;
  token?: string | undefined;
  customerEmail: string;
  /** Sent to the gateway so a retried call never creates a second charge. */
  idempotencyKey: string;
  /** `manual`: only authorize; `automatic`: the gateway may capture at once (the service captures otherwise). */
  capture: 'automatic' | 'manual';
}

/** A refund as MCart sends it: its own id travels with it (gateway metadata), so it can be found again. */
export interface RefundInput {
  /** The payment's gateway reference. */
  ref: string;
  amount: number;
  /** `mcart-refund-<refundId>`: a refund sent again answers with the one the gateway made the first time. */
  idempotencyKey: string;
  /** MCart's refund id (`payment_refund.id`). */
  refundId: string;
  reason?: string | undefined;
}

export interface ProviderRefund {
  ref: string;
  amount: number;
  /**
   * `succeeded`: the money went back; `pending`: the gateway took the refund and finishes it later (counted as
   * given back; a later failure arrives as an event); `failed`: it did not go back (only from `findRefund`:
   * `refund` throws a refusal instead).
   */
  status: 'succeeded' | 'pending' | 'failed';
  /** Why a failed refund failed, in the gateway's words (`expired_or_canceled_card`). */
  failureReason?: string | undefined;
}

/** A refund the gateway holds for a payment, as its list gives it (`listRefunds`). */
export interface ProviderListedRefund extends ProviderRefund {
  /**
   * MCart's refund id when MCart made the refund (the gateway keeps it: Stripe metadata `mcart_refund_id`);
   * absent for a refund made outside MCart (the gateway's dashboard).
   */
  refundId?: string | undefined;
}

/** Where a dispute (chargeback, or the inquiry before one) stands, in MCart's words. */
export type ProviderDisputeStatus = 'needs_response' | 'under_review' | 'won' | 'lost';

/** A gateway event about one refund (created, updated, failed). */
export interface ProviderRefundEvent {
  /** The payment's gateway reference. */
  paymentRef: string;
  /** The refund's gateway reference. */
  ref: string;
  /** MCart's refund id when MCart made the refund (echoed back from metadata). */
  refundId?: string | undefined;
  amount: number;
  status: ProviderRefund['status'];
  failureReason?: string | undefined;
}

/** A gateway event about a dispute of a payment. */
export interface ProviderDisputeEvent {
  /** The payment's gateway reference. */
  paymentRef: string;
  /** The dispute's gateway reference. */
  ref: string;
  status: ProviderDisputeStatus;
  amount: number;
  /** The card network's reason (`fraudulent`, `product_not_received`...). */
  reason?: string | undefined;
  /** When evidence is due (a dispute waiting for the store's response). */
  evidenceDueBy?: Date | undefined;
}

/** A verified gateway event. At most one of `payment`, `refunded`, `refund`, `dispute`; none for event types MCart does not act on. */
export interface ProviderEvent {
  id: string;
  type: string;
  payment?: ProviderPayment | undefined;
  /**
   * The gateway refunded (part of) a payment (Stripe's `charge.refunded`): `amount` is what it has refunded in all,
   * refunds made outside MCart (in the gateway's dashboard) included. MCart records those from `listRefunds`, by
   * the gateway's id of each, never from the total.
   */
  refunded?: { ref: string; amount: number } | undefined;
  /** One refund's state (Stripe's `refund.*`, `charge.refund.updated`): a refund that failed after it was taken. */
  refund?: ProviderRefundEvent | undefined;
  /** A dispute opened, moved or closed (Stripe's `charge.dispute.*`). */
  dispute?: ProviderDisputeEvent | undefined;
}

export interface PaymentProvider {
  /** The id in routes and rows: `test`, `stripe`. */
  readonly id: string;
  /**
   * The gateway cannot pay without a token (the test gateway): a payment without one is the client's mistake,
   * refused before anything is written (400 on `body/payment/token`), not sent to be declined. Stripe does
   * without (a PaymentIntent the shop front-end confirms).
   */
  readonly tokenRequired?: boolean;
  /** Starts a payment with a token; declines are a `declined` status, not a throw. Throws only when the gateway fails. */
  authorize(input: AuthorizeInput): Promise<ProviderPayment>;
  /** Captures an authorized payment (all of it, or `amount`); idempotent per key. */
  capture(ref: string, amount: number | undefined, idempotencyKey: string): Promise<ProviderPayment>;
  /** Voids an authorization (or a payment still waiting for the shopper). */
  cancel(ref: string): Promise<ProviderPayment>;
  /**
   * Gives back `amount` of a captured payment (full or partial); idempotent per key. Throws a GatewayError
   * whose `outcome` says whether the gateway refused it (`refused`: nothing moved) or did not answer in a way
   * that says so (`unknown`: it may have refunded).
   */
  refund(input: RefundInput): Promise<ProviderRefund>;
  /**
   * The refund MCart sent for this payment under `refund.id` (and `refund.idempotencyKey`), or undefined when
   * the gateway has none: reconciliation of a refund whose answer was lost, before it is sent again.
   */
  findRefund(
    paymentRef: string,
    refund: { id: string; idempotencyKey: string },
  ): Promise<ProviderRefund | undefined>;
  /**
   * Every refund the gateway holds for this payment, oldest first, failed ones included, each with MCart's refund
   * id when MCart made it: refunds made outside MCart (its dashboard) are recorded from it, each once, by its id.
   */
  listRefunds(paymentRef: string): Promise<ProviderListedRefund[]>;
  /** The gateway's current view of a payment (the shopper's return from 3-D Secure). */
  retrieve(ref: string): Promise<ProviderPayment>;
  /**
   * The gateway's payment carrying MCart's payment id (sent as metadata at authorize), or undefined when
   * the gateway has none: reconciliation of a payment whose authorize answer was lost in a crash.
   */
  findByPaymentId(paymentId: string): Promise<ProviderPayment | undefined>;
  /**
   * Verifies the signature over the raw body (never a re-serialized one) and maps the event.
   * Throws WebhookSignatureError when the signature is missing, wrong or too old.
   */
  parseWebhook(
    rawBody: Buffer,
    headers: Record<string, string | string[] | undefined>,
  ): Promise<ProviderEvent>;
}

/**
 * What a failed gateway call says about the operation: `refused` when the gateway answered that it did not do
 * it (invalid request, card error, a refund that failed): nothing moved; `unknown` when there was no such
 * answer (timeout, connection lost, a server error, rate limited after the retries): it may have been done.
 */
export type GatewayOutcome = 'refused' | 'unknown';

/** Raised by a provider when the gateway answered with an error or not at all (not for declines). */
export class GatewayError extends Error {
  /** `unknown` unless the provider knows the gateway refused: the safe reading for money. */
  readonly outcome: GatewayOutcome;

  constructor(message: string, options?: { cause?: unknown; outcome?: GatewayOutcome }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.outcome = options?.outcome ?? 'unknown';
  }
}

/** True when the gateway definitively refused (nothing moved); false for any other failure. */
export const gatewayRefused = (err: unknown): boolean =>
  err instanceof GatewayError && err.outcome === 'refused';
