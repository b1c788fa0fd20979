import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import {
  GatewayError,
  type AuthorizeInput,
  type PaymentProvider,
  type ProviderEvent,
  type ProviderListedRefund,
  type ProviderPayment,
  type ProviderRefund,
  type RefundInput,
} from '../provider.ts';
import { WebhookSignatureError } from '../payments.errors.ts';

/**
 * The built-in test gateway of the embedded default: it behaves like a remote card gateway (intents,
 * idempotency keys, 3-D Secure that completes later, signed webhooks) but keeps its state in tables of
 * its own in MCart's database. Only tokens exist here; a card number has no way in.
 */

export const TEST_SIGNATURE_HEADER = 'mcart-test-signature';
/** Signed events older (or newer) than this are refused, as Stripe does. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

interface TestCard {
  brand: string;
  last4: string;
  outcome: 'approve' | 'decline' | 'three_d_secure';
  declineCode?: string;
}

/** The tokens a shop can use against the test gateway. */
export const TEST_TOKENS: Record<string, TestCard> = {
  tok_visa: { brand: 'visa', last4: '4242', outcome: 'approve' },
  tok_mastercard: { brand: 'mastercard', last4: '4444', outcome: 'approve' },
  tok_chargeDeclined: { brand: 'visa', last4: '0002', outcome: 'decline', declineCode: 'card_declined' },
  tok_chargeDeclinedInsufficientFunds: {
    brand: 'visa',
    last4: '9995',
    outcome: 'decline',
    declineCode: 'insufficient_funds',
  },
  tok_threeDSecure: { brand: 'visa', last4: '3184', outcome: 'three_d_secure' },
};

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, the shape of Stripe's scheme. */
export function signTestGatewayPayload(
  secret: string,
  rawBody: string | Buffer,
  timestamp = Math.floor(Date.now() / 1000),
): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

export function verifyTestGatewaySignature(
  secret: string,
  rawBody: Buffer,
  header: string | undefined,
  now = Date.now(),
): void {
  if (!header) throw new WebhookSignatureError('no signature header');
  const parts = new Map<string, string[]>();
  for (const item of header.split(',')) {
    const [key, value] = item.split('=', 2);
    if (!key || !value) continue;
    parts.set(key.trim(), [...(parts.get(key.trim()) ?? []), value.trim()]);
  }
  const timestamp = Number(parts.get('t')?.[0]);
  if (!Number.isInteger(timestamp)) throw new WebhookSignatureError('no timestamp in the signature header');
  if (Math.abs(now / 1000 - timestamp) > SIGNATURE_TOLERANCE_SECONDS)
    throw new WebhookSignatureError('timestamp outside the tolerance');
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
  const matches = (parts.get('v1') ?? []).some((candidate) => {
    const given = Buffer.from(candidate, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matches) throw new WebhookSignatureError('signature mismatch');
}

interface IntentRow {
  id: string;
  payment_id: string | null;
  status: 'requires_action' | 'requires_capture' | 'succeeded' | 'declined' | 'canceled';
  amount: string;
  currency: string;
  captured_amount: string;
  refunded_amount: string;
  capture_count: number;
  brand: string;
  last4: string;
  decline_code: string | null;
  client_secret: string;
}

export interface TestGatewayIntent {
  id: string;
  paymentId: string | null;
  status: IntentRow['status'];
  amount: number;
  capturedAmount: number;
  refundedAmount: number;
  captureCount: number;
}

/** The payload of a test gateway webhook. */
export interface TestGatewayEvent {
  id: string;
  type: 'payment_intent.requires_capture' | 'payment_intent.succeeded' | 'payment_intent.payment_failed';
  created: number;
  data: {
    intent: {
      id: string;
      paymentId: string | null;
      status: IntentRow['status'];
      amount: number;
      capturedAmount: number;
      brand: string;
      last4: string;
      declineCode: string | null;
    };
  };
}

const STATUS: Record<IntentRow['status'], ProviderPayment['status']> = {
  requires_action: 'requires_action',
  requires_capture: 'authorized',
  succeeded: 'captured',
  declined: 'declined',
  canceled: 'canceled',
};

const toPayment = (row: IntentRow, withSecret: boolean): ProviderPayment => ({
  ref: row.id,
  status: STATUS[row.status],
  amount: Number(row.amount),
  capturedAmount: Number(row.captured_amount),
  paymentId: row.payment_id ?? undefined,
  brand: row.brand,
  last4: row.last4,
  ...(row.decline_code ? { declineCode: row.decline_code } : {}),
  ...(withSecret && row.status === 'requires_action' ? { clientSecret: row.client_secret } : {}),
});

const SELECT = `SELECT id, payment_id, status, amount, currency, captured_amount, refunded_amount, capture_count, brand, last4,
  decline_code, client_secret FROM test_gateway_intent`;

export class TestGatewayProvider implements PaymentProvider {
  readonly id = 'test';
  /**
   * Only tokens pay here: without one the payment is refused before it is opened (400 on `body/payment/token`).
   * A token the gateway does not know (`tok_unknown`) is its answer, as a remote gateway's would be: declined,
   * `invalid_token` (402 at checkout). ADR 0059.
   */
  readonly tokenRequired = true;

  constructor(
    private readonly orm: MikroORM,
    private readonly webhookSecret: string,
  ) {}

  private async sql<T>(text: string, params: unknown[] = []): Promise<T[]> {
    return this.orm.em.fork().getConnection().execute<T[]>(text, params);
  }

  private async intent(ref: string): Promise<IntentRow> {
    const [row] = await this.sql<IntentRow>(`${SELECT} WHERE id = ?`, [ref]);
    if (!row) throw new GatewayError(`test gateway: no intent ${ref}`);
    return row;
  }

  async authorize(input: AuthorizeInput): Promise<ProviderPayment> {
    const card = input.token ? TEST_TOKENS[input.token] : undefined;
    const status: IntentRow['status'] = !card
      ? 'declined'
      : card.outcome === 'decline'
        ? 'declined'
        : card.outcome === 'three_d_secure'
          ? 'requires_action'
          : input.capture === 'automatic'
            ? 'succeeded'
            : 'requires_capture';
    const id = `tgi_${randomUUID().replaceAll('-', '')}`;
    // A retried call with the same idempotency key answers with the intent it created the first time.
    const [created] = await this.sql<IntentRow>(
      `INSERT INTO test_gateway_intent (id, idempotency_key, payment_id, status, amount, currency, captured_amount, capture_count,
         brand, last4, decline_code, client_secret)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING id, payment_id, status, amount, currency, captured_amount, refunded_amount, capture_count, brand, last4,
         decline_code, client_secret`,
      [
        id,
        input.idempotencyKey,
        input.paymentId,
        status,
        input.amount,
        input.currency,
        status === 'succeeded' ? input.amount : 0,
        status === 'succeeded' ? 1 : 0,
        card?.brand ?? 'unknown',
        card?.last4 ?? '0000',
        !card ? 'invalid_token' : (card.declineCode ?? null),
        `${id}_secret_${randomBytes(12).toString('base64url')}`,
      ],
    );
    const row =
      created ??
      (await this.sql<IntentRow>(`${SELECT} WHERE idempotency_key = ?`, [input.idempotencyKey]))[0];
    return toPayment(row!, true);
  }

  async capture(ref: string, amount: number | undefined): Promise<ProviderPayment> {
    const [row] = await this.sql<IntentRow>(
      `UPDATE test_gateway_intent SET status = 'succeeded', captured_amount = COALESCE(?, amount),
         capture_count = capture_count + 1, updated_at = now()
        WHERE id = ? AND status = 'requires_capture' AND COALESCE(?, amount) BETWEEN 1 AND amount
        RETURNING id, payment_id, status, amount, currency, captured_amount, refunded_amount, capture_count, brand, last4,
          decline_code, client_secret`,
      [amount ?? null, ref, amount ?? null],
    );
    if (row) return toPayment(row, false);
    const current = await this.intent(ref);
    if (current.status === 'succeeded') return toPayment(current, false); // already captured: idempotent
    throw new GatewayError(`test gateway: intent ${ref} cannot be captured (${current.status})`);
  }

  async cancel(ref: string): Promise<ProviderPayment> {
    const [row] = await this.sql<IntentRow>(
      `UPDATE test_gateway_intent SET status = 'canceled', updated_at = now()
        WHERE id = ? AND status IN ('requires_action', 'requires_capture')
        RETURNING id, payment_id, status, amount, currency, captured_amount, refunded_amount, capture_count, brand, last4,
          decline_code, client_secret`,
      [ref],
    );
    if (row) return toPayment(row, false);
    const current = await this.intent(ref);
    if (current.status === 'canceled') return toPayment(current, false);
    throw new GatewayError(`test gateway: intent ${ref} cannot be canceled (${current.status})`);
  }

  /**
   * Refunds at once (`succeeded`), or answers the refund made under the same key. An intent that cannot be
   * refunded by that much is a refusal (nothing moved); any other failure (its database unreachable) says
   * nothing about the refund, as a lost answer would not.
   */
  async refund({ ref, amount, idempotencyKey }: RefundInput): Promise<ProviderRefund> {
    const em = this.orm.em.fork();
    return em.transactional(async (tx) => {
      // tx.execute runs in the transaction (the connection's own execute would take a second pooled connection).
      const [existing] = await tx.execute<{ id: string; amount: string }[]>(
        `SELECT id, amount FROM test_gateway_refund WHERE idempotency_key = ?`,
        [idempotencyKey],
      );
      if (existing) return { ref: existing.id, amount: Number(existing.amount), status: 'succeeded' };
      const updated = await tx.execute<{ id: string }[]>(
        `UPDATE test_gateway_intent SET refunded_amount = refunded_amount + ?, updated_at = now()
          WHERE id = ? AND status = 'succeeded' AND refunded_amount + ? <= captured_amount RETURNING id`,
        [amount, ref, amount],
      );
      if (!updated.length)
        throw new GatewayError(`test gateway: intent ${ref} cannot be refunded by ${amount}`, {
          outcome: 'refused',
        });
      const id = `tgr_${randomUUID().replaceAll('-', '')}`;
      await tx.execute(
        `INSERT INTO test_gateway_refund (id, intent_id, amount, idempotency_key) VALUES (?, ?, ?, ?)`,
        [id, ref, amount, idempotencyKey],
      );
      return { ref: id, amount, status: 'succeeded' };
    });
  }

  async findRefund(
    paymentRef: string,
    refund: { id: string; idempotencyKey: string },
  ): Promise<ProviderRefund | undefined> {
    const [row] = await this.sql<{ id: string; amount: string }>(
      `SELECT id, amount FROM test_gateway_refund WHERE intent_id = ? AND idempotency_key = ?`,
      [paymentRef, refund.idempotencyKey],
    );
    return row ? { ref: row.id, amount: Number(row.amount), status: 'succeeded' } : undefined;
  }

  /** Its refunds, all made by MCart (the test gateway has no dashboard): each names MCart's refund by its key. */
  async listRefunds(paymentRef: string): Promise<ProviderListedRefund[]> {
    const rows = await this.sql<{ id: string; amount: string; idempotency_key: string }>(
      `SELECT id, amount, idempotency_key FROM test_gateway_refund WHERE intent_id = ? ORDER BY created_at, id`,
      [paymentRef],
    );
    return rows.map((row) => ({
      ref: row.id,
      amount: Number(row.amount),
      status: 'succeeded',
      refundId: row.idempotency_key.replace(/^mcart-refund-/, ''),
    }));
  }

  async retrieve(ref: string): Promise<ProviderPayment> {
    return toPayment(await this.intent(ref), true);
  }

  async findByPaymentId(paymentId: string): Promise<ProviderPayment | undefined> {
    const [row] = await this.sql<IntentRow>(`${SELECT} WHERE payment_id = ? ORDER BY created_at LIMIT 1`, [
      paymentId,
    ]);
    return row ? toPayment(row, true) : undefined;
  }

  async parseWebhook(
    rawBody: Buffer,
    headers: Record<string, string | string[] | undefined>,
  ): Promise<ProviderEvent> {
    const header = headers[TEST_SIGNATURE_HEADER];
    verifyTestGatewaySignature(this.webhookSecret, rawBody, Array.isArray(header) ? header[0] : header);
    let event: TestGatewayEvent;
    try {
      event = JSON.parse(rawBody.toString('utf8')) as TestGatewayEvent;
    } catch {
      throw new WebhookSignatureError('signed body is not JSON');
    }
    const intent = event.data?.intent;
    if (typeof event.id !== 'string' || !intent || typeof intent.id !== 'string') {
      throw new WebhookSignatureError('signed body is not a test gateway event');
    }
    return {
      id: event.id,
      type: event.type,
      payment: {
        ref: intent.id,
        status: STATUS[intent.status],
        amount: intent.amount,
        capturedAmount: intent.capturedAmount,
        paymentId: intent.paymentId ?? undefined,
        brand: intent.brand,
        last4: intent.last4,
        ...(intent.declineCode ? { declineCode: intent.declineCode } : {}),
      },
    };
  }

  /**
   * What the shopper's bank does after 3-D Secure: the intent leaves `requires_action` (authorized, or
   * declined with `fail`), and the gateway emits a webhook. Returns the event to deliver, signed.
   */
  async completeAction(
    intentId: string,
    outcome: 'succeed' | 'fail',
  ): Promise<
    { intent: TestGatewayIntent; event: TestGatewayEvent; rawBody: string; signature: string } | undefined
  > {
    const [row] = await this.sql<IntentRow>(
      `UPDATE test_gateway_intent
          SET status = ?, decline_code = CASE WHEN ? = 'declined' THEN 'authentication_failed' ELSE decline_code END, updated_at = now()
        WHERE id = ? AND status = 'requires_action'
        RETURNING id, payment_id, status, amount, currency, captured_amount, refunded_amount, capture_count, brand, last4,
          decline_code, client_secret`,
      [
        outcome === 'succeed' ? 'requires_capture' : 'declined',
        outcome === 'succeed' ? 'requires_capture' : 'declined',
        intentId,
      ],
    );
    if (!row) return undefined;
    const event: TestGatewayEvent = {
      id: `evt_${randomUUID().replaceAll('-', '')}`,
      type:
        row.status === 'requires_capture'
          ? 'payment_intent.requires_capture'
          : 'payment_intent.payment_failed',
      created: Math.floor(Date.now() / 1000),
      data: {
        intent: {
          id: row.id,
          paymentId: row.payment_id,
          status: row.status,
          amount: Number(row.amount),
          capturedAmount: Number(row.captured_amount),
          brand: row.brand,
          last4: row.last4,
          declineCode: row.decline_code,
        },
      },
    };
    const rawBody = JSON.stringify(event);
    return {
      intent: toIntent(row),
      event,
      rawBody,
      signature: signTestGatewayPayload(this.webhookSecret, rawBody),
    };
  }

  /** The gateway's own view (tests, the dev route). */
  async inspect(intentId: string): Promise<TestGatewayIntent | undefined> {
    const [row] = await this.sql<IntentRow>(`${SELECT} WHERE id = ?`, [intentId]);
    return row ? toIntent(row) : undefined;
  }
}

const toIntent = (row: IntentRow): TestGatewayIntent => ({
  id: row.id,
  paymentId: row.payment_id,
  status: row.status,
  amount: Number(row.amount),
  capturedAmount: Number(row.captured_amount),
  refundedAmount: Number(row.refunded_amount),
  captureCount: row.capture_count,
});
