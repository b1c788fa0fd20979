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

export interface ProviderRefund {
  ref: string;
  amount: number;
}

/** A verified gateway event. `payment` and `refunded` are absent for event types MCart does not act on. */
export interface ProviderEvent {
  id: string;
  type: string;
  payment?: ProviderPayment | undefined;
  /**
   * What the gateway has refunded of a payment in all (Stripe's `charge.refunded`), refunds made outside MCart
   * (in the gateway's dashboard) included.
   */
  refunded?: { ref: string; amount: number } | undefined;
}

export interface PaymentProvider {
  /** The id in routes and rows: `test`, `stripe`. */
  readonly id: string;
  /** Starts a payment with a token; declines are a `declined` status, not a throw. Throws only when the gateway fails. */
  authorize(input: AuthorizeInput): Promise<ProviderPayment>;
  /** Captures an authorized payment (all of it, or `amount`); idempotent per key. */
  capture(ref: string, amount: number | undefined, idempotencyKey: string): Promise<ProviderPayment>;
  /** Voids an authorization (or a payment still waiting for the shopper). */
  cancel(ref: string): Promise<ProviderPayment>;
  /** Gives back `amount` of a captured payment (full or partial); idempotent per key. */
  refund(ref: string, amount: number, idempotencyKey: string, reason?: string): Promise<ProviderRefund>;
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

/** Raised by a provider when the gateway answered with an error or not at all (not for declines). */
export class GatewayError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GatewayError';
  }
}
