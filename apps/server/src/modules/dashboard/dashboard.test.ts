import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import pg from 'pg';
import { DashboardService } from './dashboard.service.ts';
import { staffToken, useTestApp } from '../../../test/app.ts';
import { createStaff } from '../../../test/live-harness.ts';
import { ADDRESS, manualCapturePayments } from '../../../test/support/orders.ts';
import { commerceFixtures } from '../cart/test-helpers.ts';

const { app, databaseUrl } = await useTestApp();
const owner = await staffToken(app);

const dashboard = (query = '', authorization: string | null = owner) =>
  app.inject({
    method: 'GET',
    url: `/api/admin/dashboard${query}`,
    headers: authorization ? { authorization } : {},
  });

describe('GET /api/admin/dashboard', () => {
  it('needs a staff token', async () => {
    const response = await dashboard('', null);
    expect(response.statusCode, response.body).toBe(401);
    expect(response.json()).toMatchObject({ code: 'MCART_ERR_UNAUTHORIZED' });
  });

  it('refuses an unknown time zone with a field error', async () => {
    const response = await dashboard('?tz=Mars/Olympus');
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.json()).toMatchObject({
      code: 'MCART_ERR_VALIDATION',
      errors: [{ path: 'querystring/tz' }],
    });
  });

  it('takes the current name of a renamed zone, as a desk in Kyiv reports it, and no abbreviation', async () => {
    for (const [tz, known] of [
      ['Europe/Kyiv', 'Europe/Kiev'],
      ['Asia/Kolkata', 'Asia/Calcutta'],
    ]) {
      const response = await dashboard(`?tz=${tz}`);
      expect(response.statusCode, tz).toBe(200);
      const { sales } = response.json<{ sales: { daily: unknown[] } }>();
      const same = (await dashboard(`?tz=${known}`)).json<{ sales: { daily: unknown[] } }>();
      expect(sales.daily).toEqual(same.sales.daily);
    }
    expect((await dashboard('?tz=IST')).statusCode).toBe(400);
  });

  it('answers in the store currency and the asked time zone', async () => {
    const response = await dashboard('?tz=Europe/Paris');
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ timeZone: 'Europe/Paris', currency: 'USD' });
    expect(Date.parse(body.generatedAt)).not.toBeNaN();
    // The installed orders and inventory tables answer (empty store: zeros).
    expect(body.sales).toMatchObject({ today: { revenue: { amount: 0, currency: 'USD' }, orders: 0 } });
    expect(body.sales.daily).toHaveLength(30);
    expect(body.toPack).toBe(0);
    expect(body.lowStock).toEqual({ count: 0, items: [] });
  });

  it("shows the store's takings only to roles that read the sales reports; orders to pack to everyone", async () => {
    const manager = await dashboard('', await staffToken(app, await createStaff(app, 'manager')));
    expect(manager.json().sales).not.toBeNull();
    for (const role of ['warehouse', 'support'] as const) {
      const response = await dashboard('', await staffToken(app, await createStaff(app, role)));
      expect(response.statusCode, role).toBe(200);
      expect(response.json(), role).toMatchObject({ sales: null, toPack: 0, lowStock: { count: 0 } });
    }
  });
});

describe("today's takings", () => {
  it('count what a manual capture took, not the authorized total, and only the store currency', async () => {
    const fx = commerceFixtures(app, owner);
    const manual = manualCapturePayments(app);
    const product = await fx.product([4000]);
    const before = (await dashboard('?tz=UTC')).json().sales.today;
    // Paid on authorization (manual capture), then captured for less: 24.00 of 45.00 taken.
    const authorized = async () => {
      const cartId = await fx.cart();
      expect((await fx.add(cartId, product.variants[0]!.id, 1)).statusCode).toBe(200);
      const checkout = await app.inject({
        method: 'POST',
        url: `/api/store/carts/${cartId}/checkout`,
        headers: { 'idempotency-key': randomUUID() },
        payload: {
          email: 'ada@example.test',
          shippingAddress: ADDRESS,
          payment: { provider: 'test', token: 'tok_threeDSecure' },
        },
      });
      expect(checkout.statusCode, checkout.body).toBe(201);
      const order = checkout.json<{ order: { id: string; total: { amount: number } } }>().order;
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
      return order;
    };
    const partly = await authorized();
    expect(partly.total.amount).toBe(4500);
    expect(await manual.capture(partly.id, 2400)).toMatchObject({ status: 'captured', capturedAmount: 2400 });
    // A paid order kept in another currency (the store's former one) is no money of this one.
    const former = await authorized();
    await (app.orm.em.fork() as EntityManager).execute(`UPDATE orders SET currency = 'EUR' WHERE id = ?`, [
      former.id,
    ]);

    const today = (await dashboard('?tz=UTC')).json().sales.today;
    expect(today.orders).toBe(before.orders + 1);
    expect(today.revenue.amount).toBe(before.revenue.amount + 2400);
  });
});

/**
 * The aggregate queries against the column layout the dashboard reads (order, stock, catalog, customer
 * tables), built in a schema of their own so the test does not depend on which modules are installed.
 */
describe('dashboard aggregates', () => {
  it('counts sales per local day, orders to pack, low stock and new customers', async () => {
    // The fixture is written in short autocommitted statements: a long write transaction would hold back
    // every outbox reader of the cluster (pg_snapshot_xmin) while other test files run.
    const fixture = new pg.Client({ connectionString: databaseUrl });
    await fixture.connect();
    await fixture.query(`CREATE SCHEMA dashboard_fixture; SET search_path = dashboard_fixture`);
    try {
      await fixture.query(`
        CREATE TABLE orders (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), status text NOT NULL, total int NOT NULL, refunded_total int NOT NULL DEFAULT 0, created_at timestamptz NOT NULL, paid_at timestamptz NULL);
        CREATE TABLE stock_location (id uuid PRIMARY KEY, active boolean NOT NULL);
        CREATE TABLE stock_level (variant_id uuid NOT NULL, location_id uuid NOT NULL, available int NOT NULL);
        CREATE TABLE stock_policy (variant_id uuid PRIMARY KEY, low_stock_threshold int NULL);
        CREATE TABLE product (id uuid PRIMARY KEY, title text NOT NULL);
        CREATE TABLE variant (id uuid PRIMARY KEY, product_id uuid NOT NULL, sku text NOT NULL, title text NOT NULL, deleted_at timestamptz NULL);
        CREATE TABLE customer (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), created_at timestamptz NOT NULL);
        CREATE TABLE order_line (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), order_id uuid NOT NULL, quantity int NOT NULL, withdrawn_quantity int NOT NULL DEFAULT 0, returned_quantity int NOT NULL DEFAULT 0);
        CREATE TABLE shipment (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), order_id uuid NOT NULL, status text NOT NULL);
        CREATE TABLE shipment_line (shipment_id uuid NOT NULL, order_line_id uuid NOT NULL, quantity int NOT NULL);
        CREATE TABLE order_event (id bigserial PRIMARY KEY, order_id uuid NOT NULL, kind text NOT NULL, to_status text NULL);`);
      // Two orders paid just after local midnight in Paris (placed two days ago): "today" there whatever the UTC time is.
      await fixture.query(`
        INSERT INTO orders (id, status, total, refunded_total, created_at, paid_at) VALUES
          ('00000000-0000-0000-0000-0000000000c1', 'paid', 1000, 0, now() - interval '2 days', date_trunc('day', now() AT TIME ZONE 'Europe/Paris') AT TIME ZONE 'Europe/Paris' + interval '1 minute'),
          ('00000000-0000-0000-0000-0000000000c2', 'partially_refunded', 3000, 500, now() - interval '2 days', date_trunc('day', now() AT TIME ZONE 'Europe/Paris') AT TIME ZONE 'Europe/Paris' + interval '2 minutes'),
          ('00000000-0000-0000-0000-0000000000c3', 'pending_payment', 9999, 0, now(), NULL),
          ('00000000-0000-0000-0000-0000000000c4', 'cancelled', 7777, 0, now(), now()),
          ('00000000-0000-0000-0000-0000000000c5', 'processing', 500, 0, now() - interval '3 days', now() - interval '3 days'),
          ('00000000-0000-0000-0000-0000000000c6', 'paid', 400, 0, now() - interval '40 days', now() - interval '40 days'),
          ('00000000-0000-0000-0000-0000000000c7', 'processing', 400, 0, now() - interval '40 days', now() - interval '40 days'),
          ('00000000-0000-0000-0000-0000000000c8', 'partially_refunded', 400, 100, now() - interval '40 days', now() - interval '40 days'),
          ('00000000-0000-0000-0000-0000000000c9', 'partially_refunded', 400, 100, now() - interval '40 days', now() - interval '40 days');`);
      // Lines and shipments for the to-pack queue's rule: units left = ordered - withdrawn - max(out in shipments, returned).
      await fixture.query(`
        INSERT INTO order_line (id, order_id, quantity, withdrawn_quantity, returned_quantity) VALUES
          ('00000000-0000-0000-0000-0000000000d1', '00000000-0000-0000-0000-0000000000c1', 1, 0, 0),
          ('00000000-0000-0000-0000-0000000000d2', '00000000-0000-0000-0000-0000000000c2', 2, 1, 0),
          ('00000000-0000-0000-0000-0000000000d3', '00000000-0000-0000-0000-0000000000c3', 1, 0, 0),
          ('00000000-0000-0000-0000-0000000000d4', '00000000-0000-0000-0000-0000000000c4', 1, 0, 0),
          ('00000000-0000-0000-0000-0000000000d5', '00000000-0000-0000-0000-0000000000c5', 2, 0, 0),
          ('00000000-0000-0000-0000-0000000000d6', '00000000-0000-0000-0000-0000000000c6', 1, 0, 0),
          ('00000000-0000-0000-0000-0000000000d7', '00000000-0000-0000-0000-0000000000c7', 2, 0, 0),
          ('00000000-0000-0000-0000-0000000000d8', '00000000-0000-0000-0000-0000000000c8', 3, 1, 1),
          ('00000000-0000-0000-0000-0000000000d9', '00000000-0000-0000-0000-0000000000c9', 2, 1, 0);
        INSERT INTO shipment (id, order_id, status) VALUES
          ('00000000-0000-0000-0000-0000000000e5', '00000000-0000-0000-0000-0000000000c5', 'label_created'),
          ('00000000-0000-0000-0000-0000000000e6', '00000000-0000-0000-0000-0000000000c6', 'voided'),
          ('00000000-0000-0000-0000-0000000000e7', '00000000-0000-0000-0000-0000000000c7', 'label_created'),
          ('00000000-0000-0000-0000-0000000000e8', '00000000-0000-0000-0000-0000000000c8', 'delivered'),
          ('00000000-0000-0000-0000-0000000000e9', '00000000-0000-0000-0000-0000000000c9', 'in_transit');
        INSERT INTO shipment_line VALUES
          ('00000000-0000-0000-0000-0000000000e5', '00000000-0000-0000-0000-0000000000d5', 1),
          ('00000000-0000-0000-0000-0000000000e6', '00000000-0000-0000-0000-0000000000d6', 1),
          ('00000000-0000-0000-0000-0000000000e7', '00000000-0000-0000-0000-0000000000d7', 2),
          ('00000000-0000-0000-0000-0000000000e8', '00000000-0000-0000-0000-0000000000d8', 1),
          ('00000000-0000-0000-0000-0000000000e9', '00000000-0000-0000-0000-0000000000d9', 1);`);
      await fixture.query(`
        INSERT INTO stock_location VALUES ('00000000-0000-0000-0000-00000000000a', true), ('00000000-0000-0000-0000-00000000000b', false);
        INSERT INTO product VALUES ('00000000-0000-0000-0000-0000000000f1', 'Mug');
        INSERT INTO variant VALUES
          ('00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-0000000000f1', 'MUG-RED', 'Red', NULL),
          ('00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-0000000000f1', 'MUG-BLUE', 'Blue', NULL),
          ('00000000-0000-0000-0000-000000000003', '00000000-0000-0000-0000-0000000000f1', 'MUG-OLD', '', now());
        INSERT INTO stock_level VALUES
          ('00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-00000000000a', 3),
          ('00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-00000000000b', 50),
          ('00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-00000000000a', 0),
          ('00000000-0000-0000-0000-000000000003', '00000000-0000-0000-0000-00000000000a', 0);
        INSERT INTO stock_policy VALUES ('00000000-0000-0000-0000-000000000001', 5);
        INSERT INTO customer (created_at) VALUES (now()), (now() - interval '10 days'), (now() - interval '60 days');`);
    } catch (err) {
      await fixture.end();
      throw err;
    }
    const em = app.orm.em.fork() as EntityManager;
    const summary = await em
      .transactional(async (tx) => {
        await tx.execute(`SET LOCAL search_path = dashboard_fixture`);
        return new DashboardService(tx, 'EUR').summary('Europe/Paris', { withSales: true });
      })
      .finally(async () => {
        await fixture.query(`DROP SCHEMA dashboard_fixture CASCADE`);
        await fixture.end();
      });

    expect(summary.sales).toMatchObject({
      today: { revenue: { amount: 3500, currency: 'EUR' }, orders: 2 },
      last30Days: { revenue: { amount: 4000, currency: 'EUR' }, orders: 3 },
    });
    // As the to-pack queue: c1 (nothing shipped), c2 (partially refunded, 1 of 1 left), c5 (1 of 2 labelled),
    // c6 (its shipment voided), c8 (3 - 1 withdrawn, 1 shipped; the return is of a shipped unit). Not c7
    // (every unit labelled), c9 (refunded the unit it did not ship), nor the unpaid and cancelled orders.
    expect(summary.toPack).toBe(5);
    expect(summary.sales!.daily).toHaveLength(30);
    expect(summary.sales!.daily.at(-4)).toMatchObject({ revenue: 500, orders: 1 });
    // The inactive location's 50 do not count; the deleted variant is not listed; no policy = threshold 0.
    expect(summary.lowStock).toEqual({
      count: 2,
      items: [
        {
          variantId: '00000000-0000-0000-0000-000000000002',
          sku: 'MUG-BLUE',
          title: 'Mug — Blue',
          available: 0,
          threshold: 0,
        },
        {
          variantId: '00000000-0000-0000-0000-000000000001',
          sku: 'MUG-RED',
          title: 'Mug — Red',
          available: 3,
          threshold: 5,
        },
      ],
    });
    expect(summary.customers).toEqual({ today: 1, last30Days: 2 });
  });
});
