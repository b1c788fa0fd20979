import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { staffToken, useTestApp } from '../app.ts';
import { can, ROLES, type Permission, type Role } from '../../src/modules/identity/permissions.ts';

/*
 * Walks EVERY admin route registered in the app (collected by the audit module's onRoute hook, so a route
 * added by any module later is covered without touching this file) with every role: 401 without a token,
 * 403 without the permission, neither 401 nor 403 with it — exactly as permissions.ts says.
 */
const { app } = await useTestApp();

const tokens = {} as Record<Role, string>;
const owner = await staffToken(app);
tokens.owner = owner;
for (const role of ROLES.filter((r) => r !== 'owner')) {
  const body = {
    email: `matrix-${role}@mcart.test`,
    password: 'matrix passphrase for role',
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
  tokens[role] = await staffToken(app, { email: body.email, password: body.password });
}

const guarded = app.adminRoutes.filter((route) => typeof route.auth === 'object' && route.auth !== null);
const publicAdmin = app.adminRoutes
  .filter((route) => route.auth === 'public')
  .map((r) => `${r.method} ${r.url}`);

// A fresh id for every path parameter: the matrix is about access, not about the record.
const concrete = (url: string) => url.replace(/:[A-Za-z0-9_]+/g, () => randomUUID());

describe('role matrix', () => {
  it('sees the admin routes of every module', () => {
    expect(guarded.length).toBeGreaterThanOrEqual(9);
    expect(guarded.map((r) => `${r.method} ${r.url}`)).toEqual(
      expect.arrayContaining(['POST /api/admin/staff', 'GET /api/admin/audit', 'GET /api/admin/customers']),
    );
    // Only the sign-in routes themselves (password, then TOTP) are public under /api/admin.
    for (const route of publicAdmin)
      expect(route).toMatch(/^POST \/api\/admin\/auth\/(login|refresh|logout|totp|totp\/enroll)$/);
  });

  it.each(guarded.map((route) => [`${route.method} ${route.url}`, route] as const))(
    '%s',
    async (_name, route) => {
      const permission = (route.auth as { permission: Permission }).permission;
      const url = concrete(route.url);
      // Writes carry a body the server cannot parse: authentication runs first (onRequest), so the answer is
      // 401/403 — or 415 once access is granted, before any handler runs (no backup starts, nothing changes).
      const withBody =
        route.method === 'GET' ? {} : { payload: 'matrix', headers: { 'content-type': 'text/plain' } };
      const anonymous = await app.inject({ method: route.method as 'GET', url, ...withBody });
      expect(anonymous.statusCode, 'no token').toBe(401);
      for (const role of ROLES) {
        const headers = { ...('headers' in withBody ? withBody.headers : {}), authorization: tokens[role] };
        const response = await app.inject({ method: route.method as 'GET', url, ...withBody, headers });
        if (can(role, permission)) {
          expect([401, 403], `${role} has ${permission}: ${response.body}`).not.toContain(
            response.statusCode,
          );
        } else {
          expect(response.statusCode, `${role} lacks ${permission}`).toBe(403);
          expect(response.json().code).toBe('MCART_ERR_FORBIDDEN');
        }
      }
    },
  );
});
