import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { staffToken, testConfig, useTestApp } from '../../../test/app.ts';
import { createTestDatabaseInZone } from '../../../test/database.ts';
import { buildApp } from '../../app.ts';
import { commerceFixtures } from '../cart/test-helpers.ts';
import { query } from '../inventory/sql.ts';
import { OrdersService } from './orders.service.ts';
import { PaymentErrors } from '../payments/payments.errors.ts';
import { GatewayError } from '../payments/provider.ts';
import { queuedMail } from '../../../test/identity/helpers.ts';

const { app, databaseUrl } = await useTestApp();
const staff = await staffToken(app);
const fx = commerceFixtures(app, staff);
const fork = () => app.orm.em.fork() as EntityManager;
// Checkout pays through the payments context; these run once it is installed (modules/payments).
const withPayments = describe.skipIf(!app.hasDecorator('payments'));
const address = {
  name: 'Grace Hopper',
  line1: '1 Navy Way',
  city: 'Arlington',
  region: 'VA',
  postalCode: '22202',
  country: 'US',
};

async function placeOrder(variantId: string, quantity: number, token = 'tok_visa', auth?: string) {
  const cartId = await fx.cart(auth);
  await fx.add(cartId, variantId, quantity, auth);
  const response = await app.inject({
    method: 'POST',
    url: `/api/store/carts/${cartId}/checkout`,
    headers: { 'idempotency-key': `k-${cartId}`, ...(auth ? { authorization: auth } : {}) },
    payload: { email: 'grace@example.com', shippingAddress: address, payment: { provider: 'test', token } },
  });
  expect(response.statusCode).toBe(201);
  return response.json<{
    order: { id: string; number: string; status: string };
    payment: { status: string };
  }>();
}

const admin = (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) =>
  app.inject({ method, url, headers: { authorization: staff }, ...(payload ? { payload } : {}) });

async function onHand(variantId: string) {
  const response = await admin('GET', `/api/admin/inventory/levels?variantId=${variantId}`);
  return response.json<{ data: { onHand: number; reserved: number }[] }>().data[0]!;
}

withPayments('order state machine (admin)', () => {
  it('moves paid -> processing -> shipped -> delivered, refuses illegal moves, records returns and refunds', async () => {
    const product = await fx.product([4000], 10);
    const variantId = product.variants[0]!.id;
    const { order } = await placeOrder(variantId, 2);
    for (const status of ['processing', 'shipped', 'delivered']) {
      const moved = await admin('POST', `/api/admin/orders/${order.id}/transition`, { status });
      expect(moved.statusCode).toBe(200);
      expect(moved.json().status).toBe(status);
    }
    const illegal = await admin('POST', `/api/admin/orders/${order.id}/transition`, { status: 'processing' });
    expect(illegal.statusCode).toBe(409);
    expect(illegal.json().code).toBe('MCART_ERR_ILLEGAL_TRANSITION');
    expect((await admin('POST', `/api/admin/orders/${order.id}/cancel`, {})).statusCode).toBe(409);

    const detail = (await admin('GET', `/api/admin/orders/${order.id}`)).json();
    const lineId = detail.lines[0].id;
    const returned = await admin('POST', `/api/admin/orders/${order.id}/returns`, {
      lines: [{ orderLineId: lineId, quantity: 1, restock: true }],
      reason: 'wrong size',
    });
    expect(returned.statusCode).toBe(201);
    expect(returned.json()).toMatchObject({ status: 'returned', lines: [{ returnedQuantity: 1 }] });
    expect(await onHand(variantId)).toMatchObject({ onHand: 9 });
    const tooMany = await admin('POST', `/api/admin/orders/${order.id}/returns`, {
      lines: [{ orderLineId: lineId, quantity: 2, restock: true }],
    });
    expect(tooMany.statusCode).toBe(409);

    const refund = await admin('POST', `/api/admin/orders/${order.id}/refund`, {
      lines: [{ orderLineId: lineId, quantity: 1 }],
      reason: 'return',
    });
    expect(refund.statusCode).toBe(200);
    expect(refund.json()).toMatchObject({ status: 'partially_refunded', refunded: { amount: 4000 } });

    const note = await app.inject({
      method: 'POST',
      url: `/api/admin/orders/${order.id}/notes`,
      headers: { authorization: staff },
      payload: { body: 'Called the customer' },
    });
    expect(note.statusCode).toBe(201);
    expect(note.json().timeline.at(-1)).toMatchObject({
      kind: 'note',
      message: 'Called the customer',
      actorType: 'staff',
    });

    const list = await admin('GET', '/api/admin/orders?status=partially_refunded');
    expect(list.json().data.map((o: { id: string }) => o.id)).toContain(order.id);
    const counts = (await admin('GET', '/api/admin/orders/counts')).json();
    expect(counts.counts.partially_refunded).toBeGreaterThanOrEqual(1);
    expect(counts.total).toBe(counts.counts.all);
  });

  it('cancels a paid order: the payment is refunded or voided and the stock goes back', async () => {
    const product = await fx.product([1000], 5);
    const variantId = product.variants[0]!.id;
    const { order } = await placeOrder(variantId, 2);
    expect(await onHand(variantId)).toMatchObject({ onHand: 3 });
    const cancelled = await admin('POST', `/api/admin/orders/${order.id}/cancel`, {
      reason: 'customer asked',
    });
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json().status).toBe('cancelled');
    expect(await onHand(variantId)).toMatchObject({ onHand: 5, reserved: 0 });
  });

  it('keeps the timeline oldest first when event ids gain a digit', async () => {
    const product = await fx.product([1000], 5);
    await app.orm.em.fork().getConnection().execute(`SELECT setval('order_event_id_seq', 9997)`);
    const { order } = await placeOrder(product.variants[0]!.id, 1);
    for (const body of ['first note', 'second note', 'third note']) {
      expect((await admin('POST', `/api/admin/orders/${order.id}/notes`, { body })).statusCode).toBe(201);
    }
    const timeline = (await admin('GET', `/api/admin/orders/${order.id}`)).json<{
      timeline: { id: string; message: string | null }[];
    }>().timeline;
    const ids = timeline.map((event) => Number(event.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(ids.at(-1)).toBeGreaterThanOrEqual(10_000);
    expect(timeline.slice(-3).map((event) => event.message)).toEqual([
      'first note',
      'second note',
      'third note',
    ]);
  });

  it('needs the right permissions', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/admin/orders' })).statusCode).toBe(401);
  });
});

withPayments('returns and cancellations follow the goods, whatever the refunds', () => {
  const lineOf = async (orderId: string) =>
    (await admin('GET', `/api/admin/orders/${orderId}`)).json<{ lines: { id: string }[] }>().lines[0]!.id;
  const status = async (orderId: string) =>
    (await admin('GET', `/api/admin/orders/${orderId}`)).json<{ status: string }>().status;

  it('names an unknown order line of a return on its field, writing nothing', async () => {
    const product = await fx.product([1000], 10);
    const { order } = await placeOrder(product.variants[0]!.id, 1);
    await admin('POST', `/api/admin/orders/${order.id}/transition`, { status: 'shipped' });
    const lineId = await lineOf(order.id);
    const response = await admin('POST', `/api/admin/orders/${order.id}/returns`, {
      lines: [
        { orderLineId: lineId, quantity: 1, restock: true },
        { orderLineId: randomUUID(), quantity: 1, restock: true },
      ],
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'MCART_ERR_VALIDATION',
      errors: [{ path: 'body/lines/1/orderLineId', message: 'is not a line of this order' }],
    });
    expect(await status(order.id)).toBe('shipped');
    expect(await onHand(product.variants[0]!.id)).toMatchObject({ onHand: 9 });
  });

  it('a unit refunded by line before it shipped is not shipped and goes back to stock; each unit is refunded once', async () => {
    const product = await fx.product([1500], 10);
    const variantId = product.variants[0]!.id;
    const { order } = await placeOrder(variantId, 2);
    const lineId = await lineOf(order.id);
    expect(await onHand(variantId)).toMatchObject({ onHand: 8 });

    const refunded = await admin('POST', `/api/admin/orders/${order.id}/refund`, {
      lines: [{ orderLineId: lineId, quantity: 1 }],
      reason: 'one was damaged in the warehouse',
    });
    expect(refunded.statusCode, refunded.body).toBe(200);
    const afterRefund = (await admin('GET', `/api/admin/orders/${order.id}`)).json();
    expect(afterRefund).toMatchObject({
      status: 'partially_refunded',
      refunded: { amount: 1500 },
      lines: [{ quantity: 2, refundedQuantity: 1, withdrawnQuantity: 1 }],
    });
    expect(await onHand(variantId)).toMatchObject({ onHand: 9 });

    const twice = await admin('POST', `/api/admin/orders/${order.id}/refund`, {
      lines: [{ orderLineId: lineId, quantity: 2 }],
    });
    expect(twice.statusCode).toBe(400);
    expect(twice.json().errors).toEqual([{ path: 'body/lines/0', message: 'only 1 of 2 left to refund' }]);

    // The warehouse ships what is left: one unit, then nothing more.
    const parcel = await admin('POST', `/api/admin/orders/${order.id}/shipments`, {
      package: { weightGrams: 400 },
    });
    expect(parcel.statusCode, parcel.body).toBe(201);
    const shipment = (await admin('GET', `/api/admin/shipments/${parcel.json().id}`)).json<{
      lines: { quantity: number }[];
    }>();
    expect(shipment.lines.map((line) => line.quantity)).toEqual([1]);
    const more = await admin('POST', `/api/admin/orders/${order.id}/shipments`, {
      package: { weightGrams: 400 },
    });
    expect(more.statusCode).toBe(409);

    // The shipped unit refunded as well (a goodwill refund): it stays shipped, nothing is restocked.
    const last = await admin('POST', `/api/admin/orders/${order.id}/refund`, {
      lines: [{ orderLineId: lineId, quantity: 1 }],
    });
    expect(last.statusCode, last.body).toBe(200);
    expect((await admin('GET', `/api/admin/orders/${order.id}`)).json()).toMatchObject({
      status: 'partially_refunded', // the shipping charge is not a line
      refunded: { amount: 3000 },
      lines: [{ refundedQuantity: 2, withdrawnQuantity: 1 }],
    });
    expect(await onHand(variantId)).toMatchObject({ onHand: 9 });
  });

  it('refuses to cancel a shipped order after a partial refund: the goods left, nothing is restocked', async () => {
    const product = await fx.product([4000], 10);
    const variantId = product.variants[0]!.id;
    const { order } = await placeOrder(variantId, 2);
    expect(
      (await admin('POST', `/api/admin/orders/${order.id}/transition`, { status: 'shipped' })).statusCode,
    ).toBe(200);
    const refund = await admin('POST', `/api/admin/orders/${order.id}/refund`, {
      amount: 500,
      reason: 'late',
    });
    expect(refund.json()).toMatchObject({ status: 'partially_refunded' });
    const cancel = await admin('POST', `/api/admin/orders/${order.id}/cancel`, { reason: 'customer asked' });
    expect(cancel.statusCode).toBe(409);
    expect(cancel.json()).toMatchObject({ code: 'MCART_ERR_ILLEGAL_TRANSITION' });
    const transition = await admin('POST', `/api/admin/orders/${order.id}/transition`, {
      status: 'cancelled',
    });
    expect(transition.statusCode).toBe(409);
    expect(await status(order.id)).toBe('partially_refunded');
    expect(await onHand(variantId)).toMatchObject({ onHand: 8 });
    // Nothing more was refunded either: the rest can still be refunded.
    expect((await admin('GET', `/api/admin/orders/${order.id}`)).json()).toMatchObject({
      refunded: { amount: 500 },
    });
  });

  it('caps a return at what was shipped, so returned goods are neither restocked twice nor shipped', async () => {
    const product = await fx.product([4000], 10);
    const variantId = product.variants[0]!.id;
    const { order } = await placeOrder(variantId, 2);
    const lineId = await lineOf(order.id);
    expect(
      (await admin('POST', `/api/admin/orders/${order.id}/refund`, { amount: 500 })).json(),
    ).toMatchObject({
      status: 'partially_refunded',
    });
    const unshipped = await admin('POST', `/api/admin/orders/${order.id}/returns`, {
      lines: [{ orderLineId: lineId, quantity: 2, restock: true }],
    });
    expect(unshipped.statusCode).toBe(409);
    expect(unshipped.json()).toMatchObject({
      code: 'MCART_ERR_RETURN_EXCEEDS_QUANTITY',
      errors: [{ path: 'body/lines/0/quantity', message: expect.stringContaining('0 of 2 shipped') }],
    });
    expect(await onHand(variantId)).toMatchObject({ onHand: 8 });
    // One unit leaves in a parcel: that one can come back, not two.
    const shipment = await admin('POST', `/api/admin/orders/${order.id}/shipments`, {
      lines: [{ orderLineId: lineId, quantity: 1 }],
      package: { weightGrams: 500 },
    });
    expect(shipment.statusCode, shipment.body).toBe(201);
    const tooMany = await admin('POST', `/api/admin/orders/${order.id}/returns`, {
      lines: [{ orderLineId: lineId, quantity: 2, restock: true }],
    });
    expect(tooMany.statusCode).toBe(409);
    const one = await admin('POST', `/api/admin/orders/${order.id}/returns`, {
      lines: [{ orderLineId: lineId, quantity: 1, restock: true }],
    });
    expect(one.statusCode).toBe(201);
    expect(await onHand(variantId)).toMatchObject({ onHand: 9 });
  });

  it('withdraws a unit refunded while its parcel was out once the parcel came back: a line refunded in full ships nothing', async () => {
    const product = await fx.product([1000], 10);
    const variantId = product.variants[0]!.id;
    const { order } = await placeOrder(variantId, 3);
    const lineId = await lineOf(order.id);
    const parcel = await admin('POST', `/api/admin/orders/${order.id}/shipments`, {
      package: { weightGrams: 500 },
    });
    expect(parcel.statusCode, parcel.body).toBe(201);
    const trackingNumber = parcel.json<{ trackingNumber: string }>().trackingNumber;
    const track = (status: string, minutes: number) => {
      const boundary = `----mcart${Date.now()}`;
      const csv = `tracking_number,status,time\n${trackingNumber},${status},${new Date(Date.now() + minutes * 60_000).toISOString()}`;
      return app.inject({
        method: 'POST',
        url: '/api/admin/shipments/tracking-import',
        headers: { authorization: staff, 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="t.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`,
      });
    };
    expect((await track('in_transit', 1)).json()).toMatchObject({ applied: 1 });
    // A goodwill refund of one unit while the parcel is out: it stays shipped.
    const goodwill = await admin('POST', `/api/admin/orders/${order.id}/refund`, {
      lines: [{ orderLineId: lineId, quantity: 1 }],
    });
    expect(goodwill.statusCode, goodwill.body).toBe(200);
    expect(await onHand(variantId)).toMatchObject({ onHand: 7 });
    // The parcel comes back, and the customer wants the rest of their money rather than the goods.
    expect((await track('returned', 2)).json()).toMatchObject({ applied: 1 });
    expect(await status(order.id)).toBe('partially_refunded');
    const rest = await admin('POST', `/api/admin/orders/${order.id}/refund`, {
      lines: [{ orderLineId: lineId, quantity: 2 }],
    });
    expect(rest.statusCode, rest.body).toBe(200);
    expect((await admin('GET', `/api/admin/orders/${order.id}`)).json()).toMatchObject({
      lines: [{ quantity: 3, refundedQuantity: 3, withdrawnQuantity: 3 }],
    });
    // Every unit was paid back and is on the shelf again: nothing is left to ship.
    expect(await onHand(variantId)).toMatchObject({ onHand: 10 });
    const queue = (await admin('GET', '/api/admin/shipping/to-pack?limit=200')).json<{
      data: { orderId: string }[];
    }>();
    expect(queue.data.map((entry) => entry.orderId)).not.toContain(order.id);
    const again = await admin('POST', `/api/admin/orders/${order.id}/shipments`, {
      package: { weightGrams: 500 },
    });
    expect(again.json()).toMatchObject({ code: 'MCART_ERR_NOTHING_TO_SHIP' });
  });
});

withPayments('statuses that record money or goods moving', () => {
  const detail = async (orderId: string) =>
    (await admin('GET', `/api/admin/orders/${orderId}`)).json<{
      status: string;
      refunded: { amount: number };
      lines: { returnedQuantity: number }[];
      payments: { refundedAmount: number }[];
    }>();

  it('refuses a plain status change to refunded, partially refunded or returned: only a refund or a return sets them', async () => {
    const product = await fx.product([4000], 10);
    const { order } = await placeOrder(product.variants[0]!.id, 2);
    for (const status of ['refunded', 'partially_refunded', 'paid']) {
      const moved = await admin('POST', `/api/admin/orders/${order.id}/transition`, { status });
      expect(moved.statusCode, status).toBe(409);
      expect(moved.json()).toMatchObject({ code: 'MCART_ERR_ILLEGAL_TRANSITION', to: status });
    }
    expect(
      (await admin('POST', `/api/admin/orders/${order.id}/transition`, { status: 'shipped' })).statusCode,
    ).toBe(200);
    const returned = await admin('POST', `/api/admin/orders/${order.id}/transition`, { status: 'returned' });
    expect(returned.statusCode).toBe(409);
    expect(returned.json()).toMatchObject({ code: 'MCART_ERR_ILLEGAL_TRANSITION', to: 'returned' });
    expect(await detail(order.id)).toMatchObject({
      status: 'shipped',
      refunded: { amount: 0 },
      lines: [{ returnedQuantity: 0 }],
    });
    // The money can still go back, through the refund that moves it.
    const refund = await admin('POST', `/api/admin/orders/${order.id}/refund`, { amount: 8000 });
    expect(refund.statusCode).toBe(200);
    expect(await detail(order.id)).toMatchObject({
      status: 'refunded',
      refunded: { amount: 8000 },
      payments: [{ refundedAmount: 8000 }],
    });
  });

  it('keeps an order cancelled when a refund racing the cancellation is refused at the gateway; the customer gets all back', async () => {
    const product = await fx.product([4000], 10);
    const variantId = product.variants[0]!.id;
    const { order } = await placeOrder(variantId, 2);
    const provider = app.payments.provider;
    const refund = provider.refund.bind(provider);
    let cancelled: { statusCode: number; status: string } | undefined;
    // Another staff member cancels the order while this refund of 1000 is at the gateway, which then refuses it.
    provider.refund = async () => {
      provider.refund = refund;
      const cancel = await admin('POST', `/api/admin/orders/${order.id}/cancel`, {
        reason: 'customer asked',
      });
      cancelled = { statusCode: cancel.statusCode, status: cancel.json<{ status: string }>().status };
      throw new GatewayError('card account closed', { outcome: 'refused' });
    };
    try {
      const failed = await admin('POST', `/api/admin/orders/${order.id}/refund`, { amount: 1000 });
      expect(failed.statusCode).toBe(502);
      expect(failed.json()).toMatchObject({ code: 'MCART_ERR_PAYMENT_GATEWAY' });
    } finally {
      provider.refund = refund;
    }
    expect(cancelled).toEqual({ statusCode: 200, status: 'cancelled' });
    // The cancellation refunded the 7000 not then reserved; the failed 1000 is no longer counted; the stock is back.
    expect(await detail(order.id)).toMatchObject({
      status: 'cancelled',
      refunded: { amount: 7000 },
      payments: [{ refundedAmount: 7000 }],
    });
    expect(await onHand(variantId)).toMatchObject({ onHand: 10, reserved: 0 });
    const ship = await admin('POST', `/api/admin/orders/${order.id}/transition`, { status: 'processing' });
    expect(ship.statusCode).toBe(409);
    // The payment of the cancelled order still holds 1000: the reconciliation job gives it back.
    await app.payments.reconcile(0);
    expect(await detail(order.id)).toMatchObject({
      status: 'cancelled',
      refunded: { amount: 8000 },
      payments: [{ refundedAmount: 8000 }],
    });
  });

  it('a refund whose answer is lost while the order is cancelled stays reserved: the cancellation gives back the rest, the job confirms it once', async () => {
    const product = await fx.product([4000], 10);
    const variantId = product.variants[0]!.id;
    const { order } = await placeOrder(variantId, 2);
    const provider = app.payments.provider;
    const refund = provider.refund.bind(provider);
    let cancelled: number | undefined;
    // The gateway refunds 1000, but its answer never arrives (a timeout); meanwhile the order is cancelled.
    provider.refund = async (input) => {
      provider.refund = refund;
      await refund(input);
      cancelled = (await admin('POST', `/api/admin/orders/${order.id}/cancel`, { reason: 'customer asked' }))
        .statusCode;
      throw new GatewayError('stripe: refund failed: Request aborted due to timeout being reached');
    };
    try {
      const pending = await admin('POST', `/api/admin/orders/${order.id}/refund`, { amount: 1000 });
      expect(pending.statusCode).toBe(502);
      expect(pending.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(pending.json()).toMatchObject({ code: 'MCART_ERR_REFUND_PENDING', amount: 1000 });
    } finally {
      provider.refund = refund;
    }
    expect(cancelled).toBe(200);
    // The 1000 stays counted (it may have gone back): the cancellation refunded the other 7000, never 8000 again.
    expect(await detail(order.id)).toMatchObject({
      status: 'cancelled',
      refunded: { amount: 8000 },
      payments: [
        {
          refundedAmount: 8000,
          refunds: [
            expect.objectContaining({ amount: 1000, status: 'pending' }),
            expect.objectContaining({ amount: 7000, status: 'succeeded' }),
          ],
        },
      ],
    });
    await app.payments.reconcile(0);
    await app.payments.reconcile(0);
    const after = (await admin('GET', `/api/admin/orders/${order.id}`)).json<{
      refunded: { amount: number };
      payments: { refundedAmount: number; refunds: { status: string }[] }[];
      timeline: { kind: string; message: string | null }[];
    }>();
    expect(after).toMatchObject({ refunded: { amount: 8000 }, payments: [{ refundedAmount: 8000 }] });
    expect(after.payments[0]!.refunds.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    const intent = await (
      app.payments.provider as unknown as { inspect(id: string): Promise<{ refundedAmount: number }> }
    ).inspect(
      ((await admin('GET', `/api/admin/orders/${order.id}`)).json().payments[0] as { providerRef: string })
        .providerRef,
    );
    expect(intent.refundedAmount).toBe(8000);
    expect(after.timeline.filter((e) => e.kind === 'refund').map((e) => e.message)).toEqual([
      'Refund $10.00',
      'Refund of $10.00 not confirmed: the payment gateway did not answer. It stays pending and is confirmed automatically; do not refund it again',
      'Refund of $10.00 confirmed by the payment gateway',
    ]);
  });

  it('undoes a failed refund: back to where the order was, or still partially refunded after another refund; only the refund that went through is mailed', async () => {
    const product = await fx.product([4000], 10);
    const { order } = await placeOrder(product.variants[0]!.id, 2);
    const payments = app.payments;
    const refund = payments.refund.bind(payments);
    payments.refund = async () => {
      throw PaymentErrors.gateway('The gateway did not refund the payment');
    };
    try {
      expect((await admin('POST', `/api/admin/orders/${order.id}/refund`, { amount: 1000 })).statusCode).toBe(
        502,
      );
      expect(await detail(order.id)).toMatchObject({ status: 'paid', refunded: { amount: 0 } });
      // A refund that succeeds while another one is at the gateway (and fails there) stands.
      payments.refund = async (orderId) => {
        payments.refund = refund;
        const other = await admin('POST', `/api/admin/orders/${orderId}/refund`, { amount: 500 });
        expect(other.statusCode).toBe(200);
        throw PaymentErrors.gateway('The gateway did not refund the payment');
      };
      expect((await admin('POST', `/api/admin/orders/${order.id}/refund`, { amount: 1000 })).statusCode).toBe(
        502,
      );
    } finally {
      payments.refund = refund;
    }
    expect(await detail(order.id)).toMatchObject({
      status: 'partially_refunded',
      refunded: { amount: 500 },
      payments: [{ refundedAmount: 500 }],
    });
    await app.outbox.drain();
    const refundMails = (await queuedMail(app, databaseUrl)).filter(
      (mail) => (mail.template as string) === 'refund-issued' && mail.data.orderNumber === order.number,
    );
    expect(refundMails.map((mail) => mail.data)).toEqual([
      { orderNumber: order.number, customerName: address.name, amount: 500, currency: 'USD' },
    ]);
  });
});

withPayments('refund amounts and total filters an order can hold', () => {
  // An order's totals are PostgreSQL int columns of minor units.
  const INT_MAX = 2_147_483_647;
  const detail = async (orderId: string) =>
    (await admin('GET', `/api/admin/orders/${orderId}`)).json<{
      status: string;
      totals: { total: { amount: number } };
      refunded: { amount: number };
      lines: { id: string; refundedQuantity: number; withdrawnQuantity: number }[];
      payments: { capturedAmount: number; refundedAmount: number }[];
      timeline: { kind: string; fromStatus: string | null; toStatus: string | null }[];
    }>();

  it('refuses a refund or capture amount above what an order can hold with 400 on body/amount, moving no money', async () => {
    const product = await fx.product([1000], 10);
    const { order } = await placeOrder(product.variants[0]!.id, 1);
    const total = (await detail(order.id)).totals.total.amount;
    for (const action of ['refund', 'capture']) {
      for (const amount of [INT_MAX + 1, 3_000_000_000, 99_999_999_999]) {
        const response = await admin('POST', `/api/admin/orders/${order.id}/${action}`, { amount });
        expect(response.statusCode, `${action} ${amount}: ${response.body}`).toBe(400);
        expect(response.headers['content-type']).toMatch(/problem\+json/);
        expect(response.json()).toMatchObject({
          code: 'MCART_ERR_VALIDATION',
          errors: [expect.objectContaining({ path: 'body/amount' })],
        });
      }
    }
    // The largest amount the schema lets through is refused by what is left of the order, not by PostgreSQL.
    const largest = await admin('POST', `/api/admin/orders/${order.id}/refund`, { amount: INT_MAX });
    expect(largest.statusCode, largest.body).toBe(409);
    expect(largest.json().code).toBe('MCART_ERR_REFUND_EXCEEDS_TOTAL');
    expect(await detail(order.id)).toMatchObject({
      status: 'paid',
      refunded: { amount: 0 },
      payments: [{ capturedAmount: total, refundedAmount: 0 }],
    });
  });

  it('caps concurrent refunds by line to what is left under the order lock: both go through, the total is never passed', async () => {
    const product = await fx.product([1500], 10);
    const { order } = await placeOrder(product.variants[0]!.id, 2);
    const before = await detail(order.id);
    const total = before.totals.total.amount;
    const lineId = before.lines[0]!.id;
    // Leave 20.00: one unit's refund (15.00 and its share of tax and discount) fits alone, the two together do not.
    const first = await admin('POST', `/api/admin/orders/${order.id}/refund`, { amount: total - 2000 });
    expect(first.statusCode, first.body).toBe(200);
    const byLine = () =>
      Promise.resolve(
        admin('POST', `/api/admin/orders/${order.id}/refund`, {
          lines: [{ orderLineId: lineId, quantity: 1 }],
        }),
      );
    const answers = await Promise.all([byLine(), byLine()]);
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200]);
    expect(await detail(order.id)).toMatchObject({
      status: 'refunded',
      refunded: { amount: total },
      lines: [{ refundedQuantity: 2 }],
      payments: [{ capturedAmount: total, refundedAmount: total }],
    });
    // Nothing is left: even one cent is refused.
    const none = await admin('POST', `/api/admin/orders/${order.id}/refund`, { amount: 1 });
    expect(none.statusCode).toBe(409);
  });

  it('refuses a total filter of the order list above what an order can hold with 400 naming it; the largest lists', async () => {
    const product = await fx.product([1000], 10);
    const { order } = await placeOrder(product.variants[0]!.id, 1);
    for (const filter of ['minTotal', 'maxTotal']) {
      for (const value of [INT_MAX + 1, 3_000_000_000, 99_999_999_999]) {
        const response = await admin('GET', `/api/admin/orders?${filter}=${value}`);
        expect(response.statusCode, `${filter}=${value}: ${response.body}`).toBe(400);
        expect(response.json()).toMatchObject({
          code: 'MCART_ERR_VALIDATION',
          errors: [expect.objectContaining({ path: expect.stringMatching(new RegExp(`/${filter}$`)) })],
        });
      }
    }
    const upTo = await admin(
      'GET',
      `/api/admin/orders?maxTotal=${INT_MAX}&perPage=500&sort=createdAt&order=DESC`,
    );
    expect(upTo.statusCode, upTo.body).toBe(200);
    expect(upTo.json<{ data: { id: string }[] }>().data.map((o) => o.id)).toContain(order.id);
    const from = await admin('GET', `/api/admin/orders?minTotal=${INT_MAX}`);
    expect(from.statusCode, from.body).toBe(200);
    expect(from.json()).toMatchObject({ total: 0, data: [] });
  });

  it("lists the orders asked for by id (the desktop reads a payment's order so), one id or several", async () => {
    const product = await fx.product([1000], 10);
    const first = (await placeOrder(product.variants[0]!.id, 1)).order;
    const second = (await placeOrder(product.variants[0]!.id, 1)).order;
    const both = await admin('GET', `/api/admin/orders?id=${first.id}&id=${second.id}&perPage=2`);
    expect(both.statusCode, both.body).toBe(200);
    expect(
      both
        .json<{ data: { id: string }[] }>()
        .data.map((o) => o.id)
        .sort(),
    ).toEqual([first.id, second.id].sort());
    const one = await admin('GET', `/api/admin/orders?id=${first.id}`);
    expect(one.json()).toMatchObject({ total: 1, data: [{ id: first.id, number: first.number }] });
    const bad = await admin('GET', '/api/admin/orders?id=not-a-uuid');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'MCART_ERR_VALIDATION' });
  });

  // Three at a time: the test app's pool holds four connections, and the test gateway's refund takes two.
  it('lets concurrent partial refunds that fit all go through: the refunded total is their sum', async () => {
    const product = await fx.product([1000], 10);
    const { order } = await placeOrder(product.variants[0]!.id, 1);
    const total = (await detail(order.id)).totals.total.amount;
    // Once one had moved the order to partially_refunded, the others were refused as exceeding the total.
    const refunds = await Promise.all(
      [200, 300, 100].map((amount) =>
        admin('POST', `/api/admin/orders/${order.id}/refund`, { amount, reason: `goodwill ${amount}` }),
      ),
    );
    expect(refunds.map((r) => `${r.statusCode} ${r.statusCode === 200 ? '' : r.body}`)).toEqual(
      Array(3).fill('200 '),
    );
    const after = await detail(order.id);
    expect(after).toMatchObject({
      status: 'partially_refunded',
      refunded: { amount: 600 },
      payments: [{ capturedAmount: total, refundedAmount: 600 }],
    });
    // One at a time, each from the status the one before left: from paid once, then from partially refunded.
    expect(
      after.timeline.filter((event) => event.kind === 'refund').map((e) => `${e.fromStatus} → ${e.toStatus}`),
    ).toEqual([
      'paid → partially_refunded',
      'partially_refunded → partially_refunded',
      'partially_refunded → partially_refunded',
    ]);
  });

  it('never refunds more than the total when concurrent refunds do not all fit: those that fit go through, the other exceeds', async () => {
    const product = await fx.product([1000], 10);
    const { order } = await placeOrder(product.variants[0]!.id, 1);
    const total = (await detail(order.id)).totals.total.amount;
    // Any two fit (all three are 0.50 too many), whichever order they take their turns in.
    const amounts = [total - 150, 100, 100];
    const refunds = await Promise.all(
      amounts.map((amount) => admin('POST', `/api/admin/orders/${order.id}/refund`, { amount })),
    );
    const refused = refunds.filter((r) => r.statusCode !== 200);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.statusCode).toBe(409);
    expect(refused[0]!.json().code).toBe('MCART_ERR_REFUND_EXCEEDS_TOTAL');
    const refunded = amounts.filter((_, i) => refunds[i]!.statusCode === 200).reduce((a, b) => a + b, 0);
    expect(refunded).toBeLessThan(total);
    expect(await detail(order.id)).toMatchObject({
      status: 'partially_refunded',
      refunded: { amount: refunded },
      payments: [{ refundedAmount: refunded }],
    });
  });

  it('refunds each unit once when concurrent refunds by line ask for more units than the line has', async () => {
    const product = await fx.product([1000], 10);
    const variantId = product.variants[0]!.id;
    const { order } = await placeOrder(variantId, 2);
    const lineId = (await detail(order.id)).lines[0]!.id;
    const refunds = await Promise.all(
      [1, 2, 3].map(() =>
        admin('POST', `/api/admin/orders/${order.id}/refund`, {
          lines: [{ orderLineId: lineId, quantity: 1 }],
        }),
      ),
    );
    expect(refunds.filter((r) => r.statusCode === 200)).toHaveLength(2);
    // Refused before anything is reserved (no unit left), or by the line's conditional update (a unit each).
    const refused = refunds.find((r) => r.statusCode !== 200)!;
    expect(`${refused.statusCode} ${refused.json().code}`).toMatch(
      /^(400 MCART_ERR_VALIDATION|409 MCART_ERR_REFUND_EXCEEDS_TOTAL)$/,
    );
    expect(await detail(order.id)).toMatchObject({
      status: 'partially_refunded', // the shipping charge is not a line
      refunded: { amount: 2000 },
      lines: [{ refundedQuantity: 2, withdrawnQuantity: 2 }],
      payments: [{ refundedAmount: 2000 }],
    });
    expect(await onHand(variantId)).toMatchObject({ onHand: 10, reserved: 0 });
  });
});

withPayments('customer orders', () => {
  it('shows a customer only their own orders and lets them cancel before shipping', async () => {
    const product = await fx.product([1000], 10);
    const variantId = product.variants[0]!.id;
    const alice = await fx.customer();
    const bob = await fx.customer();
    const { order } = await placeOrder(variantId, 1, 'tok_visa', alice.auth);
    const mine = await app.inject({
      method: 'GET',
      url: '/api/store/orders',
      headers: { authorization: alice.auth },
    });
    expect(mine.json()).toMatchObject({ total: 1, data: [{ id: order.id }] });
    expect(
      (
        await app.inject({ method: 'GET', url: '/api/store/orders', headers: { authorization: bob.auth } })
      ).json().total,
    ).toBe(0);
    expect(
      (
        await app.inject({
          method: 'GET',
          url: `/api/store/orders/${order.id}`,
          headers: { authorization: bob.auth },
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await app.inject({
          method: 'GET',
          url: `/api/store/orders/${order.id}`,
          headers: { authorization: alice.auth },
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: `/api/store/orders/${order.id}/cancel`,
          headers: { authorization: bob.auth },
          payload: {},
        })
      ).statusCode,
    ).toBe(404);
    const cancel = await app.inject({
      method: 'POST',
      url: `/api/store/orders/${order.id}/cancel`,
      headers: { authorization: alice.auth },
      payload: {},
    });
    expect(cancel.statusCode).toBe(200);
    // The same order as GET /api/store/orders/{id} answers, its (here no) parcels included.
    expect(cancel.json()).toMatchObject({ status: 'cancelled', shipments: [] });
    expect(await onHand(variantId)).toMatchObject({ onHand: 10 });
  });
});

withPayments('reservation expiry', () => {
  it('cancels unpaid orders whose reservation ran out and releases their stock', async () => {
    const product = await fx.product([1000], 4);
    const variantId = product.variants[0]!.id;
    const placed = await placeOrder(variantId, 3, 'tok_threeDSecure');
    expect(placed.order.status).toBe('pending_payment');
    expect(placed.payment.status).toBe('requires_action');
    expect(await onHand(variantId)).toMatchObject({ onHand: 4, reserved: 3 });
    const service = new OrdersService(fork(), app.cipher);
    expect(await service.expireUnpaid()).not.toContain(placed.order.id);
    await query(fork(), `UPDATE orders SET reserved_until = now() - interval '1 minute' WHERE id = ?::uuid`, [
      placed.order.id,
    ]);
    expect(await service.expireUnpaid()).toContain(placed.order.id);
    expect(await onHand(variantId)).toMatchObject({ onHand: 4, reserved: 0 });
    expect((await service.find(placed.order.id)).status).toBe('cancelled');
  });
});

withPayments('order list dates', () => {
  it('reads dates without an offset as UTC on a database whose default zone is not UTC', async () => {
    // initdb takes the machine's zone: the embedded database on a desk in Auckland.
    const database = await createTestDatabaseInZone('Pacific/Auckland');
    const auckland = await buildApp(await testConfig(database.url));
    try {
      const auth = await staffToken(auckland);
      const shop = commerceFixtures(auckland, auth);
      const product = await shop.product([1000], 10);
      const placedAt = async (at: string) => {
        const cartId = await shop.cart();
        await shop.add(cartId, product.variants[0]!.id, 1);
        const placed = await auckland.inject({
          method: 'POST',
          url: `/api/store/carts/${cartId}/checkout`,
          headers: { 'idempotency-key': randomUUID() },
          payload: {
            email: 'kiri@example.com',
            shippingAddress: address,
            payment: { provider: 'test', token: 'tok_visa' },
          },
        });
        expect(placed.statusCode, placed.body).toBe(201);
        const { number, id } = placed.json<{ order: { id: string; number: string } }>().order;
        await query(
          auckland.orm.em.fork() as EntityManager,
          `UPDATE orders SET created_at = ?::timestamptz WHERE id = ?::uuid`,
          [at, id],
        );
        return number;
      };
      // 30 November in UTC (1 December in Auckland), then 1 December.
      await placedAt('2026-11-30T12:00:00Z');
      const december = await placedAt('2026-12-01T05:00:00Z');
      const listed = await auckland.inject({
        url: '/api/admin/orders?from=2026-12-01&to=2027-01-01',
        headers: { authorization: auth },
      });
      expect(listed.json<{ data: { number: string }[] }>().data.map((order) => order.number)).toEqual([
        december,
      ]);
    } finally {
      await auckland.close();
      await database.drop();
    }
  }, 90_000);
});

describe('the order line in the API document', () => {
  it('does not describe withdrawn units as a part of the refunded ones (a reversed refund leaves them withdrawn)', async () => {
    const document = (await app.inject('/api/openapi.json')).body;
    expect(document).not.toContain('Of the refunded units');
    expect(document).toContain('this may exceed refundedQuantity');
  });
});
