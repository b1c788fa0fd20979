import { describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { staffToken, useTestApp } from '../../../test/app.ts';
import { commerceFixtures } from '../cart/test-helpers.ts';
import { OrdersService } from './orders.service.ts';

// ADR 0069: each event the back office shows most carries its text as a key and parameters, beside the English
// `message` it keeps; free text (notes, a reason someone wrote) carries no key.
const { app } = await useTestApp();
const staff = await staffToken(app);
const fx = commerceFixtures(app, staff);
const withPayments = describe.skipIf(!app.hasDecorator('payments'));
const address = {
  name: 'Grace Hopper',
  line1: '1 Navy Way',
  city: 'Arlington',
  region: 'VA',
  postalCode: '22202',
  country: 'US',
};

interface TimelineEvent {
  kind: string;
  toStatus: string | null;
  message: string | null;
  messageKey?: string;
  messageParams?: Record<string, unknown>;
}

async function checkout(variantId: string, quantity: number, token = 'tok_visa') {
  const cartId = await fx.cart();
  await fx.add(cartId, variantId, quantity);
  return app.inject({
    method: 'POST',
    url: `/api/store/carts/${cartId}/checkout`,
    headers: { 'idempotency-key': `k-${cartId}` },
    payload: { email: 'grace@example.com', shippingAddress: address, payment: { provider: 'test', token } },
  });
}

const admin = (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) =>
  app.inject({ method, url, headers: { authorization: staff }, ...(payload ? { payload } : {}) });

const timeline = async (orderId: string) =>
  (await admin('GET', `/api/admin/orders/${orderId}`)).json<{ timeline: TimelineEvent[] }>().timeline;

withPayments('order timeline: message keys (ADR 0069)', () => {
  it('gives placed, paid, refunded, returned and cancelled events a key and parameters, and keeps the English message', async () => {
    const product = await fx.product([2500], 10);
    const variantId = product.variants[0]!.id;
    const placed = await checkout(variantId, 2);
    expect(placed.statusCode).toBe(201);
    const orderId = placed.json<{ order: { id: string } }>().order.id;

    expect(
      (await admin('POST', `/api/admin/orders/${orderId}/transition`, { status: 'processing' })).statusCode,
    ).toBe(200);
    expect(
      (await admin('POST', `/api/admin/orders/${orderId}/transition`, { status: 'shipped' })).statusCode,
    ).toBe(200);
    const lineId = (await admin('GET', `/api/admin/orders/${orderId}`)).json().lines[0].id;
    expect(
      (
        await admin('POST', `/api/admin/orders/${orderId}/returns`, {
          lines: [{ orderLineId: lineId, quantity: 1, restock: true }],
          reason: 'wrong size',
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (await admin('POST', `/api/admin/orders/${orderId}/refund`, { amount: 1000, reason: 'goodwill' }))
        .statusCode,
    ).toBe(200);
    expect(
      (await admin('POST', `/api/admin/orders/${orderId}/notes`, { body: 'Called the customer' })).statusCode,
    ).toBe(201);

    const events = await timeline(orderId);
    const pick = ({ kind, toStatus, message, messageKey, messageParams }: TimelineEvent) => ({
      kind,
      toStatus,
      message,
      messageKey,
      messageParams,
    });
    expect(events.map(pick)).toEqual([
      {
        kind: 'status',
        toStatus: 'pending_payment',
        message: 'Order placed',
        messageKey: 'order.placed',
        messageParams: {},
      },
      {
        kind: 'status',
        toStatus: 'paid',
        message: 'Payment received',
        messageKey: 'payment.received',
        messageParams: {},
      },
      // A staff move without a message: the status says it all.
      {
        kind: 'status',
        toStatus: 'processing',
        message: null,
        messageKey: undefined,
        messageParams: undefined,
      },
      { kind: 'status', toStatus: 'shipped', message: null, messageKey: undefined, messageParams: undefined },
      {
        kind: 'return',
        toStatus: null,
        message: '1 item(s) returned, restocked: wrong size',
        messageKey: 'return.recorded_restocked',
        messageParams: { items: 1, restocked: 1, note: 'wrong size' },
      },
      {
        kind: 'status',
        toStatus: 'returned',
        message: null,
        messageKey: undefined,
        messageParams: undefined,
      },
      {
        kind: 'refund',
        toStatus: 'partially_refunded',
        message: 'Refund $10.00: goodwill',
        messageKey: 'refund.made',
        messageParams: { amount: { amount: 1000, currency: 'USD' }, note: 'goodwill' },
      },
      // Staff's own words: not translated, no key.
      {
        kind: 'note',
        toStatus: null,
        message: 'Called the customer',
        messageKey: undefined,
        messageParams: undefined,
      },
    ]);
  });

  it('keys a cancellation by staff, a declined payment and an expired order; a written reason stays free text', async () => {
    const product = await fx.product([1000], 10);
    const variantId = product.variants[0]!.id;

    const byStaff = (await checkout(variantId, 1)).json<{ order: { id: string } }>().order.id;
    expect((await admin('POST', `/api/admin/orders/${byStaff}/cancel`, {})).statusCode).toBe(200);
    expect((await timeline(byStaff)).find((event) => event.toStatus === 'cancelled')).toMatchObject({
      message: 'cancelled by staff',
      messageKey: 'order.cancelled_by_staff',
    });

    const withReason = (await checkout(variantId, 1)).json<{ order: { id: string } }>().order.id;
    expect(
      (await admin('POST', `/api/admin/orders/${withReason}/cancel`, { reason: 'customer asked' }))
        .statusCode,
    ).toBe(200);
    const cancelled = (await timeline(withReason)).find((event) => event.toStatus === 'cancelled');
    expect(cancelled).toMatchObject({ message: 'customer asked' });
    expect(cancelled).not.toHaveProperty('messageKey');

    const declined = await checkout(variantId, 1, 'tok_chargeDeclined');
    expect(declined.statusCode).toBe(402);
    const declinedId = declined.json<{ orderId: string }>().orderId;
    const failed = (await timeline(declinedId)).find((event) => event.toStatus === 'cancelled');
    expect(failed).toMatchObject({
      messageKey: 'order.payment_failed',
      messageParams: { note: expect.any(String) },
    });
    expect(failed!.message).toBe(`payment_failed: ${String(failed!.messageParams!.note)}`);

    // The expiry job's cancellation (3-D Secure never completed).
    const unpaid = await checkout(variantId, 1, 'tok_threeDSecure');
    const unpaidId = unpaid.json<{ order: { id: string; status: string } }>().order.id;
    const em = app.orm.em.fork() as EntityManager;
    await em.execute(`UPDATE orders SET reserved_until = now() - interval '1 minute' WHERE id = ?`, [
      unpaidId,
    ]);
    await new OrdersService(em, app.cipher).expireUnpaid();
    expect((await timeline(unpaidId)).at(-1)).toMatchObject({
      toStatus: 'cancelled',
      message: 'expired: not paid in time',
      messageKey: 'order.expired',
      messageParams: {},
    });
  });
});
