import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { staffToken, useTestApp } from '../../../test/app.ts';
import { manualCapturePayments } from '../../../test/support/orders.ts';
import { commerceFixtures } from '../cart/test-helpers.ts';
import { OrderOperations } from '../orders/order-operations.ts';
import { addGatewayRefund, OrdersService } from '../orders/orders.service.ts';

// A store on manual capture (STRIPE_CAPTURE=manual) whose staff capture less than the order's total: the order
// is refunded once everything captured went back (the rest was never charged).
const { app } = await useTestApp({ TAX_RATE_BPS: '0' });
const staff = await staffToken(app);
const fx = commerceFixtures(app, staff);
const manual = manualCapturePayments(app);
const actor = { type: 'staff' as const, id: null };
const operations = () =>
  new OrderOperations(app.orm.em.fork() as EntityManager, app.cipher, () => manual, app.log);
const order = (id: string) => new OrdersService(app.orm.em.fork() as EntityManager, app.cipher).find(id);

/** An order of 2 × 30.00 (free shipping over 50.00), paid by an authorization of 60.00 not captured yet. */
async function authorizedOrder() {
  const product = await fx.product([3000], 50);
  const cartId = await fx.cart();
  expect((await fx.add(cartId, product.variants[0]!.id, 2)).statusCode).toBe(200);
  const placed = await app.inject({
    method: 'POST',
    url: `/api/store/carts/${cartId}/checkout`,
    headers: { 'idempotency-key': randomUUID() },
    payload: {
      email: 'manual@example.test',
      shippingAddress: { name: 'M C', line1: '1 Way', city: 'Paris', postalCode: '75001', country: 'FR' },
      // 3-D Secure leaves the order unpaid: the manual-capture service authorizes it below.
      payment: { provider: 'test', token: 'tok_threeDSecure' },
    },
  });
  expect(placed.statusCode, placed.body).toBe(201);
  const { id, total } = placed.json<{ order: { id: string; total: { amount: number } } }>().order as {
    id: string;
    total: { amount: number };
  };
  const authorized = await manual.startPayment({
    orderId: id,
    amount: total.amount,
    currency: 'USD',
    provider: 'test',
    token: 'tok_visa',
    customerEmail: 'manual@example.test',
    idempotencyKey: randomUUID(),
  });
  expect(authorized).toMatchObject({ status: 'authorized', orderPaid: true });
  expect(total.amount).toBe(6000);
  return id;
}

describe('refunds after a manual capture of less than the order', () => {
  it('is refunded once all that was captured went back, in one refund or several', async () => {
    const whole = await authorizedOrder();
    await operations().capture(whole, 2400, actor);
    await operations().refund(whole, { amount: 2400 }, actor);
    expect(await order(whole)).toMatchObject({ status: 'refunded', refunded_total: 2400 });

    const inParts = await authorizedOrder();
    await operations().capture(inParts, 2400, actor);
    await operations().refund(inParts, { amount: 1000 }, actor);
    expect(await order(inParts)).toMatchObject({ status: 'partially_refunded', refunded_total: 1000 });
    await operations().refund(inParts, { amount: 1400 }, actor);
    expect(await order(inParts)).toMatchObject({ status: 'refunded', refunded_total: 2400 });
  });

  it('refuses more than was captured as too large, and caps a refund by line at what was captured', async () => {
    const orderId = await authorizedOrder();
    await operations().capture(orderId, 4000, actor);
    await expect(operations().refund(orderId, { amount: 4001 }, actor)).rejects.toMatchObject({
      code: 'MCART_ERR_REFUND_EXCEEDS_TOTAL',
      detail: 'At most $40.00 can still be refunded',
    });
    expect(await order(orderId)).toMatchObject({ status: 'paid', refunded_total: 0 });
    // Both units cost 60.00; only 40.00 was ever charged: that is what goes back, and the order is refunded.
    const [line] = await new OrdersService(app.orm.em.fork() as EntityManager, app.cipher).lines(orderId);
    const { amount } = await operations().refundWithAmount(
      orderId,
      { lines: [{ orderLineId: line!.id, quantity: 2 }] },
      actor,
    );
    expect(amount).toBe(4000);
    expect(await order(orderId)).toMatchObject({ status: 'refunded', refunded_total: 4000 });
    const payments = await manual.paymentsFor(orderId);
    expect(payments.find((payment) => payment.status === 'captured')).toMatchObject({
      capturedAmount: 4000,
      refundedAmount: 4000,
    });
  });
});

describe("refunds made at the gateway, outside MCart (the orders context's side)", () => {
  const gatewayRefund = (orderId: string, amount: number) =>
    app.orm.em
      .fork()
      .transactional((tx) =>
        addGatewayRefund(tx as EntityManager, orderId, amount, 'Refunded at the gateway'),
      );

  it('moves the order as a staff refund would: partly, then refunded once all that was captured went back', async () => {
    const orderId = await authorizedOrder();
    await operations().capture(orderId, 4000, actor);
    await gatewayRefund(orderId, 1500);
    expect(await order(orderId)).toMatchObject({ status: 'partially_refunded', refunded_total: 1500 });
    await gatewayRefund(orderId, 2500);
    expect(await order(orderId)).toMatchObject({ status: 'refunded', refunded_total: 4000 });
    const timeline = await new OrdersService(app.orm.em.fork() as EntityManager, app.cipher).timeline(
      orderId,
    );
    expect(timeline.filter((event) => event.kind === 'refund')).toEqual([
      expect.objectContaining({ from_status: 'paid', to_status: 'partially_refunded' }),
      expect.objectContaining({ from_status: 'partially_refunded', to_status: 'refunded' }),
    ]);
  });

  it('keeps a cancelled order cancelled', async () => {
    const orderId = await authorizedOrder();
    await operations().capture(orderId, 6000, actor);
    await operations().cancel(orderId, actor, undefined);
    const cancelled = await order(orderId);
    expect(cancelled).toMatchObject({ status: 'cancelled' });
    await gatewayRefund(orderId, 100);
    expect(await order(orderId)).toMatchObject({ status: 'cancelled' });
  });
});

describe('two staff capturing the same authorization at once', () => {
  it('one captures; the other is refused 409, and the timeline records only the capture that happened', async () => {
    const orderId = await authorizedOrder();
    // The second desk read the payment authorized; the first desk's capture of 24.00 lands before its claim.
    const racing = manualCapturePayments(app);
    type Reads = { forOrder: (id: string, statuses: string[]) => Promise<unknown[]> };
    const reads = racing as unknown as Reads;
    const read = reads.forOrder.bind(racing);
    let overtaken = false;
    reads.forOrder = async (id, statuses) => {
      const rows = await read(id, statuses);
      if (!overtaken && statuses.includes('authorized')) {
        overtaken = true;
        await manual.capture(id, 2400);
      }
      return rows;
    };
    const second = new OrderOperations(app.orm.em.fork() as EntityManager, app.cipher, () => racing, app.log);
    // Before: answered as if it had captured all 60.00, and wrote "Payment captured ($60.00)" into the timeline.
    await expect(second.capture(orderId, 6000, actor)).rejects.toMatchObject({
      code: 'MCART_ERR_PAYMENT_NOT_CAPTURABLE',
      detail: 'The payment was captured already',
    });
    const payments = await manual.paymentsFor(orderId);
    expect(payments.find((payment) => payment.status === 'captured')).toMatchObject({ capturedAmount: 2400 });
    const timeline = await new OrdersService(app.orm.em.fork() as EntityManager, app.cipher).timeline(
      orderId,
    );
    expect(timeline.filter((event) => event.message?.startsWith('Payment captured'))).toEqual([]);
  });
});
