import Stripe from 'stripe';
import {
  GatewayError,
  type AuthorizeInput,
  type GatewayOutcome,
  type PaymentProvider,
  type ProviderDisputeStatus,
  type ProviderEvent,
  type ProviderListedRefund,
  type ProviderPayment,
  type ProviderRefund,
  type RefundInput,
} from '../provider.ts';
import { WebhookSignatureError } from '../payments.errors.ts';

/** The only file that imports the Stripe SDK. */

export interface StripeProviderOptions {
  secretKey: string;
  webhookSecret: string;
  /** Another API base (stripe-mock, a local test server); default api.stripe.com over HTTPS. */
  apiUrl?: string | undefined;
}

export const STRIPE_SIGNATURE_TOLERANCE_SECONDS = 300;

function clientOptions(apiUrl: string | undefined): Stripe.StripeConfig {
  const options: Stripe.StripeConfig = { maxNetworkRetries: 2, timeout: 20_000, telemetry: false };
  if (!apiUrl) return options;
  const url = new URL(apiUrl);
  return {
    ...options,
    host: url.hostname,
    port: url.port || (url.protocol === 'http:' ? 80 : 443),
    protocol: url.protocol === 'http:' ? 'http' : 'https',
  };
}

function mapStatus(intent: Stripe.PaymentIntent): ProviderPayment['status'] {
  switch (intent.status) {
    case 'succeeded':
      return 'captured';
    case 'requires_capture':
      return 'authorized';
    case 'canceled':
      return 'canceled';
    case 'requires_payment_method':
      // Back to "needs a payment method" after an attempt: that attempt was declined.
      return intent.last_payment_error ? 'declined' : 'requires_action';
    default:
      // requires_action, requires_confirmation, processing: the shopper or the bank still has to act.
      return 'requires_action';
  }
}

function card(intent: Stripe.PaymentIntent): { brand?: string; last4?: string } {
  const charge = intent.latest_charge;
  if (charge && typeof charge === 'object') {
    const details = charge.payment_method_details?.card;
    if (details)
      return { brand: details.brand ?? undefined, last4: details.last4 ?? undefined } as {
        brand?: string;
        last4?: string;
      };
  }
  const method = intent.payment_method;
  if (method && typeof method === 'object' && method.card)
    return { brand: method.card.brand, last4: method.card.last4 };
  return {};
}

function toPayment(intent: Stripe.PaymentIntent): ProviderPayment {
  const status = mapStatus(intent);
  const { brand, last4 } = card(intent);
  const declineCode = intent.last_payment_error?.decline_code ?? intent.last_payment_error?.code;
  return {
    ref: intent.id,
    status,
    amount: intent.amount,
    capturedAmount: intent.amount_received ?? 0,
    paymentId: intent.metadata?.paymentId,
    ...(status === 'requires_action' && intent.client_secret ? { clientSecret: intent.client_secret } : {}),
    ...(status === 'declined' && declineCode ? { declineCode } : {}),
    ...(brand ? { brand } : {}),
    ...(last4 ? { last4 } : {}),
  };
}

const EXPAND = ['latest_charge', 'payment_method'];

/**
 * What a failed call says about the operation. Stripe answered no (a 400/404 invalid request, a 402 card error,
 * a 401/403 key problem: the request was not carried out) → `refused`. Anything else says nothing about it: a
 * timeout or lost connection (the request may have run), a 5xx or 409 (the SDK retried with the same
 * idempotency key, and Stripe replays a saved 500), rate limited after the retries, an idempotency error.
 */
function outcomeOf(err: unknown): GatewayOutcome {
  if (
    err instanceof Stripe.errors.StripeInvalidRequestError ||
    err instanceof Stripe.errors.StripeCardError ||
    err instanceof Stripe.errors.StripeAuthenticationError ||
    err instanceof Stripe.errors.StripePermissionError
  )
    return 'refused';
  return 'unknown';
}

/** The metadata key carrying MCart's refund id, so a refund can be found again (`findRefund`, refund events). */
const REFUND_ID_KEY = 'mcart_refund_id';

function refundStatus(status: string | null): ProviderRefund['status'] {
  if (status === 'succeeded') return 'succeeded';
  if (status === 'failed' || status === 'canceled') return 'failed';
  // pending, requires_action: Stripe took it and finishes it later.
  return 'pending';
}

function toRefund(refund: Stripe.Refund): ProviderRefund {
  const status = refundStatus(refund.status);
  return {
    ref: refund.id,
    amount: refund.amount,
    status,
    ...(status === 'failed' ? { failureReason: refund.failure_reason ?? refund.status ?? 'failed' } : {}),
  };
}

const idOf = (value: string | { id: string } | null | undefined): string | undefined =>
  typeof value === 'string' ? value : (value?.id ?? undefined);

/** Stripe's dispute statuses in MCart's words; an inquiry (`warning_*`) and an appeal (`appeal_*`) are open too. */
const DISPUTE_STATUSES: Record<string, ProviderDisputeStatus> = {
  warning_needs_response: 'needs_response',
  needs_response: 'needs_response',
  appeal_needs_response: 'needs_response',
  warning_under_review: 'under_review',
  under_review: 'under_review',
  appeal_under_review: 'under_review',
  // Closed with the money staying with the store: won, an inquiry closed without a chargeback, prevented.
  won: 'won',
  warning_closed: 'won',
  prevented: 'won',
  lost: 'lost',
};

/** Refund events (since API 2024-10-28 `refund.*` cover card refunds too; `charge.refund.updated` before). */
const REFUND_EVENTS = new Set(['refund.created', 'refund.updated', 'refund.failed', 'charge.refund.updated']);
const DISPUTE_EVENTS = new Set([
  'charge.dispute.created',
  'charge.dispute.updated',
  'charge.dispute.closed',
  'charge.dispute.funds_withdrawn',
  'charge.dispute.funds_reinstated',
]);

/** Stripe event types that move a payment; everything else is acknowledged and ignored. */
const PAYMENT_EVENTS = new Set([
  'payment_intent.succeeded',
  'payment_intent.amount_capturable_updated',
  'payment_intent.payment_failed',
  'payment_intent.canceled',
  'payment_intent.requires_action',
]);

export class StripeProvider implements PaymentProvider {
  readonly id = 'stripe';
  private readonly stripe: Stripe;

  constructor(private readonly options: StripeProviderOptions) {
    this.stripe = new Stripe(options.secretKey, clientOptions(options.apiUrl));
  }

  private async call<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (err instanceof GatewayError) throw err;
      throw new GatewayError(`stripe: ${what} failed: ${(err as Error).message}`, {
        cause: err,
        outcome: outcomeOf(err),
      });
    }
  }

  async authorize(input: AuthorizeInput): Promise<ProviderPayment> {
    const params: Stripe.PaymentIntentCreateParams = {
      amount: input.amount,
      currency: input.currency.toLowerCase(),
      capture_method: input.capture === 'manual' ? 'manual' : 'automatic',
      receipt_email: input.customerEmail,
      metadata: { orderId: input.orderId, paymentId: input.paymentId },
      expand: EXPAND,
    };
    if (input.token) {
      // A PaymentMethod id (pm_...) from Stripe.js, or a legacy card token (tok_...) turned into one first.
      params.payment_method = input.token.startsWith('pm_')
        ? input.token
        : (
            await this.call('creating the payment method', () =>
              this.stripe.paymentMethods.create(
                { type: 'card', card: { token: input.token! } },
                { idempotencyKey: `${input.idempotencyKey}-pm` },
              ),
            )
          ).id;
      params.confirm = true;
      // No redirect-based methods: 3-D Secure is finished by Stripe.js with the client secret.
      params.automatic_payment_methods = { enabled: true, allow_redirects: 'never' };
    } else {
      params.automatic_payment_methods = { enabled: true };
    }
    try {
      return toPayment(
        await this.stripe.paymentIntents.create(params, { idempotencyKey: input.idempotencyKey }),
      );
    } catch (err) {
      // A decline is an answer, not a failure: Stripe reports it as a card error carrying the intent.
      if (err instanceof Stripe.errors.StripeCardError) {
        const intent = err.payment_intent;
        const declineCode = err.decline_code ?? err.code ?? 'card_declined';
        if (intent) return { ...toPayment(intent), status: 'declined', declineCode };
        throw new GatewayError(`stripe: declined without an intent (${declineCode})`, { cause: err });
      }
      throw new GatewayError(`stripe: creating the payment failed: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }

  async capture(ref: string, amount: number | undefined, idempotencyKey: string): Promise<ProviderPayment> {
    return this.call('capture', async () =>
      toPayment(
        await this.stripe.paymentIntents.capture(
          ref,
          { ...(amount !== undefined ? { amount_to_capture: amount } : {}), expand: EXPAND },
          { idempotencyKey },
        ),
      ),
    );
  }

  async cancel(ref: string): Promise<ProviderPayment> {
    return this.call('cancel', async () =>
      toPayment(await this.stripe.paymentIntents.cancel(ref, { expand: EXPAND })),
    );
  }

  async refund(input: RefundInput): Promise<ProviderRefund> {
    return this.call('refund', async () => {
      const refund = await this.stripe.refunds.create(
        {
          payment_intent: input.ref,
          amount: input.amount,
          // The reason as MCart keeps it (255 characters): a refund sent again must carry the same parameters.
          metadata: {
            [REFUND_ID_KEY]: input.refundId,
            ...(input.reason ? { reason: input.reason.slice(0, 255) } : {}),
          },
        },
        { idempotencyKey: input.idempotencyKey },
      );
      const answer = toRefund(refund);
      if (answer.status === 'failed')
        throw new GatewayError(`stripe: refund ${refund.id} ${refund.status} (${answer.failureReason})`, {
          outcome: 'refused',
        });
      return answer;
    });
  }

  async findRefund(
    paymentRef: string,
    refund: { id: string; idempotencyKey: string },
  ): Promise<ProviderRefund | undefined> {
    // The list (not the search API) is consistent at once: a refund made a moment ago is in it.
    return this.call('listing refunds', async () => {
      for await (const found of this.stripe.refunds.list({ payment_intent: paymentRef, limit: 100 }))
        if (found.metadata?.[REFUND_ID_KEY] === refund.id) return toRefund(found);
      return undefined;
    });
  }

  async listRefunds(paymentRef: string): Promise<ProviderListedRefund[]> {
    // The list (not the search API) is consistent at once; Stripe lists newest first.
    return this.call('listing refunds', async () => {
      const listed: (ProviderListedRefund & { created: number })[] = [];
      for await (const found of this.stripe.refunds.list({ payment_intent: paymentRef, limit: 100 })) {
        const refundId = found.metadata?.[REFUND_ID_KEY];
        listed.push({ ...toRefund(found), created: found.created, ...(refundId ? { refundId } : {}) });
      }
      return listed
        .sort((a, b) => a.created - b.created || (a.ref < b.ref ? -1 : 1))
        .map(({ created: _created, ...refund }) => refund);
    });
  }

  async retrieve(ref: string): Promise<ProviderPayment> {
    return this.call('retrieve', async () =>
      toPayment(await this.stripe.paymentIntents.retrieve(ref, { expand: EXPAND })),
    );
  }

  async findByPaymentId(paymentId: string): Promise<ProviderPayment | undefined> {
    // Search is eventually consistent (about a minute): reconciliation only asks about older payments.
    if (!/^[0-9a-f-]{36}$/i.test(paymentId)) return undefined;
    return this.call('search', async () => {
      const found = await this.stripe.paymentIntents.search({
        query: `metadata['paymentId']:'${paymentId}'`,
        limit: 1,
        expand: EXPAND.map((field) => `data.${field}`),
      });
      return found.data[0] ? toPayment(found.data[0]) : undefined;
    });
  }

  async parseWebhook(
    rawBody: Buffer,
    headers: Record<string, string | string[] | undefined>,
  ): Promise<ProviderEvent> {
    const header = headers['stripe-signature'];
    const signature = Array.isArray(header) ? header[0] : header;
    if (!signature) throw new WebhookSignatureError('no Stripe-Signature header');
    let event: Stripe.Event;
    try {
      event = this.stripe.webhooks.constructEvent(
        rawBody,
        signature,
        this.options.webhookSecret,
        STRIPE_SIGNATURE_TOLERANCE_SECONDS,
      );
    } catch (err) {
      throw new WebhookSignatureError((err as Error).message);
    }
    if (REFUND_EVENTS.has(event.type)) {
      const refund = event.data.object as Stripe.Refund;
      const paymentRef = idOf(refund.payment_intent);
      if (!paymentRef) return { id: event.id, type: event.type };
      const { status, failureReason } = toRefund(refund);
      const refundId = refund.metadata?.[REFUND_ID_KEY];
      return {
        id: event.id,
        type: event.type,
        refund: {
          paymentRef,
          ref: refund.id,
          amount: refund.amount,
          status,
          ...(refundId ? { refundId } : {}),
          ...(failureReason ? { failureReason } : {}),
        },
      };
    }
    if (DISPUTE_EVENTS.has(event.type)) {
      const dispute = event.data.object as Stripe.Dispute;
      const paymentRef = idOf(dispute.payment_intent);
      if (!paymentRef) return { id: event.id, type: event.type };
      const dueBy = dispute.evidence_details?.due_by;
      return {
        id: event.id,
        type: event.type,
        dispute: {
          paymentRef,
          ref: dispute.id,
          // A status added to Stripe's list later is taken as open, not as an outcome.
          status: DISPUTE_STATUSES[dispute.status] ?? 'under_review',
          amount: dispute.amount,
          ...(dispute.reason ? { reason: dispute.reason } : {}),
          ...(dueBy ? { evidenceDueBy: new Date(dueBy * 1000) } : {}),
        },
      };
    }
    if (event.type === 'charge.refunded') {
      // Cumulative: what the charge's refunds add up to, the dashboard's and MCart's own.
      const charge = event.data.object as Stripe.Charge;
      const intent = charge.payment_intent;
      const ref = typeof intent === 'string' ? intent : intent?.id;
      if (ref) return { id: event.id, type: event.type, refunded: { ref, amount: charge.amount_refunded } };
    }
    if (!PAYMENT_EVENTS.has(event.type)) return { id: event.id, type: event.type };
    const intent = event.data.object as Stripe.PaymentIntent;
    return { id: event.id, type: event.type, payment: toPayment(intent) };
  }
}
