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
}

export type OrderLookup = (em: EntityManager, orderId: string) => Promise<OrderForMail | null>;

/**
 * Order events (payload.event) → e-mail. The confirmation goes out when the order is paid, not when it
 * is placed: a declined card would otherwise get "confirmed" and then "payment failed". An unpaid order
 * cancelled because its payment failed gets the payment-failed e-mail instead of a cancellation.
 */
const ORDER_EVENT_TEMPLATES: Record<string, TemplateName> = {
  paid: 'order-confirmation',
  payment_failed: 'payment-failed',
  cancelled: 'order-cancelled',
  refund: 'refund-issued',
};

const SHIPMENT_EVENT_TEMPLATES: Record<string, TemplateName> = {
  shipped: 'order-shipped',
  delivered: 'order-delivered',
};

/**
 * Turns one committed event into a customer e-mail, in the consumer's transaction. The dedupe key is the
 * outbox event id: the consumer may see an event twice (at least once), the customer gets one e-mail.
 */
export async function mailForEvent(
  event: CommittedEvent,
  em: EntityManager,
  mailer: Mailer,
  lookup: OrderLookup,
): Promise<void> {
  const payload = event.payload ?? {};
  const kind = typeof payload.event === 'string' ? payload.event : undefined;
  if (!kind) return;
  let template: TemplateName | undefined;
  let orderId: string | undefined;
  let extra: Record<string, unknown> = {};
  if (event.resource === 'orders') {
    template = ORDER_EVENT_TEMPLATES[kind];
    orderId = event.ids[0];
    const reason = typeof payload.reason === 'string' ? payload.reason : '';
    if (kind === 'cancelled' && /^payment_(failed|refused)/.test(reason)) template = 'payment-failed';
    if (template === 'refund-issued') extra = { amount: payload.amount, currency: payload.currency };
  } else if (event.resource === 'shipments') {
    template = SHIPMENT_EVENT_TEMPLATES[kind];
    orderId = typeof payload.orderId === 'string' ? payload.orderId : undefined;
    extra = {
      carrier: payload.carrier,
      trackingNumber: payload.trackingNumber,
      trackingUrl: payload.trackingUrl,
    };
  }
  if (!template || !orderId) return;
  const order = await lookup(em, orderId);
  if (!order) return;
  const data: Record<string, unknown> = {
    orderNumber: order.number,
    customerName: order.customerName,
    ...(template === 'order-confirmation' ? { lines: order.lines } : {}),
    ...Object.fromEntries(Object.entries(extra).filter(([, value]) => value !== undefined && value !== null)),
  };
  await mailer.queueOnce(em, { template, to: order.email, data, dedupeKey: `event:${event.id}:${template}` });
}
