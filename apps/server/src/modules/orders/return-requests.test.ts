import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { staffToken, useTestApp } from '../../../test/app.ts';
import { createTestDatabase } from '../../../test/database.ts';
import { createOrm } from '../../platform/db.ts';
import { eraseSelf, queuedMail, registerCustomer, type SignedIn } from '../../../test/identity/helpers.ts';
import { ADDRESS } from '../../../test/support/orders.ts';
import { commerceFixtures } from '../cart/test-helpers.ts';
import { signWebhook } from '../shipping/webhook-signature.ts';
import { renderTemplate } from '../notifications/templates.ts';
import { brandingFrom } from '../notifications/index.ts';
import { ReturnRequestsService } from './return-requests.service.ts';
import { canMoveReturnRequest, RETURN_REQUEST_STATUSES } from './return-requests.states.ts';
import { PaymentErrors } from '../payments/payments.errors.ts';
import { GatewayError } from '../payments/provider.ts';

/**
 * Return requests end to end (ADR 0051): a shopper asks to return delivered units of their own order, staff
 * approve or reject, then receive the goods (the order's return, restocking) and refund them (refund by line).
 * Parcels are delivered by the carrier's signed tracking webhook, as in production.
 */
const SECRET = 'whsec_builtin_return_requests_01';
const { app, config, databaseUrl } = await useTestApp({ SHIPPING_WEBHOOK_SECRETS: `builtin:${SECRET}` });
const owner = await staffToken(app);
const fx = commerceFixtures(app, owner);
const em = () => app.orm.em.fork() as EntityManager;
const rows = <T>(sql: string, params: unknown[] = []) => em().execute<T[]>(sql, params);
let manager: string;

beforeAll(async () => {
  const credentials = { email: 'returns-manager@mcart.test', password: 'a manager passphrase for returns' };
  const created = await app.inject({
    method: 'POST',
    url: '/api/admin/staff',
    headers: { authorization: owner },
    payload: { ...credentials, role: 'manager', firstName: 'M', lastName: 'Anager' },
  });
  expect(created.statusCode, created.body).toBe(201);
  manager = await staffToken(app, credentials);
});

interface Line {
  id: string;
  variantId: string;
  quantity: number;
  returnedQuantity: number;
  refundedQuantity: number;
}
interface Order {
  id: string;
  number: string;
  status: string;
  lines: Line[];
}
interface ReturnRequest {
  id: string;
  number: string;
  orderId: string;
  status: string;
  reason: string;
  comment: string | null;
  lines: { orderLineId: string; quantity: number }[];
  allowedTransitions: string[];
  restocked: boolean | null;
  refund: { amount: { amount: number; currency: string }; at: string } | null;
}

const admin = (method: 'GET' | 'POST', url: string, payload?: object, auth = owner) =>
  app.inject({ method, url, headers: { authorization: auth }, ...(payload ? { payload } : {}) });
const store = (method: 'GET' | 'POST', url: string, customer: SignedIn, payload?: object) =>
  app.inject({ method, url, headers: customer.auth, ...(payload ? { payload } : {}) });
const ask = (customer: SignedIn, orderId: string, payload: object) =>
  store('POST', `/api/store/orders/${orderId}/return-requests`, customer, payload);

/** A request for one unit of the order's first line, as the customer made it. */
const askOneUnit = async (customer: SignedIn, order: Order) =>
  (
    await ask(customer, order.id, {
      lines: [{ orderLineId: order.lines[0]!.id, quantity: 1 }],
      reason: 'other',
    })
  ).json<ReturnRequest>();

/** A paid order of the customer (test gateway, tok_visa): `quantities` units of fresh variants at `price`. */
async function placeOrder(customer: SignedIn, quantities: number[], price = 2_000): Promise<Order> {
  const product = await fx.product(
    quantities.map(() => price),
    50,
  );
  const cartId = await fx.cart(customer.auth.authorization);
  for (const [i, quantity] of quantities.entries())
    expect(
      (await fx.add(cartId, product.variants[i]!.id, quantity, customer.auth.authorization)).statusCode,
    ).toBe(200);
  const placed = await app.inject({
    method: 'POST',
    url: `/api/store/carts/${cartId}/checkout`,
    headers: { ...customer.auth, 'idempotency-key': randomUUID() },
    payload: {
      email: customer.email,
      shippingAddress: ADDRESS,
      payment: { provider: 'test', token: 'tok_visa' },
    },
  });
  expect(placed.statusCode, placed.body).toBe(201);
  return orderOf(customer, placed.json<{ order: { id: string } }>().order.id);
}

async function orderOf(customer: SignedIn, orderId: string): Promise<Order> {
  const response = await store('GET', `/api/store/orders/${orderId}`, customer);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Order>();
}

/** A label for the given units (all when omitted). */
async function label(orderId: string, lines?: { orderLineId: string; quantity: number }[]) {
  const response = await admin('POST', `/api/admin/orders/${orderId}/shipments`, {
    ...(lines ? { lines } : {}),
    package: { weightGrams: 500 },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string; trackingNumber: string }>();
}

/** The carrier's signed webhook: the parcel reached `status` at `occurredAt`. */
async function carrierSays(trackingNumber: string, status: string, occurredAt: Date) {
  const raw = JSON.stringify({
    events: [{ id: randomUUID(), trackingNumber, status, occurredAt: occurredAt.toISOString() }],
  });
  const response = await app.inject({
    method: 'POST',
    url: '/api/webhooks/shipping/builtin',
    headers: { 'content-type': 'application/json', 'x-mcart-signature': signWebhook(SECRET, raw) },
    payload: raw,
  });
  expect(response.statusCode, response.body).toBe(200);
  expect(response.json()).toMatchObject({ applied: 1 });
}

const daysAgo = (days: number, minutes = 0) => new Date(Date.now() - days * 86_400_000 + minutes * 60_000);

/** Handed over, then delivered `deliveredDaysAgo` days ago (the carrier's own times). */
async function deliverParcel(trackingNumber: string, deliveredDaysAgo = 1) {
  await carrierSays(trackingNumber, 'in_transit', daysAgo(deliveredDaysAgo + 2));
  await carrierSays(trackingNumber, 'delivered', daysAgo(deliveredDaysAgo));
}

/** One parcel with everything, delivered: the order becomes `delivered`. */
async function delivered(customer: SignedIn, quantities: number[], deliveredDaysAgo = 1): Promise<Order> {
  const order = await placeOrder(customer, quantities);
  await deliverParcel((await label(order.id)).trackingNumber, deliveredDaysAgo);
  const after = await orderOf(customer, order.id);
  expect(after.status).toBe('delivered');
  return after;
}

async function onHand(variantId: string): Promise<number> {
  const response = await admin('GET', `/api/admin/inventory/levels?variantId=${variantId}`);
  return response.json<{ data: { onHand: number }[] }>().data[0]!.onHand;
}

const requestCount = async (orderId: string) =>
  Number(
    (await rows<{ n: string }>(`SELECT count(*) AS n FROM return_request WHERE order_id = ?`, [orderId]))[0]!
      .n,
  );

/** The customer's e-mails about the order (invoices and credit notes, sent by invoicing, left out). */
const mailsFor = async (to: string) => {
  await app.outbox.drain();
  return (await queuedMail(app, databaseUrl))
    .filter((mail) => mail.to === to && !/^(invoice|credit-note)-issued$/.test(mail.template))
    .map((mail) => ({ template: mail.template as string, data: mail.data as Record<string, unknown> }));
};

describe('the whole flow through HTTP', () => {
  it('delivered → requested → approved → received with a refund: stock back, refund recorded, e-mails queued', async () => {
    const customer = await registerCustomer(app);
    const order = await placeOrder(customer, [3, 1]);
    const [mugs, plate] = order.lines as [Line, Line];

    // Paid, not yet delivered: nothing to return.
    const early = await ask(customer, order.id, {
      lines: [{ orderLineId: mugs.id, quantity: 1 }],
      reason: 'damaged',
    });
    expect(early.statusCode).toBe(409);
    expect(early.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(early.json()).toMatchObject({ code: 'MCART_ERR_NOT_RETURNABLE', orderStatus: 'paid' });

    await deliverParcel((await label(order.id)).trackingNumber);
    expect((await orderOf(customer, order.id)).status).toBe('delivered');
    const stockBefore = await onHand(mugs.variantId);

    const asked = await ask(customer, order.id, {
      lines: [{ orderLineId: mugs.id, quantity: 2 }],
      reason: 'damaged',
      comment: 'Two mugs arrived cracked',
    });
    expect(asked.statusCode, asked.body).toBe(201);
    const request = asked.json<ReturnRequest>();
    expect(request).toMatchObject({
      number: `${order.number}-R1`,
      orderId: order.id,
      orderNumber: order.number,
      status: 'requested',
      reason: 'damaged',
      comment: 'Two mugs arrived cracked',
      lines: [{ orderLineId: mugs.id, quantity: 2, unitPrice: { amount: 2_000, currency: 'USD' } }],
      allowedTransitions: ['approved', 'rejected'],
      restocked: null,
      refund: null,
    });

    const mine = await store('GET', `/api/store/orders/${order.id}/return-requests`, customer);
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toMatchObject({ data: [{ id: request.id, status: 'requested' }] });

    const waiting = await admin('GET', `/api/admin/return-requests?status=requested&orderId=${order.id}`);
    expect(waiting.json()).toMatchObject({
      total: 1,
      data: [{ id: request.id, comment: 'Two mugs arrived cracked' }],
    });

    const approved = await admin('POST', `/api/admin/return-requests/${request.id}/approve`, {
      note: 'Please keep the original box',
    });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({
      status: 'approved',
      note: 'Please keep the original box',
      allowedTransitions: ['received', 'rejected'],
    });

    const received = await admin('POST', `/api/admin/return-requests/${request.id}/receive`, {
      refund: true,
    });
    expect(received.statusCode, received.body).toBe(200);
    expect(received.json()).toMatchObject({
      status: 'received',
      restocked: true,
      refund: { amount: { amount: 4_000, currency: 'USD' } },
      allowedTransitions: [],
    });

    // The goods are back on the shelf, the order recorded the return and the refund of exactly those lines.
    expect(await onHand(mugs.variantId)).toBe(stockBefore + 2);
    const detail = (await admin('GET', `/api/admin/orders/${order.id}`)).json<
      Order & { refunded: { amount: number }; timeline: { kind: string; message: string | null }[] }
    >();
    expect(detail).toMatchObject({ status: 'partially_refunded', refunded: { amount: 4_000 } });
    expect(detail.lines.find((line) => line.id === mugs.id)).toMatchObject({
      returnedQuantity: 2,
      refundedQuantity: 2,
    });
    expect(detail.lines.find((line) => line.id === plate.id)).toMatchObject({
      returnedQuantity: 0,
      refundedQuantity: 0,
    });
    const returns = detail.timeline.filter((event) => event.kind === 'return').map((event) => event.message);
    expect(returns).toEqual([
      `Return ${request.number} requested: 2 item(s), damaged`,
      `Return ${request.number} approved: Please keep the original box`,
      `2 item(s) returned, restocked: return ${request.number}`,
    ]);
    // The customer's comment is theirs: it never reaches the timeline.
    expect(JSON.stringify(detail.timeline)).not.toContain('cracked');

    // Request received, approved (with the store's return address and the number), then the refund.
    // (One consumer pass queues them all: their creation times tie, so they are compared as a set.)
    const mails = await mailsFor(customer.email);
    expect(mails.map((mail) => mail.template).sort()).toEqual(
      [
        'verify-email',
        'order-confirmation',
        'order-shipped',
        'order-delivered',
        'return-requested',
        'return-approved',
        'refund-issued',
      ].sort(),
    );
    const mail = (template: string) => mails.find((m) => m.template === template)!.data;
    expect(mail('return-requested')).toMatchObject({
      orderNumber: order.number,
      returnNumber: request.number,
    });
    expect(mail('return-approved')).toMatchObject({
      returnNumber: request.number,
      note: 'Please keep the original box',
      lines: [{ quantity: 2 }],
    });
    expect(mail('refund-issued')).toMatchObject({
      orderNumber: order.number,
      amount: 4_000,
      currency: 'USD',
    });
    const approvalMail = renderTemplate('return-approved', mail('return-approved'), brandingFrom(config));
    expect(approvalMail.subject).toBe(`Your return ${request.number} is approved`);
    expect(approvalMail.text).toContain(
      `Send the items to:\n  ${config.branding.address.name}\n  1 Market Street`,
    );
    expect(approvalMail.text).toContain(`  Return ${request.number}`);
    expect(approvalMail.html).toContain('1 Market Street<br>');

    // Every change announced to the live screens, ids and numbers only.
    const events = await rows<{ type: string; payload: { event: string } }>(
      `SELECT type, payload FROM outbox_event WHERE resource = 'return-requests' AND ? = ANY(ids) ORDER BY id`,
      [request.id],
    );
    expect(events.map((event) => [event.type, event.payload.event])).toEqual([
      ['created', 'return_requested'],
      ['updated', 'return_approved'],
      ['updated', 'return_received'],
      ['updated', 'return_refunded'],
    ]);
    expect(JSON.stringify(events)).not.toContain('cracked');

    // Staff actions on it are audited like every admin write.
    const audited = await rows<{ route: string }>(
      `SELECT route FROM audit_entry WHERE params->>'id' = ? ORDER BY at`,
      [request.id],
    );
    expect(audited.map((entry) => entry.route)).toEqual([
      '/api/admin/return-requests/:id/approve',
      '/api/admin/return-requests/:id/receive',
    ]);
  });

  it('rejects with a reason the customer is e-mailed; the units can then be asked for again', async () => {
    const customer = await registerCustomer(app);
    const order = await delivered(customer, [2]);
    const lineId = order.lines[0]!.id;
    const first = (
      await ask(customer, order.id, {
        lines: [{ orderLineId: lineId, quantity: 2 }],
        reason: 'no_longer_needed',
      })
    ).json<ReturnRequest>();
    const rejected = await admin('POST', `/api/admin/return-requests/${first.id}/reject`, {
      reason: 'Opened items cannot be returned',
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(rejected.json()).toMatchObject({
      status: 'rejected',
      rejectionReason: 'Opened items cannot be returned',
    });
    const mail = (await mailsFor(customer.email)).find((m) => m.template === 'return-rejected');
    expect(mail?.data).toMatchObject({
      returnNumber: first.number,
      reason: 'Opened items cannot be returned',
    });
    expect(renderTemplate('return-rejected', mail!.data, brandingFrom(config)).text).toContain(
      'Reason: Opened items cannot be returned',
    );

    const again = await ask(customer, order.id, {
      lines: [{ orderLineId: lineId, quantity: 2 }],
      reason: 'other',
    });
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json()).toMatchObject({ number: `${order.number}-R2` });
  });

  it('receives without restocking or refunding when staff say so', async () => {
    const customer = await registerCustomer(app);
    const order = await delivered(customer, [1]);
    const line = order.lines[0]!;
    const request = (
      await ask(customer, order.id, { lines: [{ orderLineId: line.id, quantity: 1 }], reason: 'damaged' })
    ).json<ReturnRequest>();
    expect((await admin('POST', `/api/admin/return-requests/${request.id}/approve`)).statusCode).toBe(200);
    const stock = await onHand(line.variantId);
    const received = await admin('POST', `/api/admin/return-requests/${request.id}/receive`, {
      restock: false,
    });
    expect(received.statusCode, received.body).toBe(200);
    expect(received.json()).toMatchObject({ status: 'received', restocked: false, refund: null });
    expect(await onHand(line.variantId)).toBe(stock);
    expect((await orderOf(customer, order.id)).status).toBe('returned');
  });
});

describe('restocking per line at receipt (some items resellable, some damaged)', () => {
  /** A delivered order of two lines (3 mugs, 2 plates), all of it asked back and approved. */
  async function approvedForAll() {
    const customer = await registerCustomer(app);
    const order = await delivered(customer, [3, 2]);
    const [mugs, plates] = order.lines as [Line, Line];
    const asked = await ask(customer, order.id, {
      lines: [
        { orderLineId: mugs.id, quantity: 3 },
        { orderLineId: plates.id, quantity: 2 },
      ],
      reason: 'damaged',
    });
    expect(asked.statusCode, asked.body).toBe(201);
    const request = asked.json<
      Omit<ReturnRequest, 'lines'> & { lines: { orderLineId: string; sku: string }[] }
    >();
    expect((await admin('POST', `/api/admin/return-requests/${request.id}/approve`)).statusCode).toBe(200);
    return { customer, order, mugs, plates, request };
  }

  /** The stock ledger's movements of the request's receipt (reason `return <number>`). */
  const ledger = (orderId: string, number: string) =>
    rows<{ variant_id: string; kind: string; on_hand_delta: number }>(
      `SELECT variant_id, kind, on_hand_delta FROM stock_movement WHERE order_id = ? AND reason = ? ORDER BY id`,
      [orderId, `return ${number}`],
    );

  it('puts back exactly the units chosen, one ledger movement per restocked line; the rest stays out', async () => {
    const { order, mugs, plates, request } = await approvedForAll();
    const before = { mugs: await onHand(mugs.variantId), plates: await onHand(plates.variantId) };

    const received = await admin('POST', `/api/admin/return-requests/${request.id}/receive`, {
      lines: [
        { orderLineId: plates.id, restockQuantity: 0 },
        { orderLineId: mugs.id, restockQuantity: 2 },
      ],
    });
    expect(received.statusCode, received.body).toBe(200);
    expect(received.json()).toMatchObject({
      status: 'received',
      restocked: true,
      lines: [
        { orderLineId: mugs.id, quantity: 3, restockedQuantity: 2 },
        { orderLineId: plates.id, quantity: 2, restockedQuantity: 0 },
      ],
    });

    expect(await onHand(mugs.variantId)).toBe(before.mugs + 2);
    expect(await onHand(plates.variantId)).toBe(before.plates);
    expect(await ledger(order.id, request.number)).toEqual([
      { variant_id: mugs.variantId, kind: 'returned', on_hand_delta: 2 },
    ]);
    // Every unit is returned on the order, restocked or not.
    const detail = (await admin('GET', `/api/admin/orders/${order.id}`)).json<
      Order & { timeline: { kind: string; message: string | null }[] }
    >();
    expect(detail.status).toBe('returned');
    expect(detail.lines.map((line) => [line.id, line.returnedQuantity])).toEqual([
      [mugs.id, 3],
      [plates.id, 2],
    ]);
    const [mugSku, plateSku] = [mugs.id, plates.id].map(
      (id) => request.lines.find((line) => line.orderLineId === id)!.sku,
    );
    const returns = detail.timeline.filter((event) => event.kind === 'return').map((event) => event.message);
    expect(returns.slice(-2)).toEqual([
      `5 item(s) returned, 2 restocked: return ${request.number}`,
      `Return ${request.number} received: 2 of 5 item(s) restocked (${mugSku} ×2), 3 kept out of stock (${mugSku} ×1, ${plateSku} ×2)`,
    ]);
    // Read back as it was answered.
    expect((await admin('GET', `/api/admin/return-requests/${request.id}`)).json()).toMatchObject({
      lines: [{ restockedQuantity: 2 }, { restockedQuantity: 0 }],
    });
  });

  it.each([
    ['a line not of the request', 'unknown', 'body/lines/1/orderLineId'],
    ['a line named twice', 'twice', 'body/lines/1/orderLineId'],
    ['more units than received', 'too-many', 'body/lines/1/restockQuantity'],
    ['a negative quantity', 'negative', 'body/lines/1/restockQuantity'],
    ['a line left out', 'missing', 'body/lines'],
    ['restock together with lines', 'with-restock', 'body/restock'],
    ['an unknown field on a line', 'unknown-field', 'body/lines/0/restock'],
  ])('refuses %s with 400 naming the field, writing nothing', async (_, kind, path) => {
    const { customer, order, mugs, plates, request } = await approvedForAll();
    const before = { mugs: await onHand(mugs.variantId), plates: await onHand(plates.variantId) };
    const bodies: Record<string, object> = {
      unknown: {
        lines: [
          { orderLineId: mugs.id, restockQuantity: 3 },
          { orderLineId: randomUUID(), restockQuantity: 1 },
          { orderLineId: plates.id, restockQuantity: 2 },
        ],
      },
      twice: {
        lines: [
          { orderLineId: mugs.id, restockQuantity: 1 },
          { orderLineId: mugs.id, restockQuantity: 2 },
          { orderLineId: plates.id, restockQuantity: 2 },
        ],
      },
      'too-many': {
        lines: [
          { orderLineId: mugs.id, restockQuantity: 3 },
          { orderLineId: plates.id, restockQuantity: 3 },
        ],
      },
      negative: {
        lines: [
          { orderLineId: mugs.id, restockQuantity: 3 },
          { orderLineId: plates.id, restockQuantity: -1 },
        ],
      },
      missing: { lines: [{ orderLineId: mugs.id, restockQuantity: 3 }] },
      'with-restock': {
        restock: true,
        lines: [
          { orderLineId: mugs.id, restockQuantity: 3 },
          { orderLineId: plates.id, restockQuantity: 2 },
        ],
      },
      'unknown-field': {
        lines: [
          { orderLineId: mugs.id, restockQuantity: 3, restock: true },
          { orderLineId: plates.id, restockQuantity: 2 },
        ],
      },
    };
    const refused = await admin('POST', `/api/admin/return-requests/${request.id}/receive`, bodies[kind]!);
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.json()).toMatchObject({ code: 'MCART_ERR_VALIDATION' });
    expect(refused.json<{ errors: { path: string }[] }>().errors.map((error) => error.path)).toContain(path);

    // Nothing written: still approved, nothing returned or restocked, no ledger movement.
    expect((await admin('GET', `/api/admin/return-requests/${request.id}`)).json()).toMatchObject({
      status: 'approved',
      restocked: null,
      lines: [{ restockedQuantity: null }, { restockedQuantity: null }],
    });
    const after = await orderOf(customer, order.id);
    expect(after.status).toBe('delivered');
    expect(after.lines.map((line) => line.returnedQuantity)).toEqual([0, 0]);
    expect(await onHand(mugs.variantId)).toBe(before.mugs);
    expect(await onHand(plates.variantId)).toBe(before.plates);
    expect(await ledger(order.id, request.number)).toEqual([]);
  });

  it('still takes restock: true (all, one movement per line) and restock: false (none, no movement)', async () => {
    const all = await approvedForAll();
    const stock = await onHand(all.mugs.variantId);
    const receivedAll = await admin('POST', `/api/admin/return-requests/${all.request.id}/receive`, {
      restock: true,
    });
    expect(receivedAll.statusCode, receivedAll.body).toBe(200);
    expect(receivedAll.json()).toMatchObject({
      restocked: true,
      lines: [{ restockedQuantity: 3 }, { restockedQuantity: 2 }],
    });
    expect(await onHand(all.mugs.variantId)).toBe(stock + 3);
    expect(
      (await ledger(all.order.id, all.request.number))
        .map((row) => [row.variant_id, row.on_hand_delta])
        .sort(),
    ).toEqual(
      [
        [all.mugs.variantId, 3],
        [all.plates.variantId, 2],
      ].sort(),
    );

    const none = await approvedForAll();
    const receivedNone = await admin('POST', `/api/admin/return-requests/${none.request.id}/receive`, {
      restock: false,
    });
    expect(receivedNone.statusCode, receivedNone.body).toBe(200);
    expect(receivedNone.json()).toMatchObject({
      restocked: false,
      lines: [{ restockedQuantity: 0 }, { restockedQuantity: 0 }],
    });
    expect(await ledger(none.order.id, none.request.number)).toEqual([]);
    // All or none: the order's own entry says it, no per-line entry.
    const timeline = (await admin('GET', `/api/admin/orders/${none.order.id}`)).json<{
      timeline: { kind: string; message: string | null }[];
    }>().timeline;
    expect(timeline.filter((event) => event.kind === 'return').map((event) => event.message)).toContain(
      `5 item(s) returned: return ${none.request.number}`,
    );
    expect(JSON.stringify(timeline)).not.toContain('kept out of stock');
  });
});

describe('refunding at receipt', () => {
  it('refunds only the units not refunded by line already (a goodwill refund)', async () => {
    const customer = await registerCustomer(app);
    const order = await delivered(customer, [2]);
    const lineId = order.lines[0]!.id;
    const goodwill = await admin('POST', `/api/admin/orders/${order.id}/refund`, {
      lines: [{ orderLineId: lineId, quantity: 1 }],
      reason: 'scratched',
    });
    expect(goodwill.statusCode, goodwill.body).toBe(200);
    const request = (
      await ask(customer, order.id, { lines: [{ orderLineId: lineId, quantity: 2 }], reason: 'damaged' })
    ).json<ReturnRequest>();
    expect((await admin('POST', `/api/admin/return-requests/${request.id}/approve`)).statusCode).toBe(200);
    const received = await admin('POST', `/api/admin/return-requests/${request.id}/receive`, {
      refund: true,
    });
    expect(received.statusCode, received.body).toBe(200);
    expect(received.json()).toMatchObject({ status: 'received', refund: { amount: { amount: 2_000 } } });
    expect((await orderOf(customer, order.id)).lines[0]).toMatchObject({
      returnedQuantity: 2,
      refundedQuantity: 2,
    });
  });

  it('keeps the goods received when the gateway refuses the refund, and says so', async () => {
    const customer = await registerCustomer(app);
    const order = await delivered(customer, [1]);
    const request = (
      await ask(customer, order.id, {
        lines: [{ orderLineId: order.lines[0]!.id, quantity: 1 }],
        reason: 'damaged',
      })
    ).json<ReturnRequest>();
    expect((await admin('POST', `/api/admin/return-requests/${request.id}/approve`)).statusCode).toBe(200);
    const payments = app.payments;
    const refund = payments.refund.bind(payments);
    payments.refund = async () => {
      throw PaymentErrors.gateway('The gateway did not refund the payment');
    };
    try {
      const received = await admin('POST', `/api/admin/return-requests/${request.id}/receive`, {
        refund: true,
      });
      expect(received.statusCode).toBe(502);
      expect(received.json()).toMatchObject({ returnRequestStatus: 'received' });
      expect(received.json().detail).toContain(`The goods of ${request.number} are recorded as received`);
    } finally {
      payments.refund = refund;
    }
    expect((await admin('GET', `/api/admin/return-requests/${request.id}`)).json()).toMatchObject({
      status: 'received',
      refund: null,
    });
    // The refund reservation was undone: staff refund from the order.
    expect(await orderOf(customer, order.id)).toMatchObject({
      status: 'returned',
      lines: [{ refundedQuantity: 0 }],
    });
  });
  it('says a refund whose answer was lost is pending, and records it on the request once confirmed', async () => {
    const customer = await registerCustomer(app);
    const order = await delivered(customer, [1]);
    const request = (
      await ask(customer, order.id, {
        lines: [{ orderLineId: order.lines[0]!.id, quantity: 1 }],
        reason: 'damaged',
      })
    ).json<ReturnRequest>();
    expect((await admin('POST', `/api/admin/return-requests/${request.id}/approve`)).statusCode).toBe(200);
    // The gateway refunds, but its answer never arrives.
    const provider = app.payments.provider;
    const refund = provider.refund.bind(provider);
    provider.refund = async (input) => {
      await refund(input);
      throw new GatewayError('test: the connection was lost');
    };
    try {
      const received = await admin('POST', `/api/admin/return-requests/${request.id}/receive`, {
        refund: true,
      });
      expect(received.statusCode).toBe(502);
      expect(received.json()).toMatchObject({
        code: 'MCART_ERR_REFUND_PENDING',
        returnRequestStatus: 'received',
        refundPending: true,
        amount: 2_000,
      });
      expect(received.json().detail).toContain(`The goods of ${request.number} are recorded as received`);
      expect(received.json().detail).toContain('is pending');
      expect(received.json().detail).not.toContain('refund the lines from the order');
    } finally {
      provider.refund = refund;
    }
    const timeline = async () =>
      (await admin('GET', `/api/admin/orders/${order.id}`)).json<{
        timeline: { kind: string; message: string | null }[];
      }>().timeline;
    expect((await timeline()).filter((event) => event.kind === 'return').at(-1)?.message).toContain(
      `Return ${request.number}: the refund of $20.00 is pending confirmation by the payment gateway`,
    );
    // Staff and the customer see that its refund is pending, not that none was made.
    expect((await admin('GET', `/api/admin/return-requests/${request.id}`)).json()).toMatchObject({
      status: 'received',
      refund: null,
      refundPending: true,
    });
    expect((await admin('GET', `/api/admin/return-requests?orderId=${order.id}`)).json()).toMatchObject({
      data: [{ id: request.id, refundPending: true }],
    });
    expect(
      (await store('GET', `/api/store/orders/${order.id}/return-requests`, customer)).json(),
    ).toMatchObject({
      data: [{ id: request.id, refund: null, refundPending: true }],
    });
    // The units stay reserved as refunded: a second refund is refused meanwhile.
    expect(await orderOf(customer, order.id)).toMatchObject({ lines: [{ refundedQuantity: 1 }] });

    await app.payments.reconcile(0);
    expect((await admin('GET', `/api/admin/return-requests/${request.id}`)).json()).toMatchObject({
      status: 'received',
      refund: { amount: { amount: 2_000 }, at: expect.any(String) },
      refundPending: false,
    });
    expect(
      (await store('GET', `/api/store/orders/${order.id}/return-requests`, customer)).json(),
    ).toMatchObject({
      data: [{ id: request.id, refundPending: false }],
    });
    expect((await timeline()).filter((event) => event.kind === 'return').at(-1)?.message).toBe(
      `Return ${request.number} refunded: $20.00, confirmed by the payment gateway`,
    );
  });
});

describe('what a customer may ask', () => {
  let customer: SignedIn;
  let order: Order;
  beforeAll(async () => {
    customer = await registerCustomer(app);
    order = await delivered(customer, [3, 1]);
  });

  const expectNothingWritten = async () => expect(await requestCount(order.id)).toBe(0);

  it("is not found on another customer's order, and learns nothing of it", async () => {
    const other = await registerCustomer(app);
    const payload = { lines: [{ orderLineId: order.lines[0]!.id, quantity: 1 }], reason: 'damaged' };
    const posted = await ask(other, order.id, payload);
    expect(posted.statusCode).toBe(404);
    expect(posted.json()).toMatchObject({ code: 'MCART_ERR_ORDER_NOT_FOUND' });
    expect((await store('GET', `/api/store/orders/${order.id}/return-requests`, other)).statusCode).toBe(404);
    expect((await ask(other, randomUUID(), payload)).statusCode).toBe(404);
    await expectNothingWritten();
  });

  it.each([
    ['zero', [{ quantity: 0 }], 'body/lines/0/quantity'],
    ['negative', [{ quantity: -1 }], 'body/lines/0/quantity'],
    ['fractional', [{ quantity: 1.5 }], 'body/lines/0/quantity'],
    ['a quantity that is not a number', [{ quantity: 'two' }], 'body/lines/0/quantity'],
    ['an unknown field on a line', [{ quantity: 1, restock: true }], 'body/lines/0/restock'],
  ])('refuses %s with 400 naming the field', async (_name, lines, path) => {
    const response = await ask(customer, order.id, {
      lines: (lines as object[]).map((line) => ({ orderLineId: order.lines[0]!.id, ...line })),
      reason: 'damaged',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'MCART_ERR_VALIDATION',
      errors: [expect.objectContaining({ path })],
    });
    await expectNothingWritten();
  });

  it('refuses a bad reason, an unknown field, no lines, a long comment and a line that is not a uuid', async () => {
    const line = { orderLineId: order.lines[0]!.id, quantity: 1 };
    const cases: [object, string][] = [
      [{ lines: [line], reason: 'changed_my_mind' }, 'body/reason'],
      [{ lines: [line] }, 'body/reason'],
      [{ lines: [line], reason: 'damaged', refund: true }, 'body/refund'],
      [{ lines: [], reason: 'damaged' }, 'body/lines'],
      [{ lines: [line], reason: 'other', comment: 'x'.repeat(1001) }, 'body/comment'],
      [{ lines: [{ ...line, orderLineId: 'line-1' }], reason: 'other' }, 'body/lines/0/orderLineId'],
      [{ lines: Array.from({ length: 101 }, () => line), reason: 'other' }, 'body/lines'],
    ];
    for (const [payload, path] of cases) {
      const response = await ask(customer, order.id, payload);
      expect(response.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
      expect(response.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
    }
    await expectNothingWritten();
  });

  it('refuses a line of another order, or the same line twice, naming it', async () => {
    const elsewhere = await placeOrder(customer, [1]);
    const unknown = await ask(customer, order.id, {
      lines: [
        { orderLineId: order.lines[1]!.id, quantity: 1 },
        { orderLineId: elsewhere.lines[0]!.id, quantity: 1 },
      ],
      reason: 'wrong_item',
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({
      code: 'MCART_ERR_VALIDATION',
      errors: [{ path: 'body/lines/1/orderLineId', message: 'is not a line of this order' }],
    });
    const twice = await ask(customer, order.id, {
      lines: [
        { orderLineId: order.lines[0]!.id, quantity: 1 },
        { orderLineId: order.lines[0]!.id, quantity: 1 },
      ],
      reason: 'wrong_item',
    });
    expect(twice.statusCode).toBe(400);
    expect(twice.json().errors).toEqual([{ path: 'body/lines/1/orderLineId', message: 'appears twice' }]);
    await expectNothingWritten();
  });

  it('refuses more units than were delivered, naming each line and what is left', async () => {
    const response = await ask(customer, order.id, {
      lines: [
        { orderLineId: order.lines[0]!.id, quantity: 3 },
        { orderLineId: order.lines[1]!.id, quantity: 2 },
      ],
      reason: 'not_as_described',
    });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({
      code: 'MCART_ERR_RETURN_QUANTITY',
      errors: [{ path: 'body/lines/1/quantity', message: 'at most 1 unit(s) of this line can be returned' }],
      lines: [{ orderLineId: order.lines[1]!.id, returnable: 1 }],
    });
    await expectNothingWritten();
  });

  it('counts units in open requests and units already returned', async () => {
    const [mugs] = order.lines as [Line];
    const first = await ask(customer, order.id, {
      lines: [{ orderLineId: mugs.id, quantity: 2 }],
      reason: 'damaged',
    });
    expect(first.statusCode).toBe(201);
    const more = await ask(customer, order.id, {
      lines: [{ orderLineId: mugs.id, quantity: 2 }],
      reason: 'damaged',
    });
    expect(more.statusCode).toBe(409);
    expect(more.json()).toMatchObject({ code: 'MCART_ERR_RETURN_QUANTITY', lines: [{ returnable: 1 }] });
    // Staff recorded one unit back by hand (the order's return route): one more unit is gone.
    const manual = await admin('POST', `/api/admin/orders/${order.id}/returns`, {
      lines: [{ orderLineId: mugs.id, quantity: 1, restock: true }],
    });
    expect(manual.statusCode, manual.body).toBe(201);
    const none = await ask(customer, order.id, {
      lines: [{ orderLineId: mugs.id, quantity: 1 }],
      reason: 'damaged',
    });
    expect(none.statusCode).toBe(409);
    expect(none.json().errors[0].message).toMatch(/^no unit of this line can be returned/);
    expect(await requestCount(order.id)).toBe(1);
  });

  it('is closed after the return window, counted from the delivery the carrier reported', async () => {
    const late = await delivered(customer, [1], 31);
    const response = await ask(customer, late.id, {
      lines: [{ orderLineId: late.lines[0]!.id, quantity: 1 }],
      reason: 'damaged',
    });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'MCART_ERR_RETURN_WINDOW_CLOSED', returnWindowDays: 30 });
    expect(Date.parse(response.json().returnableUntil)).toBeLessThan(Date.now());
    expect(await requestCount(late.id)).toBe(0);
    // 29 days after delivery is within it.
    const inTime = await delivered(customer, [1], 29);
    expect(
      (
        await ask(customer, inTime.id, {
          lines: [{ orderLineId: inTime.lines[0]!.id, quantity: 1 }],
          reason: 'other',
        })
      ).statusCode,
    ).toBe(201);
  });

  it('is off when RETURN_WINDOW_DAYS is 0', async () => {
    const off = new ReturnRequestsService(em(), app.cipher, { returnWindowDays: 0 });
    await expect(
      off.request(order.id, customer.id, {
        lines: [{ orderLineId: order.lines[1]!.id, quantity: 1 }],
        reason: 'other',
      }),
    ).rejects.toMatchObject({ code: 'MCART_ERR_RETURN_WINDOW_CLOSED', status: 409 });
  });

  it('waits until the goods reached the customer: part delivered, part still to ship or on its way', async () => {
    const split = await placeOrder(customer, [2, 1]);
    const [first, second] = split.lines as [Line, Line];
    const parcel = await label(split.id, [{ orderLineId: first.id, quantity: 2 }]);
    await deliverParcel(parcel.trackingNumber);
    // One parcel delivered, the rest not yet shipped (processing): a return would stop the rest from shipping.
    const pending = await ask(customer, split.id, {
      lines: [{ orderLineId: first.id, quantity: 1 }],
      reason: 'other',
    });
    expect(pending.statusCode).toBe(409);
    expect(pending.json()).toMatchObject({ code: 'MCART_ERR_NOT_RETURNABLE', orderStatus: 'processing' });

    // The rest handed over (the order is shipped): the delivered units may come back, the ones on their way not yet.
    const rest = await label(split.id);
    await carrierSays(rest.trackingNumber, 'in_transit', daysAgo(0, -1));
    expect((await orderOf(customer, split.id)).status).toBe('shipped');
    const onTheWay = await ask(customer, split.id, {
      lines: [{ orderLineId: second.id, quantity: 1 }],
      reason: 'other',
    });
    expect(onTheWay.statusCode).toBe(409);
    expect(onTheWay.json()).toMatchObject({ code: 'MCART_ERR_RETURN_QUANTITY', lines: [{ returnable: 0 }] });
    const arrived = await ask(customer, split.id, {
      lines: [{ orderLineId: first.id, quantity: 2 }],
      reason: 'other',
    });
    expect(arrived.statusCode, arrived.body).toBe(201);
  });

  it('takes every unit of an order marked delivered by hand (shipped outside the shipping module)', async () => {
    const byHand = await placeOrder(customer, [2]);
    for (const status of ['processing', 'shipped', 'delivered'])
      expect((await admin('POST', `/api/admin/orders/${byHand.id}/transition`, { status })).statusCode).toBe(
        200,
      );
    const response = await ask(customer, byHand.id, {
      lines: [{ orderLineId: byHand.lines[0]!.id, quantity: 2 }],
      reason: 'wrong_item',
    });
    expect(response.statusCode, response.body).toBe(201);
  });

  it('refuses a cancelled order', async () => {
    const cancelled = await placeOrder(customer, [1]);
    expect((await store('POST', `/api/store/orders/${cancelled.id}/cancel`, customer, {})).statusCode).toBe(
      200,
    );
    const response = await ask(customer, cancelled.id, {
      lines: [{ orderLineId: cancelled.lines[0]!.id, quantity: 1 }],
      reason: 'other',
    });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'MCART_ERR_NOT_RETURNABLE', orderStatus: 'cancelled' });
  });
});

describe('two requests racing for the last units', () => {
  it('lets exactly as many through as there are units: the others get 409', async () => {
    const customer = await registerCustomer(app);
    const order = await delivered(customer, [2]);
    const lineId = order.lines[0]!.id;
    const answers = await Promise.all(
      Array.from({ length: 4 }, () =>
        ask(customer, order.id, { lines: [{ orderLineId: lineId, quantity: 1 }], reason: 'damaged' }),
      ),
    );
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([201, 201, 409, 409]);
    for (const refused of answers.filter((answer) => answer.statusCode === 409))
      expect(refused.json().code).toBe('MCART_ERR_RETURN_QUANTITY');
    const asked = await rows<{ units: string }>(
      `SELECT sum(rl.quantity) AS units FROM return_request_line rl JOIN return_request r ON r.id = rl.return_request_id
        WHERE r.order_id = ?`,
      [order.id],
    );
    expect(Number(asked[0]!.units)).toBe(2);
    // Numbered one after the other under the order's lock.
    const numbers = answers
      .filter((a) => a.statusCode === 201)
      .map((a) => a.json<ReturnRequest>().number)
      .sort();
    expect(numbers).toEqual([`${order.number}-R1`, `${order.number}-R2`]);
  });

  it('the same for two requests of two units each for the two units left', async () => {
    const customer = await registerCustomer(app);
    const order = await delivered(customer, [2]);
    const lineId = order.lines[0]!.id;
    const answers = await Promise.all(
      [0, 1].map(() =>
        ask(customer, order.id, { lines: [{ orderLineId: lineId, quantity: 2 }], reason: 'other' }),
      ),
    );
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([201, 409]);
    // Refused for the units, having waited for the first to commit (not by a clash of numbers).
    expect(answers.find((answer) => answer.statusCode === 409)!.json()).toMatchObject({
      code: 'MCART_ERR_RETURN_QUANTITY',
      lines: [{ orderLineId: lineId, returnable: 0 }],
    });
  });
});

describe('staff', () => {
  let customer: SignedIn;
  let order: Order;
  let request: ReturnRequest;
  beforeAll(async () => {
    customer = await registerCustomer(app);
    order = await delivered(customer, [2]);
    request = (
      await ask(customer, order.id, {
        lines: [{ orderLineId: order.lines[0]!.id, quantity: 1 }],
        reason: 'damaged',
      })
    ).json<ReturnRequest>();
  });

  it('refuses illegal transitions with 409 MCART_ERR_ILLEGAL_TRANSITION, changing nothing', async () => {
    const early = await admin('POST', `/api/admin/return-requests/${request.id}/receive`, {});
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({
      code: 'MCART_ERR_ILLEGAL_TRANSITION',
      from: 'requested',
      to: 'received',
    });
    expect((await admin('GET', `/api/admin/return-requests/${request.id}`)).json()).toMatchObject({
      status: 'requested',
    });

    expect((await admin('POST', `/api/admin/return-requests/${request.id}/approve`, {})).statusCode).toBe(
      200,
    );
    const twice = await admin('POST', `/api/admin/return-requests/${request.id}/approve`, {});
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('MCART_ERR_ILLEGAL_TRANSITION');

    expect((await admin('POST', `/api/admin/return-requests/${request.id}/receive`)).statusCode).toBe(200);
    for (const [action, body] of [
      ['approve', {}],
      ['reject', { reason: 'too late' }],
      ['receive', {}],
    ] as const) {
      const response = await admin('POST', `/api/admin/return-requests/${request.id}/${action}`, body);
      expect(response.statusCode, action).toBe(409);
      expect(response.json()).toMatchObject({ code: 'MCART_ERR_ILLEGAL_TRANSITION', from: 'received' });
    }
    // Received once: the order's line counts one unit back, not two.
    expect((await orderOf(customer, order.id)).lines[0]).toMatchObject({ returnedQuantity: 1 });
  });

  it('needs a reason to reject, and answers 404 for an unknown request', async () => {
    const other = (
      await ask(customer, order.id, {
        lines: [{ orderLineId: order.lines[0]!.id, quantity: 1 }],
        reason: 'other',
      })
    ).json<ReturnRequest>();
    for (const body of [{}, { reason: '' }, { reason: '   ' }]) {
      const response = await admin('POST', `/api/admin/return-requests/${other.id}/reject`, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().errors).toEqual([expect.objectContaining({ path: 'body/reason' })]);
    }
    const unknown = await admin('POST', `/api/admin/return-requests/${randomUUID()}/approve`, {});
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('MCART_ERR_RETURN_REQUEST_NOT_FOUND');
    expect((await admin('GET', `/api/admin/return-requests/${randomUUID()}`)).statusCode).toBe(404);
  });

  it('reads with orders:read, decides with orders:write, receives with returns:receive: a manager lists them but gets 403 acting', async () => {
    const listed = await admin(
      'GET',
      `/api/admin/return-requests?orderId=${order.id}&sort=status&order=ASC`,
      undefined,
      manager,
    );
    expect(listed.statusCode).toBe(200);
    // The work's order: what waits for staff (requested) before what is done (received).
    expect(listed.json<{ data: ReturnRequest[] }>().data.map((r) => r.status)).toEqual([
      'requested',
      'received',
    ]);
    const pending = listed.json<{ data: ReturnRequest[] }>().data[0]!;
    for (const [action, body] of [
      ['approve', {}],
      ['reject', { reason: 'no' }],
      ['receive', {}],
    ] as const) {
      const response = await admin(
        'POST',
        `/api/admin/return-requests/${pending.id}/${action}`,
        body,
        manager,
      );
      expect(response.statusCode, action).toBe(403);
      expect(response.json().code).toBe('MCART_ERR_FORBIDDEN');
    }
    expect(
      (await admin('GET', `/api/admin/return-requests/${pending.id}`, undefined, manager)).json(),
    ).toMatchObject({
      status: 'requested',
    });
    // A customer's token is no staff token.
    const asCustomer = await app.inject({
      method: 'GET',
      url: '/api/admin/return-requests',
      headers: customer.auth,
    });
    expect(asCustomer.statusCode).toBe(401);
  });
});

describe('the returns desk (warehouse role)', () => {
  it('receives and restocks an approved return, but neither decides on requests nor refunds', async () => {
    const credentials = { email: 'returns-desk@mcart.test', password: 'a warehouse passphrase for returns' };
    const created = await app.inject({
      method: 'POST',
      url: '/api/admin/staff',
      headers: { authorization: owner },
      payload: { ...credentials, role: 'warehouse', firstName: 'W', lastName: 'Arehouse' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const desk = await staffToken(app, credentials);

    const customer = await registerCustomer(app);
    const order = await delivered(customer, [2]);
    const line = order.lines[0]!;
    const request = (
      await ask(customer, order.id, { lines: [{ orderLineId: line.id, quantity: 1 }], reason: 'damaged' })
    ).json<ReturnRequest>();
    for (const [action, body] of [
      ['approve', {}],
      ['reject', { reason: 'no' }],
    ] as const) {
      const refused = await admin('POST', `/api/admin/return-requests/${request.id}/${action}`, body, desk);
      expect(refused.statusCode, action).toBe(403);
    }
    expect((await admin('POST', `/api/admin/return-requests/${request.id}/approve`, {})).statusCode).toBe(
      200,
    );

    // Refunding is not the desk's: refused before anything changes.
    const withRefund = await admin(
      'POST',
      `/api/admin/return-requests/${request.id}/receive`,
      { refund: true },
      desk,
    );
    expect(withRefund.statusCode).toBe(403);
    expect(withRefund.json().code).toBe('MCART_ERR_FORBIDDEN');
    expect((await admin('GET', `/api/admin/return-requests/${request.id}`)).json()).toMatchObject({
      status: 'approved',
    });

    const stockBefore = await onHand(line.variantId);
    const received = await admin(
      'POST',
      `/api/admin/return-requests/${request.id}/receive`,
      { restock: true },
      desk,
    );
    expect(received.statusCode, received.body).toBe(200);
    expect(received.json()).toMatchObject({ status: 'received', restocked: true, refund: null });
    expect(await onHand(line.variantId)).toBe(stockBefore + 1);
    expect((await orderOf(customer, order.id)).lines[0]).toMatchObject({ returnedQuantity: 1 });
  });
});

describe('the order changed after the customer asked', () => {
  it('is not approved once the order can take no return (refunded in full): no return address is e-mailed', async () => {
    const customer = await registerCustomer(app);
    const order = await delivered(customer, [1]);
    const request = (
      await ask(customer, order.id, {
        lines: [{ orderLineId: order.lines[0]!.id, quantity: 1 }],
        reason: 'damaged',
      })
    ).json<ReturnRequest>();
    const total = (await admin('GET', `/api/admin/orders/${order.id}`)).json<{
      totals: { total: { amount: number } };
    }>().totals.total.amount;
    const refunded = await admin('POST', `/api/admin/orders/${order.id}/refund`, { amount: total });
    expect(refunded.statusCode, refunded.body).toBe(200);
    expect(refunded.json()).toMatchObject({ status: 'refunded' });

    // Approving would send the customer the return address for goods the order can no longer record as returned.
    const approved = await admin('POST', `/api/admin/return-requests/${request.id}/approve`, {
      note: 'Send it back',
    });
    expect(approved.statusCode).toBe(409);
    expect(approved.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(approved.json()).toMatchObject({ code: 'MCART_ERR_NOT_RETURNABLE', orderStatus: 'refunded' });
    expect((await admin('GET', `/api/admin/return-requests/${request.id}`)).json()).toMatchObject({
      status: 'requested',
      note: null,
      allowedTransitions: ['approved', 'rejected'],
    });
    expect((await mailsFor(customer.email)).map((mail) => mail.template)).not.toContain('return-approved');

    // Staff reject it instead, saying why.
    const rejected = await admin('POST', `/api/admin/return-requests/${request.id}/reject`, {
      reason: 'Your order was refunded in full already',
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
  });
});

describe('data rights (ADR 0048)', () => {
  it('exports the requests with the comment; an open request blocks erasure; erasure clears the comment', async () => {
    const customer = await registerCustomer(app);
    const order = await delivered(customer, [1]);
    const request = (
      await ask(customer, order.id, {
        lines: [{ orderLineId: order.lines[0]!.id, quantity: 1 }],
        reason: 'not_as_described',
        comment: 'Call me on +1 555 0199 before collecting',
      })
    ).json<ReturnRequest>();

    const exported = await store('GET', '/api/store/me/data-export', customer);
    expect(exported.statusCode, exported.body).toBe(200);
    expect(exported.json().orders[0].returnRequests).toEqual([
      expect.objectContaining({
        number: request.number,
        status: 'requested',
        reason: 'not_as_described',
        comment: 'Call me on +1 555 0199 before collecting',
        refunded: null,
        lines: [expect.objectContaining({ quantity: 1 })],
      }),
    ]);

    const erase = () => eraseSelf(app, customer);
    const blocked = await erase();
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json()).toMatchObject({
      code: 'MCART_ERR_ERASURE_BLOCKED',
      orders: [{ id: order.id, number: order.number, status: 'delivered', openReturnRequests: 1 }],
    });
    expect(blocked.json().detail).toContain('return open');

    expect((await admin('POST', `/api/admin/return-requests/${request.id}/approve`, {})).statusCode).toBe(
      200,
    );
    expect((await erase()).statusCode).toBe(409);
    expect((await admin('POST', `/api/admin/return-requests/${request.id}/receive`, {})).statusCode).toBe(
      200,
    );

    const erased = await erase();
    expect(erased.statusCode, erased.body).toBe(200);
    const kept = (await admin('GET', `/api/admin/return-requests/${request.id}`)).json<ReturnRequest>();
    expect(kept).toMatchObject({ status: 'received', reason: 'not_as_described', comment: null });
    expect(
      JSON.stringify(await rows(`SELECT * FROM return_request WHERE order_id = ?`, [order.id])),
    ).not.toContain('555 0199');
  });
});

describe('the customer withdraws a request before the goods arrive', () => {
  interface Withdrawn extends ReturnRequest {
    withdrawnAt: string | null;
    approvedAt: string | null;
    note: string | null;
  }
  const withdraw = (customer: SignedIn, orderId: string, requestId: string, payload?: object) =>
    store('POST', `/api/store/orders/${orderId}/return-requests/${requestId}/withdraw`, customer, payload);
  /** The request's row as stored, to show a refusal changed nothing (not even its version). */
  const stored = async (id: string) =>
    (await rows<Record<string, unknown>>(`SELECT * FROM return_request WHERE id = ?`, [id]))[0]!;
  const returnEvents = async (orderId: string) =>
    (
      await rows<{ message: string; actor_type: string }>(
        `SELECT message, actor_type FROM order_event WHERE order_id = ? AND kind = 'return' ORDER BY id`,
        [orderId],
      )
    ).map((event): [string, string] => [event.actor_type, event.message]);
  /** A delivered order of `units` units of one line, and a request for all of them. */
  async function asked(customer: SignedIn, units = 1) {
    const order = await delivered(customer, [units]);
    const response = await ask(customer, order.id, {
      lines: [{ orderLineId: order.lines[0]!.id, quantity: units }],
      reason: 'no_longer_needed',
      comment: 'Bought two by mistake',
    });
    expect(response.statusCode, response.body).toBe(201);
    return { order, request: response.json<ReturnRequest>() };
  }

  it('is the customer’s move only, before the goods arrive; a withdrawn request moves no further', () => {
    for (const status of RETURN_REQUEST_STATUSES) {
      expect(canMoveReturnRequest(status, 'withdrawn', 'staff'), status).toBe(false);
      expect(canMoveReturnRequest('withdrawn', status, 'staff'), status).toBe(false);
      expect(canMoveReturnRequest('withdrawn', status, 'customer'), status).toBe(false);
      // The customer only ever withdraws.
      if (status !== 'withdrawn') expect(canMoveReturnRequest('requested', status, 'customer')).toBe(false);
    }
    expect(canMoveReturnRequest('requested', 'withdrawn', 'customer')).toBe(true);
    expect(canMoveReturnRequest('approved', 'withdrawn', 'customer')).toBe(true);
    expect(canMoveReturnRequest('rejected', 'withdrawn', 'customer')).toBe(false);
    expect(canMoveReturnRequest('received', 'withdrawn', 'customer')).toBe(false);
  });

  it('withdraws a requested request: withdrawn, on the timeline and the live screens, no e-mail; its units may be asked for again', async () => {
    const customer = await registerCustomer(app);
    const { order, request } = await asked(customer, 2);
    const mailsBefore = (await mailsFor(customer.email)).map((mail) => mail.template).sort();

    // No body at all, as a button sends it.
    const response = await withdraw(customer, order.id, request.id);
    expect(response.statusCode, response.body).toBe(200);
    const withdrawn = response.json<Withdrawn>();
    expect(withdrawn).toMatchObject({
      id: request.id,
      number: request.number,
      status: 'withdrawn',
      comment: 'Bought two by mistake',
      allowedTransitions: [],
      approvedAt: null,
    });
    expect(Date.parse(withdrawn.withdrawnAt!)).toBeGreaterThan(Date.now() - 60_000);

    // As the store's list shows it.
    const mine = await store('GET', `/api/store/orders/${order.id}/return-requests`, customer);
    expect(mine.json<{ data: Withdrawn[] }>().data).toEqual([withdrawn]);

    expect(await returnEvents(order.id)).toEqual([
      ['customer', `Return ${request.number} requested: 2 item(s), no longer needed`],
      ['customer', `Return request ${request.number} withdrawn by the customer`],
    ]);
    const events = await rows<{ resource: string; type: string; payload: { event: string } }>(
      `SELECT resource, type, payload FROM outbox_event
        WHERE (resource = 'return-requests' AND ? = ANY(ids)) OR (resource = 'orders' AND payload->>'returnRequestId' = ?)
        ORDER BY id`,
      [request.id, request.id],
    );
    expect(events.map((event) => [event.resource, event.type, event.payload.event])).toEqual([
      ['return-requests', 'created', 'return_requested'],
      ['orders', 'updated', 'return_requested'],
      ['return-requests', 'updated', 'return_withdrawn'],
      ['orders', 'updated', 'return_withdrawn'],
    ]);
    // The customer did it themselves: nothing is e-mailed.
    expect((await mailsFor(customer.email)).map((mail) => mail.template).sort()).toEqual(mailsBefore);

    // A withdrawn request is not open: its units may be asked for again.
    const again = await ask(customer, order.id, {
      lines: [{ orderLineId: order.lines[0]!.id, quantity: 2 }],
      reason: 'damaged',
    });
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json()).toMatchObject({ number: `${order.number}-R2`, status: 'requested' });
  });

  it('withdraws an approved request (the goods were not sent): an empty body is fine, the approval stays on record', async () => {
    const customer = await registerCustomer(app);
    const { order, request } = await asked(customer);
    expect(
      (await admin('POST', `/api/admin/return-requests/${request.id}/approve`, { note: 'Use the blue box' }))
        .statusCode,
    ).toBe(200);
    const response = await withdraw(customer, order.id, request.id, {});
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      status: 'withdrawn',
      note: 'Use the blue box',
      approvedAt: expect.any(String),
      withdrawnAt: expect.any(String),
      allowedTransitions: [],
    });
    const again = await ask(customer, order.id, {
      lines: [{ orderLineId: order.lines[0]!.id, quantity: 1 }],
      reason: 'other',
    });
    expect(again.statusCode, again.body).toBe(201);
  });

  it('refuses to withdraw a rejected, received or withdrawn request with 409, changing nothing', async () => {
    const customer = await registerCustomer(app);
    const order = await delivered(customer, [3]);
    const askOne = () => askOneUnit(customer, order);
    const rejected = await askOne();
    expect(
      (await admin('POST', `/api/admin/return-requests/${rejected.id}/reject`, { reason: 'Worn' }))
        .statusCode,
    ).toBe(200);
    const received = await askOne();
    expect((await admin('POST', `/api/admin/return-requests/${received.id}/approve`)).statusCode).toBe(200);
    expect((await admin('POST', `/api/admin/return-requests/${received.id}/receive`)).statusCode).toBe(200);
    const withdrawn = await askOne();
    expect((await withdraw(customer, order.id, withdrawn.id)).statusCode).toBe(200);
    const timeline = await returnEvents(order.id);

    for (const [request, from] of [
      [rejected, 'rejected'],
      [received, 'received'],
      [withdrawn, 'withdrawn'],
    ] as const) {
      const before = await stored(request.id);
      const response = await withdraw(customer, order.id, request.id);
      expect(response.statusCode, from).toBe(409);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({ code: 'MCART_ERR_ILLEGAL_TRANSITION', from, to: 'withdrawn' });
      expect(await stored(request.id), from).toEqual(before);
    }
    expect(await returnEvents(order.id)).toEqual(timeline);
  });

  it("is not found on another customer's order, nor for a request of another order, learning nothing", async () => {
    const customer = await registerCustomer(app);
    const { order, request } = await asked(customer);
    const other = await registerCustomer(app);
    const before = await stored(request.id);
    const problem = (response: { statusCode: number; json: () => Record<string, unknown> }) => {
      const { code, title, detail, status } = response.json();
      return { statusCode: response.statusCode, code, title, detail, status };
    };

    // Someone else's order: exactly what the other store routes answer for it.
    const asOther = problem(await withdraw(other, order.id, request.id));
    expect(asOther).toMatchObject({ statusCode: 404, code: 'MCART_ERR_ORDER_NOT_FOUND' });
    expect(problem(await store('GET', `/api/store/orders/${order.id}/return-requests`, other))).toEqual(
      asOther,
    );
    expect(problem(await withdraw(other, randomUUID(), request.id))).toEqual(asOther);
    expect(problem(await withdraw(other, order.id, randomUUID()))).toEqual(asOther);

    // Their own order with someone else's request: the same as a request that does not exist.
    const theirs = await asked(other);
    const foreign = problem(await withdraw(other, theirs.order.id, request.id));
    expect(foreign).toMatchObject({ statusCode: 404, code: 'MCART_ERR_RETURN_REQUEST_NOT_FOUND' });
    expect(problem(await withdraw(other, theirs.order.id, randomUUID()))).toEqual(foreign);
    // The owner naming their request under another order of theirs: not found either.
    const elsewhere = await placeOrder(customer, [1]);
    expect(problem(await withdraw(customer, elsewhere.id, request.id))).toEqual(foreign);

    expect(await stored(request.id)).toEqual(before);
    // A staff token is no customer token.
    expect(
      (
        await app.inject({
          method: 'POST',
          url: `/api/store/orders/${order.id}/return-requests/${request.id}/withdraw`,
          headers: { authorization: owner },
        })
      ).statusCode,
    ).toBe(401);
    expect(await stored(request.id)).toEqual(before);
  });

  it('refuses an id that is not a uuid, or a body, with 400 naming the field', async () => {
    const customer = await registerCustomer(app);
    const { order, request } = await asked(customer);
    const cases: [string, string, object | undefined, string][] = [
      [order.id, 'R1', undefined, 'params/requestId'],
      ['MC-000001', request.id, undefined, 'params/id'],
      [order.id, request.id, { reason: 'changed my mind' }, 'body/reason'],
    ];
    for (const [orderId, requestId, payload, path] of cases) {
      const response = await withdraw(customer, orderId, requestId, payload);
      expect(response.statusCode, path).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({
        code: 'MCART_ERR_VALIDATION',
        errors: [expect.objectContaining({ path })],
      });
    }
    expect((await stored(request.id)).status).toBe('requested');
  });

  it('leaves staff nothing to do on a withdrawn request: approve, reject and receive are 409', async () => {
    const customer = await registerCustomer(app);
    const { order, request } = await asked(customer);
    const before = { ...(await stored(request.id)) };
    expect((await withdraw(customer, order.id, request.id)).statusCode).toBe(200);
    const after = await stored(request.id);
    expect(after).toMatchObject({ status: 'withdrawn', version: Number(before.version) + 1 });
    for (const [action, body] of [
      ['approve', {}],
      ['reject', { reason: 'too late' }],
      ['receive', {}],
    ] as const) {
      const response = await admin('POST', `/api/admin/return-requests/${request.id}/${action}`, body);
      expect(response.statusCode, action).toBe(409);
      expect(response.json()).toMatchObject({ code: 'MCART_ERR_ILLEGAL_TRANSITION', from: 'withdrawn' });
    }
    expect(await stored(request.id)).toEqual(after);
    expect((await orderOf(customer, order.id)).lines[0]).toMatchObject({ returnedQuantity: 0 });
  });

  it('a withdrawal racing staff receiving the goods: exactly one wins, and the rest agrees with it', async () => {
    for (let round = 0; round < 4; round++) {
      const customer = await registerCustomer(app);
      const { order, request } = await asked(customer);
      expect((await admin('POST', `/api/admin/return-requests/${request.id}/approve`)).statusCode).toBe(200);
      const variantId = order.lines[0]!.variantId;
      const stock = await onHand(variantId);

      const [withdrawal, receipt] = await Promise.all([
        withdraw(customer, order.id, request.id),
        admin('POST', `/api/admin/return-requests/${request.id}/receive`, { restock: true }),
      ]);
      expect([withdrawal.statusCode, receipt.statusCode].sort(), `round ${round}`).toEqual([200, 409]);
      const loser = withdrawal.statusCode === 409 ? withdrawal : receipt;
      expect(loser.json().code).toBe('MCART_ERR_ILLEGAL_TRANSITION');

      const final = (await admin('GET', `/api/admin/return-requests/${request.id}`)).json<Withdrawn>();
      const line = (await orderOf(customer, order.id)).lines[0]!;
      const timeline = (await returnEvents(order.id)).map(([, message]) => message);
      if (withdrawal.statusCode === 200) {
        expect(loser.json()).toMatchObject({ from: 'withdrawn', to: 'received' });
        expect(final).toMatchObject({ status: 'withdrawn', restocked: null });
        expect(line.returnedQuantity).toBe(0);
        expect(await onHand(variantId)).toBe(stock);
        expect(timeline.at(-1)).toBe(`Return request ${request.number} withdrawn by the customer`);
      } else {
        expect(loser.json()).toMatchObject({ from: 'received', to: 'withdrawn' });
        expect(final).toMatchObject({ status: 'received', restocked: true, withdrawnAt: null });
        expect(line.returnedQuantity).toBe(1);
        expect(await onHand(variantId)).toBe(stock + 1);
        expect(timeline.some((message) => message.includes('withdrawn'))).toBe(false);
      }
    }
  });

  it('staff filter by status=withdrawn; sort=status puts withdrawn after the ones still waiting and the finished', async () => {
    const customer = await registerCustomer(app);
    const order = await delivered(customer, [3]);
    const askOne = () => askOneUnit(customer, order);
    const withdrawn = await askOne();
    expect((await withdraw(customer, order.id, withdrawn.id)).statusCode).toBe(200);
    const rejected = await askOne();
    expect(
      (await admin('POST', `/api/admin/return-requests/${rejected.id}/reject`, { reason: 'No' })).statusCode,
    ).toBe(200);
    const waiting = await askOne();

    const filtered = await admin('GET', `/api/admin/return-requests?status=withdrawn&orderId=${order.id}`);
    expect(filtered.statusCode, filtered.body).toBe(200);
    expect(filtered.json()).toMatchObject({ total: 1, data: [{ id: withdrawn.id, status: 'withdrawn' }] });

    const sorted = await admin('GET', `/api/admin/return-requests?orderId=${order.id}&sort=status&order=ASC`);
    expect(sorted.json<{ data: ReturnRequest[] }>().data.map((r) => [r.id, r.status])).toEqual([
      [waiting.id, 'requested'],
      [rejected.id, 'rejected'],
      [withdrawn.id, 'withdrawn'],
    ]);
  });

  it('exports a withdrawn request with its status and time; being closed, it does not block erasure', async () => {
    const customer = await registerCustomer(app);
    const { order, request } = await asked(customer);
    expect((await withdraw(customer, order.id, request.id)).statusCode).toBe(200);

    const exported = await store('GET', '/api/store/me/data-export', customer);
    expect(exported.statusCode, exported.body).toBe(200);
    expect(exported.json().orders[0].returnRequests).toEqual([
      expect.objectContaining({
        number: request.number,
        status: 'withdrawn',
        comment: 'Bought two by mistake',
        withdrawnAt: expect.any(String),
        rejectedAt: null,
        receivedAt: null,
      }),
    ]);

    const erased = await eraseSelf(app, customer);
    expect(erased.statusCode, erased.body).toBe(200);
    // What the customer wrote goes; that they withdrew it, and when, stays with the anonymised order.
    expect(await stored(request.id)).toMatchObject({
      status: 'withdrawn',
      comment: null,
      withdrawn_at: expect.any(String),
    });
  });
});

describe('the withdrawn status migration', () => {
  it('migrates down (a withdrawn request becomes one rejected on the customer’s word) and up again', async () => {
    const database = await createTestDatabase();
    const orm = await createOrm({ url: database.url, poolMax: 2, entities: [] });
    const sql = <T>(text: string, params: unknown[] = []) => orm.em.fork().execute<T[]>(text, params);
    try {
      const [order] = await sql<{ id: string }>(
        `INSERT INTO orders (id, number, status, email, currency, subtotal, total, shipping_address)
         VALUES (gen_random_uuid(), 'MC-WD-1', 'delivered', 'wd@mcart.test', 'USD', 0, 0, 'sealed') RETURNING id`,
      );
      await sql(
        `INSERT INTO return_request (number, order_id, status, reason, withdrawn_at)
         VALUES ('MC-WD-1-R1', ?, 'withdrawn', 'other', '2026-12-11T10:00:00Z'), ('MC-WD-1-R2', ?, 'requested', 'other', NULL)`,
        [order!.id, order!.id],
      );
      // The status carries its time, and only it.
      await expect(
        sql(`UPDATE return_request SET withdrawn_at = NULL WHERE number = 'MC-WD-1-R1'`),
      ).rejects.toThrow(/return_request_withdrawn_when/);
      await expect(
        sql(`UPDATE return_request SET withdrawn_at = now() WHERE number = 'MC-WD-1-R2'`),
      ).rejects.toThrow(/return_request_withdrawn_when/);
      await expect(
        sql(`UPDATE return_request SET status = 'cancelled' WHERE number = 'MC-WD-1-R2'`),
      ).rejects.toThrow(/return_request_status_check/);

      await orm.getMigrator().down({ migrations: ['Migration20261211000000ReturnRequestWithdrawn'] });
      expect(
        await sql(`SELECT number, status, rejection_reason, rejected_at FROM return_request ORDER BY number`),
      ).toEqual([
        {
          number: 'MC-WD-1-R1',
          status: 'rejected',
          rejection_reason: 'Withdrawn by the customer',
          rejected_at: expect.stringMatching(/^2026-12-11T10:00:00/),
        },
        { number: 'MC-WD-1-R2', status: 'requested', rejection_reason: null, rejected_at: null },
      ]);
      await expect(
        sql(`UPDATE return_request SET status = 'withdrawn' WHERE number = 'MC-WD-1-R2'`),
      ).rejects.toThrow(/return_request_status_check/);

      await orm.getMigrator().up();
      await sql(
        `UPDATE return_request SET status = 'withdrawn', withdrawn_at = now() WHERE number = 'MC-WD-1-R2'`,
      );
      expect(
        (await sql<{ status: string }>(`SELECT status FROM return_request WHERE number = 'MC-WD-1-R2'`))[0],
      ).toEqual({ status: 'withdrawn' });
    } finally {
      await orm.close(true);
      await database.drop();
    }
  }, 90_000);
});
