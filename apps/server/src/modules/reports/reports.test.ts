import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { staffToken, useTestApp } from '../../../test/app.ts';
import { commerceFixtures } from '../cart/test-helpers.ts';
import { manualCapturePayments } from '../../../test/support/orders.ts';

// Prices exclude a 20% tax (the default mode), so tax is its own column and net adds it.
const { app } = await useTestApp({ TAX_RATE_BPS: '2000' });
const owner = await staffToken(app);
const fx = commerceFixtures(app, owner);
const sql = (text: string, params: unknown[] = []) =>
  (app.orm.em.fork() as EntityManager).execute(text, params);

const address = {
  name: 'Ada Report',
  line1: '1 Ledger Lane',
  city: 'Springfield',
  postalCode: '12345',
  country: 'US',
};

const send = (method: 'GET' | 'POST', url: string, auth: string | null = owner, payload?: object) =>
  app.inject({
    method,
    url,
    headers: auth ? { authorization: auth } : {},
    ...(payload ? { payload } : {}),
  });
const report = (path: string, query: Record<string, string | number>, auth: string | null = owner) => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) search.set(key, String(value));
  return send('GET', `/api/admin/reports/${path}?${search}`, auth);
};

async function product(title: string, variantTitle: string, price: number) {
  const created = await send('POST', '/api/admin/products', owner, {
    title,
    status: 'active',
    variants: [
      {
        sku: `SKU-${randomUUID().slice(0, 8)}`,
        title: variantTitle,
        price: { amount: price, currency: 'USD' },
      },
    ],
  });
  expect(created.statusCode, created.body).toBe(201);
  const variant = created.json<{ variants: { id: string; sku: string }[] }>().variants[0]!;
  await fx.stock(variant.id, 50);
  return variant;
}

/** An order placed and paid through the store's routes, then moved to the instant it was paid. */
async function paidOrder(lines: [string, number][], paidAt: string, code?: string) {
  const order = await placedOrder(lines, 'tok_visa', code);
  expect(order.status).toBe('paid');
  await sql(
    `UPDATE orders SET created_at = ?::timestamptz - interval '5 minutes', paid_at = ? WHERE id = ?`,
    [paidAt, paidAt, order.id],
  );
  return order.id;
}

async function placedOrder(lines: [string, number][], token: string, code?: string) {
  const cartId = await fx.cart();
  for (const [variantId, quantity] of lines)
    expect((await fx.add(cartId, variantId, quantity)).statusCode).toBe(200);
  if (code)
    expect((await send('POST', `/api/store/carts/${cartId}/discount`, null, { code })).statusCode).toBe(200);
  const checkout = await app.inject({
    method: 'POST',
    url: `/api/store/carts/${cartId}/checkout`,
    headers: { 'idempotency-key': randomUUID() },
    payload: {
      email: 'ada@example.test',
      shippingAddress: address,
      payment: { provider: 'test', token },
    },
  });
  expect(checkout.statusCode, checkout.body).toBe(201);
  return checkout.json<{ order: { id: string; status: string; total: { amount: number } } }>().order;
}

/** The order's refunds (all succeeded here) dated when the gateway confirmed them. */
const refundedOn = (orderId: string, at: string) =>
  sql(
    `UPDATE payment_refund r SET created_at = ?, updated_at = ?, succeeded_at = ? FROM payment p
      WHERE p.id = r.payment_id AND p.order_id = ? AND r.status = 'succeeded'`,
    [at, at, at, orderId],
  );

async function staffWith(role: string) {
  const email = `${role}-${randomUUID().slice(0, 8)}@mcart.test`;
  const password = `${role} password for reports`;
  const created = await send('POST', '/api/admin/staff', owner, {
    email,
    password,
    role,
    firstName: 'Rita',
    lastName: 'Role',
  });
  expect(created.statusCode, created.body).toBe(201);
  return staffToken(app, { email, password });
}

const zero = { orders: 0, units: 0, gross: 0, discounts: 0, shipping: 0, tax: 0, refunds: 0, net: 0 };

let mug: { id: string; sku: string };
let tea: { id: string; sku: string };

beforeAll(async () => {
  // A title a spreadsheet would run as a formula: the CSV must write it as text.
  mug = await product('=1+2 Mug', 'Red', 4000);
  tea = await product('Tea', 'Green', 1000);
  const code = `TEN${randomUUID().slice(0, 6).toUpperCase()}`;
  const created = await send('POST', '/api/admin/discount-codes', owner, {
    code,
    discountType: 'percent',
    discountValue: 10,
  });
  expect(created.statusCode, created.body).toBe(201);

  // Monday 3 March 2025: 2 mugs, 80.00, free shipping (over 50.00), tax 16.00. One mug refunded a week later.
  const a = await paidOrder([[mug.id, 2]], '2025-03-03T10:00:00Z');
  // Tuesday: 1 tea, 10.00 + 5.00 shipping + 3.00 tax; cancelled after payment, its money back on Thursday.
  const d = await paidOrder([[tea.id, 1]], '2025-03-04T12:00:00Z');
  // Wednesday: 3 teas, 30.00 − 10% = 27.00, + 5.00 shipping, + 6.40 tax.
  await paidOrder([[tea.id, 3]], '2025-03-05T15:00:00Z', code);
  // 1 April 03:00 UTC is still 31 March in New York (23:00 EDT): 1 mug, 40.00 + 5.00 + 9.00.
  await paidOrder([[mug.id, 1]], '2025-04-01T03:00:00Z');

  const line = (await send('GET', `/api/admin/orders/${a}`)).json<{ lines: { id: string }[] }>().lines[0]!;
  const refund = await send('POST', `/api/admin/orders/${a}/refund`, owner, {
    lines: [{ orderLineId: line.id, quantity: 1 }],
  });
  expect(refund.statusCode, refund.body).toBe(200);
  await refundedOn(a, '2025-03-10T12:00:00Z');
  const cancelled = await send('POST', `/api/admin/orders/${d}/cancel`, owner, {
    reason: 'changed their mind',
  });
  expect(cancelled.statusCode, cancelled.body).toBe(200);
  expect(cancelled.json()).toMatchObject({ status: 'cancelled', refunded: { amount: 1800 } });
  await refundedOn(d, '2025-03-06T12:00:00Z');

  // Declined: cancelled before any payment. Placed (created) on a reported day, it still never counts.
  const cartId = await fx.cart();
  await fx.add(cartId, mug.id, 5);
  const declined = await app.inject({
    method: 'POST',
    url: `/api/store/carts/${cartId}/checkout`,
    headers: { 'idempotency-key': randomUUID() },
    payload: {
      email: 'ada@example.test',
      shippingAddress: address,
      payment: { provider: 'test', token: 'tok_chargeDeclined' },
    },
  });
  expect(declined.statusCode, declined.body).toBe(402);
  const [unpaid] = await sql(
    `UPDATE orders SET created_at = '2025-03-04T09:00:00Z' WHERE paid_at IS NULL RETURNING status`,
  );
  expect(unpaid).toMatchObject({ status: 'cancelled' });
});

describe('GET /api/admin/reports/sales', () => {
  it('counts each paid order on the day it was paid and each refund on the day the money went back', async () => {
    const response = await report('sales', { from: '2025-03-01', to: '2025-03-10' });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      currency: 'USD',
      timeZone: 'UTC',
      from: '2025-03-01',
      to: '2025-03-10',
      groupBy: 'day',
    });
    expect(body.rows.map((row: { period: string }) => row.period)).toEqual([
      '2025-03-01',
      '2025-03-02',
      '2025-03-03',
      '2025-03-04',
      '2025-03-05',
      '2025-03-06',
      '2025-03-07',
      '2025-03-08',
      '2025-03-09',
      '2025-03-10',
    ]);
    const day = (period: string) => body.rows.find((row: { period: string }) => row.period === period);
    expect(day('2025-03-01')).toEqual({ period: '2025-03-01', ...zero });
    expect(day('2025-03-03')).toEqual({
      period: '2025-03-03',
      ...{ orders: 1, units: 2, gross: 8000, discounts: 0, shipping: 0, tax: 1600, refunds: 0, net: 9600 },
    });
    // Cancelled after payment: still a sale on the day it was paid...
    expect(day('2025-03-04')).toEqual({
      period: '2025-03-04',
      ...{ orders: 1, units: 1, gross: 1000, discounts: 0, shipping: 500, tax: 300, refunds: 0, net: 1800 },
    });
    expect(day('2025-03-05')).toEqual({
      period: '2025-03-05',
      ...{ orders: 1, units: 3, gross: 3000, discounts: 300, shipping: 500, tax: 640, refunds: 0, net: 3840 },
    });
    // ...and a refund on the day its money went back.
    expect(day('2025-03-06')).toEqual({ period: '2025-03-06', ...zero, refunds: 1800, net: -1800 });
    // One mug refunded by line: 40.00 and its tax.
    expect(day('2025-03-10')).toEqual({ period: '2025-03-10', ...zero, refunds: 4800, net: -4800 });
    expect(body.totals).toEqual({
      period: '2025-03-01',
      ...{
        orders: 3,
        units: 6,
        gross: 12000,
        discounts: 300,
        shipping: 1000,
        tax: 2540,
        refunds: 6600,
        net: 8640,
      },
    });
  });

  it('keeps a refund on the day it went through when its row changes later (a note, a reversal elsewhere)', async () => {
    const before = (await report('sales', { from: '2025-03-01', to: '2025-03-31' })).json();
    // The refund confirmed on 10 March is touched on the 20th: its reason edited, its row's updated_at moved.
    const [touched] = await sql(
      `UPDATE payment_refund r SET reason = 'mug arrived chipped (note)', updated_at = '2025-03-20T09:00:00Z'
         FROM payment p, orders o
        WHERE p.id = r.payment_id AND o.id = p.order_id AND r.status = 'succeeded' AND r.succeeded_at = '2025-03-10T12:00:00Z'
        RETURNING r.id`,
    );
    expect(touched).toBeDefined();
    const after = (await report('sales', { from: '2025-03-01', to: '2025-03-31' })).json();
    expect(after).toEqual(before);
    const day = (period: string) => after.rows.find((row: { period: string }) => row.period === period);
    expect(day('2025-03-10')).toEqual({ period: '2025-03-10', ...zero, refunds: 4800, net: -4800 });
    expect(day('2025-03-20')).toEqual({ period: '2025-03-20', ...zero });
  });

  it('gives back what an authorization did not take (manual capture) on the day it was voided or captured', async () => {
    // Manual capture (Stripe's STRIPE_CAPTURE=manual): the authorization pays the order; staff capture later.
    const manual = manualCapturePayments(app);
    const authorized = async () => {
      // Placed with a payment waiting for the shopper, then paid by an authorization.
      const order = await placedOrder([[mug.id, 1]], 'tok_threeDSecure');
      const payment = await manual.startPayment({
        orderId: order.id,
        amount: order.total.amount,
        currency: 'USD',
        provider: 'test',
        token: 'tok_visa',
        customerEmail: 'ada@example.test',
        idempotencyKey: randomUUID(),
      });
      expect(payment.status).toBe('authorized');
      await sql(`UPDATE orders SET paid_at = '2024-06-03T10:00:00Z' WHERE id = ?`, [order.id]);
      return order;
    };
    // The payment that paid the order, moved to the instant it was settled.
    const settledOn = (orderId: string, at: string) =>
      sql(`UPDATE payment SET settled_at = ? FROM orders o WHERE o.id = ? AND payment.id = o.payment_id`, [
        at,
        orderId,
      ]);
    // 40.00 + 5.00 shipping + 20% tax = 54.00 each.
    const partly = await authorized();
    expect(partly.total.amount).toBe(5400);
    expect(await manual.capture(partly.id, 2400)).toMatchObject({ status: 'captured', capturedAmount: 2400 });
    const [settled] = await sql(
      `SELECT p.settled_at FROM payment p JOIN orders o ON o.payment_id = p.id WHERE o.id = ?`,
      [partly.id],
    );
    expect(Math.abs(Date.parse(settled!.settled_at) - Date.now())).toBeLessThan(60_000);
    await settledOn(partly.id, '2024-06-05T10:00:00Z');
    const voided = await authorized();
    const cancelled = await send('POST', `/api/admin/orders/${voided.id}/cancel`, owner, {
      reason: 'no stock',
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    await settledOn(voided.id, '2024-06-06T10:00:00Z');

    const body = (await report('sales', { from: '2024-06-03', to: '2024-06-06' })).json();
    expect(body.rows).toEqual([
      {
        period: '2024-06-03',
        orders: 2,
        units: 2,
        gross: 8000,
        discounts: 0,
        shipping: 1000,
        tax: 1800,
        refunds: 0,
        net: 10800,
      },
      { period: '2024-06-04', ...zero },
      { period: '2024-06-05', ...zero, refunds: 3000, net: -3000 },
      { period: '2024-06-06', ...zero, refunds: 5400, net: -5400 },
    ]);
    // What the store kept: the 24.00 captured.
    expect(body.totals.net).toBe(2400);
  });

  it('counts the days in the asked time zone: an order paid late evening in New York is that day there', async () => {
    const utc = (await report('sales', { from: '2025-03-30', to: '2025-04-01' })).json();
    const newYork = (
      await report('sales', { from: '2025-03-30', to: '2025-04-01', tz: 'America/New_York' })
    ).json();
    const orders = (body: { rows: { period: string; orders: number }[] }) =>
      body.rows.map((row) => [row.period, row.orders]);
    expect(orders(utc)).toEqual([
      ['2025-03-30', 0],
      ['2025-03-31', 0],
      ['2025-04-01', 1],
    ]);
    expect(newYork.timeZone).toBe('America/New_York');
    expect(orders(newYork)).toEqual([
      ['2025-03-30', 0],
      ['2025-03-31', 1],
      ['2025-04-01', 0],
    ]);
    expect(newYork.rows[1]).toMatchObject({ units: 1, gross: 4000, shipping: 500, tax: 900, net: 5400 });
  });

  it('groups by ISO week (from its Monday) and by calendar month, every bucket present', async () => {
    const weeks = (await report('sales', { from: '2025-03-01', to: '2025-03-16', groupBy: 'week' })).json();
    expect(weeks.rows).toEqual([
      // Saturday 1 and Sunday 2 March belong to the week of Monday 24 February: nothing sold on them.
      { period: '2025-02-24', ...zero },
      {
        period: '2025-03-03',
        ...{
          orders: 3,
          units: 6,
          gross: 12000,
          discounts: 300,
          shipping: 1000,
          tax: 2540,
          refunds: 1800,
          net: 13440,
        },
      },
      { period: '2025-03-10', ...zero, refunds: 4800, net: -4800 },
    ]);

    const months = (tz: string) =>
      report('sales', { from: '2025-02-15', to: '2025-04-30', groupBy: 'month', tz }).then((r) =>
        r
          .json<{ rows: { period: string; orders: number; net: number }[] }>()
          .rows.map((row) => [row.period, row.orders, row.net]),
      );
    expect(await months('UTC')).toEqual([
      ['2025-02-01', 0, 0],
      ['2025-03-01', 3, 8640],
      ['2025-04-01', 1, 5400],
    ]);
    expect(await months('America/New_York')).toEqual([
      ['2025-02-01', 0, 0],
      ['2025-03-01', 4, 14040],
      ['2025-04-01', 0, 0],
    ]);
  });

  it('downloads the report as CSV: a header, then one line per bucket', async () => {
    const response = await report('sales', { from: '2025-03-04', to: '2025-03-06', format: 'csv' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="sales-2025-03-04-2025-03-06.csv"',
    );
    expect(response.body).toBe(
      [
        'period,orders,units,gross_minor,discounts_minor,shipping_minor,tax_minor,refunds_minor,net_minor,currency',
        '2025-03-04,1,1,1000,0,500,300,0,1800,USD',
        '2025-03-05,1,3,3000,300,500,640,0,3840,USD',
        '2025-03-06,0,0,0,0,0,0,1800,-1800,USD',
        '',
      ].join('\n'),
    );
  });

  it("takes a renamed zone by its current IANA name as by its former one (Intl lists ICU's old names)", async () => {
    const rows = async (tz: string) => {
      const response = await report('sales', { from: '2025-03-01', to: '2025-04-01', tz });
      expect(response.statusCode, `${tz}: ${response.body}`).toBe(200);
      return response.json<{ rows: unknown[] }>().rows;
    };
    expect(await rows('Asia/Kolkata')).toEqual(await rows('Asia/Calcutta'));
    expect(await rows('Europe/Kyiv')).toEqual(await rows('Europe/Kiev'));
    expect(await rows('Etc/UTC')).toEqual(await rows('UTC'));
    // An abbreviation is no zone name: ICU reads IST as India, PostgreSQL as Israel.
    const abbreviation = await report('sales', { from: '2025-03-01', to: '2025-03-31', tz: 'IST' });
    expect(abbreviation.statusCode).toBe(400);
    expect(abbreviation.json().errors).toEqual([
      { path: 'querystring/tz', message: 'must be an IANA time zone such as Europe/Paris' },
    ]);
  });

  it('refuses the year 0, which PostgreSQL does not have', async () => {
    const response = await report('sales', { from: '0000-12-01', to: '0001-01-31' });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({
      code: 'MCART_ERR_VALIDATION',
      errors: [{ path: 'querystring/from', message: 'must match format "date"' }],
    });
    expect((await report('sales', { from: '0001-01-01', to: '0001-01-31' })).statusCode).toBe(200);
  });

  it('answers a full leap year, and refuses more than 366 days, reversed dates, unknown zones and fields', async () => {
    const year = await report('sales', { from: '2024-01-01', to: '2024-12-31' });
    expect(year.statusCode, year.body).toBe(200);
    expect(year.json().rows).toHaveLength(366);

    const refused = async (query: Record<string, string>, errors: { path: string; message?: string }[]) => {
      const response = await report('sales', { from: '2025-03-01', to: '2025-03-31', ...query });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({ status: 400, code: 'MCART_ERR_VALIDATION', errors });
    };
    await refused({ from: '2025-03-10', to: '2025-03-09' }, [
      { path: 'querystring/to', message: 'must be on or after from' },
    ]);
    await refused({ from: '2025-01-01', to: '2026-01-02' }, [
      { path: 'querystring/to', message: 'must be within 366 days of from (both included)' },
    ]);
    await refused({ tz: 'Mars/Olympus_Mons' }, [
      { path: 'querystring/tz', message: 'must be an IANA time zone such as Europe/Paris' },
    ]);
    await refused({ groupBy: 'year' }, [
      { path: 'querystring/groupBy', message: 'must be one of: "day", "week", "month"' },
    ]);
    await refused({ currency: 'EUR' }, [{ path: 'querystring/currency', message: 'is not allowed' }]);
    await refused({ from: '2025-02-30' }, [{ path: 'querystring/from' }]);
    const missing = await send('GET', '/api/admin/reports/sales?from=2025-03-01');
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors).toEqual([
      { path: 'querystring/to', message: "must have required property 'to'" },
    ]);
  });
});

describe('GET /api/admin/reports/products', () => {
  it('lists the variants sold in the range, best first by revenue or by units', async () => {
    const byRevenue = await report('products', { from: '2025-03-01', to: '2025-03-31' });
    expect(byRevenue.statusCode, byRevenue.body).toBe(200);
    const mugRow = {
      variantId: mug.id,
      sku: mug.sku,
      title: '=1+2 Mug — Red',
      units: 2,
      revenue: 8000,
      refundedUnits: 1,
    };
    // 10.00 (the cancelled order: every unit given back) + 30.00 less its 10% discount.
    const teaRow = {
      variantId: tea.id,
      sku: tea.sku,
      title: 'Tea — Green',
      units: 4,
      revenue: 3700,
      refundedUnits: 1,
    };
    expect(byRevenue.json()).toEqual({
      currency: 'USD',
      timeZone: 'UTC',
      from: '2025-03-01',
      to: '2025-03-31',
      sort: 'revenue',
      rows: [mugRow, teaRow],
    });

    const byUnits = (
      await report('products', { from: '2025-03-01', to: '2025-03-31', sort: 'units' })
    ).json();
    expect(byUnits.rows).toEqual([teaRow, mugRow]);
    const top = (
      await report('products', { from: '2025-03-01', to: '2025-03-31', sort: 'units', limit: 1 })
    ).json();
    expect(top.rows).toEqual([teaRow]);
    // The mug of 31 March (New York) is April's in UTC.
    const april = (await report('products', { from: '2025-04-01', to: '2025-04-30' })).json();
    expect(april.rows).toEqual([{ ...mugRow, units: 1, revenue: 4000, refundedUnits: 0 }]);
    expect(
      (await report('products', { from: '2025-03-01', to: '2025-03-31', limit: 201 })).json(),
    ).toMatchObject({
      code: 'MCART_ERR_VALIDATION',
      errors: [{ path: 'querystring/limit' }],
    });
  });

  it("shares each order's discount among its lines so that the variants add up to gross − discounts exactly", async () => {
    // 1.00 off three lines of 10.00: a third of a dollar each does not round to a whole cent.
    const code = `CENT${randomUUID().slice(0, 6).toUpperCase()}`;
    const created = await send('POST', '/api/admin/discount-codes', owner, {
      code,
      discountType: 'fixed',
      discountValue: 100,
    });
    expect(created.statusCode, created.body).toBe(201);
    const lines = await Promise.all(['Cup', 'Saucer', 'Spoon'].map((title) => product(title, 'Plain', 1000)));
    await paidOrder(
      lines.map((line) => [line.id, 1]),
      '2023-05-05T10:00:00Z',
      code,
    );
    const range = { from: '2023-05-05', to: '2023-05-05' };
    const sales = (await report('sales', range)).json();
    expect(sales.totals).toMatchObject({ gross: 3000, discounts: 100 });
    const rows = (await report('products', range)).json<{ rows: { revenue: number }[] }>().rows;
    // Rounded line by line, 0.33 came off each: 29.01 in all, a cent more than the order took for its goods.
    expect(rows.map((row) => row.revenue).sort()).toEqual([966, 967, 967]);
    expect(rows.reduce((sum, row) => sum + row.revenue, 0)).toBe(sales.totals.gross - sales.totals.discounts);
  });

  it('downloads as CSV with text a spreadsheet would run as a formula written as text', async () => {
    const response = await report('products', { from: '2025-03-01', to: '2025-03-31', format: 'csv' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="product-sales-2025-03-01-2025-03-31.csv"',
    );
    expect(response.body.split('\n')).toEqual([
      'variant_id,sku,title,units,revenue_minor,refunded_units,currency',
      `${mug.id},${mug.sku},'=1+2 Mug — Red,2,8000,1,USD`,
      `${tea.id},${tea.sku},Tea — Green,4,3700,1,USD`,
      '',
    ]);
  });
});

describe('who may read reports', () => {
  it('needs a staff token, and reports:read: managers have it, warehouse and support do not', async () => {
    const query = { from: '2025-03-01', to: '2025-03-31' };
    expect((await report('sales', query, null)).statusCode).toBe(401);
    const manager = await staffWith('manager');
    expect((await report('sales', query, manager)).statusCode).toBe(200);
    expect((await report('products', query, manager)).statusCode).toBe(200);
    for (const role of ['warehouse', 'support']) {
      const token = await staffWith(role);
      for (const path of ['sales', 'products']) {
        const response = await report(path, { ...query, format: 'csv' }, token);
        expect(response.statusCode, `${role} ${path}`).toBe(403);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.json()).toMatchObject({ code: 'MCART_ERR_FORBIDDEN' });
      }
    }
  });
});
