import { createServer, type IncomingMessage, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';

/**
 * Tests only: a local HTTP server on 127.0.0.1 that answers the few Stripe endpoints MCart uses, the way Stripe
 * does (form-encoded requests, idempotency keys whose first answer is replayed, 500s included; card errors
 * carrying the intent; refunds listed by payment intent), so the Stripe provider runs the real SDK against it
 * (`STRIPE_API_URL`). Tests steer its refunds (`refundFaults`, `dropRefundAnswers`) and sign events as Stripe
 * would (`signedEvent`).
 */
export interface MockIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_received: number;
  currency: string;
  status: string;
  capture_method: string;
  client_secret: string;
  metadata: Record<string, string>;
  last_payment_error: null | { code: string; decline_code: string; type: string };
  latest_charge: null | {
    id: string;
    object: 'charge';
    payment_method_details: { type: 'card'; card: { brand: string; last4: string } };
  };
  payment_method: string | null;
}

export interface MockRefund {
  id: string;
  object: 'refund';
  amount: number;
  currency: string;
  payment_intent: string;
  charge: string | null;
  status: 'succeeded' | 'pending' | 'failed' | 'canceled';
  failure_reason?: string;
  metadata: Record<string, string>;
  created: number;
}

export interface Recorded {
  method: string;
  path: string;
  form: URLSearchParams;
  idempotencyKey: string | undefined;
}

/**
 * What the next refund request carried out does (one per request that is not a replay of a saved answer):
 * - `server_error`: a 500 (saved under its idempotency key, as Stripe saves it), nothing refunded;
 * - `refuse`: a 400 invalid request (`charge_disputed`), nothing refunded;
 * - `pending` / `failed`: the refund is made with that status.
 */
export type RefundFault = 'server_error' | 'refuse' | 'pending' | 'failed';

export const CARDS: Record<string, { brand: string; last4: string; outcome: 'approve' | 'decline' | '3ds' }> =
  {
    pm_card_visa: { brand: 'visa', last4: '4242', outcome: 'approve' },
    pm_card_chargeDeclined: { brand: 'visa', last4: '0002', outcome: 'decline' },
    pm_card_threeDSecure2Required: { brand: 'visa', last4: '3220', outcome: '3ds' },
  };

export const charge = (card: { brand: string; last4: string }) => ({
  id: `ch_${randomUUID().slice(0, 8)}`,
  object: 'charge' as const,
  payment_method_details: { type: 'card' as const, card: { brand: card.brand, last4: card.last4 } },
});

const read = (request: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let data = '';
    request.on('data', (chunk: Buffer) => (data += chunk.toString()));
    request.on('end', () => resolve(data));
  });

const signer = new Stripe('sk_test_signing_only');

export async function startFakeStripe() {
  const intents = new Map<string, MockIntent>();
  const refunds = new Map<string, MockRefund>();
  const byIdempotencyKey = new Map<string, { status: number; body: unknown }>();
  const requests: Recorded[] = [];
  const state = {
    refundFaults: [] as RefundFault[],
    /** The next n answers to refund requests are lost: the work is done (and saved), the connection closed. */
    dropRefundAnswers: 0,
  };

  const refundedOf = (intentId: string) =>
    [...refunds.values()]
      .filter((refund) => refund.payment_intent === intentId && refund.status !== 'failed')
      .reduce((sum, refund) => sum + refund.amount, 0);

  function handle(method: string, path: string, form: URLSearchParams): { status: number; body: unknown } {
    if (method === 'POST' && path === '/v1/payment_methods') {
      return {
        status: 200,
        body: { id: `pm_card_${form.get('card[token]')!.replace(/^tok_/, '')}`, object: 'payment_method' },
      };
    }
    if (method === 'POST' && path === '/v1/payment_intents') {
      const id = `pi_${randomUUID().replaceAll('-', '').slice(0, 24)}`;
      const card = CARDS[form.get('payment_method') ?? ''];
      const manual = form.get('capture_method') === 'manual';
      const intent: MockIntent = {
        id,
        object: 'payment_intent',
        amount: Number(form.get('amount')),
        amount_received: 0,
        currency: form.get('currency')!,
        status: 'requires_payment_method',
        capture_method: form.get('capture_method') ?? 'automatic',
        client_secret: `${id}_secret_${randomUUID().slice(0, 8)}`,
        metadata: { orderId: form.get('metadata[orderId]')!, paymentId: form.get('metadata[paymentId]')! },
        last_payment_error: null,
        latest_charge: null,
        payment_method: form.get('payment_method'),
      };
      intents.set(id, intent);
      if (card?.outcome === 'decline') {
        intent.last_payment_error = {
          code: 'card_declined',
          decline_code: 'generic_decline',
          type: 'card_error',
        };
        return {
          status: 402,
          body: {
            error: {
              type: 'card_error',
              code: 'card_declined',
              decline_code: 'generic_decline',
              message: 'Your card was declined.',
              payment_intent: intent,
            },
          },
        };
      }
      if (card?.outcome === '3ds') intent.status = 'requires_action';
      else if (card) {
        intent.latest_charge = charge(card);
        intent.status = manual ? 'requires_capture' : 'succeeded';
        intent.amount_received = manual ? 0 : intent.amount;
      }
      return { status: 200, body: intent };
    }
    const match = /^\/v1\/payment_intents\/(pi_\w+)(?:\/(capture|cancel))?$/.exec(path);
    const intent = match ? intents.get(match[1]!) : undefined;
    if (match && intent) {
      if (method === 'GET') return { status: 200, body: intent };
      if (match[2] === 'capture') {
        if (intent.status !== 'requires_capture')
          return {
            status: 400,
            body: {
              error: {
                type: 'invalid_request_error',
                code: 'payment_intent_unexpected_state',
                message: 'not capturable',
              },
            },
          };
        intent.status = 'succeeded';
        intent.amount_received = Number(form.get('amount_to_capture') ?? intent.amount);
        return { status: 200, body: intent };
      }
      if (match[2] === 'cancel') {
        intent.status = 'canceled';
        return { status: 200, body: intent };
      }
    }
    if (method === 'GET' && path === '/v1/payment_intents/search') {
      // Only the query MCart sends: metadata['paymentId']:'<id>'.
      const wanted = /^metadata\['paymentId'\]:'([0-9a-f-]+)'$/.exec(form.get('query') ?? '')?.[1];
      const data = [...intents.values()].filter((intent) => wanted && intent.metadata.paymentId === wanted);
      return {
        status: 200,
        body: { object: 'search_result', data, has_more: false, next_page: null, url: path },
      };
    }
    if (method === 'GET' && path === '/v1/refunds') {
      const data = [...refunds.values()]
        .filter((refund) => refund.payment_intent === form.get('payment_intent'))
        .reverse();
      return { status: 200, body: { object: 'list', data, has_more: false, url: path } };
    }
    if (method === 'POST' && path === '/v1/refunds') {
      const fault = state.refundFaults.shift();
      if (fault === 'server_error')
        return { status: 500, body: { error: { type: 'api_error', message: 'try again later' } } };
      const target = intents.get(form.get('payment_intent')!);
      const amount = Number(form.get('amount'));
      if (
        fault === 'refuse' ||
        !target ||
        target.status !== 'succeeded' ||
        refundedOf(target.id) + amount > target.amount_received
      )
        return {
          status: 400,
          body: {
            error: {
              type: 'invalid_request_error',
              code: fault === 'refuse' ? 'charge_disputed' : 'amount_too_large',
              message: fault === 'refuse' ? 'The charge has been charged back.' : 'not refundable',
            },
          },
        };
      const metadata: Record<string, string> = {};
      for (const [key, value] of form) {
        const name = /^metadata\[(\w+)\]$/.exec(key)?.[1];
        if (name) metadata[name] = value;
      }
      const refund: MockRefund = {
        id: `re_${randomUUID().replaceAll('-', '').slice(0, 16)}`,
        object: 'refund',
        amount,
        currency: target.currency,
        payment_intent: target.id,
        charge: target.latest_charge?.id ?? null,
        status: fault === 'pending' || fault === 'failed' ? fault : 'succeeded',
        ...(fault === 'failed' ? { failure_reason: 'expired_or_canceled_card' } : {}),
        metadata,
        created: Math.floor(Date.now() / 1000),
      };
      refunds.set(refund.id, refund);
      return { status: 200, body: refund };
    }
    return {
      status: 404,
      body: { error: { type: 'invalid_request_error', message: `no route ${method} ${path}` } },
    };
  }

  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url!, 'http://127.0.0.1');
    const form = new URLSearchParams(request.method === 'GET' ? url.search : await read(request));
    const idempotencyKey = request.headers['idempotency-key'] as string | undefined;
    requests.push({ method: request.method!, path: url.pathname, form, idempotencyKey });
    // Stripe answers a retried key with the first response (a 500 too).
    const cached = idempotencyKey ? byIdempotencyKey.get(idempotencyKey) : undefined;
    const answer = cached ?? handle(request.method!, url.pathname, form);
    if (idempotencyKey && !cached) byIdempotencyKey.set(idempotencyKey, answer);
    if (request.method === 'POST' && url.pathname === '/v1/refunds' && state.dropRefundAnswers > 0) {
      // Done at "Stripe", the answer never arrives.
      state.dropRefundAnswers--;
      request.socket.destroy();
      return;
    }
    response.writeHead(answer.status, {
      'content-type': 'application/json',
      'request-id': `req_${randomUUID().slice(0, 8)}`,
    });
    response.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;

  /**
   * A refund made in the Stripe dashboard (no MCart metadata), succeeded at once; answers it and the charge as
   * Stripe's `charge.refunded` then carries it (`amount_refunded`: the running total of the refunds not failed).
   */
  function dashboardRefund(intentId: string, amount: number) {
    const intent = intents.get(intentId)!;
    const refund: MockRefund = {
      id: `re_${randomUUID().replaceAll('-', '').slice(0, 16)}`,
      object: 'refund',
      amount,
      currency: intent.currency,
      payment_intent: intent.id,
      charge: intent.latest_charge?.id ?? null,
      status: 'succeeded',
      metadata: {},
      created: Math.floor(Date.now() / 1000),
    };
    refunds.set(refund.id, refund);
    return { refund, charge: chargeOf(intentId) };
  }

  /** The intent's charge as Stripe's `charge.refunded` carries it. */
  const chargeOf = (intentId: string) => {
    const intent = intents.get(intentId)!;
    return {
      id: intent.latest_charge?.id ?? `ch_${intent.id.slice(3, 11)}`,
      object: 'charge' as const,
      amount: intent.amount,
      amount_refunded: refundedOf(intent.id),
      currency: intent.currency,
      payment_intent: intent.id,
      refunded: refundedOf(intent.id) >= intent.amount_received,
    };
  };

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    intents,
    refunds,
    requests,
    byIdempotencyKey,
    state,
    /** The intent a 3-D Secure start answered with (its client secret names it). */
    intentOfSecret: (clientSecret: string) => intents.get(clientSecret.split('_secret_')[0]!)!,
    dashboardRefund,
    chargeOf,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type FakeStripe = Awaited<ReturnType<typeof startFakeStripe>>;

/** A Stripe event of `type` about `object`, as JSON, with the Stripe-Signature header for `secret`. */
export function signedEvent(
  type: string,
  object: unknown,
  secret: string,
  id = `evt_${randomUUID().replaceAll('-', '')}`,
): { payload: string; header: string } {
  const payload = JSON.stringify({
    id,
    object: 'event',
    type,
    api_version: '2025-01-01',
    created: Math.floor(Date.now() / 1000),
    data: { object },
  });
  return { payload, header: signer.webhooks.generateTestHeaderString({ payload, secret }) };
}
