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
