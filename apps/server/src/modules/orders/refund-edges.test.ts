import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { staffToken, useTestApp } from '../../../test/app.ts';
import { commerceFixtures } from '../cart/test-helpers.ts';
import { OrderOperations } from './order-operations.ts';
import { OrdersService } from './orders.service.ts';
import type { PaymentGateway } from './payment-gateway.ts';

// Refunds at the edges of the order's life (ADR 0044, 0043): a cancelled order's units, reservations given back
// out of order, and the moves of a partially refunded order that depend on where its goods are. Prices exclude no
// tax here (TAX_RATE_BPS 0): the amounts are the prices.
const { app } = await useTestApp({ TAX_RATE_BPS: '0' });
const staff = await staffToken(app);
const fx = commerceFixtures(app, staff);
const fork = () => app.orm.em.fork() as EntityManager;
const orders = () => new OrdersService(fork(), app.cipher);
const actor = { type: 'staff' as const, id: null };

const admin = (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) =>
  app.inject({ method, url, headers: { authorization: staff }, ...(payload ? { payload } : {}) });

const onHand = async (variantId: string) =>
  (await admin('GET', `/api/admin/inventory/levels?variantId=${variantId}`)).json<{
    data: { onHand: number }[];
  }>().data[0]!.onHand;

/** A paid order (test gateway, captured) of `quantity` units of a new 10.00 product with 10 in stock. */
async function paidOrder(quantity: number) {
  const product = await fx.product([1_000], 10);
  const variantId = product.variants[0]!.id;
  const cartId = await fx.cart();
  expect((await fx.add(cartId, variantId, quantity)).statusCode).toBe(200);
  const placed = await app.inject({
    method: 'POST',
    url: `/api/store/carts/${cartId}/checkout`,
    headers: { 'idempotency-key': randomUUID() },
    payload: {
      email: 'edges@example.test',
      shippingAddress: { name: 'E Dge', line1: '1 Rim', city: 'Brink', postalCode: '10001', country: 'US' },
      payment: { provider: 'test', token: 'tok_visa' },
    },
  });
  expect(placed.statusCode, placed.body).toBe(201);
  const orderId = placed.json<{ order: { id: string } }>().order.id;
  const order = await orders().find(orderId);
  expect(order.status).toBe('paid');
  const [line] = await orders().lines(orderId);
  return { orderId, variantId, lineId: line!.id, total: order.total };
}

describe('a refund by line of a cancelled order', () => {
  it('restocks nothing: the cancellation gave every unit back already (the give-back had failed, staff refund by line)', async () => {
    const { orderId, variantId, lineId } = await paidOrder(2);
    expect(await onHand(variantId)).toBe(8);
    // The gateway is down when the order is cancelled: the money is left to the reconciliation job (ADR 0043).
    const real = app.payments as unknown as PaymentGateway;
    const down: PaymentGateway = {
      openPayment: (...args) => real.openPayment(...args),
      startPayment: (input) => real.startPayment(input),
      capture: (...args) => real.capture(...args),
      cancel: (id) => real.cancel(id),
      refund: (...args) => real.refund(...args),
      giveBackCancelled: async () => undefined,
    };
    await new OrderOperations(fork(), app.cipher, () => down, app.log).cancel(orderId, actor, 'changed mind');
    expect(await onHand(variantId)).toBe(10);

    const refund = await admin('POST', `/api/admin/orders/${orderId}/refund`, {
      lines: [{ orderLineId: lineId, quantity: 2 }],
    });
    expect(refund.statusCode, refund.body).toBe(200);
    expect(refund.json()).toMatchObject({
      status: 'cancelled',
      // The goods (shipping stays with the give-back the job will make).
      refunded: { amount: 2_000 },
      lines: [{ refundedQuantity: 2, withdrawnQuantity: 0 }],
    });
    // Before: the refund withdrew both units and restocked them once the gateway refunded: 12 on hand.
    expect(await onHand(variantId)).toBe(10);
  });

  it('whose reservation is given back after the order was cancelled puts the withdrawn units back on the shelf', async () => {
    const { orderId, variantId, lineId } = await paidOrder(2);
    // A refund by line of an unshipped unit is reserved (withdrawn, to be restocked once the gateway refunds)...
    const { refundId } = await orders().reserveRefund(
      orderId,
      { lines: [{ orderLineId: lineId, quantity: 1 }] },
      actor,
      undefined,
    );
    // ...the order is cancelled meanwhile: it restocks the unit it still holds...
    await orders().transition(orderId, 'cancelled', actor, 'cancelled by staff');
    expect(await onHand(variantId)).toBe(9);
    // ...and the gateway never made the refund: the withdrawn unit is the cancelled order's no more.
    await orders().releaseRefund(refundId);
    expect((await orders().lines(orderId))[0]).toMatchObject({ refunded_quantity: 0, withdrawn_quantity: 0 });
    // Before: 9, one unit lost from stock.
    expect(await onHand(variantId)).toBe(10);
  });
});

describe('refund reservations given back out of order', () => {
  it('leave the status that what stays refunded gives (never refunded with money held, nor partly with none)', async () => {
    const { orderId, total } = await paidOrder(2);
    // Two staff refunds in flight at once: 10.00, then the rest (the order reads refunded).
    const first = await orders().reserveRefund(orderId, { amount: 1_000 }, actor, undefined);
    const second = await orders().reserveRefund(orderId, { amount: total - 1_000 }, actor, undefined);
    expect(await orders().find(orderId)).toMatchObject({ status: 'refunded', refunded_total: total });

    // The gateway refuses the first: the second still stands, so the order is partly refunded. Before, it stayed
    // `refunded` (final): the 10.00 still held could never be refunded.
    await orders().releaseRefund(first.refundId);
    expect(await orders().find(orderId)).toMatchObject({
      status: 'partially_refunded',
      refunded_total: total - 1_000,
    });
    // It refuses the second too: nothing is refunded, the order is paid again (before: partially refunded).
    await orders().releaseRefund(second.refundId);
    expect(await orders().find(orderId)).toMatchObject({ status: 'paid', refunded_total: 0 });
    // And it can be refunded in full after all.
    const refund = await admin('POST', `/api/admin/orders/${orderId}/refund`, { amount: total });
    expect(refund.statusCode, refund.body).toBe(200);
    expect(refund.json()).toMatchObject({ status: 'refunded', refunded: { amount: total } });
  });
});

describe('a refund with nothing to refund', () => {
  it('of an order refunded in full says nothing is left (not that refunded → refunded is no move)', async () => {
    const { orderId, total } = await paidOrder(1);
    expect((await admin('POST', `/api/admin/orders/${orderId}/refund`, { amount: total })).statusCode).toBe(
      200,
    );
    const again = await admin('POST', `/api/admin/orders/${orderId}/refund`, { amount: 1 });
    expect(again.statusCode, again.body).toBe(409);
    expect(again.json()).toMatchObject({
      code: 'MCART_ERR_REFUND_EXCEEDS_TOTAL',
      detail: 'At most $0.00 can still be refunded',
    });
  });
});

describe('a partially refunded order moves by where its goods are', () => {
  const move = (orderId: string, status: string) =>
    admin('POST', `/api/admin/orders/${orderId}/transition`, { status });

  it('once shipped (by hand: no parcels) it does not go back to processing, nor into the to-pack queue that way', async () => {
    const { orderId } = await paidOrder(1);
    expect((await move(orderId, 'shipped')).statusCode).toBe(200);
    expect((await admin('POST', `/api/admin/orders/${orderId}/refund`, { amount: 100 })).statusCode).toBe(
      200,
    );
    // What the back office offers is what the transition takes.
    const offered = (await admin('GET', `/api/admin/orders/${orderId}`)).json().allowedTransitions;
    expect(offered).not.toContain('processing');
    expect(offered).toContain('delivered');
    const back = await move(orderId, 'processing');
    expect(back.statusCode, back.body).toBe(409);
    expect(back.json()).toMatchObject({
      code: 'MCART_ERR_ILLEGAL_TRANSITION',
      detail: 'The order was shipped: it does not go back to processing; goods that come back are a return',
    });
    // Where its goods are: delivered, which it may still become.
    expect((await move(orderId, 'delivered')).statusCode).toBe(200);
  });

  it('not shipped, it is not delivered; it may go on to processing and shipped', async () => {
    const { orderId } = await paidOrder(1);
    expect((await admin('POST', `/api/admin/orders/${orderId}/refund`, { amount: 100 })).statusCode).toBe(
      200,
    );
    const offered = (await admin('GET', `/api/admin/orders/${orderId}`)).json().allowedTransitions;
    expect(offered).not.toContain('delivered');
    expect(offered).toEqual(
      expect.arrayContaining(['processing', 'shipped', 'returned', 'refunded', 'cancelled']),
    );
    const delivered = await move(orderId, 'delivered');
    expect(delivered.statusCode, delivered.body).toBe(409);
    expect(delivered.json()).toMatchObject({
      code: 'MCART_ERR_ILLEGAL_TRANSITION',
      detail: 'The order was not shipped: it cannot be delivered',
    });
    expect((await move(orderId, 'processing')).statusCode).toBe(200);
    expect((await move(orderId, 'shipped')).statusCode).toBe(200);
    expect((await move(orderId, 'delivered')).statusCode).toBe(200);
  });
});
