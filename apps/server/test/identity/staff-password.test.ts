import { describe, expect, it } from 'vitest';
import { staffToken, TEST_OWNER, useTestApp } from '../app.ts';
import { sqlRows } from './helpers.ts';
import type { Role } from '../../src/modules/identity/permissions.ts';

const { app, databaseUrl } = await useTestApp({ AUTH_ACCOUNT_LIMIT: '8', AUTH_IP_LIMIT: '1000' });
const owner = { authorization: await staffToken(app) };
let counter = 0;

interface Member {
  id: string;
  email: string;
  password: string;
}

async function createStaff(role: Role, by = owner): Promise<Member> {
  const body = {
    email: `pw${++counter}-${role}@mcart.test`,
    password: 'given passphrase here',
    role,
    firstName: 'Pat',
    lastName: role,
  };
  const response = await app.inject({ method: 'POST', url: '/api/admin/staff', headers: by, payload: body });
  if (response.statusCode !== 201) throw new Error(`create failed: ${response.body}`);
  return { id: response.json().id, email: body.email, password: body.password };
}

const login = (email: string, password: string, userAgent = 'desk') =>
  app.inject({
    method: 'POST',
    url: '/api/admin/auth/login',
    headers: { 'user-agent': userAgent },
    payload: { email, password },
  });

async function signIn(member: { email: string; password: string }, userAgent = 'desk') {
  const response = await login(member.email, member.password, userAgent);
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.body}`);
  const json = response.json();
  return {
    json,
    refreshToken: json.refreshToken as string,
    auth: { authorization: `Bearer ${json.accessToken}` },
  };
}

const changePassword = (auth: { authorization: string }, currentPassword: string, newPassword: string) =>
  app.inject({
    method: 'POST',
    url: '/api/admin/auth/password',
    headers: auth,
    payload: { currentPassword, newPassword },
  });

const me = (auth: { authorization: string }) => app.inject({ url: '/api/admin/auth/me', headers: auth });

const auditActions = async (staffId: string) =>
  (
    await sqlRows<{ action: string; details: Record<string, unknown> | null }>(
      databaseUrl,
      `SELECT action, details FROM audit_entry WHERE staff_id = $1 ORDER BY id`,
      [staffId],
    )
  ).map((row) => row.action);

describe('staff password change', () => {
  it('changes the password with the current one; every session ends, a fresh pair is answered', async () => {
    const member = await createStaff('support');
    const desk = await signIn(member, 'desk');
    // The owner chose the initial password: the member is asked to replace it.
    expect(desk.json.passwordChangeRequired).toBe(true);
    expect((await me(desk.auth)).json().passwordChangeRequired).toBe(true);
    const laptop = await signIn(member, 'laptop');

    const changed = await changePassword(desk.auth, member.password, 'a passphrase of my own');
    expect(changed.statusCode, changed.body).toBe(200);
    const tokens = changed.json();
    expect(tokens).toMatchObject({ expiresIn: expect.any(Number) });
    // The old sessions (this one and the other device) end; the fresh pair works.
    expect((await me(desk.auth)).statusCode).toBe(401);
    expect((await me(laptop.auth)).statusCode).toBe(401);
    const refreshed = await app.inject({
      method: 'POST',
      url: '/api/admin/auth/refresh',
      payload: { refreshToken: laptop.refreshToken },
    });
    expect(refreshed.statusCode).toBe(401);
    const fresh = { authorization: `Bearer ${tokens.accessToken}` };
    expect((await me(fresh)).json()).toMatchObject({ id: member.id, passwordChangeRequired: false });

    expect((await login(member.email, member.password)).statusCode).toBe(401);
    const again = await signIn({ email: member.email, password: 'a passphrase of my own' });
    expect(again.json.passwordChangeRequired).toBe(false);
    expect(await auditActions(member.id)).toContain('staff.password_changed');
    const [hash] = await sqlRows<{ password_hash: string }>(
      databaseUrl,
      'SELECT password_hash FROM staff WHERE id = $1',
      [member.id],
    );
    expect(hash!.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('refuses a wrong current password (403 on the field), a weak, e-mail-like or unchanged new one (400)', async () => {
    const member = await createStaff('warehouse');
    const session = await signIn(member);
    const wrong = await changePassword(session.auth, 'not my passphrase', 'a passphrase of my own');
    expect(wrong.statusCode).toBe(403);
    expect(wrong.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(wrong.json()).toMatchObject({
      code: 'MCART_ERR_WRONG_PASSWORD',
      errors: [{ path: 'body/currentPassword' }],
    });
    expect(await auditActions(member.id)).toContain('staff.password_change_failed');

    const common = await changePassword(session.auth, member.password, 'password1');
    expect(common.json()).toMatchObject({
      code: 'MCART_ERR_WEAK_PASSWORD',
      errors: [{ path: 'body/newPassword' }],
    });
    const local = member.email.split('@')[0]!;
    for (const emailLike of [
      member.email,
      member.email.toUpperCase(),
      local,
      `Secret-${local.toUpperCase()}-2024`,
      `my ${member.email} login`,
    ]) {
      const response = await changePassword(session.auth, member.password, emailLike);
      expect(response.statusCode, emailLike).toBe(400);
      expect(response.json()).toMatchObject({
        code: 'MCART_ERR_WEAK_PASSWORD',
        errors: [
          {
            path: 'body/newPassword',
            message: 'must not contain the e-mail address or its part before the @',
          },
        ],
      });
    }
    const same = await changePassword(session.auth, member.password, member.password);
    expect(same.json()).toMatchObject({
      code: 'MCART_ERR_VALIDATION',
      errors: [{ path: 'body/newPassword' }],
    });
    const short = await changePassword(session.auth, member.password, 'short');
    expect(short.statusCode).toBe(400);
    expect(short.json().errors[0].path).toBe('body/newPassword');
    // Nothing changed: the old password still signs in, the session still works.
    expect((await me(session.auth)).statusCode).toBe(200);
    expect((await login(member.email, member.password)).statusCode).toBe(200);
  });

  it('limits guesses of the current password per account (429 + Retry-After)', async () => {
    const member = await createStaff('manager');
    const session = await signIn(member);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++)
      statuses.push(
        (await changePassword(session.auth, `wrong guess ${i}`, 'a passphrase of my own')).statusCode,
      );
    expect(statuses).toEqual(Array(8).fill(403));
    const limited = await changePassword(session.auth, member.password, 'a passphrase of my own');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json().code).toBe('MCART_ERR_RATE_LIMITED');
  });

  it('needs a staff token', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/admin/auth/password',
      payload: { currentPassword: 'x', newPassword: 'a passphrase of my own' },
    });
    expect(response.statusCode).toBe(401);
  });
});

describe('staff sessions', () => {
  it('lists the member’s own sessions, marks the current one, ends one (not another member’s)', async () => {
    const member = await createStaff('support');
    const desk = await signIn(member, 'desk browser');
    const phone = await signIn(member, 'phone browser');
    const other = await createStaff('support');
    const otherSession = await signIn(other);

    const listed = await app.inject({ url: '/api/admin/auth/sessions', headers: desk.auth });
    expect(listed.statusCode).toBe(200);
    const sessions = listed.json().data as {
      id: string;
      userAgent: string | null;
      ip: string | null;
      current: boolean;
      createdAt: string;
      lastUsedAt: string;
    }[];
    expect(sessions).toHaveLength(2);
    expect(sessions.find((s) => s.current)?.userAgent).toBe('desk browser');
    const phoneSession = sessions.find((s) => s.userAgent === 'phone browser')!;
    expect(phoneSession).toMatchObject({ current: false, ip: expect.any(String) });
    expect(Date.parse(phoneSession.createdAt)).not.toBeNaN();

    // Another member cannot end it (404, as for a session that does not exist).
    const foreign = await app.inject({
      method: 'DELETE',
      url: `/api/admin/auth/sessions/${phoneSession.id}`,
      headers: otherSession.auth,
    });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().code).toBe('MCART_ERR_NOT_FOUND');
    expect((await me(phone.auth)).statusCode).toBe(200);

    const ended = await app.inject({
      method: 'DELETE',
      url: `/api/admin/auth/sessions/${phoneSession.id}`,
      headers: desk.auth,
    });
    expect(ended.statusCode).toBe(204);
    expect((await me(phone.auth)).statusCode).toBe(401);
    expect((await me(desk.auth)).statusCode).toBe(200);
    const after = (await app.inject({ url: '/api/admin/auth/sessions', headers: desk.auth })).json().data;
    expect(after).toHaveLength(1);
    expect(
      (
        await app.inject({
          method: 'DELETE',
          url: `/api/admin/auth/sessions/${phoneSession.id}`,
          headers: desk.auth,
        })
      ).statusCode,
    ).toBe(404);
    expect(await auditActions(member.id)).toContain('staff.session_ended');
  });
});

describe('a new member’s first sign-in', () => {
  it('asks a member created by an owner or admin to replace the given password; the first owner is not asked', async () => {
    const byOwner = await createStaff('support');
    const member = await app.inject({ url: `/api/admin/staff/${byOwner.id}`, headers: owner });
    expect(member.json()).toMatchObject({ id: byOwner.id, passwordChangeRequired: true });
    const first = await signIn(byOwner);
    expect(first.json.passwordChangeRequired).toBe(true);
    expect((await me(first.auth)).json().passwordChangeRequired).toBe(true);
    const own = await changePassword(first.auth, byOwner.password, 'a phrase the member chose');
    expect(own.statusCode, own.body).toBe(200);
    expect(
      (await signIn({ email: byOwner.email, password: 'a phrase the member chose' })).json
        .passwordChangeRequired,
    ).toBe(false);
    expect(
      (await app.inject({ url: `/api/admin/staff/${byOwner.id}`, headers: owner })).json(),
    ).toMatchObject({
      passwordChangeRequired: false,
    });

    // An admin's new member too.
    const admin = await createStaff('admin');
    const byAdmin = await createStaff('warehouse', (await signIn(admin)).auth);
    expect((await signIn(byAdmin)).json.passwordChangeRequired).toBe(true);

    // The first owner chose their password in the configuration.
    expect((await signIn(TEST_OWNER)).json.passwordChangeRequired).toBe(false);
  });
});

describe('staff password reset by an owner or admin', () => {
  const reset = (id: string, by: { authorization: string }) =>
    app.inject({ method: 'POST', url: `/api/admin/staff/${id}/password-reset`, headers: by });

  it('gives a temporary password once, ends the member’s sessions, and asks for a change at sign-in', async () => {
    const member = await createStaff('manager');
    const first = await signIn(member);
    const changed = await changePassword(first.auth, member.password, 'my own manager phrase');
    expect(changed.statusCode).toBe(200);
    const session = { authorization: `Bearer ${changed.json().accessToken}` };
    expect((await me(session)).json().passwordChangeRequired).toBe(false);

    const response = await reset(member.id, owner);
    expect(response.statusCode, response.body).toBe(200);
    const { temporaryPassword, staff } = response.json();
    expect(temporaryPassword).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(staff).toMatchObject({
      id: member.id,
      role: 'manager',
      disabled: false,
      passwordChangeRequired: true,
    });
    expect((await me(session)).statusCode).toBe(401);
    expect((await login(member.email, 'my own manager phrase')).statusCode).toBe(401);
    const withTemporary = await signIn({ email: member.email, password: temporaryPassword });
    expect(withTemporary.json.passwordChangeRequired).toBe(true);
    // The temporary password cannot be kept.
    const kept = await changePassword(withTemporary.auth, temporaryPassword, temporaryPassword);
    expect(kept.statusCode).toBe(400);
    const own = await changePassword(withTemporary.auth, temporaryPassword, 'another phrase of mine');
    expect(own.statusCode).toBe(200);
    expect(
      (await signIn({ email: member.email, password: 'another phrase of mine' })).json.passwordChangeRequired,
    ).toBe(false);

    const [entry] = await sqlRows<{ staff_id: string; details: Record<string, unknown> }>(
      databaseUrl,
      `SELECT staff_id, details FROM audit_entry WHERE action = 'staff.password_reset' AND details->>'staffId' = $1`,
      [member.id],
    );
    const ownerId = (await me(owner)).json().id;
    expect(entry).toMatchObject({ staff_id: ownerId, details: { staffId: member.id } });
    // The temporary password is nowhere in the audit log.
    const leaked = await sqlRows(databaseUrl, `SELECT 1 FROM audit_entry WHERE details::text LIKE $1`, [
      `%${temporaryPassword}%`,
    ]);
    expect(leaked).toHaveLength(0);
  });

  it('admins reset non-owners only; nobody resets their own; others lack the permission; the role stays', async () => {
    const admin = await createStaff('admin');
    const adminSession = await signIn(admin);
    const support = await createStaff('support');
    const supportSession = await signIn(support);
    const secondOwner = await createStaff('owner');
    const ownerId = (await me(owner)).json().id as string;

    const byAdmin = await reset(support.id, adminSession.auth);
    expect(byAdmin.statusCode).toBe(200);
    const ownerByAdmin = await reset(ownerId, adminSession.auth);
    expect(ownerByAdmin.statusCode).toBe(403);
    expect(ownerByAdmin.json().code).toBe('MCART_ERR_OWNER_ONLY');
    // Nothing happened to the owner: their password and session still work.
    expect((await me(owner)).statusCode).toBe(200);
    expect((await login(TEST_OWNER.email, TEST_OWNER.password)).statusCode).toBe(200);

    const self = await reset(ownerId, owner);
    expect(self.statusCode).toBe(409);
    expect(self.json().code).toBe('MCART_ERR_SELF_CHANGE');
    const bySupport = await reset(admin.id, supportSession.auth);
    expect(bySupport.statusCode).toBe(401); // the support member's sessions ended with the admin's reset
    const supportAgain = await signIn({ email: support.email, password: byAdmin.json().temporaryPassword });
    const forbidden = await reset(admin.id, supportAgain.auth);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().code).toBe('MCART_ERR_FORBIDDEN');

    // An owner resets another owner: still an owner, still enabled.
    const ownerReset = await reset(secondOwner.id, owner);
    expect(ownerReset.statusCode).toBe(200);
    expect(ownerReset.json().staff).toMatchObject({ role: 'owner', disabled: false });
    const unknown = await reset('00000000-0000-4000-8000-000000000000', owner);
    expect(unknown.statusCode).toBe(404);
  });
});
