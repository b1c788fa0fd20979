import type { ChangeEvent } from '@mcart/api-client/events';
import { formatMoney } from '../resources/orders/orderTypes.ts';

export interface LiveAlert {
  id: string;
  kind: 'new_order' | 'low_stock' | 'return_requested' | 'payment_dispute';
  level: 'info' | 'warning';
  /** i18n key and its values */
  messageKey: string;
  values: Record<string, string | number>;
  /** Where the bell entry leads (react-admin route). */
  link: string;
  at: string;
}

/**
 * The changes worth interrupting someone for: a new order, a stock level crossing its threshold, a customer
 * asking to return goods, a payment disputed by the customer's bank that needs evidence (ADR 0021; the other
 * dispute steps are in the order's timeline and payments section).
 */
export function alertOf(change: ChangeEvent): LiveAlert | null {
  const payload = change.payload ?? {};
  const first = change.ids[0];
  if (!first) return null;
  if (change.resource === 'orders' && change.type === 'created') {
    const number = typeof payload.number === 'string' ? payload.number : first.slice(0, 8);
    return {
      id: `${change.position}:order`,
      kind: 'new_order',
      level: 'info',
      messageKey: 'mcart.live.new_order',
      values: { number },
      link: `/orders/${encodeURIComponent(first)}/show`,
      at: change.at,
    };
  }
  if (change.resource === 'return-requests' && change.type === 'created') {
    const number = typeof payload.number === 'string' ? payload.number : first.slice(0, 8);
    return {
      id: `${change.position}:return`,
      kind: 'return_requested',
      level: 'info',
      messageKey: 'mcart.live.return_requested',
      values: { number },
      link: `/return-requests/${encodeURIComponent(first)}/show`,
      at: change.at,
    };
  }
  if (
    change.resource === 'orders' &&
    payload.event === 'payment_dispute' &&
    payload.status === 'needs_response'
  ) {
    // The event names the order by its number (servers before it named it by id only).
    const order = typeof payload.number === 'string' ? payload.number : first.slice(0, 8);
    const amount =
      typeof payload.amount === 'number' && typeof payload.currency === 'string'
        ? formatMoney({ amount: payload.amount, currency: payload.currency })
        : '';
    const due = typeof payload.evidenceDueBy === 'string' ? new Date(payload.evidenceDueBy) : null;
    const dated = due !== null && !Number.isNaN(due.getTime());
    return {
      id: `${change.position}:dispute`,
      kind: 'payment_dispute',
      level: 'warning',
      messageKey: dated ? 'mcart.live.dispute_needs_response' : 'mcart.live.dispute_needs_response_undated',
      values: dated ? { order, amount, date: due.toLocaleDateString() } : { order, amount },
      link: `/orders/${encodeURIComponent(first)}/show`,
      at: change.at,
    };
  }
  if (change.resource === 'inventory' && payload.event === 'low_stock') {
    const available = typeof payload.available === 'number' ? payload.available : 0;
    return {
      id: `${change.position}:stock`,
      kind: 'low_stock',
      level: 'warning',
      messageKey: 'mcart.live.low_stock',
      values: { available, variant: first.slice(0, 8) },
      link: `/inventory?filter=${encodeURIComponent(JSON.stringify({ variantId: first }))}`,
      at: change.at,
    };
  }
  return null;
}
