import type { EntityManager } from '@mikro-orm/postgresql';
import type { CommittedEvent } from '../../platform/outbox.ts';
import type { Mailer } from './mailer.ts';
import type { TemplateName } from './templates.ts';

/** What a customer e-mail needs to know about an order (looked up through the orders service). */
export interface OrderForMail {
  email: string;
  number: string;
  customerName?: string | undefined;
  lines: { title: string; quantity: number; unitPrice?: number | undefined }[];
  /** The order's currency and what was charged (minor units): the confirmation shows them. */
  currency?: string | undefined;
  totals?: { subtotal: number; discount: number; shipping: number; tax: number; total: number } | undefined;
  pricesIncludeTax?: boolean | undefined;
}

export type OrderLookup = (em: EntityManager, orderId: string) => Promise<OrderForMail | null>;

/** What a return request's e-mail needs (orders' `returnRequestForMail`). */
export interface ReturnRequestForMail {
  number: string;
  lines: { title: string; quantity: number }[];
  note: string | null;
  rejectionReason: string | null;
}
export type ReturnRequestLookup = (em: EntityManager, id: string) => Promise<ReturnRequestForMail | null>;

/**
 * Order events (payload.event) → e-mail. The confirmation goes out when the order is paid, not when it
 * is placed: a declined card would otherwise get "confirmed" and then "payment failed".
 * One decline, one e-mail: a declined payment commits two events (`payment_failed` from payments, then
 * `cancelled` with reason `payment_failed: ...` from the orders context, which releases the stock and
 * reopens the cart). Only `payment_failed` mails: it says the payment failed, that no money was taken and
 * how to retry (the cart is open again). Telling the shopper the order was "cancelled" as well would read
 * as a second problem. An order refused before any payment existed (`payment_refused: ...`) has only
 * its `cancelled` event, which then sends the payment-failed e-mail.
 */
const ORDER_EVENT_TEMPLATES: Record<string, TemplateName> = {
  paid: 'order-confirmation',
  payment_failed: 'payment-failed',
  cancelled: 'order-cancelled',
  refund: 'refund-issued',
  // Return requests (ADR 0051): received, approved (with the return address), rejected (with the reason).
  // Their receipt mails nothing of its own: the refund, when there is one, sends refund-issued.
  return_requested: 'return-requested',
  return_approved: 'return-approved',
  return_rejected: 'return-rejected',
};

const RETURN_TEMPLATES: ReadonlySet<TemplateName> = new Set([
  'return-requested',
  'return-approved',
  'return-rejected',
]);

const SHIPMENT_EVENT_TEMPLATES: Record<string, TemplateName> = {
  shipped: 'order-shipped',
  delivered: 'order-delivered',
};

const isWebLink = (value: unknown): value is string => {
  if (typeof value !== 'string') return false;
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
};

/** A parcel's items as the template lists them; a malformed one is left out, never the whole e-mail. */
function parcelItems(items: unknown): { lines?: { title: string; quantity: number }[] } {
  if (!Array.isArray(items)) return {};
  const lines = items.filter(
    (item): item is { title: string; quantity: number } =>
      typeof item?.title === 'string' &&
      item.title.trim() !== '' &&
      Number.isInteger(item.quantity) &&
      item.quantity > 0,
  );
  return lines.length ? { lines: lines.map(({ title, quantity }) => ({ title, quantity })) } : {};
}

/**
 * The e-mail an event may send and the order it names, decided from the event alone (nothing read): undefined
 * when it mails nothing. A return request's e-mail still needs its request (`mailForEvent`).
 */
export function mailTarget(event: CommittedEvent): { template: TemplateName; orderId: string } | undefined {
  const payload = event.payload ?? {};
  const kind = typeof payload.event === 'string' ? payload.event : undefined;
  if (!kind) return undefined;
  let template: TemplateName | undefined;
  let orderId: string | undefined;
  if (event.resource === 'orders') {
    template = ORDER_EVENT_TEMPLATES[kind];
    orderId = event.ids[0];
    const reason = typeof payload.reason === 'string' ? payload.reason : '';
    if (kind === 'cancelled') {
      // A decline: the payment_failed event of the same decline mails the shopper (see above).
      if (reason.startsWith('payment_failed')) template = undefined;
      // Refused before any payment existed (no payment_failed event): this is the one e-mail.
      else if (reason.startsWith('payment_refused')) template = 'payment-failed';
    }
  } else if (event.resource === 'shipments') {
    template = SHIPMENT_EVENT_TEMPLATES[kind];
    // Handed over and delivered in one report (a carrier's first news is the delivery, or a file or webhook call
    // with both): the customer gets the one e-mail that is still news, "was delivered", which names the carrier
    // and links the tracking as "has shipped" would have (ADR 0012).
    if (kind === 'shipped' && payload.deliveryReported === true) template = undefined;
    orderId = typeof payload.orderId === 'string' ? payload.orderId : undefined;
  }
  return template && orderId ? { template, orderId } : undefined;
}

/**
 * An `OrderLookup` for a consumer's batch (ADR 0040's profile): the orders the batch's e-mails name are read
 * at once (`many`, one read for all), before any e-mail is queued; any other order goes through `one`.
 */
export async function batchLookup(
  em: EntityManager,
  events: readonly CommittedEvent[],
  many: (em: EntityManager, orderIds: string[]) => Promise<Map<string, OrderForMail>>,
  one: OrderLookup,
): Promise<OrderLookup> {
  const ids = [...new Set(events.flatMap((event) => mailTarget(event)?.orderId ?? []))].filter((id) =>
    UUID.test(id),
  );
  const read = ids.length ? await many(em, ids) : new Map<string, OrderForMail>();
  return async (tx, orderId) => (ids.includes(orderId) ? (read.get(orderId) ?? null) : one(tx, orderId));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Turns one committed event into a customer e-mail, in the consumer's transaction. The dedupe key is the
 * outbox event id: the consumer may see an event twice (at least once), the customer gets one e-mail.
 */
export async function mailForEvent(
  event: CommittedEvent,
  em: EntityManager,
  mailer: Mailer,
  lookup: OrderLookup,
  returns?: ReturnRequestLookup,
): Promise<void> {
  const target = mailTarget(event);
  if (!target) return;
  const { template, orderId } = target;
  const payload = event.payload ?? {};
  let extra: Record<string, unknown> = {};
  if (event.resource === 'orders') {
    if (template === 'refund-issued') extra = { amount: payload.amount, currency: payload.currency };
    if (RETURN_TEMPLATES.has(template)) {
      // The request as it is now (the event carries ids and numbers only, nothing the customer wrote).
      const id = typeof payload.returnRequestId === 'string' ? payload.returnRequestId : undefined;
      const request = id && returns ? await returns(em, id) : null;
      if (!request) return;
      extra = {
        returnNumber: request.number,
        lines: request.lines,
        ...(template === 'return-approved' ? { note: request.note } : {}),
        ...(template === 'return-rejected' ? { reason: request.rejectionReason } : {}),
      };
    }
  } else {
    extra = {
      carrier: payload.carrier,
      trackingNumber: payload.trackingNumber,
      // Only a link the e-mail may carry: a blank one (a carrier that gave none) or one that is not http(s)
      // (a SHIPPING_TRACKING_URL written without its scheme) leaves the link out, not the e-mail.
      ...(isWebLink(payload.trackingUrl) ? { trackingUrl: payload.trackingUrl } : {}),
      // What the parcel holds, and whether it is only part of the order (events from before had neither).
      ...parcelItems(payload.items),
      ...(payload.partial === true ? { partial: true } : {}),
    };
  }
  const order = await lookup(em, orderId);
  if (!order) return;
  const data: Record<string, unknown> = {
    orderNumber: order.number,
    customerName: order.customerName,
    ...(template === 'order-confirmation'
      ? {
          lines: order.lines,
          currency: order.currency,
          ...order.totals,
          pricesIncludeTax: order.pricesIncludeTax,
        }
      : {}),
    ...Object.fromEntries(Object.entries(extra).filter(([, value]) => value !== undefined && value !== null)),
  };
  await mailer.queueOnce(em, { template, to: order.email, data, dedupeKey: `event:${event.id}:${template}` });
}
