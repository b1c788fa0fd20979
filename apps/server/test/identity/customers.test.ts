import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { staffToken, useTestApp } from '../app.ts';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  newCustomer,
  queuedMail,
  refreshInFlight,
  registerCustomer,
  resetMailTo,
  someoneWaitsOnASessionLock,
  sqlRows,
  tokenFrom,
} from './helpers.ts';
import { SessionsService } from '../../src/modules/identity/sessions.service.ts';

const { app, databaseUrl } = await useTestApp({ AUTH_ACCOUNT_LIMIT: '5', AUTH_IP_LIMIT: '1000' });
const mailTo = async (to: string, template: string) =>
  (await queuedMail(app, databaseUrl)).filter((m) => m.to === to && m.template === template);

/** Asks for a password reset and reads the token from its e-mail. */
async function resetToken(email: string): Promise<string> {
  await app.inject({ method: 'POST', url: '/api/store/auth/password-reset', payload: { email } });
  return tokenFrom((await resetMailTo(app, databaseUrl, email))[0]!.data.resetUrl);
}

const sql = <T extends pg.QueryResultRow>(text: string, values: unknown[] = []) =>
  sqlRows<T>(databaseUrl, text, values);

const customerCount = async () =>
  Number((await sql<{ n: string }>('SELECT count(*) AS n FROM customer'))[0]!.n);

describe('registration', () => {
  it('creates the account and signs in (contract shape)', async () => {
    const body = newCustomer({ email: 'Mixed.Case@Example.test' });
    const response = await app.inject({ method: 'POST', url: '/api/store/auth/register', payload: body });
    expect(response.statusCode).toBe(201);
    const json = response.json();
    expect(json).toMatchObject({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      customer: {
        id: expect.any(String),
        email: 'mixed.case@example.test',
        firstName: 'Ada',
        lastName: 'Lovelace',
      },
    });
    const me = await app.inject({
      url: '/api/store/me',
      headers: { authorization: `Bearer ${json.accessToken}` },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      id: json.customer.id,
      email: 'mixed.case@example.test',
      emailVerified: false,
      phone: null,
    });
  });

  it('records the sign-in that registering is (customers list: last sign-in), leaving the version', async () => {
    const body = newCustomer({ email: 'first.sign.in@example.test' });
    const response = await app.inject({ method: 'POST', url: '/api/store/auth/register', payload: body });
    expect(response.statusCode, response.body).toBe(201);
    const [row] = await sql<{ version: number; last_login_at: Date | null }>(
      'SELECT version, last_login_at FROM customer WHERE id = $1',
      [response.json().customer.id],
    );
    expect(row!.last_login_at).toBeInstanceOf(Date);
    expect(Math.abs(row!.last_login_at!.getTime() - Date.now())).toBeLessThan(60_000);
    expect(row!.version).toBe(1);
  });

  it('answers 409 when the e-mail exists (any case)', async () => {
    const first = await registerCustomer(app);
    const again = await app.inject({
      method: 'POST',
      url: '/api/store/auth/register',
      payload: newCustomer({ email: first.email.toUpperCase() }),
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('MCART_ERR_EMAIL_TAKEN');
  });

  it('answers MCART_ERR_EMAIL_TAKEN, not a generic conflict, when the same e-mail commits between the check and the insert', async () => {
    const body = newCustomer();
    // Another registration of the address (a double click, a second tab) holds it, not yet committed: this one
    // finds it free, then its insert waits on the unique key and fails once the other commits.
    const other = new pg.Client({ connectionString: databaseUrl });
    await other.connect();
    await other.query('BEGIN');
    await other.query(
      `INSERT INTO customer (id, created_at, updated_at, email, first_name, last_name, version)
       VALUES (gen_random_uuid(), now(), now(), $1, 'Other', 'Tab', 1)`,
      [body.email],
    );
    const answer = app.inject({ method: 'POST', url: '/api/store/auth/register', payload: body });
    try {
      for (let i = 0; ; i++) {
        const [waiting] = await sql<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%insert%customer%'`,
        );
        if (waiting!.n > 0) break;
        if (i > 250) throw new Error('the registration never reached the unique key');
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
    expect(await sql('SELECT 1 FROM customer WHERE email = $1', [body.email])).toHaveLength(1);
  });

  it('refuses common, short and over-long passwords, bad e-mails and long names; writes nothing', async () => {
    const before = await customerCount();
    const cases: [Record<string, string>, string, string][] = [
      [{ password: 'password123' }, 'MCART_ERR_WEAK_PASSWORD', 'body/password'],
      [{ password: 'Iloveyou1' }, 'MCART_ERR_WEAK_PASSWORD', 'body/password'],
      [{ password: 'short' }, 'MCART_ERR_VALIDATION', 'body/password'],
      [{ password: 'x'.repeat(129) }, 'MCART_ERR_VALIDATION', 'body/password'],
      [{ email: 'not-an-email' }, 'MCART_ERR_VALIDATION', 'body/email'],
      // No dot in the domain: no mail reaches it (the mailer refuses it), so neither does the account's.
      [{ email: 'ann@localhost' }, 'MCART_ERR_VALIDATION', 'body/email'],
      [{ email: `${'a'.repeat(250)}@example.test` }, 'MCART_ERR_VALIDATION', 'body/email'],
      [{ firstName: 'x'.repeat(101) }, 'MCART_ERR_VALIDATION', 'body/firstName'],
    ];
    for (const [overrides, code, path] of cases) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/store/auth/register',
        payload: newCustomer(overrides),
      });
      expect(response.statusCode, JSON.stringify(overrides).slice(0, 40)).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json().code).toBe(code);
      expect(response.json().errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    expect(await customerCount()).toBe(before);
  });

  it('refuses mass assignment of role, id or emailVerified', async () => {
    const before = await customerCount();
    for (const extra of [
      { role: 'owner' },
      { id: '00000000-0000-4000-8000-000000000000' },
      { emailVerified: true },
    ]) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/store/auth/register',
        payload: { ...newCustomer(), ...extra },
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().errors).toEqual([
        { path: `body/${Object.keys(extra)[0]}`, message: 'is not allowed' },
      ]);
    }
    const customer = await registerCustomer(app);
    const patch = await app.inject({
      method: 'PATCH',
      url: '/api/store/me',
      headers: customer.auth,
      payload: { emailVerified: true },
    });
    expect(patch.statusCode).toBe(400);
    expect(await customerCount()).toBe(before + 1);
  });
});

describe('sign-in and tokens', () => {
  it('signs in; a wrong password and an unknown e-mail get the same 401', async () => {
    const customer = await registerCustomer(app);
    const ok = await app.inject({
      method: 'POST',
      url: '/api/store/auth/login',
      payload: { email: customer.email, password: customer.password },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().customer).toEqual({
      id: customer.id,
      email: customer.email,
      firstName: 'Ada',
      lastName: 'Lovelace',
    });
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/store/auth/login',
      payload: { email: customer.email, password: 'not the password!' },
    });
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/store/auth/login',
      payload: { email: 'nobody@example.test', password: 'not the password!' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.body).toBe(
      unknown.body.replace(
        /"instance":"[^"]*"/,
        wrong.json().instance ? `"instance":"${wrong.json().instance}"` : '',
      ),
    );
    expect(wrong.json().code).toBe('MCART_ERR_INVALID_CREDENTIALS');
  });

  it('lets one account sign in several times at once (no 409 stale write) and records the time', async () => {
    const customer = await registerCustomer(app);
    const [before] = await sql<{ version: number }>('SELECT version FROM customer WHERE id = $1', [
      customer.id,
    ]);
    const answers = await Promise.all(
      [0, 1, 2].map(() =>
        app.inject({
          method: 'POST',
          url: '/api/store/auth/login',
          payload: { email: customer.email, password: customer.password },
        }),
      ),
    );
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200, 200]);
    // A sign-in is no edit of the record: its version (the desktop's stale-write check) stays.
    const [after] = await sql<{ version: number; last_login_at: Date | null }>(
      'SELECT version, last_login_at FROM customer WHERE id = $1',
      [customer.id],
    );
    expect(after!.version).toBe(before!.version);
    expect(after!.last_login_at).toBeInstanceOf(Date);
  });

  it('keeps a session alive through several rotations (each new refresh token works once)', async () => {
    const customer = await registerCustomer(app);
    let refreshToken = customer.refreshToken;
    for (let i = 0; i < 3; i++) {
      const next = await app.inject({
        method: 'POST',
        url: '/api/store/auth/refresh',
        payload: { refreshToken },
      });
      expect(next.statusCode, next.body).toBe(200);
      refreshToken = next.json().refreshToken;
    }
    const sessions = await app.inject({
      url: '/api/store/me/sessions',
      headers: { authorization: `Bearer ${customer.accessToken}` },
    });
    expect(sessions.json().data).toHaveLength(1);
  });

  it('rotates refresh tokens; a replay revokes the whole family', async () => {
    const customer = await registerCustomer(app);
    const first = await app.inject({
      method: 'POST',
      url: '/api/store/auth/refresh',
      payload: { refreshToken: customer.refreshToken },
    });
    expect(first.statusCode).toBe(200);
    const rotated = first.json();
    expect(Object.keys(rotated).sort()).toEqual(['accessToken', 'expiresIn', 'refreshToken']);
    const replay = await app.inject({
      method: 'POST',
      url: '/api/store/auth/refresh',
      payload: { refreshToken: customer.refreshToken },
    });
    expect(replay.statusCode).toBe(401);
    const next = await app.inject({
      method: 'POST',
      url: '/api/store/auth/refresh',
      payload: { refreshToken: rotated.refreshToken },
    });
    expect(next.statusCode).toBe(401);
    const me = await app.inject({
      url: '/api/store/me',
      headers: { authorization: `Bearer ${rotated.accessToken}` },
    });
    expect(me.statusCode).toBe(401);
  });

  it('logs out (204) and the access token stops working', async () => {
    const customer = await registerCustomer(app);
    const logout = await app.inject({
      method: 'POST',
      url: '/api/store/auth/logout',
      payload: { refreshToken: customer.refreshToken },
    });
    expect(logout.statusCode).toBe(204);
    expect((await app.inject({ url: '/api/store/me', headers: customer.auth })).statusCode).toBe(401);
  });

  it('refuses tampered, alg:none and staff tokens on store routes', async () => {
    const customer = await registerCustomer(app);
    const [header, payload, signature] = customer.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = Buffer.from(
      JSON.stringify({ ...claims, sub: '00000000-0000-4000-8000-000000000000' }),
    ).toString('base64url');
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    for (const token of [
      `${header}.${forged}.${signature}`,
      `${none}.${payload}.`,
      'garbage',
      await staffToken(app).then((t) => t.slice(7)),
    ]) {
      const response = await app.inject({
        url: '/api/store/me',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.statusCode).toBe(401);
      expect(response.json().code).toBe('MCART_ERR_UNAUTHORIZED');
    }
  });
});

describe('profile, address book and isolation', () => {
  it('refuses names, a phone and address lines of blanks only (400 naming each field); keeps names trimmed', async () => {
    const before = await customerCount();
    const register = await app.inject({
      method: 'POST',
      url: '/api/store/auth/register',
      payload: newCustomer({ firstName: '   ', lastName: '\t' }),
    });
    expect(register.statusCode).toBe(400);
    expect(register.json().errors).toEqual([
      { path: 'body/firstName', message: 'must not be blank' },
      { path: 'body/lastName', message: 'must not be blank' },
    ]);
    expect(await customerCount()).toBe(before);

    const customer = await registerCustomer(app, { firstName: '  Ada ', lastName: ' Lovelace  ' });
    const me = async () => (await app.inject({ url: '/api/store/me', headers: customer.auth })).json();
    expect(await me()).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace', phone: null });
    const blankName = await app.inject({
      method: 'PATCH',
      url: '/api/store/me',
      headers: customer.auth,
      payload: { firstName: ' \n ' },
    });
    expect(blankName.statusCode).toBe(400);
    expect(blankName.json().errors).toEqual([{ path: 'body/firstName', message: 'must not be blank' }]);
    const blankPhone = await app.inject({
      method: 'PATCH',
      url: '/api/store/me',
      headers: customer.auth,
      payload: { phone: '      ' },
    });
    expect(blankPhone.statusCode).toBe(400);
    expect(blankPhone.json().errors.map((e: { path: string }) => e.path)).toEqual(['body/phone']);
    expect(await me()).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace', phone: null });

    const blankAddress = await app.inject({
      method: 'POST',
      url: '/api/store/me/addresses',
      headers: customer.auth,
      payload: { name: ' ', line1: '  ', city: '\t', postalCode: ' ', country: 'FR' },
    });
    expect(blankAddress.statusCode).toBe(400);
    expect(blankAddress.json().errors).toEqual([
      { path: 'body/name', message: 'must not be blank' },
      { path: 'body/line1', message: 'must not be blank' },
      { path: 'body/city', message: 'must not be blank' },
      { path: 'body/postalCode', message: 'must not be blank' },
    ]);
    expect((await app.inject({ url: '/api/store/me/addresses', headers: customer.auth })).json().total).toBe(
      0,
    );
  });

  it('refuses names and address lines holding line breaks, tabs or other control characters (400 naming each field)', async () => {
    const controls = 'must not hold line breaks, tabs or other control characters';
    const before = await customerCount();
    // Names are printed in the store's plain-text e-mails: a line break would give the sender a line of their own.
    const register = await app.inject({
      method: 'POST',
      url: '/api/store/auth/register',
      payload: newCustomer({
        firstName: 'Ada,\n\nURGENT: your card was charged $950. Dispute it at http://evil.example/refund\n\n',
        lastName: 'Love\rlace',
      }),
    });
    expect(register.statusCode).toBe(400);
    expect(register.json().errors).toEqual([
      { path: 'body/firstName', message: controls },
      { path: 'body/lastName', message: controls },
    ]);
    expect(await customerCount()).toBe(before);

    const customer = await registerCustomer(app);
    for (const firstName of ['Ada\tB', 'Ada\u0085', 'Ada\u2028Evil', 'Ada\u001b[31m', 'Ada\u007f']) {
      const renamed = await app.inject({
        method: 'PATCH',
        url: '/api/store/me',
        headers: customer.auth,
        payload: { firstName },
      });
      expect(renamed.statusCode, JSON.stringify(firstName)).toBe(400);
      expect(renamed.json().errors).toEqual([{ path: 'body/firstName', message: controls }]);
    }
    expect((await app.inject({ url: '/api/store/me', headers: customer.auth })).json().firstName).toBe('Ada');

    const address = {
      name: 'Ada\nLovelace',
      company: 'Analytical\r\nEngines',
      line1: '12 St James\u2029Square',
      line2: 'Flat\t2',
      city: 'London\n',
      region: 'Greater\u0085London',
      postalCode: 'SW1Y\n4JH',
      country: 'GB',
    };
    const added = await app.inject({
      method: 'POST',
      url: '/api/store/me/addresses',
      headers: customer.auth,
      payload: address,
    });
    expect(added.statusCode).toBe(400);
    expect(added.json().errors).toEqual(
      ['name', 'company', 'line1', 'line2', 'city', 'region', 'postalCode'].map((field) => ({
        path: `body/${field}`,
        message: controls,
      })),
    );
    const clean = {
      name: 'Ada Lovelace',
      line1: '12 St James Square',
      city: 'London',
      postalCode: 'SW1Y 4JH',
      country: 'GB',
    };
    const kept = await app.inject({
      method: 'POST',
      url: '/api/store/me/addresses',
      headers: customer.auth,
      payload: clean,
    });
    expect(kept.statusCode, kept.body).toBe(201);
    const edited = await app.inject({
      method: 'PATCH',
      url: `/api/store/me/addresses/${kept.json().id}`,
      headers: customer.auth,
      payload: { line2: 'Flat 2\nURGENT' },
    });
    expect(edited.statusCode).toBe(400);
    expect(edited.json().errors).toEqual([{ path: 'body/line2', message: controls }]);
    expect(
      (await app.inject({ url: '/api/store/me/addresses', headers: customer.auth })).json().data,
    ).toEqual([expect.objectContaining(clean)]);
  });

  it('updates the profile; the phone is returned decrypted and stored sealed', async () => {
    const customer = await registerCustomer(app);
    const patch = await app.inject({
      method: 'PATCH',
      url: '/api/store/me',
      headers: customer.auth,
      payload: { phone: '+1 555 010 9999', firstName: 'Grace' },
    });
    expect(patch.statusCode).toBe(200);
    expect(patch.json()).toMatchObject({ firstName: 'Grace', phone: '+1 555 010 9999' });
    const [row] = await sql<{ phone: string }>('SELECT phone FROM customer WHERE id = $1', [customer.id]);
    expect(row!.phone).toMatch(/^v1\.k1\./);
  });

  it('keeps an address book; other customers get 404 for its ids', async () => {
    const alice = await registerCustomer(app);
    const bob = await registerCustomer(app);
    const address = {
      name: 'Alice Liddell',
      line1: '7 Looking Glass Lane',
      city: 'Oxford',
      postalCode: 'OX1 1AA',
      country: 'GB',
      phone: '+44 1865 000000',
    };
    const created = await app.inject({
      method: 'POST',
      url: '/api/store/me/addresses',
      headers: alice.auth,
      payload: address,
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    expect(created.json()).toMatchObject({ ...address, isDefault: true });
    const second = await app.inject({
      method: 'POST',
      url: '/api/store/me/addresses',
      headers: alice.auth,
      payload: { ...address, line1: '1 Other St', isDefault: true },
    });
    const list = (await app.inject({ url: '/api/store/me/addresses', headers: alice.auth })).json();
    expect(list.total).toBe(2);
    expect(list.data.find((a: { id: string }) => a.id === second.json().id).isDefault).toBe(true);
    expect(list.data.find((a: { id: string }) => a.id === id).isDefault).toBe(false);

    const patched = await app.inject({
      method: 'PATCH',
      url: `/api/store/me/addresses/${id}`,
      headers: alice.auth,
      payload: { city: 'Cambridge' },
    });
    expect(patched.json()).toMatchObject({ city: 'Cambridge', line1: '7 Looking Glass Lane' });
    expect(
      (
        await app.inject({
          method: 'PATCH',
          url: `/api/store/me/addresses/${id}`,
          headers: alice.auth,
          payload: { country: 'Britain' },
        })
      ).statusCode,
    ).toBe(400);

    // Bob cannot read, change or delete Alice's address: it does not exist for him.
    expect((await app.inject({ url: `/api/store/me/addresses/${id}`, headers: bob.auth })).statusCode).toBe(
      404,
    );
    expect(
      (
        await app.inject({
          method: 'PATCH',
          url: `/api/store/me/addresses/${id}`,
          headers: bob.auth,
          payload: { city: 'X' },
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (await app.inject({ method: 'DELETE', url: `/api/store/me/addresses/${id}`, headers: bob.auth }))
        .statusCode,
    ).toBe(404);
    expect((await app.inject({ url: '/api/store/me/addresses', headers: bob.auth })).json().total).toBe(0);

    expect(
      (await app.inject({ method: 'DELETE', url: `/api/store/me/addresses/${id}`, headers: alice.auth }))
        .statusCode,
    ).toBe(204);
    expect((await app.inject({ url: `/api/store/me/addresses/${id}`, headers: alice.auth })).statusCode).toBe(
      404,
    );
    expect((await app.inject({ url: '/api/store/me/addresses' })).statusCode).toBe(401);
  });

  it('keeps a company and a region; a US or Canadian region, when given, is its state or province code', async () => {
    const dana = await registerCustomer(app);
    const write = (method: 'POST' | 'PATCH', url: string, payload: Record<string, unknown>) =>
      app.inject({ method, url, headers: dana.auth, payload });
    const us = {
      name: 'Dana Scully',
      company: '  FBI Field Office ',
      line1: '935 Pennsylvania Ave NW',
      city: 'Washington',
      postalCode: '20535',
      country: 'US',
    };
    const spelled = await write('POST', '/api/store/me/addresses', { ...us, region: 'District of Columbia' });
    expect(spelled.statusCode).toBe(400);
    expect(spelled.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(spelled.json()).toMatchObject({
      code: 'MCART_ERR_VALIDATION',
      errors: [{ path: 'body/region', message: 'must be a 2-letter US state code (e.g. IL)' }],
    });
    expect((await app.inject({ url: '/api/store/me/addresses', headers: dana.auth })).json().total).toBe(0);

    const created = await write('POST', '/api/store/me/addresses', { ...us, region: 'dc' });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ company: 'FBI Field Office', region: 'DC', country: 'US' });
    const id = created.json().id;
    // Sealed with the rest of the address.
    const [row] = await sql<{ sealed: string }>('SELECT sealed FROM customer_address WHERE id = $1', [id]);
    expect(row!.sealed).not.toContain('FBI Field');
    // The address as it would become is checked: DC is no Canadian province.
    const moved = await write('PATCH', `/api/store/me/addresses/${id}`, { country: 'CA', city: 'Ottawa' });
    expect(moved.statusCode).toBe(400);
    expect(moved.json()).toMatchObject({ errors: [{ path: 'body/region' }] });
    const ottawa = await write('PATCH', `/api/store/me/addresses/${id}`, {
      country: 'CA',
      city: 'Ottawa',
      region: ' on',
      postalCode: 'K1A 0B1',
    });
    expect(ottawa.statusCode, ottawa.body).toBe(200);
    expect(ottawa.json()).toMatchObject({ city: 'Ottawa', region: 'ON', company: 'FBI Field Office' });

    // Elsewhere optional free text; blank company and region are left out.
    const kent = await write('POST', '/api/store/me/addresses', {
      name: 'Dana Scully',
      company: ' ',
      line1: '1 High St',
      city: 'Canterbury',
      region: '  Kent ',
      postalCode: 'CT1 1AA',
      country: 'GB',
    });
    expect(kent.statusCode, kent.body).toBe(201);
    expect(kent.json()).toMatchObject({ region: 'Kent' });
    expect(kent.json()).not.toHaveProperty('company');
    const cleared = await write('PATCH', `/api/store/me/addresses/${kent.json().id}`, { region: '' });
    expect(cleared.json()).not.toHaveProperty('region');
    const plain = await write('POST', '/api/store/me/addresses', {
      name: 'Dana Scully',
      line1: '2 High St',
      city: 'Canterbury',
      postalCode: 'CT1 1AA',
      country: 'GB',
    });
    expect(plain.statusCode).toBe(201);
    // A US address without its state is taken (the checkout's contract address has no region either).
    const stateless = await write('POST', '/api/store/me/addresses', us);
    expect(stateless.statusCode, stateless.body).toBe(201);
    expect(stateless.json()).not.toHaveProperty('region');
  });

  it('keeps a default address: deleting the default makes the oldest remaining one the default', async () => {
    const carol = await registerCustomer(app);
    const add = async (line1: string, isDefault = false) =>
      (
        await app.inject({
          method: 'POST',
          url: '/api/store/me/addresses',
          headers: carol.auth,
          payload: { name: 'Carol', line1, city: 'Leeds', postalCode: 'LS1 1AA', country: 'GB', isDefault },
        })
      ).json<{ id: string }>().id;
    await add('1 First St'); // the first address is the default
    await add('2 Second St');
    const third = await add('3 Third St', true);
    const defaults = async () =>
      (await app.inject({ url: '/api/store/me/addresses', headers: carol.auth }))
        .json<{ data: { line1: string; isDefault: boolean }[] }>()
        .data.map((a) => [a.line1, a.isDefault]);
    expect(await defaults()).toEqual([
      ['1 First St', false],
      ['2 Second St', false],
      ['3 Third St', true],
    ]);
    const deleted = await app.inject({
      method: 'DELETE',
      url: `/api/store/me/addresses/${third}`,
      headers: carol.auth,
    });
    expect(deleted.statusCode).toBe(204);
    expect(await defaults()).toEqual([
      ['1 First St', true],
      ['2 Second St', false],
    ]);
    // A malformed id is a documented 400 problem, not a 404 or a 500.
    const malformed = await app.inject({ url: '/api/store/me/addresses/not-a-uuid', headers: carol.auth });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({
      code: 'MCART_ERR_VALIDATION',
      errors: [{ path: 'params/id' }],
    });
  });

  it('lists sessions and ends one (another customer cannot)', async () => {
    const customer = await registerCustomer(app);
    const other = await registerCustomer(app);
    const second = (
      await app.inject({
        method: 'POST',
        url: '/api/store/auth/login',
        headers: { 'user-agent': 'phone' },
        payload: { email: customer.email, password: customer.password },
      })
    ).json();
    const sessions = (await app.inject({ url: '/api/store/me/sessions', headers: customer.auth })).json()
      .data;
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    const phone = sessions.find((s: { userAgent: string | null }) => s.userAgent === 'phone');
    expect(
      (await app.inject({ method: 'DELETE', url: `/api/store/me/sessions/${phone.id}`, headers: other.auth }))
        .statusCode,
    ).toBe(404);
    expect(
      (
        await app.inject({
          method: 'DELETE',
          url: `/api/store/me/sessions/${phone.id}`,
          headers: customer.auth,
        })
      ).statusCode,
    ).toBe(204);
    expect(
      (await app.inject({ url: '/api/store/me', headers: { authorization: `Bearer ${second.accessToken}` } }))
        .statusCode,
    ).toBe(401);
    expect((await app.inject({ url: '/api/store/me', headers: customer.auth })).statusCode).toBe(200);
  });

  it('keeps one default address when several are saved at once (each was the first, or the default)', async () => {
    const dave = await registerCustomer(app);
    const address = (line1: string, isDefault?: boolean) => ({
      name: 'Dave',
      line1,
      city: 'Lyon',
      postalCode: '69001',
      country: 'FR',
      ...(isDefault === undefined ? {} : { isDefault }),
    });
    const save = (payload: object) =>
      app.inject({ method: 'POST', url: '/api/store/me/addresses', headers: dave.auth, payload });
    const first = await Promise.all([1, 2, 3, 4].map((n) => save(address(`${n} Rue Neuve`))));
    expect(first.map((answer) => answer.statusCode)).toEqual([201, 201, 201, 201]);
    const defaults = async () =>
      (await app.inject({ url: '/api/store/me/addresses', headers: dave.auth }))
        .json<{ data: { isDefault: boolean }[] }>()
        .data.filter((a) => a.isDefault).length;
    expect(await defaults()).toBe(1);
    // Each asking to be the default, at once: one is.
    await Promise.all([5, 6, 7].map((n) => save(address(`${n} Rue Neuve`, true))));
    expect(await defaults()).toBe(1);
  });

  it('holds at most 100 addresses (409 MCART_ERR_ADDRESS_BOOK_FULL); deleting one makes room', async () => {
    const erin = await registerCustomer(app);
    const payload = { name: 'Erin', line1: '1 Main St', city: 'Cork', postalCode: 'T12', country: 'IE' };
    const add = () =>
      app.inject({ method: 'POST', url: '/api/store/me/addresses', headers: erin.auth, payload });
    const one = (await add()).json<{ id: string }>();
    await sql(
      `INSERT INTO customer_address (id, created_at, updated_at, customer_id, sealed, is_default)
       SELECT gen_random_uuid(), now(), now(), customer_id, sealed, false FROM customer_address, generate_series(1, 99)
        WHERE id = $1`,
      [one.id],
    );
    const full = await add();
    expect(full.statusCode).toBe(409);
    expect(full.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(full.json()).toMatchObject({
      code: 'MCART_ERR_ADDRESS_BOOK_FULL',
      detail: expect.stringContaining('at most 100'),
    });
    const [{ n }] = (await sql<{ n: number }>(
      'SELECT count(*)::int AS n FROM customer_address WHERE customer_id = $1',
      [erin.id],
    )) as [{ n: number }];
    expect(n).toBe(100);
    await app.inject({ method: 'DELETE', url: `/api/store/me/addresses/${one.id}`, headers: erin.auth });
    expect((await add()).statusCode).toBe(201);
  });

  it('tells an account without a password (made by a social sign-in) how to set one: 409 MCART_ERR_NO_PASSWORD', async () => {
    const social = await registerCustomer(app);
    await sql('UPDATE customer SET password_hash = NULL WHERE id = $1', [social.id]);
    const change = await app.inject({
      method: 'POST',
      url: '/api/store/me/password',
      headers: social.auth,
      payload: { currentPassword: 'anything at all', newPassword: 'a brand new passphrase' },
    });
    expect(change.statusCode).toBe(409);
    expect(change.json()).toMatchObject({
      code: 'MCART_ERR_NO_PASSWORD',
      detail: expect.stringContaining('/api/store/auth/password-reset'),
    });
    // Nothing changed: the session goes on, still without a password.
    const me = await app.inject({ url: '/api/store/me', headers: social.auth });
    expect(me.json().hasPassword).toBe(false);
  });

  it('changes the password: needs the current one, ends every session, returns fresh tokens', async () => {
    const customer = await registerCustomer(app);
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/store/me/password',
      headers: customer.auth,
      payload: { currentPassword: 'nope nope nope', newPassword: 'a brand new passphrase' },
    });
    expect(wrong.statusCode).toBe(403);
    const common = await app.inject({
      method: 'POST',
      url: '/api/store/me/password',
      headers: customer.auth,
      payload: { currentPassword: customer.password, newPassword: 'qwertyuiop' },
    });
    expect(common.json().code).toBe('MCART_ERR_WEAK_PASSWORD');
    const changed = await app.inject({
      method: 'POST',
      url: '/api/store/me/password',
      headers: customer.auth,
      payload: { currentPassword: customer.password, newPassword: 'a brand new passphrase' },
    });
    expect(changed.statusCode).toBe(200);
    expect((await app.inject({ url: '/api/store/me', headers: customer.auth })).statusCode).toBe(401);
    expect(
      (
        await app.inject({
          url: '/api/store/me',
          headers: { authorization: `Bearer ${changed.json().accessToken}` },
        })
      ).statusCode,
    ).toBe(200);
    const old = await app.inject({
      method: 'POST',
      url: '/api/store/auth/login',
      payload: { email: customer.email, password: customer.password },
    });
    expect(old.statusCode).toBe(401);
  });
});

describe('sessions ending while a refresh is in flight', () => {
  const refresh = async (refreshToken: string) =>
    (await app.inject({ method: 'POST', url: '/api/store/auth/refresh', payload: { refreshToken } }))
      .statusCode;

  it('a password change waits for a refresh in flight and ends the session it continues', async () => {
    const customer = await registerCustomer(app);
    // A stolen refresh token is being refreshed exactly while the owner changes the password.
    const inFlight = await refreshInFlight(app, 'customer', customer.refreshToken);
    const change = app.inject({
      method: 'POST',
      url: '/api/store/me/password',
      headers: customer.auth,
      payload: { currentPassword: customer.password, newPassword: 'a brand new owner passphrase' },
    });
    try {
      expect(await someoneWaitsOnASessionLock(databaseUrl)).toBe(true);
    } finally {
      inFlight.release();
    }
    await inFlight.done;
    const changed = await change;
    expect(changed.statusCode, changed.body).toBe(200);
    // The successor the refresh committed is revoked with the rest; the pair the change returned works.
    expect(await refresh(inFlight.refreshToken)).toBe(401);
    expect(await refresh(changed.json().refreshToken)).toBe(200);
  });

  it('a password reset waits for a refresh in flight and ends the session it continues', async () => {
    const customer = await registerCustomer(app);
    const token = await resetToken(customer.email);
    const inFlight = await refreshInFlight(app, 'customer', customer.refreshToken);
    const reset = app.inject({
      method: 'POST',
      url: '/api/store/auth/password-reset/confirm',
      payload: { token, password: 'a brand new owner passphrase' },
    });
    try {
      expect(await someoneWaitsOnASessionLock(databaseUrl)).toBe(true);
    } finally {
      inFlight.release();
    }
    await inFlight.done;
    expect((await reset).statusCode).toBe(204);
    expect(await refresh(inFlight.refreshToken)).toBe(401);
  });

  it('logging out, or signing the device out from another one, ends the session whose refresh is in flight', async () => {
    const customer = await registerCustomer(app);
    const inFlight = await refreshInFlight(app, 'customer', customer.refreshToken);
    const logout = app.inject({
      method: 'POST',
      url: '/api/store/auth/logout',
      payload: { refreshToken: customer.refreshToken },
    });
    try {
      expect(await someoneWaitsOnASessionLock(databaseUrl)).toBe(true);
    } finally {
      inFlight.release();
    }
    await inFlight.done;
    expect((await logout).statusCode).toBe(204);
    expect(await refresh(inFlight.refreshToken)).toBe(401);

    // The same from another device: DELETE /api/store/me/sessions/{id}.
    const phone = (
      await app.inject({
        method: 'POST',
        url: '/api/store/auth/login',
        payload: { email: customer.email, password: customer.password },
      })
    ).json();
    const laptop = (
      await app.inject({
        method: 'POST',
        url: '/api/store/auth/login',
        payload: { email: customer.email, password: customer.password },
      })
    ).json();
    const laptopAuth = { authorization: `Bearer ${laptop.accessToken}` };
    const sessions = (await app.inject({ url: '/api/store/me/sessions', headers: laptopAuth })).json().data;
    const phoneSession = sessions.find((session: { current: boolean }) => !session.current);
    const phoneRefresh = await refreshInFlight(app, 'customer', phone.refreshToken);
    const signOut = app.inject({
      method: 'DELETE',
      url: `/api/store/me/sessions/${phoneSession.id}`,
      headers: laptopAuth,
    });
    try {
      expect(await someoneWaitsOnASessionLock(databaseUrl)).toBe(true);
    } finally {
      phoneRefresh.release();
    }
    await phoneRefresh.done;
    expect((await signOut).statusCode).toBe(204);
    expect(await refresh(phoneRefresh.refreshToken)).toBe(401);
    expect((await app.inject({ url: '/api/store/me', headers: laptopAuth })).statusCode).toBe(200);
  });

  it('a refresh that reaches the session after its revocation has locked it finds the token revoked (401)', async () => {
    const customer = await registerCustomer(app);
    // Every session of the account is being ended (what a password change does), not committed yet.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const revoked = new Promise<void>((resolve) => (locked = resolve));
    const revoking = (app.orm.em.fork() as EntityManager).transactional(async (tx) => {
      await new SessionsService(tx).revokeAllFor('customer', customer.id);
      locked();
      await gate;
    });
    await revoked;
    const refreshing = refresh(customer.refreshToken);
    try {
      expect(await someoneWaitsOnASessionLock(databaseUrl)).toBe(true);
    } finally {
      release();
    }
    await revoking;
    expect(await refreshing).toBe(401);
    expect((await app.inject({ url: '/api/store/me', headers: customer.auth })).statusCode).toBe(401);
  });
});

describe('caching', () => {
  it('lets no browser, app or proxy keep tokens or personal data (Cache-Control: no-store)', async () => {
    const body = newCustomer();
    const registered = await app.inject({ method: 'POST', url: '/api/store/auth/register', payload: body });
    const login = await app.inject({
      method: 'POST',
      url: '/api/store/auth/login',
      payload: { email: body.email, password: body.password },
    });
    const auth = { authorization: `Bearer ${login.json().accessToken}` };
    const answers = [
      registered,
      login,
      await app.inject({
        method: 'POST',
        url: '/api/store/auth/refresh',
        payload: { refreshToken: login.json().refreshToken },
      }),
      await app.inject({ url: '/api/store/me', headers: auth }),
      await app.inject({ url: '/api/store/me/addresses', headers: auth }),
      await app.inject({ url: '/api/store/me/sessions', headers: auth }),
      await app.inject({ url: '/api/store/me' }),
    ];
    expect(answers.map((answer) => answer.statusCode)).toEqual([201, 200, 200, 200, 200, 200, 401]);
    for (const answer of answers) expect(answer.headers['cache-control']).toBe('no-store');
  });
});

describe('e-mailed tokens', () => {
  it('resets a password with a single-use link; unknown e-mails get the same 202 and no mail', async () => {
    const customer = await registerCustomer(app);
    const before = (await queuedMail(app, databaseUrl)).length;
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/store/auth/password-reset',
      payload: { email: 'ghost@example.test' },
    });
    expect(unknown.statusCode).toBe(202);
    const request = await app.inject({
      method: 'POST',
      url: '/api/store/auth/password-reset',
      payload: { email: customer.email },
    });
    expect(request.statusCode).toBe(202);
    const sent = await resetMailTo(app, databaseUrl, customer.email);
    expect(sent).toHaveLength(1);
    // One e-mail in all: none for the unknown address (asked for first).
    expect((await queuedMail(app, databaseUrl)).length).toBe(before + 1);
    expect(sent[0]!.data.resetUrl).toMatch(/^http:\/\/localhost:\d+\/reset-password\?token=/);
    const token = tokenFrom(sent[0]!.data.resetUrl);
    // Only the token's hash is stored; the e-mail itself is sealed.
    expect(JSON.stringify(await sql('SELECT * FROM account_token'))).not.toContain(token);
    expect(JSON.stringify(await sql('SELECT * FROM outgoing_mail'))).not.toContain(token);

    const weak = await app.inject({
      method: 'POST',
      url: '/api/store/auth/password-reset/confirm',
      payload: { token, password: 'password1' },
    });
    expect(weak.json().code).toBe('MCART_ERR_WEAK_PASSWORD');
    const reset = await app.inject({
      method: 'POST',
      url: '/api/store/auth/password-reset/confirm',
      payload: { token, password: 'the reset passphrase' },
    });
    expect(reset.statusCode).toBe(204);
    expect((await app.inject({ url: '/api/store/me', headers: customer.auth })).statusCode).toBe(401);
    const again = await app.inject({
      method: 'POST',
      url: '/api/store/auth/password-reset/confirm',
      payload: { token, password: 'another passphrase' },
    });
    expect(again.statusCode).toBe(400);
    expect(again.json()).toMatchObject({
      code: 'MCART_ERR_INVALID_TOKEN',
      errors: [{ path: 'body/token', message: 'is invalid, used or expired' }],
    });
    const login = await app.inject({
      method: 'POST',
      url: '/api/store/auth/login',
      payload: { email: customer.email, password: 'the reset passphrase' },
    });
    expect(login.statusCode).toBe(200);
  });

  it('retires a reset link asked for before the password was changed', async () => {
    const customer = await registerCustomer(app);
    const token = await resetToken(customer.email);
    const changed = await app.inject({
      method: 'POST',
      url: '/api/store/me/password',
      headers: customer.auth,
      payload: { currentPassword: customer.password, newPassword: 'a changed passphrase' },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    const reset = await app.inject({
      method: 'POST',
      url: '/api/store/auth/password-reset/confirm',
      payload: { token, password: 'the reset passphrase' },
    });
    expect(reset.json().code).toBe('MCART_ERR_INVALID_TOKEN');
  });

  it('a reset that fails after spending its link leaves the link usable (one transaction)', async () => {
    const customer = await registerCustomer(app);
    const token = await resetToken(customer.email);
    // Fails at its last step (the sessions' end), after the token was spent.
    const revokeAllFor = SessionsService.prototype.revokeAllFor;
    SessionsService.prototype.revokeAllFor = async function () {
      throw new Error('the database went away');
    };
    try {
      const failed = await app.inject({
        method: 'POST',
        url: '/api/store/auth/password-reset/confirm',
        payload: { token, password: 'the reset passphrase' },
      });
      expect(failed.statusCode).toBe(500);
    } finally {
      SessionsService.prototype.revokeAllFor = revokeAllFor;
    }
    const [row] = await sql<{ used_at: Date | null }>(
      `SELECT used_at FROM account_token WHERE customer_id = $1 AND purpose = 'password_reset'`,
      [customer.id],
    );
    expect(row!.used_at).toBeNull();
    const reset = await app.inject({
      method: 'POST',
      url: '/api/store/auth/password-reset/confirm',
      payload: { token, password: 'the reset passphrase' },
    });
    expect(reset.statusCode, reset.body).toBe(204);
  });

  it('refuses an expired reset token', async () => {
    const customer = await registerCustomer(app);
    const token = await resetToken(customer.email);
    await sql(`UPDATE account_token SET expires_at = now() - interval '1 second' WHERE customer_id = $1`, [
      customer.id,
    ]);
    const response = await app.inject({
      method: 'POST',
      url: '/api/store/auth/password-reset/confirm',
      payload: { token, password: 'the reset passphrase' },
    });
    expect(response.json().code).toBe('MCART_ERR_INVALID_TOKEN');
  });

  it('verifies the e-mail address with the link sent at registration', async () => {
    const customer = await registerCustomer(app);
    const sent = await mailTo(customer.email, 'verify-email');
    expect(sent).toHaveLength(1);
    const token = tokenFrom(sent[0]!.data.verifyUrl);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/store/auth/verify-email',
          payload: { token: 'forged' },
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (await app.inject({ method: 'POST', url: '/api/store/auth/verify-email', payload: { token } }))
        .statusCode,
    ).toBe(204);
    expect((await app.inject({ url: '/api/store/me', headers: customer.auth })).json().emailVerified).toBe(
      true,
    );
    expect(
      (await app.inject({ method: 'POST', url: '/api/store/auth/verify-email', payload: { token } }))
        .statusCode,
    ).toBe(400);
  });
});

describe('brute force', () => {
  it('limits token refreshes per address as the staff refresh does: 60 a minute, then 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/store/auth/refresh',
        remoteAddress: '198.51.100.61',
        payload: { refreshToken: `not-a-token-${i}`.padEnd(43, 'x') },
      });
      statuses.push(response.statusCode);
    }
    expect(statuses.slice(0, 60).every((status) => status === 401)).toBe(true);
    expect(statuses[60]).toBe(429);
  });

  it('limits login attempts per account with 429 and Retry-After, counted in PostgreSQL', async () => {
    const customer = await registerCustomer(app);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/store/auth/login',
        payload: { email: customer.email, password: `wrong guess ${i}` },
      });
      statuses.push(response.statusCode);
      if (response.statusCode === 429) {
        expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
        expect(response.json().code).toBe('MCART_ERR_RATE_LIMITED');
      }
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    // Even the right password is refused now: the counter lives in the database, not in this process.
    const right = await app.inject({
      method: 'POST',
      url: '/api/store/auth/login',
      payload: { email: customer.email, password: customer.password },
    });
    expect(right.statusCode).toBe(429);
    expect((await sql('SELECT * FROM auth_attempt_counter')).length).toBeGreaterThan(0);
    expect(JSON.stringify(await sql('SELECT * FROM auth_attempt_counter'))).not.toContain(customer.email);
  });

  it('limits password reset requests per account', async () => {
    const customer = await registerCustomer(app);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push(
        (
          await app.inject({
            method: 'POST',
            url: '/api/store/auth/password-reset',
            payload: { email: customer.email },
          })
        ).statusCode,
      );
    }
    expect(statuses.at(-1)).toBe(429);
  });
});

describe('social sign-in when no provider is configured (and no OAUTH_RETURN_URL)', () => {
  it('answers the start and the callback with a problem naming the reason, never a bare 404 or 500', async () => {
    for (const url of [
      '/api/store/auth/oauth/facebook',
      '/api/store/auth/oauth/twitter/callback?code=abc&state=def',
    ]) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({
        code: 'MCART_ERR_UNKNOWN_PROVIDER',
        title: 'This sign-in provider is not configured',
        detail: expect.stringContaining('GET /api/store/auth/oauth/providers'),
      });
    }
    expect((await app.inject({ url: '/api/store/auth/oauth/providers' })).json()).toEqual({ data: [] });
  });
});

describe('disabled accounts', () => {
  it('a customer disabled by staff loses every session and cannot sign in', async () => {
    const customer = await registerCustomer(app);
    const owner = await staffToken(app);
    const disable = await app.inject({
      method: 'PATCH',
      url: `/api/admin/customers/${customer.id}`,
      headers: { authorization: owner },
      payload: { disabled: true },
    });
    expect(disable.statusCode).toBe(200);
    expect(disable.json().disabled).toBe(true);
    expect((await app.inject({ url: '/api/store/me', headers: customer.auth })).statusCode).toBe(401);
    const refresh = await app.inject({
      method: 'POST',
      url: '/api/store/auth/refresh',
      payload: { refreshToken: customer.refreshToken },
    });
    expect(refresh.statusCode).toBe(401);
    const login = await app.inject({
      method: 'POST',
      url: '/api/store/auth/login',
      payload: { email: customer.email, password: customer.password },
    });
    expect(login.statusCode).toBe(401);
  });

  it('disabling retires the reset links not used yet: none sets a password, even once enabled again', async () => {
    const customer = await registerCustomer(app);
    const token = await resetToken(customer.email);
    const owner = { authorization: await staffToken(app) };
    const setDisabled = (disabled: boolean) =>
      app.inject({
        method: 'PATCH',
        url: `/api/admin/customers/${customer.id}`,
        headers: owner,
        payload: { disabled },
      });
    expect((await setDisabled(true)).statusCode).toBe(200);
    const pending = () =>
      sql(
        `SELECT 1 FROM account_token WHERE customer_id = $1 AND purpose = 'password_reset' AND used_at IS NULL`,
        [customer.id],
      );
    expect(await pending()).toEqual([]);
    expect((await setDisabled(false)).statusCode).toBe(200);
    const confirm = await app.inject({
      method: 'POST',
      url: '/api/store/auth/password-reset/confirm',
      payload: { token, password: 'the attacker passphrase' },
    });
    expect(confirm.json().code).toBe('MCART_ERR_INVALID_TOKEN');
    const login = await app.inject({
      method: 'POST',
      url: '/api/store/auth/login',
      payload: { email: customer.email, password: customer.password },
    });
    expect(login.statusCode).toBe(200);
  });
});
