import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { staffToken, TEST_OWNER, useTestApp } from '../app.ts';
import { refreshInFlight, registerCustomer, someoneWaitsOnASessionLock } from './helpers.ts';
import type { Role } from '../../src/modules/identity/permissions.ts';

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
        lastName: '\tPacker ',
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
