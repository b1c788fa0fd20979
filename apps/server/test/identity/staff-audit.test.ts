import { describe, expect, it } from 'vitest';
import pg from 'pg';
import type { EntityManager } from '@mikro-orm/postgresql';
import { staffToken, TEST_OWNER, useTestApp } from '../app.ts';
import { refreshInFlight, registerCustomer, someoneWaitsOnASessionLock, sqlRows } from './helpers.ts';
import type { Role } from '../../src/modules/identity/permissions.ts';
import type { AccessClaims } from '../../src/platform/auth.ts';
import { StaffService } from '../../src/modules/identity/staff.service.ts';

const { app, databaseUrl } = await useTestApp();
const owner = { authorization: await staffToken(app) };
const ownerId = (await app.inject({ url: '/api/admin/auth/me', headers: owner })).json().id as string;
let counter = 0;

async function createStaff(role: Role, by = owner) {
  const body = {
    email: `staff${++counter}-${role}@mcart.test`,
    password: 'staff passphrase here',
    role,
    firstName: 'Sam',
    lastName: role,
  };
  const response = await app.inject({ method: 'POST', url: '/api/admin/staff', headers: by, payload: body });
  return { response, body, id: response.json().id as string };
}

const signIn = async ({ email, password }: { email: string; password: string }) => ({
  authorization: await staffToken(app, { email, password }),
});

async function auditRows(where = 'true', values: unknown[] = []) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(`SELECT * FROM audit_entry WHERE ${where} ORDER BY id`, values)).rows;
  } finally {
    await client.end();
  }
}

describe('staff accounts', () => {
  it('owner creates staff (201); admin creates a manager but never an owner; others are refused', async () => {
    const admin = await createStaff('admin');
    expect(admin.response.statusCode).toBe(201);
    expect(admin.response.json()).toMatchObject({
      email: admin.body.email,
      role: 'admin',
      disabled: false,
      totpEnabled: false,
    });
    const adminAuth = await signIn(admin.body);
    expect((await createStaff('manager', adminAuth)).response.statusCode).toBe(201);
    const ownerByAdmin = await createStaff('owner', adminAuth);
    expect(ownerByAdmin.response.statusCode).toBe(403);
    expect(ownerByAdmin.response.json().code).toBe('MCART_ERR_OWNER_ONLY');
    const support = await createStaff('support');
    expect((await createStaff('support', await signIn(support.body))).response.statusCode).toBe(403);
    const dup = await app.inject({
      method: 'POST',
      url: '/api/admin/staff',
      headers: owner,
      payload: admin.body,
    });
    expect(dup.statusCode).toBe(409);
    const weak = await app.inject({
      method: 'POST',
      url: '/api/admin/staff',
      headers: owner,
      payload: { ...admin.body, email: 'x@mcart.test', password: 'password1' },
    });
    expect(weak.json().code).toBe('MCART_ERR_WEAK_PASSWORD');
  });

  it('answers MCART_ERR_EMAIL_TAKEN, not a generic conflict, when the same e-mail commits between the check and the insert', async () => {
    const email = `race${++counter}@mcart.test`;
    // Another creation of the address, not yet committed: this one finds it free, then waits on the unique key.
    const other = new pg.Client({ connectionString: databaseUrl });
    await other.connect();
    await other.query('BEGIN');
    await other.query(
      `INSERT INTO staff (id, created_at, updated_at, email, role, password_hash, version)
       VALUES (gen_random_uuid(), now(), now(), $1, 'support', 'x', 1)`,
      [email],
    );
    const answer = app.inject({
      method: 'POST',
      url: '/api/admin/staff',
      headers: owner,
      payload: {
        email,
        password: 'staff passphrase here',
        role: 'support',
        firstName: 'Sam',
        lastName: 'Race',
      },
    });
    try {
      for (let i = 0; ; i++) {
        const [waiting] = await sqlRows(
          databaseUrl,
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%insert%staff%'`,
        );
        if ((waiting as { n: number }).n > 0) break;
        if (i > 250) throw new Error('the creation never reached the unique key');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      await other.query('COMMIT');
      await other.end();
    }
    const refused = await answer;
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'MCART_ERR_EMAIL_TAKEN',
      errors: [{ path: 'body/email', message: 'is already registered' }],
    });
  });

  it('lists and reads staff', async () => {
    const list = await app.inject({ url: '/api/admin/staff?role=owner', headers: owner });
    expect(list.statusCode).toBe(200);
    expect(list.json().data.map((s: { email: string }) => s.email)).toContain(TEST_OWNER.email);
    expect(list.json().total).toBe(list.json().data.length);
    expect((await app.inject({ url: `/api/admin/staff/${ownerId}`, headers: owner })).json().role).toBe(
      'owner',
    );
  });

  it('changes a role: ends their sessions, audits from/to; admins cannot touch owners; the last owner stays', async () => {
    const member = await createStaff('support');
    const memberAuth = await signIn(member.body);
    const change = await app.inject({
      method: 'PATCH',
      url: `/api/admin/staff/${member.id}`,
      headers: owner,
      payload: { role: 'manager' },
    });
    expect(change.statusCode).toBe(200);
    expect(change.json().role).toBe('manager');
    expect((await app.inject({ url: '/api/admin/auth/me', headers: memberAuth })).statusCode).toBe(401);
    expect(
      (await app.inject({ url: '/api/admin/auth/me', headers: await signIn(member.body) })).json().role,
    ).toBe('manager');
    const [entry] = await auditRows(`action = 'staff.role_changed'`);
    expect(entry).toMatchObject({
      staff_id: ownerId,
      details: { staffId: member.id, from: 'support', to: 'manager' },
      status: 200,
    });

    const admin = await createStaff('admin');
    const adminAuth = await signIn(admin.body);
    const promote = await app.inject({
      method: 'PATCH',
      url: `/api/admin/staff/${member.id}`,
      headers: adminAuth,
      payload: { role: 'owner' },
    });
    expect(promote.statusCode).toBe(403);
    const demoteOwner = await app.inject({
      method: 'PATCH',
      url: `/api/admin/staff/${ownerId}`,
      headers: adminAuth,
      payload: { disabled: true },
    });
    expect(demoteOwner.statusCode).toBe(403);
    const self = await app.inject({
      method: 'PATCH',
      url: `/api/admin/staff/${ownerId}`,
      headers: owner,
      payload: { role: 'admin' },
    });
    expect(self.json().code).toBe('MCART_ERR_SELF_CHANGE');
    const second = await createStaff('owner');
    const secondAuth = await signIn(second.body);
    const lastOwner = await app.inject({
      method: 'PATCH',
      url: `/api/admin/staff/${second.id}`,
      headers: owner,
      payload: { role: 'admin' },
    });
    expect(lastOwner.statusCode).toBe(200); // two owners: one may go
    const demoteLast = await app.inject({
      method: 'PATCH',
      url: `/api/admin/staff/${ownerId}`,
      headers: await signIn(second.body),
      payload: { role: 'admin' },
    });
    expect(demoteLast.statusCode).toBe(403); // second is an admin now and cannot touch the owner
    expect((await app.inject({ url: '/api/admin/auth/me', headers: secondAuth })).statusCode).toBe(401);
  });

  it('an admin changes nothing of an owner, not even the names (403 MCART_ERR_OWNER_ONLY, nothing written); an owner may', async () => {
    const admin = await createStaff('admin');
    const adminAuth = await signIn(admin.body);
    const second = await createStaff('owner');
    const before = (await app.inject({ url: `/api/admin/staff/${second.id}`, headers: owner })).json();
    for (const payload of [
      { firstName: 'Not' },
      { lastName: 'TheOwner' },
      { firstName: 'A', lastName: 'B' },
    ]) {
      const renamed = await app.inject({
        method: 'PATCH',
        url: `/api/admin/staff/${second.id}`,
        headers: adminAuth,
        payload,
      });
      expect(renamed.statusCode, JSON.stringify(payload)).toBe(403);
      expect(renamed.json().code).toBe('MCART_ERR_OWNER_ONLY');
    }
    expect((await app.inject({ url: `/api/admin/staff/${second.id}`, headers: owner })).json()).toEqual(
      before,
    );
    // The admin still renames whom they manage, and an owner renames an owner.
    const member = await createStaff('support');
    const byAdmin = await app.inject({
      method: 'PATCH',
      url: `/api/admin/staff/${member.id}`,
      headers: adminAuth,
      payload: { firstName: 'Renamed' },
    });
    expect(byAdmin.json()).toMatchObject({ firstName: 'Renamed' });
    const byOwner = await app.inject({
      method: 'PATCH',
      url: `/api/admin/staff/${second.id}`,
      headers: owner,
      payload: { firstName: 'Co' },
    });
    expect(byOwner.json()).toMatchObject({ firstName: 'Co', role: 'owner' });
  });

  it('refuses staff names of blanks only (create and rename), naming the field; stores them trimmed', async () => {
    const blank = await app.inject({
      method: 'POST',
      url: '/api/admin/staff',
      headers: owner,
      payload: {
        email: 'blank-name@mcart.test',
        password: 'staff passphrase here',
        role: 'support',
        firstName: '  ',
        lastName: 'Ok',
      },
    });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().errors).toEqual([{ path: 'body/firstName', message: 'must not be blank' }]);
    const created = await app.inject({
      method: 'POST',
      url: '/api/admin/staff',
      headers: owner,
      payload: {
        email: 'trimmed-name@mcart.test',
        password: 'staff passphrase here',
        role: 'support',
        firstName: ' Pat ',
        lastName: '  Packer ',
      },
    });
    expect(created.json()).toMatchObject({ firstName: 'Pat', lastName: 'Packer' });
    const rename = await app.inject({
      method: 'PATCH',
      url: `/api/admin/staff/${created.json().id}`,
      headers: owner,
      payload: { lastName: ' \n' },
    });
    expect(rename.statusCode).toBe(400);
    expect(rename.json().errors).toEqual([{ path: 'body/lastName', message: 'must not be blank' }]);
  });

  it('refuses staff names holding line breaks, tabs or other control characters (create and rename)', async () => {
    const controls = 'must not hold line breaks, tabs or other control characters';
    const created = await app.inject({
      method: 'POST',
      url: '/api/admin/staff',
      headers: owner,
      payload: {
        email: 'two-lines@mcart.test',
        password: 'staff passphrase here',
        role: 'support',
        firstName: 'Pat\nURGENT: reset your password at http://evil.example',
        lastName: 'Pa\tcker',
      },
    });
    expect(created.statusCode).toBe(400);
    expect(created.json().errors).toEqual([
      { path: 'body/firstName', message: controls },
      { path: 'body/lastName', message: controls },
    ]);
    const member = await createStaff('support');
    for (const lastName of ['Packer\r\n', 'Pa\u0085cker', 'Pa\u2028cker', 'Pa\u001bcker']) {
      const rename = await app.inject({
        method: 'PATCH',
        url: `/api/admin/staff/${member.id}`,
        headers: owner,
        payload: { lastName },
      });
      expect(rename.statusCode, JSON.stringify(lastName)).toBe(400);
      expect(rename.json().errors).toEqual([{ path: 'body/lastName', message: controls }]);
    }
    expect((await app.inject({ url: `/api/admin/staff/${member.id}`, headers: owner })).json().lastName).toBe(
      'support',
    );
  });

  it('a role change ends the member’s session even while its refresh is in flight', async () => {
    const member = await createStaff('support');
    const login = await app.inject({
      method: 'POST',
      url: '/api/admin/auth/login',
      payload: { email: member.body.email, password: member.body.password },
    });
    const inFlight = await refreshInFlight(app, 'staff', login.json().refreshToken);
    const change = app.inject({
      method: 'PATCH',
      url: `/api/admin/staff/${member.id}`,
      headers: owner,
      payload: { role: 'manager' },
    });
    try {
      expect(await someoneWaitsOnASessionLock(databaseUrl)).toBe(true);
    } finally {
      inFlight.release();
    }
    await inFlight.done;
    expect((await change).statusCode).toBe(200);
    // The successor would mint access tokens with the old role: it is revoked with the rest.
    const refresh = await app.inject({
      method: 'POST',
      url: '/api/admin/auth/refresh',
      payload: { refreshToken: inFlight.refreshToken },
    });
    expect(refresh.statusCode).toBe(401);
  });

  it('disables a staff member: their token stops working and they cannot sign in', async () => {
    const member = await createStaff('warehouse');
    const auth = await signIn(member.body);
    const disable = await app.inject({
      method: 'PATCH',
      url: `/api/admin/staff/${member.id}`,
      headers: owner,
      payload: { disabled: true },
    });
    expect(disable.json().disabled).toBe(true);
    expect((await app.inject({ url: '/api/admin/auth/me', headers: auth })).statusCode).toBe(401);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/admin/auth/login',
          payload: { email: member.body.email, password: member.body.password },
        })
      ).statusCode,
    ).toBe(401);
    await app.inject({
      method: 'PATCH',
      url: `/api/admin/staff/${member.id}`,
      headers: owner,
      payload: { disabled: false },
    });
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/admin/auth/login',
          payload: { email: member.body.email, password: member.body.password },
        })
      ).statusCode,
    ).toBe(200);
  });
});

describe('sign-in and sessions', () => {
  it('concurrent sign-ins of one account all succeed, and record the time without touching the version', async () => {
    const member = await createStaff('support');
    const [before] = await sqlRows<{ version: number }>(
      databaseUrl,
      'SELECT version FROM staff WHERE id = $1',
      [member.id],
    );
    const answers = await Promise.all(
      [0, 1, 2].map(() =>
        app.inject({
          method: 'POST',
          url: '/api/admin/auth/login',
          payload: { email: member.body.email, password: member.body.password },
        }),
      ),
    );
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200, 200]);
    const [after] = await sqlRows<{ version: number; last_login_at: Date | null }>(
      databaseUrl,
      'SELECT version, last_login_at FROM staff WHERE id = $1',
      [member.id],
    );
    expect(after!.version).toBe(before!.version);
    expect(after!.last_login_at).toBeInstanceOf(Date);
    expect((await app.inject({ url: `/api/admin/staff/${member.id}`, headers: owner })).json()).toMatchObject(
      {
        lastLoginAt: after!.last_login_at!.toISOString(),
      },
    );
  });

  it('a sign-in leaves the managed entity clean: a later change of it writes no stale time and no conflict', async () => {
    const member = await createStaff('support');
    const em = app.orm.em.fork() as EntityManager;
    const service = new StaffService(em);
    const staff = await service.get(member.id);
    const version = staff.version;
    await service.markSignedIn(staff);
    // Another instance signs the member in again meanwhile: still no conflict for this one's edit.
    await new StaffService(app.orm.em.fork()).markSignedIn(staff);
    const [signedIn] = await sqlRows<{ last_login_at: Date }>(
      databaseUrl,
      'SELECT last_login_at FROM staff WHERE id = $1',
      [member.id],
    );
    staff.firstName = 'Edited';
    await em.flush();
    const [row] = await sqlRows<{ first_name: string; last_login_at: Date; version: number }>(
      databaseUrl,
      'SELECT first_name, last_login_at, version FROM staff WHERE id = $1',
      [member.id],
    );
    expect(row).toEqual({
      first_name: 'Edited',
      last_login_at: signedIn!.last_login_at,
      version: version + 1,
    });
  });

  it('a member disabled after their password was checked gets no session (401, as a wrong password)', async () => {
    const member = await createStaff('support');
    const em = app.orm.em.fork() as EntityManager;
    const staff = await new StaffService(em).authenticate(member.body.email, member.body.password);
    await sqlRows(databaseUrl, 'UPDATE staff SET disabled_at = now() WHERE id = $1', [member.id]);
    await expect(new StaffService(em).markSignedIn(staff)).rejects.toMatchObject({
      code: 'MCART_ERR_INVALID_CREDENTIALS',
    });
  });

  it('refuses a token whose role is no longer the member’s (401), on REST and for the live sockets’ re-check', async () => {
    const member = await createStaff('manager');
    const login = await app.inject({
      method: 'POST',
      url: '/api/admin/auth/login',
      payload: { email: member.body.email, password: member.body.password },
    });
    const { accessToken } = login.json<{ accessToken: string }>();
    const auth = { authorization: `Bearer ${accessToken}` };
    const claims = app.jwt.decode<AccessClaims>(accessToken)!;
    expect(claims.role).toBe('manager');
    // A manager writes the catalog: past the permission check, the empty body is refused (400).
    const write = (headers: { authorization: string }) =>
      app.inject({ method: 'POST', url: '/api/admin/categories', headers, payload: {} });
    expect((await write(auth)).statusCode).toBe(400);
    expect(await app.sessionGuard.isActive(claims)).toBe(true);

    // Demoted without the API (by hand in SQL, a restored backup): nothing revoked the session.
    await sqlRows(databaseUrl, `UPDATE staff SET role = 'support' WHERE id = $1`, [member.id]);
    const stale = await write(auth);
    expect(stale.statusCode).toBe(401);
    expect(stale.json().code).toBe('MCART_ERR_UNAUTHORIZED');
    expect((await app.inject({ url: '/api/admin/products', headers: auth })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/admin/auth/me', headers: auth })).statusCode).toBe(401);
    // The check a connected socket's periodic re-check makes with the role its token carried.
    expect(await app.sessionGuard.isActive(claims)).toBe(false);
    // A refresh mints a token with the current role, which works (for what that role may do).
    const refreshed = await app.inject({
      method: 'POST',
      url: '/api/admin/auth/refresh',
      payload: { refreshToken: login.json().refreshToken },
    });
    expect(refreshed.statusCode).toBe(200);
    const fresh = { authorization: `Bearer ${refreshed.json().accessToken}` };
    expect((await app.inject({ url: '/api/admin/auth/me', headers: fresh })).json().role).toBe('support');
    expect((await write(fresh)).statusCode).toBe(403);
  });
});

describe('audit log', () => {
  it('records sign-ins, failed sign-ins and admin writes without bodies; lists them with filters', async () => {
    await app.inject({
      method: 'POST',
      url: '/api/admin/auth/login',
      headers: { 'x-request-id': 'req-failed-1' },
      payload: { email: TEST_OWNER.email, password: 'definitely wrong' },
    });
    const member = await createStaff('support');
    const failed = await auditRows(`request_id = 'req-failed-1'`);
    expect(failed).toEqual([
      expect.objectContaining({
        action: 'staff.sign_in_failed',
        status: 401,
        staff_id: null,
        route: '/api/admin/auth/login',
        ip: '127.0.0.1',
      }),
    ]);
    const signedIn = await auditRows(`action = 'staff.signed_in' AND staff_id = $1`, [ownerId]);
    expect(signedIn.length).toBeGreaterThan(0);
    const created = await auditRows(`action = 'staff.created'`);
    expect(created.at(-1)).toMatchObject({
      staff_id: ownerId,
      method: 'POST',
      route: '/api/admin/staff',
      status: 201,
      details: { staffId: member.id, role: 'support' },
    });
    // Nothing from the bodies: no password, no e-mail.
    const everything = JSON.stringify(await auditRows());
    expect(everything).not.toContain('staff passphrase here');
    expect(everything).not.toContain('definitely wrong');
    expect(everything).not.toContain(member.body.email);

    const list = await app.inject({
      url: `/api/admin/audit?action=staff.sign_in_failed&perPage=5`,
      headers: owner,
    });
    expect(list.statusCode).toBe(200);
    expect(list.json().total).toBeGreaterThanOrEqual(1);
    expect(list.json().data[0]).toMatchObject({
      action: 'staff.sign_in_failed',
      status: 401,
      requestId: expect.any(String),
    });
    const byStaff = await app.inject({
      url: `/api/admin/audit?staffId=${ownerId}&method=PATCH`,
      headers: owner,
    });
    expect(
      byStaff
        .json()
        .data.every(
          (e: { staffId: string; method: string }) => e.staffId === ownerId && e.method === 'PATCH',
        ),
    ).toBe(true);
    expect(
      (await app.inject({ url: '/api/admin/audit', headers: await signIn(member.body) })).statusCode,
    ).toBe(403);
  });

  it('cannot be edited: no write routes, and the database refuses UPDATE and DELETE', async () => {
    expect((await app.inject({ method: 'DELETE', url: '/api/admin/audit', headers: owner })).statusCode).toBe(
      404,
    );
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await expect(client.query(`UPDATE audit_entry SET action = 'x'`)).rejects.toThrow(/append-only/);
      await expect(client.query(`DELETE FROM audit_entry`)).rejects.toThrow(/append-only/);
    } finally {
      await client.end();
    }
  });
});

describe('customers in the back-office', () => {
  it('lists with search, reads one, and 404s an unknown id', async () => {
    const customer = await registerCustomer(app, { firstName: 'Zebulon', lastName: 'Quixote' });
    const search = await app.inject({ url: '/api/admin/customers?q=zebul', headers: owner });
    expect(search.json()).toMatchObject({
      total: 1,
      data: [{ id: customer.id, firstName: 'Zebulon', disabled: false, providers: [] }],
    });
    expect(
      (
        await app.inject({
          url: `/api/admin/customers?q=${encodeURIComponent(customer.email)}`,
          headers: owner,
        })
      ).json().total,
    ).toBe(1);
    expect((await app.inject({ url: '/api/admin/customers?q=%25', headers: owner })).json().total).toBe(0);
    expect(
      (await app.inject({ url: `/api/admin/customers/${customer.id}`, headers: owner })).json(),
    ).toMatchObject({ email: customer.email, addresses: [] });
    expect(
      (await app.inject({ url: '/api/admin/customers/00000000-0000-4000-8000-000000000000', headers: owner }))
        .statusCode,
    ).toBe(404);
  });
});
