import { createHash, randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { staffToken, useTestApp } from '../../../test/app.ts';
import {
  queuedMail,
  registerCustomer,
  verifyEmailOf,
  type SignedIn,
} from '../../../test/identity/helpers.ts';
import { commerceFixtures } from '../cart/test-helpers.ts';
import { CustomerIdentitySchema } from './customer.entity.ts';
import { CustomersService } from './customers.service.ts';
import { SessionsService } from './sessions.service.ts';
import { ERASURE_TEMPLATE } from './erasure-mail.ts';
import { CustomerDataService } from './customer-data.service.ts';
import { AuditService } from '../audit/audit.service.ts';

/** A customer's data rights end to end (ADR 0048): export, erasure by the customer and by staff. */
const { app, databaseUrl, config } = await useTestApp();
let owner: string;
let fixtures: ReturnType<typeof commerceFixtures>;
const staff = {} as Record<'admin' | 'manager' | 'support', string>;

beforeAll(async () => {
  owner = await staffToken(app);
  fixtures = commerceFixtures(app, owner);
  for (const role of ['admin', 'manager', 'support'] as const) {
    const credentials = { email: `erase-${role}@mcart.test`, password: `a ${role} passphrase for erasure` };
    const created = await app.inject({
      method: 'POST',
      url: '/api/admin/staff',
      headers: { authorization: owner },
      payload: { ...credentials, role, firstName: 'E', lastName: role },
    });
    if (created.statusCode !== 201) throw new Error(created.body);
    staff[role] = await staffToken(app, credentials);
  }
});

const PHONE = '+33 6 98 76 54 32';
const ADDRESS = {
  name: 'Grace Hopper',
  line1: '7 Compiler Lane',
  company: 'Navy Research Lab',
  city: 'Arlington',
  region: 'VA',
  postalCode: '22201',
  country: 'US',
  phone: '+1 703 555 0100',
};

const em = () => app.orm.em.fork() as EntityManager;
const rows = <T>(sql: string, params: unknown[] = []) => em().execute<T[]>(sql, params);

/** A registered customer with a phone and a saved address. */
async function customerWithData(): Promise<SignedIn> {
  const customer = await registerCustomer(app);
  await app.inject({
    method: 'PATCH',
    url: '/api/store/me',
    headers: customer.auth,
    payload: { phone: PHONE },
  });
  const address = await app.inject({
    method: 'POST',
    url: '/api/store/me/addresses',
    headers: customer.auth,
    payload: ADDRESS,
  });
  expect(address.statusCode).toBe(201);
  return customer;
}

/** A paid order of the signed-in customer: their cart, the test gateway's tok_visa (card 4242). */
async function placeOrder(customer: SignedIn): Promise<{ id: string; number: string }> {
  const product = await fixtures.product([1_500]);
  const cartId = await fixtures.cart(customer.auth.authorization);
  expect(
    (await fixtures.add(cartId, product.variants[0]!.id, 2, customer.auth.authorization)).statusCode,
  ).toBe(200);
  const response = await app.inject({
    method: 'POST',
    url: `/api/store/carts/${cartId}/checkout`,
    headers: { ...customer.auth, 'idempotency-key': randomUUID() },
    payload: {
      email: customer.email,
      shippingAddress: ADDRESS,
      payment: { provider: 'test', token: 'tok_visa' },
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  const order = response.json<{ order: { id: string; number: string; status: string } }>().order;
  expect(order.status).toBe('paid');
  return order;
}

const adminPost = (url: string, payload?: object, auth = owner) =>
  app.inject({ method: 'POST', url, headers: { authorization: auth }, ...(payload ? { payload } : {}) });

/** Ships the whole order with a label (tracking) and marks it delivered. */
async function deliver(orderId: string): Promise<string> {
  const shipment = await adminPost(`/api/admin/orders/${orderId}/shipments`, {
    package: { weightGrams: 800 },
  });
  expect(shipment.statusCode, shipment.body).toBe(201);
  for (const status of ['shipped', 'delivered']) {
    const moved = await adminPost(`/api/admin/orders/${orderId}/transition`, { status });
    expect(moved.statusCode, moved.body).toBe(200);
  }
  return shipment.json<{ trackingNumber: string }>().trackingNumber;
}

const erase = (customer: { auth: { authorization: string } }, payload?: object) =>
  app.inject({
    method: 'DELETE',
    url: '/api/store/me',
    headers: customer.auth,
    ...(payload ? { payload } : {}),
  });

const exportOf = (customer: { auth: { authorization: string } }) =>
  app.inject({ method: 'GET', url: '/api/store/me/data-export', headers: customer.auth });

/** What identity holds about a customer id, row counts by table. */
async function identityRows(customerId: string) {
  const [row] = await rows<Record<string, string>>(
    `SELECT (SELECT count(*) FROM customer WHERE id = ?) AS customer,
            (SELECT count(*) FROM customer_address WHERE customer_id = ?) AS addresses,
            (SELECT count(*) FROM customer_identity WHERE customer_id = ?) AS identities,
            (SELECT count(*) FROM account_token WHERE customer_id = ?) AS tokens,
            (SELECT count(*) FROM auth_session WHERE subject_id = ?) AS sessions,
            (SELECT count(*) FROM orders WHERE customer_id = ?) AS orders,
            (SELECT count(*) FROM cart WHERE customer_id = ?) AS carts`,
    Array(7).fill(customerId),
  );
  return Object.fromEntries(Object.entries(row!).map(([key, value]) => [key, Number(value)]));
}

/** A customer created by a social sign-in (no password), with a session started `ageSeconds` ago. */
async function socialOnlyCustomer(ageSeconds = 0) {
  const fork = em();
  const customer = await new CustomersService(fork, app.cipher).register({
    email: `social-${randomUUID()}@example.test`,
    password: null,
    firstName: 'Sol',
    lastName: 'Cial',
    emailVerified: true,
  });
  fork.create(CustomerIdentitySchema, {
    customerId: customer.id,
    provider: 'facebook',
    subject: `fb-subject-${randomUUID()}`,
    email: customer.email,
  });
  await fork.flush();
  const { familyId, refreshToken } = await new SessionsService(fork, config.auth.sessionMaxSeconds).start(
    'customer',
    customer.id,
    {
      userAgent: 'SocialPhone/1.0',
      ip: '203.0.113.9',
    },
  );
  if (ageSeconds)
    await fork.execute(
      `UPDATE auth_session SET created_at = now() - make_interval(secs => ?) WHERE family_id = ?`,
      [ageSeconds, familyId],
    );
  const accessToken = app.signAccessToken({ sub: customer.id, kind: 'customer', sid: familyId });
  return {
    id: customer.id,
    email: customer.email!,
    refreshToken,
    auth: { authorization: `Bearer ${accessToken}` },
  };
}

describe('GET /api/store/me/data-export', () => {
  it('holds the profile, addresses, orders with payments and shipments, sessions; never a secret', async () => {
    const customer = await customerWithData();
    const order = await placeOrder(customer);
    const trackingNumber = await deliver(order.id);
    // An open cart, and a pending e-mail verification token (the registration's).
    const cartId = await fixtures.cart(customer.auth.authorization);
    const variant = (await fixtures.product([990])).variants[0]!.id;
    await fixtures.add(cartId, variant, 3, customer.auth.authorization);

    await app.outbox.drain(); // the invoice is issued from the order's paid event

    const response = await exportOf(customer);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="personal-data-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    const document = response.json();
    expect(document).toMatchObject({
      format: 'mcart.customer-data.v1',
      customer: {
        id: customer.id,
        email: customer.email,
        firstName: 'Ada',
        phone: PHONE,
        hasPassword: true,
      },
      identities: [],
      addresses: [expect.objectContaining({ line1: ADDRESS.line1, postalCode: ADDRESS.postalCode })],
      orders: [
        {
          id: order.id,
          number: order.number,
          status: 'delivered',
          email: customer.email,
          shippingAddress: expect.objectContaining({
            name: ADDRESS.name,
            company: ADDRESS.company,
            line1: ADDRESS.line1,
            region: 'VA',
          }),
          lines: [expect.objectContaining({ quantity: 2, unitPrice: { amount: 1_500, currency: 'USD' } })],
          payments: [expect.objectContaining({ status: 'captured', cardBrand: 'visa', cardLast4: '4242' })],
          shipments: [
            expect.objectContaining({
              trackingNumber,
              recipient: expect.objectContaining({ line1: ADDRESS.line1 }),
              tracking: expect.arrayContaining([expect.objectContaining({ status: 'label_created' })]),
            }),
          ],
          statusHistory: expect.arrayContaining([expect.objectContaining({ to: 'delivered' })]),
        },
      ],
      invoices: [
        {
          id: expect.any(String),
          kind: 'invoice',
          number: expect.stringMatching(/^INV-\d{4}-\d{6}$/),
          orderId: order.id,
          orderNumber: order.number,
          issuedAt: expect.any(String),
          total: { amount: expect.any(Number), currency: 'USD' },
          tax: { amount: expect.any(Number), currency: 'USD' },
          corrects: null,
        },
      ],
      carts: [{ status: 'open', items: [expect.objectContaining({ variantId: variant, quantity: 3 })] }],
      sessions: [expect.objectContaining({ active: true, ips: ['127.0.0.1'] })],
      consents: [],
    });

    // No secret of any kind: password (or its hash), tokens, token hashes, gateway ids, the cart id.
    const text = response.body;
    const secrets = await rows<{ value: string }>(
      `SELECT token_hash AS value FROM auth_session WHERE subject_id = ?
       UNION ALL SELECT token_hash FROM account_token WHERE customer_id = ?
       UNION ALL SELECT provider_ref FROM payment WHERE order_id = ? AND provider_ref IS NOT NULL
       UNION ALL SELECT password_hash FROM customer WHERE id = ?`,
      [customer.id, customer.id, order.id, customer.id],
    );
    expect(secrets.length).toBeGreaterThanOrEqual(4);
    for (const secret of [
      ...secrets.map((s) => s.value),
      customer.password,
      customer.refreshToken,
      customer.accessToken,
      cartId,
      '$argon2',
    ])
      expect(text).not.toContain(secret);
    expect(text).not.toMatch(/passwordHash|tokenHash|clientSecret|providerRef/i);
  });

  it('lists linked social accounts by provider and date, without their subject', async () => {
    const customer = await socialOnlyCustomer();
    const document = (await exportOf(customer)).json();
    expect(document.customer).toMatchObject({ hasPassword: false, email: customer.email });
    expect(document.identities).toEqual([
      { provider: 'facebook', email: customer.email, linkedAt: expect.any(String) },
    ]);
    expect(JSON.stringify(document)).not.toContain('fb-subject-'); // the subject; an e-mail's random uuid may hold "fb-"
    expect(document.sessions).toEqual([
      expect.objectContaining({ userAgents: ['SocialPhone/1.0'], ips: ['203.0.113.9'] }),
    ]);
  });

  it('is rate limited: 5 exports an hour, then 429 with Retry-After', async () => {
    const customer = await registerCustomer(app);
    for (let i = 0; i < 5; i++) expect((await exportOf(customer)).statusCode).toBe(200);
    const refused = await exportOf(customer);
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ code: 'MCART_ERR_RATE_LIMITED' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('needs a signed-in customer', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/store/me/data-export' });
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});

describe('DELETE /api/store/me', () => {
  it('refuses a wrong or missing password with a stable code, and changes nothing', async () => {
    const customer = await customerWithData();
    const before = await identityRows(customer.id);

    const wrong = await erase(customer, { password: 'not my password at all' });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(wrong.json()).toMatchObject({
      code: 'MCART_ERR_WRONG_PASSWORD',
      errors: [{ path: 'body/password', message: 'is wrong' }],
    });
    const missing = await erase(customer);
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({
      code: 'MCART_ERR_PASSWORD_REQUIRED',
      errors: [{ path: 'body/password' }],
    });
    const unknownField = await erase(customer, { password: customer.password, confirm: true });
    expect(unknownField.statusCode).toBe(400);
    expect(unknownField.json().code).toBe('MCART_ERR_VALIDATION');

    expect(await identityRows(customer.id)).toEqual(before);
    expect((await app.inject({ url: '/api/store/me', headers: customer.auth })).statusCode).toBe(200);
    const login = await app.inject({
      method: 'POST',
      url: '/api/store/auth/login',
      payload: { email: customer.email, password: customer.password },
    });
    expect(login.statusCode).toBe(200);
    const audit = await rows(`SELECT 1 FROM audit_entry WHERE details->>'customerId' = ?`, [customer.id]);
    expect(audit).toEqual([]);
  });

  it('password guesses share the password change’s limit: no second budget through DELETE /me', async () => {
    // A stolen access token must not buy twice the guesses: 10 through the password change, then this route.
    const customer = await registerCustomer(app);
    for (let i = 0; i < 10; i++) {
      const change = await app.inject({
        method: 'POST',
        url: '/api/store/me/password',
        headers: customer.auth,
        payload: { currentPassword: `guess number ${i}`, newPassword: 'a whole new passphrase here' },
      });
      expect(change.statusCode).toBe(403);
    }
    const refused = await erase(customer, { password: 'guess number 10' });
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.json().code).toBe('MCART_ERR_RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Not even the right password gets through while the limit holds; nothing was erased.
    expect((await erase(customer, { password: customer.password })).statusCode).toBe(429);
    expect((await identityRows(customer.id)).customer).toBe(1);
  });

  it('is refused with 409 while an order is in progress, naming it; nothing changes', async () => {
    const customer = await customerWithData();
    const order = await placeOrder(customer);
    const before = await identityRows(customer.id);

    const refused = await erase(customer, { password: customer.password });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'MCART_ERR_ERASURE_BLOCKED',
      orders: [{ id: order.id, number: order.number, status: 'paid' }],
    });
    expect(refused.json().detail).toContain(order.number);
    expect(await identityRows(customer.id)).toEqual(before);
    const [kept] = await rows<{ email: string }>(`SELECT email FROM orders WHERE id = ?`, [order.id]);
    expect(kept!.email).toBe(customer.email);
  });

  it('after delivery: erases the account, keeps the order for the books without the person', async () => {
    const customer = await customerWithData();
    await verifyEmailOf(app, databaseUrl, customer); // the confirmation goes to proven addresses only
    const order = await placeOrder(customer);
    await deliver(order.id);
    const cartId = await fixtures.cart(customer.auth.authorization);
    await fixtures.add(
      cartId,
      (await fixtures.product([500])).variants[0]!.id,
      1,
      customer.auth.authorization,
    );

    const erased = await erase(customer, { password: customer.password });
    expect(erased.statusCode, erased.body).toBe(200);
    expect(erased.json()).toEqual({
      customerId: customer.id,
      erasedAt: expect.any(String),
      ordersAnonymised: 1,
    });

    // The account is gone: no sign-in, no token, no refresh; every identity row deleted, the open cart too.
    expect((await app.inject({ url: '/api/store/me', headers: customer.auth })).statusCode).toBe(401);
    const login = await app.inject({
      method: 'POST',
      url: '/api/store/auth/login',
      payload: { email: customer.email, password: customer.password },
    });
    expect(login.statusCode).toBe(401);
    const refresh = await app.inject({
      method: 'POST',
      url: '/api/store/auth/refresh',
      payload: { refreshToken: customer.refreshToken },
    });
    expect(refresh.statusCode).toBe(401);
    expect(await identityRows(customer.id)).toEqual({
      customer: 0,
      addresses: 0,
      identities: 0,
      tokens: 0,
      sessions: 0,
      orders: 0,
      carts: 0,
    });
    expect(await rows(`SELECT 1 FROM cart WHERE id = ?`, [cartId])).toEqual([]);

    // Staff still see the order: placeholder e-mail, the country alone, the label's recipient likewise.
    const detail = await app.inject({
      url: `/api/admin/orders/${order.id}`,
      headers: { authorization: owner },
    });
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toMatchObject({
      number: order.number,
      status: 'delivered',
      customerId: null,
      email: expect.stringMatching(/^erased-[0-9a-f-]{36}@erased\.invalid$/),
      shippingAddress: { name: '', line1: '', city: '', postalCode: '', country: 'US' },
      totals: { total: { amount: expect.any(Number) } },
    });
    // The timeline keeps what happened, not who: the customer's events lose their id, not their text.
    expect(detail.json().timeline[0]).toMatchObject({
      message: 'Order placed',
      actorType: 'customer',
      actorId: null,
    });
    const [shipment] = await rows<{ recipient: string }>(
      `SELECT recipient FROM shipment WHERE order_id = ?`,
      [order.id],
    );
    expect(app.cipher.decryptJson(shipment!.recipient)).toEqual({
      name: '',
      line1: '',
      city: '',
      postalCode: '',
      country: 'US',
    });
    expect(
      (await app.inject({ url: `/api/admin/customers/${customer.id}`, headers: { authorization: owner } }))
        .statusCode,
    ).toBe(404);

    // The e-mail is free again.
    const again = await app.inject({
      method: 'POST',
      url: '/api/store/auth/register',
      payload: { email: customer.email, password: 'a brand new passphrase', firstName: 'Ada', lastName: 'L' },
    });
    expect(again.statusCode).toBe(201);
    expect(again.json().customer.id).not.toBe(customer.id);

    // Audited without personal data; staff screens told (outbox); the customer told by e-mail.
    const [audit] = await rows<{ staff_id: string | null; details: Record<string, unknown> }>(
      `SELECT staff_id, details FROM audit_entry WHERE action = 'customer.erased' AND details->>'customerId' = ?`,
      [customer.id],
    );
    expect(audit).toEqual({
      staff_id: null,
      details: {
        customerId: customer.id,
        erasureId: expect.any(String),
        by: 'customer',
        ordersAnonymised: 1,
      },
    });
    expect(JSON.stringify(audit)).not.toContain(customer.email);
    const events = await rows<{ resource: string; type: string }>(
      `SELECT resource, type FROM outbox_event WHERE ? = ANY(ids) OR ? = ANY(ids) ORDER BY id`,
      [customer.id, order.id],
    );
    expect(events).toEqual(
      expect.arrayContaining([
        { resource: 'customers', type: 'deleted' },
        { resource: 'orders', type: 'updated' },
      ]),
    );
    // The confirmation goes to the address the account had, queued with the erasure.
    const confirmations = (await queuedMail(app, databaseUrl)).filter(
      (mail) => (mail.template as string) === ERASURE_TEMPLATE && mail.to === customer.email,
    );
    expect(confirmations).toEqual([expect.objectContaining({ data: { firstName: 'Ada' } })]);
  });

  it('sends no confirmation to an address the account never proved (anyone can register any address)', async () => {
    const victim = `victim-${randomUUID().slice(0, 8)}@example.test`;
    const squatter = await registerCustomer(app, { email: victim, firstName: 'Mallory' });
    const erased = await erase(squatter, { password: squatter.password });
    expect(erased.statusCode, erased.body).toBe(200);
    expect((await identityRows(squatter.id)).customer).toBe(0);
    const sent = (await queuedMail(app, databaseUrl)).filter((mail) => mail.to === victim);
    // The verification link asked for at registration, and nothing after it.
    expect(sent.map((mail) => mail.template)).toEqual(['verify-email']);
  });

  it('forgets the idempotency keys of the customer’s checkouts: their rows fingerprint the e-mail and address', async () => {
    const customer = await customerWithData();
    const order = await placeOrder(customer);
    await deliver(order.id);
    const scope = `customer:${customer.id}`;
    const stored = await rows<{ request_hash: string; response_body: unknown }>(
      `SELECT request_hash, response_body FROM idempotency_key WHERE scope = ?`,
      [scope],
    );
    expect(stored).toHaveLength(1);
    // The answer itself holds no personal data; the row is still the customer's (their id, a hash of their
    // e-mail and address as sent).
    expect(JSON.stringify(stored[0]!.response_body)).not.toContain(customer.email);
    expect(JSON.stringify(stored[0]!.response_body)).not.toContain(ADDRESS.line1);

    const erased = await erase(customer, { password: customer.password });
    expect(erased.statusCode, erased.body).toBe(200);
    expect(await rows(`SELECT 1 FROM idempotency_key WHERE scope = ?`, [scope])).toEqual([]);
  });

  it('an account without a password erases itself within 10 minutes of signing in, not later', async () => {
    const stale = await socialOnlyCustomer(20 * 60);
    const refused = await erase(stale);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'MCART_ERR_RECENT_SIGN_IN_REQUIRED' });
    expect((await identityRows(stale.id)).customer).toBe(1);

    const fresh = await socialOnlyCustomer();
    const erased = await erase(fresh);
    expect(erased.statusCode, erased.body).toBe(200);
    expect(await identityRows(fresh.id)).toMatchObject({ customer: 0, identities: 0, sessions: 0 });
    const refresh = await app.inject({
      method: 'POST',
      url: '/api/store/auth/refresh',
      payload: { refreshToken: fresh.refreshToken },
    });
    expect(refresh.statusCode).toBe(401);
  });
});

describe('the 10-minute rule of accounts without a password', () => {
  it('is not met by refreshing an old session: the refresh gives a new access token, not a new sign-in', async () => {
    const stale = await socialOnlyCustomer(20 * 60);
    const refreshed = await app.inject({
      method: 'POST',
      url: '/api/store/auth/refresh',
      payload: { refreshToken: stale.refreshToken },
    });
    expect(refreshed.statusCode, refreshed.body).toBe(200);
    const refused = await erase({ auth: { authorization: `Bearer ${refreshed.json().accessToken}` } });
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.json().code).toBe('MCART_ERR_RECENT_SIGN_IN_REQUIRED');
    expect((await identityRows(stale.id)).customer).toBe(1);
  });
});

describe('staff: POST /api/admin/customers/{id}/erase and GET .../data-export', () => {
  it('are for owners and admins only: 403 for managers and support, who change nothing', async () => {
    const customer = await customerWithData();
    for (const role of ['manager', 'support'] as const) {
      const erased = await adminPost(`/api/admin/customers/${customer.id}/erase`, undefined, staff[role]);
      expect(erased.statusCode).toBe(403);
      expect(erased.json()).toMatchObject({ code: 'MCART_ERR_FORBIDDEN' });
      const exported = await app.inject({
        url: `/api/admin/customers/${customer.id}/data-export`,
        headers: { authorization: staff[role] },
      });
      expect(exported.statusCode).toBe(403);
    }
    expect((await identityRows(customer.id)).customer).toBe(1);

    const exported = await app.inject({
      url: `/api/admin/customers/${customer.id}/data-export`,
      headers: { authorization: staff.admin },
    });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-disposition']).toMatch(
      new RegExp(
        `^attachment; filename="customer-${customer.id}-personal-data-\\d{4}-\\d{2}-\\d{2}\\.json"$`,
      ),
    );
    expect(exported.json()).toMatchObject({ customer: { email: customer.email, phone: PHONE } });
    // Reads are not audited, but this one hands a whole dossier out: who took it, and whose, is recorded.
    const [exportEntry] = await rows<{ staff_id: string; details: Record<string, unknown>; status: number }>(
      `SELECT staff_id, details, status FROM audit_entry WHERE action = 'customer.exported'
          AND details->>'customerId' = ?`,
      [customer.id],
    );
    expect(exportEntry).toMatchObject({ details: { customerId: customer.id }, status: 200 });
    expect(JSON.stringify(exportEntry)).not.toContain(customer.email);

    const erased = await adminPost(`/api/admin/customers/${customer.id}/erase`, undefined, staff.admin);
    expect(erased.statusCode, erased.body).toBe(200);
    expect(erased.json()).toMatchObject({ customerId: customer.id, ordersAnonymised: 0 });
    expect(await identityRows(customer.id)).toMatchObject({ customer: 0, addresses: 0, sessions: 0 });
    const adminId = (
      await app.inject({ url: '/api/admin/auth/me', headers: { authorization: staff.admin } })
    ).json().id;
    const audit = await rows<{ action: string; staff_id: string }>(
      `SELECT action, staff_id FROM audit_entry
        WHERE details->>'customerId' = ? OR params->>'id' = ? ORDER BY at, id`,
      [customer.id, customer.id],
    );
    expect(exportEntry!.staff_id).toBe(adminId);
    expect(audit).toEqual(
      expect.arrayContaining([
        { action: 'customer.exported', staff_id: adminId },
        { action: 'customer.erased', staff_id: adminId },
        { action: 'POST /api/admin/customers/:id/erase', staff_id: adminId },
      ]),
    );
  });

  it('is refused with 409 while an order is in progress, and 404 for an unknown customer', async () => {
    const customer = await customerWithData();
    const order = await placeOrder(customer);
    const refused = await adminPost(`/api/admin/customers/${customer.id}/erase`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'MCART_ERR_ERASURE_BLOCKED',
      orders: [{ id: order.id, number: order.number, status: 'paid' }],
    });
    expect((await identityRows(customer.id)).customer).toBe(1);

    // Cancelled orders do not block (here by the customer, with a reason); the erasure then goes through.
    const cancelled = await app.inject({
      method: 'POST',
      url: `/api/store/orders/${order.id}/cancel`,
      headers: customer.auth,
      payload: { reason: 'moving to 12 Elm Street, call me on +1 555 0199' },
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    const erased = await adminPost(`/api/admin/customers/${customer.id}/erase`);
    expect(erased.statusCode, erased.body).toBe(200);
    expect(erased.json().ordersAnonymised).toBe(1);
    const detail = (
      await app.inject({ url: `/api/admin/orders/${order.id}`, headers: { authorization: owner } })
    ).body;
    expect(detail).not.toContain('Elm Street');
    expect(JSON.parse(detail)).toMatchObject({ status: 'cancelled', cancelReason: null });

    const unknown = await adminPost(`/api/admin/customers/${randomUUID()}/erase`);
    expect(unknown.statusCode).toBe(404);
    expect(
      (
        await app.inject({
          url: `/api/admin/customers/${randomUUID()}/data-export`,
          headers: { authorization: owner },
        })
      ).statusCode,
    ).toBe(404);
  });
});

describe('one transaction', () => {
  it('a failure at the last step leaves everything as it was: orders, identity rows, audit entry', async () => {
    const customer = await customerWithData();
    const order = await placeOrder(customer);
    await deliver(order.id);
    const before = await identityRows(customer.id);
    // The real orders port and everything else; only the audit write (the erasure's last statement) fails.
    const service = new CustomerDataService(em(), {
      cipher: app.cipher,
      orders: app.customerOrders,
      documents: app.customerDocuments,
      mail: () => undefined,
    });
    const record = AuditService.prototype.record;
    AuditService.prototype.record = async function (this: AuditService, entry) {
      await record.call(this, entry);
      throw new Error('audit log unavailable');
    };
    try {
      await expect(service.eraseByStaff(customer.id, randomUUID())).rejects.toThrow('audit log unavailable');
    } finally {
      AuditService.prototype.record = record;
    }
    expect(await identityRows(customer.id)).toEqual(before);
    const [kept] = await rows<{ email: string; customer_id: string }>(
      `SELECT email, customer_id FROM orders WHERE id = ?`,
      [order.id],
    );
    expect(kept).toEqual({ email: customer.email, customer_id: customer.id });
    expect(await rows(`SELECT 1 FROM audit_entry WHERE details->>'customerId' = ?`, [customer.id])).toEqual(
      [],
    );
    expect(
      await rows(`SELECT 1 FROM outbox_event WHERE ? = ANY(ids) AND type = 'deleted'`, [customer.id]),
    ).toEqual([]);
  });
});

describe('erasure racing the account’s sessions', () => {
  it('a refresh still in its transaction when the sessions are deleted leaves no session behind', async () => {
    const customer = await customerWithData();
    const tokenHash = createHash('sha256').update(customer.refreshToken).digest('hex');
    // What SessionsService.rotate does in one transaction (spend the token, issue its successor), held open
    // while the erasure starts: the erasure's DELETE waits for the spent row, and the successor, committed
    // after that DELETE began, is not in its snapshot.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let spent!: () => void;
    const rotated = new Promise<void>((resolve) => (spent = resolve));
    const rotation = em().transactional(async (tx) => {
      const [row] = await tx.execute<{ family_id: string }[]>(
        `UPDATE auth_session SET spent_at = now(), updated_at = now() WHERE token_hash = ? RETURNING family_id`,
        [tokenHash],
      );
      await tx.execute(
        `INSERT INTO auth_session (id, created_at, updated_at, subject_kind, subject_id, family_id, token_hash,
                                   expires_at, user_agent, ip)
         VALUES (?, now(), now(), 'customer', ?, ?, ?, now() + interval '30 days', 'RacingPhone/1.0', '198.51.100.7')`,
        [randomUUID(), customer.id, row!.family_id, randomUUID().replaceAll('-', '').padEnd(64, '0')],
      );
      spent();
      await gate;
    });
    await rotated;
    const erasing = erase(customer, { password: customer.password });
    try {
      // The erasure has reached the sessions and waits for the refresh's row.
      await expect
        .poll(
          async () =>
            (
              await rows<{ n: string }>(
                `SELECT count(*) AS n FROM pg_stat_activity
                  WHERE wait_event_type = 'Lock' AND query ILIKE '%auth_session%' AND pid <> pg_backend_pid()`,
              )
            )[0]!.n,
          { timeout: 5_000, interval: 20 },
        )
        .toBe('1');
    } finally {
      release();
    }
    await rotation;
    const erased = await erasing;
    expect(erased.statusCode, erased.body).toBe(200);
    // Neither the person's browser nor address stays behind in a session nobody can use.
    expect(await rows(`SELECT 1 FROM auth_session WHERE subject_id = ?`, [customer.id])).toEqual([]);
  });

  it('a sign-in, a refresh and a checkout racing the erasure fail, and leave nothing of the person', async () => {
    const customer = await customerWithData();
    const cartId = await fixtures.cart(customer.auth.authorization);
    const variant = (await fixtures.product([1_500])).variants[0]!.id;
    await fixtures.add(cartId, variant, 1, customer.auth.authorization);
    // The erasure is held at its last statement (identity rows deleted, not committed) while the others run.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let reached!: () => void;
    const atGate = new Promise<void>((resolve) => (reached = resolve));
    const record = AuditService.prototype.record;
    AuditService.prototype.record = async function (this: AuditService, entry) {
      if (entry.action === 'customer.erased') {
        reached();
        await gate;
      }
      return record.call(this, entry);
    };
    try {
      const erasing = erase(customer, { password: customer.password });
      await atGate;
      const racing = Promise.all([
        app.inject({
          method: 'POST',
          url: '/api/store/auth/login',
          headers: { 'user-agent': 'RacingBrowser/2.0' },
          payload: { email: customer.email, password: customer.password },
        }),
        app.inject({
          method: 'POST',
          url: '/api/store/auth/refresh',
          payload: { refreshToken: customer.refreshToken },
        }),
        app.inject({
          method: 'POST',
          url: `/api/store/carts/${cartId}/checkout`,
          headers: { ...customer.auth, 'idempotency-key': randomUUID() },
          payload: {
            email: customer.email,
            shippingAddress: ADDRESS,
            payment: { provider: 'test', token: 'tok_visa' },
          },
        }),
      ]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      release();
      expect((await erasing).statusCode).toBe(200);
      const [login, refresh, checkout] = await racing;
      expect(login.statusCode).not.toBe(200);
      expect(login.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refresh.statusCode).toBe(401);
      expect(checkout.statusCode).toBe(404);
    } finally {
      release();
      AuditService.prototype.record = record;
    }
    expect(await identityRows(customer.id)).toEqual({
      customer: 0,
      addresses: 0,
      identities: 0,
      tokens: 0,
      sessions: 0,
      orders: 0,
      carts: 0,
    });
  });
});
