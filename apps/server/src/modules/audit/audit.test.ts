import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { staffToken, TEST_OWNER, useTestApp } from '../../../test/app.ts';

const { app } = await useTestApp();
const owner = await staffToken(app);

const rows = (sql: string, params: unknown[] = []) =>
  (app.orm.em.fork() as EntityManager).execute<Record<string, unknown>[]>(sql, params);
const count = async () => Number((await rows(`SELECT count(*)::int AS n FROM audit_entry`))[0]!.n);

async function staffWith(role: string) {
  const email = `${role}-${randomUUID().slice(0, 8)}@mcart.test`;
  const password = `${role} passphrase for the audit`;
  const created = await app.inject({
    method: 'POST',
    url: '/api/admin/staff',
    headers: { authorization: owner },
    payload: { email, password, role, firstName: 'Ada', lastName: 'Audit' },
  });
  expect(created.statusCode, created.body).toBe(201);
  return { id: created.json<{ id: string }>().id, token: await staffToken(app, { email, password }) };
}

describe('who the audit log names', () => {
  it('names the staff member whose attempt their role refused (403), not no one', async () => {
    const warehouse = await staffWith('warehouse');
    const refused = await app.inject({
      method: 'POST',
      url: '/api/admin/staff',
      headers: { authorization: warehouse.token, 'x-request-id': 'audit-refused-1' },
      payload: {
        email: 'escalate@mcart.test',
        password: 'a passphrase to escalate',
        role: 'owner',
        firstName: 'Eve',
        lastName: 'Escalate',
      },
    });
    expect(refused.statusCode).toBe(403);
    expect(
      await rows(`SELECT staff_id, action, status FROM audit_entry WHERE request_id = 'audit-refused-1'`),
    ).toEqual([{ staff_id: warehouse.id, action: 'POST /api/admin/staff', status: 403 }]);
  });

  it('writes nothing for admin writes without a valid staff token, but keeps failed sign-ins', async () => {
    const before = await count();
    for (const headers of [{}, { authorization: 'Bearer not-a-token' }]) {
      for (let i = 0; i < 5; i++) {
        const response = await app.inject({
          method: 'POST',
          url: '/api/admin/products',
          headers,
          payload: { title: 'x' },
        });
        expect(response.statusCode).toBe(401);
      }
    }
    const logout = await app.inject({
      method: 'POST',
      url: '/api/admin/auth/logout',
      payload: { refreshToken: 'nobody-s-token' },
    });
    expect(logout.statusCode).toBe(204);
    // Anyone could otherwise grow a table that is never pruned as fast as they can send requests.
    expect(await count()).toBe(before);

    const failed = await app.inject({
      method: 'POST',
      url: '/api/admin/auth/login',
      headers: { 'x-request-id': 'audit-failed-sign-in' },
      payload: { email: TEST_OWNER.email, password: 'not the password at all' },
    });
    expect(failed.statusCode).toBe(401);
    expect(
      await rows(
        `SELECT staff_id, action, status FROM audit_entry WHERE request_id = 'audit-failed-sign-in'`,
      ),
    ).toEqual([{ staff_id: null, action: 'staff.sign_in_failed', status: 401 }]);
  });
});

describe('GET /api/admin/audit', () => {
  it('refuses a period that ends before it begins, rather than answering an empty log', async () => {
    for (const [from, to] of [
      ['2026-12-02T00:00:00Z', '2026-12-01T00:00:00Z'],
      ['2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z'],
      ['2026-12-01T10:00:00+02:00', '2026-12-01T08:00:00Z'],
    ]) {
      const response = await app.inject({
        url: `/api/admin/audit?${new URLSearchParams({ from: from!, to: to! })}`,
        headers: { authorization: owner },
      });
      expect(response.statusCode, `${from} ${to}`).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({
        code: 'MCART_ERR_VALIDATION',
        errors: [{ path: 'querystring/to', message: 'must be after from' }],
      });
    }
    const ok = await app.inject({
      url: `/api/admin/audit?${new URLSearchParams({ from: '2020-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' })}`,
      headers: { authorization: owner },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().total).toBeGreaterThan(0);
  });
});

describe('what a change did', () => {
  const entry = async (requestId: string) =>
    (await rows(`SELECT action, details FROM audit_entry WHERE request_id = ?`, [requestId]))[0] as
      { action: string; details: Record<string, unknown> | null } | undefined;

  it("records a variant's price from and to, under its own action, and the names of the fields sent", async () => {
    const sku = `AUD-${randomUUID().slice(0, 8)}`;
    const product = await app.inject({
      method: 'POST',
      url: '/api/admin/products',
      headers: { authorization: owner },
      payload: {
        title: 'Audited kettle',
        status: 'active',
        variants: [{ sku, price: { amount: 8900, currency: 'USD' } }],
      },
    });
    expect(product.statusCode, product.body).toBe(201);
    const { id, variants } = product.json<{ id: string; variants: { id: string; version: number }[] }>();
    const variant = variants[0]!;
    const changed = await app.inject({
      method: 'PATCH',
      url: `/api/admin/products/${id}/variants/${variant.id}`,
      headers: { authorization: owner, 'x-request-id': `audit-price-${sku}` },
      payload: { price: { amount: 890, currency: 'USD' }, title: 'Big', version: variant.version },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(await entry(`audit-price-${sku}`)).toEqual({
      action: 'variant.price_changed',
      details: { fields: ['price', 'title'], sku, changes: { priceAmount: { from: 8900, to: 890 } } },
    });

    // A change of no audited figure: the fields sent, no changes, the route's own action.
    const renamed = await app.inject({
      method: 'PATCH',
      url: `/api/admin/products/${id}/variants/${variant.id}`,
      headers: { authorization: owner, 'x-request-id': `audit-title-${sku}` },
      payload: { title: 'Bigger', version: changed.json<{ version: number }>().version },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(await entry(`audit-title-${sku}`)).toEqual({
      action: 'PATCH /api/admin/products/:id/variants/:variantId',
      details: { fields: ['title'], sku },
    });
  });

  it("records a discount code's value and limits from and to", async () => {
    const code = `AUD${randomUUID().slice(0, 6)}`.toUpperCase();
    const created = await app.inject({
      method: 'POST',
      url: '/api/admin/discount-codes',
      headers: { authorization: owner },
      payload: { code, discountType: 'percent', discountValue: 10 },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { id, version } = created.json<{ id: string; version: number }>();
    const changed = await app.inject({
      method: 'PATCH',
      url: `/api/admin/discount-codes/${id}`,
      headers: { authorization: owner, 'x-request-id': `audit-code-${code}` },
      payload: { discountValue: 90, usageLimit: 5, version },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(await entry(`audit-code-${code}`)).toEqual({
      action: 'PATCH /api/admin/discount-codes/:id',
      details: {
        fields: ['discountValue', 'usageLimit'],
        code,
        changes: { discountValue: { from: 10, to: 90 }, usageLimit: { from: null, to: 5 } },
      },
    });
  });

  it("records a sale's value and end from and to", async () => {
    const product = await app.inject({
      method: 'POST',
      url: '/api/admin/products',
      headers: { authorization: owner },
      payload: {
        title: 'Audited kettle on sale',
        status: 'active',
        variants: [{ sku: `AUDS-${randomUUID().slice(0, 8)}`, price: { amount: 5000, currency: 'USD' } }],
      },
    });
    expect(product.statusCode, product.body).toBe(201);
    const created = await app.inject({
      method: 'POST',
      url: '/api/admin/sales',
      headers: { authorization: owner },
      payload: {
        name: 'Audited sale',
        discountType: 'percent',
        discountValue: 5,
        startsAt: '2030-01-01T00:00:00.000Z',
        productIds: [product.json<{ id: string }>().id],
        variantIds: [],
        categoryIds: [],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { id, version } = created.json<{ id: string; version: number }>();
    const requestId = `audit-sale-${id}`;
    const changed = await app.inject({
      method: 'PATCH',
      url: `/api/admin/sales/${id}`,
      headers: { authorization: owner, 'x-request-id': requestId },
      payload: { discountValue: 50, endsAt: '2030-02-01T00:00:00.000Z', version },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(await entry(requestId)).toEqual({
      action: 'PATCH /api/admin/sales/:id',
      details: {
        fields: ['discountValue', 'endsAt'],
        changes: {
          discountValue: { from: 5, to: 50 },
          endsAt: { from: null, to: '2030-02-01T00:00:00.000Z' },
        },
      },
    });
  });
});
