import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { staffToken, useTestApp } from './app.ts';
import { ADDRESS, orderFixtures } from './support/orders.ts';

/**
 * Orders marked shipped (or delivered) by hand, with no parcel in the shipping module, then partly refunded: their
 * status (partially_refunded) is shippable, their goods left all the same. Neither the to-pack queue nor the
 * dashboard's count shows them, and no label can be bought for them (ADR 0012, 0047). A database of its own: the
 * queue and the count depend on every order in the store.
 */
const { app, config, databaseUrl } = await useTestApp({ TAX_RATE_BPS: '0' });
const owner = await staffToken(app);
const fixtures = orderFixtures(app, config, owner);
const admin = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
  app.inject({
    method,
    url,
    headers: { authorization: owner },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

/** A paid order through the store's checkout and the test gateway (so refunds reach a real payment). */
async function paidOrder(quantity: number) {
  const product = await fixtures.product([{ weightGrams: 250, price: 1_000 }]);
  const variantId = product.variants[0]!.id;
  const cart = await app.inject({ method: 'POST', url: '/api/store/carts' });
  const cartId = cart.json<{ id: string }>().id;
  const added = await app.inject({
    method: 'POST',
    url: `/api/store/carts/${cartId}/items`,
    payload: { variantId, quantity },
  });
  expect(added.statusCode, added.body).toBe(200);
  const placed = await app.inject({
    method: 'POST',
    url: `/api/store/carts/${cartId}/checkout`,
    headers: { 'idempotency-key': randomUUID() },
    payload: {
      email: 'by-hand@example.test',
      shippingAddress: ADDRESS,
      payment: { provider: 'test', token: 'tok_visa' },
    },
  });
  expect(placed.statusCode, placed.body).toBe(201);
  const id = placed.json<{ order: { id: string } }>().order.id;
  const detail = (await admin('GET', `/api/admin/orders/${id}`)).json<{
    status: string;
    lines: { id: string }[];
  }>();
  expect(detail.status).toBe('paid');
  return { id, lineId: detail.lines[0]!.id };
}

const move = async (orderId: string, status: string) => {
  const moved = await admin('POST', `/api/admin/orders/${orderId}/transition`, { status });
  expect(moved.statusCode, moved.body).toBe(200);
};
const refund = async (orderId: string, body: Record<string, unknown>) => {
  const refunded = await admin('POST', `/api/admin/orders/${orderId}/refund`, body);
  expect(refunded.statusCode, refunded.body).toBe(200);
  expect(refunded.json()).toMatchObject({ status: 'partially_refunded' });
};
const queue = async () => {
  const response = await admin('GET', '/api/admin/shipping/to-pack?limit=200');
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{
    data: { orderId: string; lines: { remaining: number }[] }[];
    total: number;
  }>();
};
const toPackCount = async () =>
  (await admin('GET', '/api/admin/dashboard')).json<{ toPack: number | null }>().toPack;
const shipmentsOf = async (orderId: string) =>
  (await admin('GET', `/api/admin/shipments?orderId=${orderId}`)).json<{ total: number }>().total;
const track = (trackingNumber: string, status: string, minutes: number) => {
  const boundary = `----mcart${Date.now()}`;
  const csv = `tracking_number,status,time\n${trackingNumber},${status},${new Date(Date.now() + minutes * 60_000).toISOString()}`;
  return app.inject({
    method: 'POST',
    url: '/api/admin/shipments/tracking-import',
    headers: { authorization: owner, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="t.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`,
  });
};

/** Not in the queue, not counted by the dashboard, and no label for it. */
async function expectNothingToPack(orderId: string, marked: 'shipped' | 'delivered') {
  const listed = await queue();
  expect(listed.data.map((entry) => entry.orderId)).not.toContain(orderId);
  expect(await toPackCount()).toBe(listed.total);
  const label = await admin('POST', `/api/admin/orders/${orderId}/shipments`, {});
  expect(label.statusCode, label.body).toBe(409);
  expect(label.headers['content-type']).toContain('application/problem+json');
  expect(label.json()).toMatchObject({
    code: 'MCART_ERR_ORDER_ALREADY_SHIPPED',
    shipped: marked,
    detail: expect.stringContaining(`was marked ${marked}`),
  });
  // Nor a part of it, line by line.
  const { lines } = (await admin('GET', `/api/admin/orders/${orderId}`)).json<{ lines: { id: string }[] }>();
  const part = await admin('POST', `/api/admin/orders/${orderId}/shipments`, {
    lines: [{ orderLineId: lines[0]!.id, quantity: 1 }],
  });
  expect(part.json()).toMatchObject({ code: 'MCART_ERR_ORDER_ALREADY_SHIPPED' });
  expect(await shipmentsOf(orderId)).toBe(0);
}

describe('an order shipped by hand, then partly refunded', () => {
  it('by amount has nothing left to pack (before: every unit in the to-pack queue, and a label bought)', async () => {
    const { id } = await paidOrder(3);
    await move(id, 'shipped');
    await refund(id, { amount: 500 });
    await expectNothingToPack(id, 'shipped');
  });

  it('by line has nothing left to pack: the refunded unit had left too, nothing was withdrawn', async () => {
    const { id, lineId } = await paidOrder(3);
    await move(id, 'shipped');
    await refund(id, { lines: [{ orderLineId: lineId, quantity: 1 }] });
    await expectNothingToPack(id, 'shipped');
  });

  it('delivered by hand, then partly refunded, has nothing left to pack', async () => {
    const { id, lineId } = await paidOrder(2);
    await move(id, 'shipped');
    await move(id, 'delivered');
    await refund(id, { lines: [{ orderLineId: lineId, quantity: 1 }] });
    await expectNothingToPack(id, 'delivered');
  });

  it('with some units in a parcel, the rest shipped by hand, has nothing left to pack', async () => {
    const { id, lineId } = await paidOrder(3);
    const parcel = await admin('POST', `/api/admin/orders/${id}/shipments`, {
      lines: [{ orderLineId: lineId, quantity: 1 }],
    });
    expect(parcel.statusCode, parcel.body).toBe(201);
    await move(id, 'shipped');
    await refund(id, { amount: 500 });
    const listed = await queue();
    expect(listed.data.map((entry) => entry.orderId)).not.toContain(id);
    expect(await toPackCount()).toBe(listed.total);
    const label = await admin('POST', `/api/admin/orders/${id}/shipments`, {});
    expect(label.json()).toMatchObject({ code: 'MCART_ERR_ORDER_ALREADY_SHIPPED', shipped: 'shipped' });
    expect(await shipmentsOf(id)).toBe(1);
  });
});

describe('orders partly refunded that still have goods in the warehouse stay to pack', () => {
  it('never shipped: in the queue and the count, and a label can be bought', async () => {
    const { id } = await paidOrder(2);
    await refund(id, { amount: 500 });
    const listed = await queue();
    expect(listed.data.find((entry) => entry.orderId === id)).toMatchObject({ lines: [{ remaining: 2 }] });
    expect(await toPackCount()).toBe(listed.total);
    expect((await admin('POST', `/api/admin/orders/${id}/shipments`, {})).statusCode).toBe(201);
  });

  it('shipped, then its parcel returned to sender: the units are to ship again (ADR 0047)', async () => {
    const { id } = await paidOrder(2);
    const parcel = await admin('POST', `/api/admin/orders/${id}/shipments`, {});
    expect(parcel.statusCode, parcel.body).toBe(201);
    const { trackingNumber } = parcel.json<{ trackingNumber: string }>();
    expect((await track(trackingNumber, 'in_transit', 1)).json()).toMatchObject({ applied: 1 });
    expect((await admin('GET', `/api/admin/orders/${id}`)).json()).toMatchObject({ status: 'shipped' });
    expect((await track(trackingNumber, 'returned', 2)).json()).toMatchObject({ applied: 1 });
    await refund(id, { amount: 500 });
    const listed = await queue();
    expect(listed.data.find((entry) => entry.orderId === id)).toMatchObject({ lines: [{ remaining: 2 }] });
    expect(await toPackCount()).toBe(listed.total);
    expect((await admin('POST', `/api/admin/orders/${id}/shipments`, {})).statusCode).toBe(201);
  });
});

describe('an order marked shipped by hand while its label is being bought', () => {
  it('waits for the lock the label purchase holds, so one of the two sees the other', async () => {
    const { id } = await paidOrder(1);
    await move(id, 'processing');
    // What ShippingService.create holds from its check of what is left to its commit.
    const purchase = new pg.Client({ connectionString: databaseUrl });
    await purchase.connect();
    try {
      await purchase.query('BEGIN');
      await purchase.query(`SELECT pg_advisory_xact_lock(hashtext('shipment:' || $1))`, [id]);
      let answered = false;
      const marking = admin('POST', `/api/admin/orders/${id}/transition`, { status: 'shipped' }).then(
        (response) => {
          answered = true;
          return response;
        },
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(answered).toBe(false);
      await purchase.query('COMMIT');
      expect((await marking).statusCode).toBe(200);
    } finally {
      await purchase.end();
    }
  });
});
