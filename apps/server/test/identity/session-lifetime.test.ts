import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { createOrm } from '../../src/platform/db.ts';
import { TEST_OWNER, useTestApp } from '../app.ts';
import { createTestDatabase } from '../database.ts';
import { registerCustomer, sqlRows } from './helpers.ts';
import { SessionsService } from '../../src/modules/identity/sessions.service.ts';

/*
 * ADR 0004: a session (refresh-token family) ends a fixed time after its sign-in, however often it is refreshed.
 * Here staff sessions last 2 hours and customer sessions 7 days; a session is made older by moving its start back.
 */
const { app, databaseUrl } = await useTestApp({
  STAFF_SESSION_MAX_HOURS: '2',
  CUSTOMER_SESSION_MAX_DAYS: '7',
});

/** The session (family) an access token belongs to: its `sid` claim. */
const sidOf = (accessToken: string): string =>
  JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()).sid as string;

/** Moves the sign-in of a session back in time, as if it had started `interval` earlier. */
const age = (familyId: string, interval: string) =>
  sqlRows(
    databaseUrl,
    `UPDATE auth_session SET family_started_at = family_started_at - $2::interval,
                             created_at = created_at - $2::interval WHERE family_id = $1`,
    [familyId, interval],
  );

const staffSignIn = async () => {
  const response = await app.inject({ method: 'POST', url: '/api/admin/auth/login', payload: TEST_OWNER });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ accessToken: string; refreshToken: string }>();
};
const refresh = (kind: 'admin' | 'store', refreshToken: string) =>
  app.inject({ method: 'POST', url: `/api/${kind}/auth/refresh`, payload: { refreshToken } });

describe('session lifetime from sign-in', () => {
  it('ends a staff session 2 hours after sign-in however often it was refreshed: 401 MCART_ERR_SESSION_EXPIRED', async () => {
    const signedIn = await staffSignIn();
    const familyId = sidOf(signedIn.accessToken);
    // Refreshed all along (the desktop does every 15 minutes): each successor keeps the sign-in time.
    let tokens = signedIn;
    for (let i = 0; i < 3; i++) {
      const next = await refresh('admin', tokens.refreshToken);
      expect(next.statusCode, next.body).toBe(200);
      tokens = next.json();
    }
    const rows = await sqlRows<{ started: Date; expires: Date }>(
      databaseUrl,
      'SELECT family_started_at AS started, expires_at AS expires FROM auth_session WHERE family_id = $1',
      [familyId],
    );
    expect(rows).toHaveLength(4);
    expect(new Set(rows.map((row) => row.started.getTime())).size).toBe(1);
    // No token of the family outlives its end.
    for (const row of rows)
      expect(row.expires.getTime()).toBeLessThanOrEqual(row.started.getTime() + 2 * 3_600_000);

    await age(familyId, '1 hour 59 minutes');
    const stillOpen = await refresh('admin', tokens.refreshToken);
    expect(stillOpen.statusCode, stillOpen.body).toBe(200);
    tokens = stillOpen.json();

    await age(familyId, '2 minutes');
    const ended = await refresh('admin', tokens.refreshToken);
    expect(ended.statusCode).toBe(401);
    expect(ended.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(ended.json()).toMatchObject({
      code: 'MCART_ERR_SESSION_EXPIRED',
      detail: 'A session lasts at most 2 hours from sign-in; sign in again',
    });
    // The access token issued by the last refresh stops with its session, not 15 minutes later.
    const me = await app.inject({
      url: '/api/admin/auth/me',
      headers: { authorization: `Bearer ${tokens.accessToken}` },
    });
    expect(me.statusCode).toBe(401);
    // Signing in again opens a new session with a new start.
    const again = await staffSignIn();
    expect(sidOf(again.accessToken)).not.toBe(familyId);
    expect((await refresh('admin', again.refreshToken)).statusCode).toBe(200);
  });

  it('ends a customer session 7 days after sign-in; the devices list drops it', async () => {
    const customer = await registerCustomer(app);
    const familyId = sidOf(customer.accessToken);
    const other = await app.inject({
      method: 'POST',
      url: '/api/store/auth/login',
      payload: { email: customer.email, password: customer.password },
    });
    const otherAuth = { authorization: `Bearer ${other.json().accessToken}` };
    const listed = async () =>
      (await app.inject({ url: '/api/store/me/sessions', headers: otherAuth }))
        .json()
        .data.map((session: { id: string }) => session.id);
    expect(await listed()).toContain(familyId);

    await age(familyId, '6 days 23 hours');
    const next = await refresh('store', customer.refreshToken);
    expect(next.statusCode, next.body).toBe(200);
    expect(
      (
        await sqlRows<{ n: number }>(
          databaseUrl,
          'SELECT count(*)::int AS n FROM auth_session WHERE family_id = $1',
          [familyId],
        )
      )[0]!.n,
    ).toBe(2);

    await age(familyId, '1 hour 1 minute');
    const ended = await refresh('store', next.json().refreshToken);
    expect(ended.statusCode).toBe(401);
    expect(ended.json()).toMatchObject({
      code: 'MCART_ERR_SESSION_EXPIRED',
      detail: 'A session lasts at most 7 days from sign-in; sign in again',
    });
    expect(await listed()).not.toContain(familyId);
    const me = await app.inject({
      url: '/api/store/me',
      headers: { authorization: `Bearer ${next.json().accessToken}` },
    });
    expect(me.statusCode).toBe(401);
    // The other device's session is its own: it goes on.
    expect((await app.inject({ url: '/api/store/me', headers: otherAuth })).statusCode).toBe(200);
  });

  it('tells an expired session from a stolen token: a spent token stays MCART_ERR_INVALID_REFRESH_TOKEN', async () => {
    const customer = await registerCustomer(app);
    expect((await refresh('store', customer.refreshToken)).statusCode).toBe(200);
    const replay = await refresh('store', customer.refreshToken);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('MCART_ERR_INVALID_REFRESH_TOKEN');
    expect((await refresh('store', 'not-a-token')).json().code).toBe('MCART_ERR_INVALID_REFRESH_TOKEN');

    // Unused for its whole idle limit (within the session's lifetime): expired too, said so.
    const idle = await registerCustomer(app);
    await sqlRows(
      databaseUrl,
      `UPDATE auth_session SET expires_at = now() - interval '1 second' WHERE family_id = $1`,
      [sidOf(idle.accessToken)],
    );
    const expired = await refresh('store', idle.refreshToken);
    expect(expired.statusCode).toBe(401);
    expect(expired.json()).toMatchObject({
      code: 'MCART_ERR_SESSION_EXPIRED',
      detail: 'The session has expired; sign in again',
    });
  });

  it('applies a lower lifetime at once to sessions already open (the start is kept, not the end)', async () => {
    const customer = await registerCustomer(app);
    const familyId = sidOf(customer.accessToken);
    // Three days old: inside 7 days, outside a lifetime lowered to 2 days.
    await age(familyId, '3 days');
    const withLifetime = (days: number) =>
      new SessionsService(app.orm.em.fork(), { staff: 3600, customer: days * 86_400 });
    expect(await withLifetime(7).isFamilyActive('customer', familyId)).toBe(true);
    expect(await withLifetime(2).isFamilyActive('customer', familyId)).toBe(false);
    await expect(withLifetime(2).rotate('customer', customer.refreshToken, {})).rejects.toMatchObject({
      code: 'MCART_ERR_SESSION_EXPIRED',
      detail: 'A session lasts at most 2 days from sign-in; sign in again',
    });
  });
});

describe('configuration', () => {
  it('defaults to 12 hours for staff and 30 days for customers, and refuses values out of range', () => {
    expect(loadConfig({}).auth.sessionMaxSeconds).toEqual({ staff: 12 * 3600, customer: 30 * 86_400 });
    expect(
      loadConfig({ STAFF_SESSION_MAX_HOURS: '24', CUSTOMER_SESSION_MAX_DAYS: '90' }).auth.sessionMaxSeconds,
    ).toEqual({ staff: 24 * 3600, customer: 90 * 86_400 });
    for (const env of [
      { STAFF_SESSION_MAX_HOURS: '0' },
      { STAFF_SESSION_MAX_HOURS: '721' },
      { STAFF_SESSION_MAX_HOURS: '1.5' },
      { CUSTOMER_SESSION_MAX_DAYS: '0' },
      { CUSTOMER_SESSION_MAX_DAYS: '366' },
    ])
      expect(() => loadConfig(env), JSON.stringify(env)).toThrow(ConfigError);
  });
});

describe('migration', () => {
  it('gives the sessions open before it the creation time of their oldest token as their start', async () => {
    const database = await createTestDatabase();
    const orm = await createOrm({ url: database.url, poolMax: 2, entities: [] });
    const em = () => orm.em.fork();
    try {
      await orm.getMigrator().down({ migrations: ['Migration20261227000000SessionFamilyStart'] });
      const familyA = '00000000-0000-4000-8000-00000000000a';
      const familyB = '00000000-0000-4000-8000-00000000000b';
      const subject = '00000000-0000-4000-8000-0000000000cc';
      // Family A: signed in 40 days ago, refreshed 20 days ago and 1 hour ago; family B: signed in 1 hour ago.
      for (const [family, hoursAgo, spent] of [
        [familyA, 960, true],
        [familyA, 480, true],
        [familyA, 1, false],
        [familyB, 1, false],
      ] as const) {
        await em().execute(
          `INSERT INTO auth_session (id, created_at, updated_at, subject_kind, subject_id, family_id, token_hash,
                                     expires_at, spent_at)
           VALUES (gen_random_uuid(), now() - make_interval(hours => ?), now(), 'customer', ?, ?,
                   md5(random()::text) || md5(random()::text), now() + interval '29 days', ?)`,
          [hoursAgo, subject, family, spent ? new Date() : null],
        );
      }
      await orm.getMigrator().up();
      const rows = await em().execute<{ family_id: string; started: boolean }[]>(
        `SELECT DISTINCT family_id,
                family_started_at = (SELECT min(created_at) FROM auth_session o WHERE o.family_id = s.family_id)
                  AS started
           FROM auth_session s ORDER BY family_id`,
      );
      expect(rows).toEqual([
        { family_id: familyA, started: true },
        { family_id: familyB, started: true },
      ]);
      const [a] = await em().execute<{ days: number }[]>(
        `SELECT DISTINCT extract(day FROM now() - family_started_at)::int AS days FROM auth_session WHERE family_id = ?`,
        [familyA],
      );
      expect(a!.days).toBe(40);
    } finally {
      await orm.close(true);
      await database.drop();
    }
  }, 90_000);
});
