import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { staffToken, useTestApp } from './app.ts';
import { startSmtpServer } from './support/smtp.ts';
import { orderFixtures } from './support/orders.ts';
import { MAX_MAIL_ATTEMPTS } from '../src/modules/notifications/mailer.ts';

/*
 * GET /api/admin/outgoing-mail and POST /api/admin/outgoing-mail/{id}/retry (ADR 0071): with SMTP configured the
 * local mailbox is empty, and staff saw nothing of a customer's confirmation that never went out.
 */
const smtp = await startSmtpServer();
afterAll(() => smtp.close());
const { app, config } = await useTestApp({ SMTP_URL: smtp.url, MAIL_FROM: 'Shop <shop@corner.test>' });
const em = () => app.orm.em.fork() as EntityManager;
const owner = await staffToken(app);
const fixtures = orderFixtures(app, config, owner);

const tokens = new Map<string, Promise<string>>();
const tokenFor = (role: string): Promise<string> => {
  if (!tokens.has(role)) tokens.set(role, newStaffToken(role));
  return tokens.get(role)!;
};
async function newStaffToken(role: string): Promise<string> {
  const body = {
    email: `mail-${role}@mcart.test`,
    password: `passphrase for the ${role} role`,
    role,
    firstName: 'M',
    lastName: role,
  };
  const created = await app.inject({
    method: 'POST',
    url: '/api/admin/staff',
    headers: { authorization: owner },
    payload: body,
  });
  if (created.statusCode !== 201) throw new Error(`cannot create ${role}: ${created.body}`);
  return staffToken(app, { email: body.email, password: body.password });
}

interface MailView {
  id: string;
  template: string;
  status: string;
  attempts: number;
  lastError: string | null;
  to: string | null;
  orderNumber: string | null;
  orderId: string | null;
  createdAt: string;
  nextAttemptAt: string | null;
  sentAt: string | null;
}

const list = async (query: string, authorization = owner) => {
  const response = await app.inject({
    method: 'GET',
    url: `/api/admin/outgoing-mail${query}`,
    headers: { authorization },
  });
  return response;
};
const listed = async (query: string) => {
  const response = await list(query);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ data: MailView[]; total: number }>();
};
const retry = (id: string, authorization = owner, payload?: unknown) =>
  app.inject({
    method: 'POST',
    url: `/api/admin/outgoing-mail/${id}/retry`,
    headers: { authorization },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

let order: { id: string; number: string };
let other: { id: string; number: string };
let failedId: string;
/** Every e-mail queued: the two confirmations, the two invoices, the reset. */
let queued: number;

beforeAll(async () => {
  const product = await fixtures.product([{ weightGrams: 300 }]);
  // Two paid orders: their confirmations are queued by the notifications consumer.
  order = await fixtures.order([{ variantId: product.variants[0]!.id, quantity: 1 }], {
    email: 'bounce@example.test',
  });
  other = await fixtures.order([{ variantId: product.variants[0]!.id, quantity: 1 }], {
    email: 'fine@example.test',
  });
  await app.outbox.drain();
  // A sign-in e-mail too (no order): sent at once.
  await em().transactional(async (tx) => {
    app.mailer.queue(tx, {
      template: 'password-reset',
      to: 'reset@example.test',
      data: { resetUrl: 'https://shop.test/reset/secret-token' },
    });
  });
  // The relay refuses every attempt at the first order's confirmation: given up after the last one.
  smtp.rejectNext(MAX_MAIL_ATTEMPTS, (raw) => raw.includes(`Subject: Order ${order.number} confirmed`));
  const rows = await em().execute<{ id: string; template: string }[]>(
    `SELECT id, template FROM outgoing_mail`,
  );
  for (const row of rows) {
    for (let attempt = 0; attempt < MAX_MAIL_ATTEMPTS; attempt++) {
      const result = await app.mailer.send(em(), row.id).catch(() => 'failed');
      if (result !== 'failed') break;
    }
  }
  const [failed] = await em().execute<{ id: string }[]>(
    `SELECT id FROM outgoing_mail WHERE status = 'failed'`,
  );
  failedId = failed!.id;
  queued = (await em().execute<{ id: string }[]>(`SELECT id FROM outgoing_mail`)).length;
});

describe('GET /api/admin/outgoing-mail', () => {
  it('lists every e-mail newest first, with its recipient, its order and how it fared', async () => {
    const all = await listed('');
    expect(queued).toBe(5);
    expect(all.total).toBe(queued);
    const created = all.data.map((mail) => mail.createdAt);
    expect([...created].sort().reverse()).toEqual(created);
    const failed = all.data.find((mail) => mail.id === failedId)!;
    expect(failed).toMatchObject({
      template: 'order-confirmation',
      status: 'failed',
      attempts: MAX_MAIL_ATTEMPTS,
      to: 'bounce@example.test',
      orderNumber: order.number,
      orderId: order.id,
      nextAttemptAt: null,
      sentAt: null,
    });
    expect(failed.lastError).toMatch(/busy/i);
    expect(failed.lastError).not.toContain('@');
    const reset = all.data.find((mail) => mail.template === 'password-reset')!;
    expect(reset).toMatchObject({
      status: 'sent',
      to: 'reset@example.test',
      orderNumber: null,
      orderId: null,
    });
    expect(reset.sentAt).not.toBeNull();
    // Never the e-mail's text or links: a reset link is the customer's account.
    expect(JSON.stringify(all)).not.toContain('secret-token');
  });

  it('filters by status, template and order (id or number), and pages with the total', async () => {
    const failed = await listed('?status=failed');
    expect(failed).toEqual({ data: [expect.objectContaining({ id: failedId })], total: 1 });
    expect((await listed('?status=sent')).total).toBe(queued - 1);
    expect((await listed('?status=pending')).total).toBe(0);
    const confirmations = await listed('?template=order-confirmation');
    expect(confirmations.total).toBe(2);
    expect(confirmations.data.every((mail) => mail.template === 'order-confirmation')).toBe(true);

    // The confirmation and the invoice of the other order.
    const byId = await listed(`?orderId=${other.id}`);
    expect(byId.data.map((mail) => mail.template).sort()).toEqual(['invoice-issued', 'order-confirmation']);
    for (const mail of byId.data)
      expect(mail).toMatchObject({ orderNumber: other.number, orderId: other.id, to: 'fine@example.test' });
    const byNumber = await listed(`?orderNumber=${order.number.toLowerCase()}&status=failed`);
    expect(byNumber.data.map((mail) => mail.id)).toEqual([failedId]);
    // Its invoice went out; only its confirmation bounced.
    const sentOfOrder = await listed(`?orderNumber=${order.number}&status=sent`);
    expect(sentOfOrder.data.map((mail) => mail.template)).toEqual(['invoice-issued']);
    expect((await listed(`?orderId=${order.id}&orderNumber=${other.number}`)).total).toBe(0);
    expect((await listed(`?orderId=${randomUUID()}`)).total).toBe(0);

    const first = await listed('?perPage=3&page=1');
    const second = await listed('?perPage=3&page=2');
    expect([first.total, second.total]).toEqual([queued, queued]);
    expect(first.data).toHaveLength(3);
    expect(second.data).toHaveLength(queued - 3);
    expect(new Set([...first.data, ...second.data].map((mail) => mail.id)).size).toBe(queued);
    // Paging the e-mails of one order too.
    const ofOrder = await listed(`?orderNumber=${other.number}&perPage=1&page=2`);
    expect(ofOrder.total).toBe(2);
    expect(ofOrder.data).toHaveLength(1);
    const oldest = await listed('?sort=createdAt&order=ASC&perPage=1');
    expect(oldest.data[0]!.id).toBe(second.data.at(-1)!.id);
  });

  it('refuses bad filters with problem+json naming the field', async () => {
    for (const [query, path] of [
      ['?status=bounced', 'querystring/status'],
      ['?template=nope', 'querystring/template'],
      ['?orderId=42', 'querystring/orderId'],
      ['?orderNumber=MC%0A1', 'querystring/orderNumber'],
      ['?perPage=501', 'querystring/perPage'],
      ['?sort=to', 'querystring/sort'],
      ['?colour=red', 'querystring'],
    ]) {
      const response = await list(query!);
      expect(response.statusCode, query).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({ code: 'MCART_ERR_VALIDATION' });
      expect(
        response.json<{ errors: { path: string }[] }>().errors.map((e) => e.path),
        query,
      ).toContainEqual(expect.stringContaining(path!));
    }
  });

  it('is for staff who may read customers: 403 for the warehouse', async () => {
    const warehouse = await tokenFor('warehouse');
    const refused = await list('?status=failed', warehouse);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'MCART_ERR_FORBIDDEN' });
    expect((await list('', await tokenFor('support'))).statusCode).toBe(200);
  });
});

describe('POST /api/admin/outgoing-mail/{id}/retry', () => {
  it('queues a failed e-mail again (pending, due now, attempts from 0); it is then sent, and audited', async () => {
    // Sending to a customer again is for owners and admins (customers:write), not for support.
    const refused = await retry(failedId, await tokenFor('support'));
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'MCART_ERR_FORBIDDEN' });

    const response = await retry(failedId);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      id: failedId,
      status: 'pending',
      attempts: 0,
      to: 'bounce@example.test',
      orderId: order.id,
    });
    expect(response.json<MailView>().nextAttemptAt).not.toBeNull();
    // Its send job is asked for when the retry commits (the mail-dispatch consumer, jobs being on).
    const [event] = await em().execute<{ ids: string[]; payload: { retried?: boolean } }[]>(
      `SELECT ids, payload FROM outbox_event WHERE resource = 'outgoing_mail' ORDER BY id DESC LIMIT 1`,
    );
    expect(event).toMatchObject({ ids: [failedId], payload: { retried: true } });

    // The sweep (due now) sends it through the relay, which takes it this time.
    expect(await app.mailer.sendPending(em())).toBe(1);
    const confirmed = `Subject: Order ${order.number} confirmed`;
    expect(smtp.received.filter((mail) => mail.raw.includes(confirmed))).toHaveLength(1);
    const [after] = (await listed(`?orderId=${order.id}&template=order-confirmation`)).data;
    expect(after).toMatchObject({ status: 'sent', attempts: 1, lastError: null });

    const [entry] = await em().execute<
      { action: string; status: number; details: Record<string, unknown> }[]
    >(`SELECT action, status, details FROM audit_entry WHERE action = 'mail.retried'`);
    expect(entry).toMatchObject({
      status: 200,
      details: { template: 'order-confirmation', previousAttempts: MAX_MAIL_ATTEMPTS },
    });
  });

  it('answers 409 problem+json for an e-mail that is not failed, 404 for an unknown one, 400 for a body', async () => {
    const conflict = await retry(failedId);
    expect(conflict.statusCode).toBe(409);
    expect(conflict.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(conflict.json()).toMatchObject({ code: 'MCART_ERR_MAIL_NOT_FAILED', mailStatus: 'sent' });

    const missing = await retry(randomUUID());
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'MCART_ERR_MAIL_NOT_FOUND' });

    const badId = await retry('not-a-uuid');
    expect(badId.statusCode).toBe(400);
    expect(badId.json()).toMatchObject({ code: 'MCART_ERR_VALIDATION', errors: [{ path: 'params/id' }] });

    const withBody = await retry(failedId, owner, { attempts: 0 });
    expect(withBody.statusCode).toBe(400);
    expect(withBody.json()).toMatchObject({ code: 'MCART_ERR_VALIDATION' });
    expect(withBody.json<{ errors: { path: string }[] }>().errors[0]!.path).toContain('body');
  });
});
