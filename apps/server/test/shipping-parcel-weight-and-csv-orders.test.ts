import { describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { staffToken, useTestApp } from './app.ts';
import { orderFixtures } from './support/orders.ts';

const { app, config } = await useTestApp();
const owner = await staffToken(app);
const fixtures = orderFixtures(app, config, owner);
const post = (url: string, payload?: unknown) =>
  app.inject({
    method: 'POST',
    url,
    headers: { authorization: owner },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
const get = (url: string) => app.inject({ method: 'GET', url, headers: { authorization: owner } });
const shipmentCount = async (orderId: string) =>
  (await get(`/api/admin/shipments?orderId=${orderId}`)).json<{ total: number }>().total;
const csvUpload = (csv: string) => {
  const boundary = '----mcart' + Date.now();
  return app.inject({
    method: 'POST',
    url: '/api/admin/shipments/tracking-import',
    headers: { authorization: owner, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="tracking.csv"\r\nContent-Type: text/csv\r\n\r\n`,
      ),
      Buffer.from(csv),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
  });
};
const at = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

describe('the weight of a parcel some of whose variants have none', () => {
  it('is asked for, on its field, instead of printing the weight of the weighed ones alone; nothing is bought', async () => {
    const product = await fixtures.product([{ weightGrams: 400 }, {}]);
    const order = await fixtures.order([
      { variantId: product.variants[0]!.id, quantity: 1 },
      { variantId: product.variants[1]!.id, quantity: 3 },
    ]);
    // Before: a 201 and a label for 400 g, the weight of one unit out of four.
    const refused = await post(`/api/admin/orders/${order.id}/shipments`);
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({
      code: 'MCART_ERR_VALIDATION',
      errors: [
        {
          path: 'body/package/weightGrams',
          message: expect.stringContaining(product.variants[1]!.sku),
        },
      ],
    });
    expect(await shipmentCount(order.id)).toBe(0);
    expect((await get(`/api/admin/orders/${order.id}`)).json<{ status: string }>().status).toBe('paid');

    // Weighed, it ships at that weight.
    const weighed = await post(`/api/admin/orders/${order.id}/shipments`, { package: { weightGrams: 2100 } });
    expect(weighed.statusCode, weighed.body).toBe(201);
    const shipment = (await get(`/api/admin/shipments/${weighed.json<{ id: string }>().id}`)).json<{
      weightGrams: number;
    }>();
    expect(shipment.weightGrams).toBe(2100);
  });

  it('still comes from the variants when the parcel holds only weighed ones, or from the default when none is', async () => {
    const product = await fixtures.product([{ weightGrams: 400 }, {}]);
    const order = await fixtures.order([
      { variantId: product.variants[0]!.id, quantity: 2 },
      { variantId: product.variants[1]!.id, quantity: 1 },
    ]);
    const lines = (await get(`/api/admin/orders/${order.id}`)).json<{
      lines: { id: string; variantId: string }[];
    }>().lines;
    const lineOf = (variantId: string) => lines.find((line) => line.variantId === variantId)!.id;
    const weighedOnly = await post(`/api/admin/orders/${order.id}/shipments`, {
      lines: [{ orderLineId: lineOf(product.variants[0]!.id), quantity: 2 }],
    });
    expect(weighedOnly.statusCode, weighedOnly.body).toBe(201);
    const unweighedOnly = await post(`/api/admin/orders/${order.id}/shipments`, {
      lines: [{ orderLineId: lineOf(product.variants[1]!.id), quantity: 1 }],
    });
    expect(unweighedOnly.statusCode, unweighedOnly.body).toBe(201);
    const weightOf = async (id: string) =>
      (await get(`/api/admin/shipments/${id}`)).json<{ weightGrams: number }>().weightGrams;
    expect(await weightOf(weighedOnly.json<{ id: string }>().id)).toBe(800);
    expect(await weightOf(unweighedOnly.json<{ id: string }>().id)).toBe(config.shipping.defaultWeightGrams);
  });
});

describe('a tracking CSV row whose order number is not the order of its tracking number', () => {
  it('is rejected, naming the parcel’s order, and moves no parcel; a row whose two agree is imported', async () => {
    const product = await fixtures.product([{ weightGrams: 300 }]);
    const variantId = product.variants[0]!.id;
    const mine = await fixtures.order([{ variantId, quantity: 1 }]);
    const other = await fixtures.order([{ variantId, quantity: 1 }]);
    const parcel = (await post(`/api/admin/orders/${mine.id}/shipments`)).json<{
      id: string;
      trackingNumber: string;
    }>();
    expect((await post(`/api/admin/orders/${other.id}/shipments`)).statusCode).toBe(201);

    const report = await csvUpload(
      [
        'tracking_number,order_number,status,time,location',
        // Another order's number, and a number no order has: before, both moved the parcel of `mine`.
        `${parcel.trackingNumber},${other.number},delivered,${at(-30)},Portland`,
        `${parcel.trackingNumber},MC-999999,in_transit,${at(-40)},Springfield`,
      ].join('\n'),
    );
    expect(report.statusCode, report.body).toBe(200);
    expect(report.json()).toEqual({
      rows: 2,
      imported: 0,
      applied: 0,
      recorded: 0,
      duplicates: 0,
      notApplied: [],
      rejected: [
        {
          row: 2,
          field: 'order_number',
          reason: `the tracking number is a parcel of order ${mine.number}, not of this order number`,
          value: other.number,
        },
        {
          row: 3,
          field: 'order_number',
          reason: `the tracking number is a parcel of order ${mine.number}, not of this order number`,
          value: 'MC-999999',
        },
      ],
    });
    const shipment = (await get(`/api/admin/shipments/${parcel.id}`)).json<{
      status: string;
      events: unknown[];
    }>();
    expect(shipment.status).toBe('label_created');
    expect(shipment.events).toHaveLength(1);
    expect((await get(`/api/admin/orders/${mine.id}`)).json<{ status: string }>().status).toBe('processing');

    // The same row with the parcel's own order number (in any case) is imported.
    const agreeing = await csvUpload(
      [
        'tracking_number,order_number,status,time,location',
        `${parcel.trackingNumber},${mine.number.toLowerCase()},in_transit,${at(-20)},Springfield`,
      ].join('\n'),
    );
    expect(agreeing.json()).toMatchObject({ imported: 1, applied: 1, rejected: [] });
    expect((await get(`/api/admin/orders/${mine.id}`)).json<{ status: string }>().status).toBe('shipped');
  });

  it('does not let a refused delivery row stop the "has shipped" news of the parcel’s hand-over in the same file', async () => {
    const product = await fixtures.product([{ weightGrams: 300 }]);
    const variantId = product.variants[0]!.id;
    const mine = await fixtures.order([{ variantId, quantity: 1 }]);
    const other = await fixtures.order([{ variantId, quantity: 1 }]);
    const parcel = (await post(`/api/admin/orders/${mine.id}/shipments`)).json<{
      id: string;
      trackingNumber: string;
    }>();
    const report = await csvUpload(
      [
        'tracking_number,order_number,status,time,location',
        `${parcel.trackingNumber},${mine.number},in_transit,${at(-30)},Springfield`,
        `${parcel.trackingNumber},${other.number},delivered,${at(-10)},Portland`,
      ].join('\n'),
    );
    expect(report.json()).toMatchObject({ imported: 1, applied: 1, rejected: [{ row: 3 }] });
    // The delivery was refused: the customer is to hear that the parcel left, not nothing at all.
    const shipped = await (app.orm.em.fork() as EntityManager)
      .getConnection()
      .execute<{ payload: Record<string, unknown> }[]>(
        `SELECT payload FROM outbox_event WHERE resource = 'shipments' AND ? = ANY(ids) AND payload->>'event' = 'shipped'`,
        [parcel.id],
      );
    expect(shipped).toHaveLength(1);
    expect(shipped[0]!.payload.deliveryReported).toBeUndefined();
  });

  it('names the column at fault in each rejected row, as the file’s header spells it', async () => {
    const product = await fixtures.product([{ weightGrams: 300 }]);
    const order = await fixtures.order([{ variantId: product.variants[0]!.id, quantity: 1 }]);
    const parcel = (await post(`/api/admin/orders/${order.id}/shipments`)).json<{ trackingNumber: string }>();
    const n = parcel.trackingNumber;
    const report = await csvUpload(
      [
        'Tracking No,Status,Date,Place',
        `${n},teleported,${at(-30)},Depot`,
        `${n},in_transit,yesterday,Depot`,
        `${n},in_transit,${at(-30)},Dep\u0007ot`,
        `RR999999990US,in_transit,${at(-30)},Depot`,
        `,in_transit,${at(-30)},Depot`,
        `${n},in_transit,${at(-30)},Depot`,
      ].join('\n'),
    );
    expect(report.statusCode, report.body).toBe(200);
    const json = report.json<{ imported: number; rejected: { row: number; field?: string }[] }>();
    expect(json.imported).toBe(1);
    expect(json.rejected.map(({ row, field }) => ({ row, field }))).toEqual([
      { row: 2, field: 'Status' },
      { row: 3, field: 'Date' },
      { row: 4, field: 'Place' },
      { row: 5, field: 'Tracking No' },
      { row: 6, field: 'Tracking No' },
    ]);
  });
});

describe('the parcels search', () => {
  it('takes % and _ as the characters typed, not as wildcards', async () => {
    const product = await fixtures.product([{ weightGrams: 300 }]);
    const order = await fixtures.order([{ variantId: product.variants[0]!.id, quantity: 1 }]);
    expect((await post(`/api/admin/orders/${order.id}/shipments`)).statusCode).toBe(201);
    const found = async (q: string) =>
      (await get(`/api/admin/shipments?q=${encodeURIComponent(q)}`)).json<{ total: number }>().total;
    expect(await found(order.number)).toBe(1);
    // Before: "%" and "_" matched every parcel.
    expect(await found('%')).toBe(0);
    expect(await found('_')).toBe(0);
  });
});
