import type { FastifyBaseLogger } from 'fastify';
import type { CommittedEvent } from '../../platform/outbox.ts';
import type { InvoicingService } from './invoicing.service.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The units a refund gave back by line, as its event tells them (none for a refund of an amount); undefined
 * for an event from before refunds told them, whose credit note infers them.
 */
function refundedLines(lines: unknown): { orderLineId: string; quantity: number }[] | undefined {
  if (!Array.isArray(lines)) return undefined;
  return lines.flatMap((line: unknown) => {
    const { orderLineId, quantity } = (line ?? {}) as Record<string, unknown>;
    return typeof orderLineId === 'string' && Number.isInteger(quantity) && (quantity as number) > 0
      ? [{ orderLineId, quantity: quantity as number }]
      : [];
  });
}

/** The order an event is about, when it is one of invoicing's: an order event naming a valid order id. */
const orderOf = (event: CommittedEvent): string | undefined => {
  const orderId = event.resource === 'orders' ? event.ids[0] : undefined;
  return orderId && UUID.test(orderId) ? orderId : undefined;
};

/**
 * A batch of events (oldest first) → documents, one `documentsForEvent` each, in order, with what its `paid`
 * events need read once for the batch (`prepareInvoices`: the counter's lock, the invoices already issued, the
 * orders and their lines) instead of per event (ADR 0040's profile). Events that cannot issue a document cost
 * nothing, as before; a checkout's `payment_captured` finds the invoice its `paid` just issued without a look.
 */
export async function documentsForEvents(
  events: readonly CommittedEvent[],
  service: InvoicingService,
  log: FastifyBaseLogger,
): Promise<void> {
  const paid = events.flatMap((event) => {
    const orderId = orderOf(event);
    return orderId && event.payload?.event === 'paid' ? [orderId] : [];
  });
  if (paid.length) await service.prepareInvoices(paid);
  for (const event of events) await documentsForEvent(event, service, log);
}

/**
 * Order events (payload.event) → documents, in the outbox consumer's transaction (never the checkout's):
 *
 * - `paid` (orders, once per order): the invoice.
 * - `refunded` (payments: a refund the gateway confirmed, staff's or automatic, carrying its `refundId` and
 *   the units it gave back by line): a credit note for its amount, listing those units, once per refund id.
 * - `refund_reversed` (payments: a refund that failed at the gateway after it went through, a lost dispute won
 *   on appeal): an invoice charging again what its credit note gave back, once per refund id.
 * - `payment_canceled` (payments) of the payment that paid the order: an order paid on authorization
 *   (manual capture) whose authorization was voided took no money; a credit note cancels what is left of
 *   the invoice.
 * - `payment_captured` (payments) of the payment that paid the order, for less than its invoice (manual
 *   capture of part of the authorization): a credit note for what was not captured.
 *
 * Issuing is idempotent (unique order, kind and source): an event delivered twice issues once.
 */
export async function documentsForEvent(
  event: CommittedEvent,
  service: InvoicingService,
  log: FastifyBaseLogger,
): Promise<void> {
  const orderId = orderOf(event);
  if (!orderId) return;
  const payload = event.payload ?? {};
  switch (payload.event) {
    case 'paid': {
      const invoice = await service.issueInvoice(orderId);
      if (!invoice) log.warn({ orderId, eventId: event.id }, 'paid order not found: no invoice issued');
      return;
    }
    case 'refunded': {
      const { refundId, amount } = payload;
      if (typeof refundId !== 'string' || typeof amount !== 'number' || !Number.isInteger(amount)) return;
      const note = await service.issueCreditNote({
        orderId,
        source: refundId,
        reason: 'refund',
        amount,
        lines: refundedLines(payload.lines),
      });
      // An order paid after it was cancelled was never invoiced: its money goes back without a credit note.
      if (!note) log.info({ orderId, refundId }, 'refund of an order without an invoice: no credit note');
      return;
    }
    case 'refund_reversed': {
      // The refund did not go back after all: an invoice cancels its credit note (charges its amount again).
      const { refundId } = payload;
      if (typeof refundId !== 'string') return;
      await service.reverseCreditNote({ orderId, refundId });
      return;
    }
    case 'payment_canceled': {
      const { paymentId } = payload;
      if (typeof paymentId !== 'string') return;
      await service.issueCreditNote({ orderId, source: `void:${paymentId}`, reason: 'void', paymentId });
      return;
    }
    case 'payment_captured': {
      const { paymentId, amount } = payload;
      if (typeof paymentId !== 'string' || typeof amount !== 'number' || !Number.isInteger(amount)) return;
      await service.creditUncaptured(orderId, paymentId, amount);
      return;
    }
    default:
      return;
  }
}
