import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { staffToken, useTestApp } from '../../../test/app.ts';
import { ADDRESS } from '../../../test/support/orders.ts';
import { commerceFixtures } from '../cart/test-helpers.ts';
import { signWebhook } from '../shipping/webhook-signature.ts';

/** A signed-in shopper sees their order's parcels: carrier, tracking, where each is and what is in it. */
const SECRET = 'whsec_builtin_store_parcels_01';
const { app } = await useTestApp({
  SHIPPING_WEBHOOK_SECRETS: `builtin:${SECRET}`,
  PUBLIC_URL: 'https://shop.example.test',
});
const staff = await staffToken(app);
const fx = commerceFixtures(app, staff);

const get = (url: string, auth: string) =>
  app.inject({ method: 'GET', url, headers: { authorization: auth } });
const post = (url: string, payload?: object) =>
  app.inject({ method: 'POST', url, headers: { authorization: staff }, ...(payload ? { payload } : {}) });
/** A label for some units of the order (the test variants have no weight: the packer weighs the parcel). */
async function buyLabel(orderId: string, lines?: { orderLineId: string; quantity: number }[]) {
  const response = await post(`/api/admin/orders/${orderId}/shipments`, {
    ...(lines ? { lines } : {}),
    package: { weightGrams: 500 },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string; trackingNumber: string; status: string }>();
}
const carrierSays = (trackingNumber: string, status: string, occurredAt: string) => {
  const raw = JSON.stringify({ events: [{ id: randomUUID(), trackingNumber, status, occurredAt }] });
  return app.inject({
    method: 'POST',
    url: '/api/webhooks/shipping/builtin',
    headers: { 'content-type': 'application/json', 'x-mcart-signature': signWebhook(SECRET, raw) },
    payload: raw,
  });
};
/** Status and times of each parcel, the times as ISO strings in UTC (the API keeps PostgreSQL's microseconds and offset). */
const timesOf = (parcels: Parcel[]) =>
  parcels.map(({ status, shippedAt, deliveredAt }) => ({
    status,
    shippedAt: shippedAt && new Date(shippedAt).toISOString(),
    deliveredAt: deliveredAt && new Date(deliveredAt).toISOString(),
  }));
/** Event times after the labels were bought (a parcel only moves for its newest event). */
const at = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

interface Parcel {
  id: string;
  carrier: string;
  trackingNumber: string;
  trackingUrl: string | null;
  status: string;
  shippedAt: string | null;
  deliveredAt: string | null;
  items: { sku: string; title: string; quantity: number }[];
}
interface StoreOrder {
  id: string;
  status: string;
  lines: { id: string; sku: string; title: string; productTitle: string; quantity: number }[];
  shipments: Parcel[];
}

let shopper: { id: string; auth: string };
let order: StoreOrder;
let first: { id: string; trackingNumber: string };
let second: { id: string; trackingNumber: string };
const mine = async (orderId = order.id) => {
  const response = await get(`/api/store/orders/${orderId}`, shopper.auth);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<StoreOrder>();
};
/** The parcel's contents as shipping records them: "Product – Variant", per order line. */
const item = (line: StoreOrder['lines'][number], quantity: number) => ({
  sku: line.sku,
  title: `${line.productTitle} – ${line.title}`,
  quantity,
});

beforeAll(async () => {
  const product = await fx.product([1500, 900], 20);
  shopper = await fx.customer();
  const cartId = await fx.cart(shopper.auth);
  expect((await fx.add(cartId, product.variants[0]!.id, 2, shopper.auth)).statusCode).toBe(200);
  expect((await fx.add(cartId, product.variants[1]!.id, 1, shopper.auth)).statusCode).toBe(200);
  const placed = await app.inject({
    method: 'POST',
    url: `/api/store/carts/${cartId}/checkout`,
    headers: { 'idempotency-key': randomUUID(), authorization: shopper.auth },
    payload: {
      email: 'parcels@example.test',
      shippingAddress: ADDRESS,
      payment: { provider: 'test', token: 'tok_visa' },
    },
  });
  expect(placed.statusCode, placed.body).toBe(201);
  order = await mine(placed.json<{ order: { id: string } }>().order.id);
  expect(order.status).toBe('paid');
});

describe("the shopper's order page", () => {
  it('has no parcels before anything is shipped; the list of orders stays as it was', async () => {
    expect(order.shipments).toEqual([]);
    const list = await get('/api/store/orders', shopper.auth);
    expect(list.statusCode).toBe(200);
    const [summary] = list.json<{ data: Record<string, unknown>[] }>().data;
    expect(summary).toMatchObject({ id: order.id });
    expect(summary).not.toHaveProperty('shipments');
  });

  it('shows a bought label: carrier, tracking number and link, status, and only the units in that parcel', async () => {
    first = await buyLabel(order.id, [{ orderLineId: order.lines[0]!.id, quantity: 1 }]);
    const { shipments } = await mine();
    // Exactly these fields: no label files or links, postage, provider ids or recipient address.
    expect(shipments).toEqual([
      {
        id: first.id,
        carrier: 'MCart Post',
        trackingNumber: first.trackingNumber,
        trackingUrl: `https://shop.example.test/track/${first.trackingNumber}`,
        status: 'label_created',
        shippedAt: null,
        deliveredAt: null,
        items: [item(order.lines[0]!, 1)],
      },
    ]);
  });

  it('leaves out a voided label; parcels are listed oldest first', async () => {
    const voided = await buyLabel(order.id);
    expect((await post(`/api/admin/shipments/${voided.id}/void`)).statusCode).toBe(200);
    expect((await mine()).shipments.map((parcel) => parcel.id)).toEqual([first.id]);

    second = await buyLabel(order.id);
    const { shipments } = await mine();
    expect(shipments.map((parcel) => parcel.trackingNumber)).toEqual([
      first.trackingNumber,
      second.trackingNumber,
    ]);
    expect(shipments[1]!.items).toEqual(
      [item(order.lines[0]!, 1), item(order.lines[1]!, 1)].sort((a, b) => a.sku.localeCompare(b.sku)),
    );
  });

  it('follows the carrier: handed over is when it shipped, then when it was delivered', async () => {
    const handedOver = at(1);
    const delivered = at(2);
    expect((await carrierSays(first.trackingNumber, 'in_transit', handedOver)).json()).toMatchObject({
      applied: 1,
    });
    expect(timesOf((await mine()).shipments)[0]).toEqual({
      status: 'in_transit',
      shippedAt: handedOver,
      deliveredAt: null,
    });
    expect((await carrierSays(first.trackingNumber, 'delivered', delivered)).json()).toMatchObject({
      applied: 1,
    });
    expect(timesOf((await mine()).shipments)).toEqual([
      { status: 'delivered', shippedAt: handedOver, deliveredAt: delivered },
      { status: 'label_created', shippedAt: null, deliveredAt: null },
    ]);
  });

  it('is not found for another customer, who learns nothing of the parcels', async () => {
    const other = await fx.customer();
    const response = await get(`/api/store/orders/${order.id}`, other.auth);
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ status: 404 });
    expect(response.body).not.toContain(first.trackingNumber);
  });
});
