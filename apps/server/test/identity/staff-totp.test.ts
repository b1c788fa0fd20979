import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { generate } from 'otplib';
import { staffToken, useTestApp } from '../app.ts';
import type { Role } from '../../src/modules/identity/permissions.ts';

// A small per-account limit so the rate-limit case needs few attempts; every case uses its own member.
const { app, databaseUrl } = await useTestApp({ AUTH_ACCOUNT_LIMIT: '6' });
const owner = { authorization: await staffToken(app) };
let counter = 0;

async function createMember(role: Role = 'support') {
  const body = {
    email: `totp${++counter}-${Date.now()}@mcart.test`,
    password: 'second factor passphrase',
    role,
    firstName: 'Tia',
    lastName: 'Otp',
  };
  const response = await app.inject({
    method: 'POST',
    url: '/api/admin/staff',
    headers: owner,
    payload: body,
  });
  expect(response.statusCode).toBe(201);
  return { id: response.json().id as string, email: body.email, password: body.password };
}

type Member = Awaited<ReturnType<typeof createMember>>;
const signIn = async (member: Member) => ({
  authorization: await staffToken(app, { email: member.email, password: member.password }),
});

const login = (member: Member) =>
  app.inject({
    method: 'POST',
    url: '/api/admin/auth/login',
    payload: { email: member.email, password: member.password },
  });

/** The code of the 30-second step `offset` steps from now (the server accepts -1, 0 and +1). */
const codeAt = (secret: string, offset = 0) =>
  generate({ secret, epoch: Math.floor(Date.now() / 1000) + offset * 30 });

/** Six digits that are none of the codes the server would accept now. */
async function wrongCode(secret: string): Promise<string> {
  const valid = new Set(await Promise.all([-2, -1, 0, 1, 2].map((offset) => codeAt(secret, offset))));
  let code = 0;
  while (valid.has(String(code).padStart(6, '0'))) code++;
  return String(code).padStart(6, '0');
}

/** Signs the member in (no second factor yet) and turns TOTP on from the profile; returns the secret. */
async function enroll(member: Member) {
  const auth = await signIn(member);
  const started = await app.inject({ method: 'POST', url: '/api/admin/profile/totp', headers: auth });
  expect(started.statusCode).toBe(200);
  const { secret } = started.json<{ secret: string }>();
  const confirmed = await app.inject({
    method: 'POST',
    url: '/api/admin/profile/totp/confirm',
    headers: auth,
    payload: { code: await codeAt(secret) },
  });
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  return { secret, auth };
}

async function query<T extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

const auditActions = async (staffId: string) =>
  (
    await query<{ action: string }>('SELECT action FROM audit_entry WHERE staff_id = $1 ORDER BY id', [
      staffId,
    ])
  ).map((row) => row.action);

describe('staff TOTP enrollment from the profile', () => {
  it('shows the secret and QR code once, stores it sealed, and turns on only after a valid code', async () => {
    const member = await createMember();
    const auth = await signIn(member);
    const started = await app.inject({ method: 'POST', url: '/api/admin/profile/totp', headers: auth });
    expect(started.statusCode).toBe(200);
    const enrollment = started.json<{ secret: string; otpauthUrl: string; qrCode: string }>();
    expect(enrollment.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(enrollment.otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
    expect(decodeURIComponent(enrollment.otpauthUrl)).toContain(member.email);
    expect(enrollment.qrCode).toMatch(/^data:image\/png;base64,/);

    const [row] = await query<{ totp_secret: string; totp_enabled_at: Date | null }>(
      'SELECT totp_secret, totp_enabled_at FROM staff WHERE id = $1',
      [member.id],
    );
    expect(row!.totp_secret).toMatch(/^v1\./);
    expect(row!.totp_secret).not.toContain(enrollment.secret);
    expect(row!.totp_enabled_at).toBeNull();
    const pending = await app.inject({ url: '/api/admin/profile/totp', headers: auth });
    expect(pending.json()).toEqual({ enabled: false, pending: true, required: false });

    // Not active yet: the password alone still signs in.
    expect((await login(member)).json().accessToken).toEqual(expect.any(String));

    const wrong = await app.inject({
      method: 'POST',
      url: '/api/admin/profile/totp/confirm',
      headers: auth,
      payload: { code: await wrongCode(enrollment.secret) },
    });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().code).toBe('MCART_ERR_WRONG_TOTP');
    const malformed = await app.inject({
      method: 'POST',
      url: '/api/admin/profile/totp/confirm',
      headers: auth,
      payload: { code: '12ab56' },
    });
    expect(malformed.statusCode).toBe(400);

    const confirmed = await app.inject({
      method: 'POST',
      url: '/api/admin/profile/totp/confirm',
      headers: auth,
      payload: { code: await codeAt(enrollment.secret) },
    });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json()).toEqual({ enabled: true, pending: false, required: false });
    const again = await app.inject({ method: 'POST', url: '/api/admin/profile/totp', headers: auth });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('MCART_ERR_TOTP_ALREADY_ENABLED');

    const staffRow = await app.inject({ url: `/api/admin/staff/${member.id}`, headers: owner });
    expect(staffRow.json().totpEnabled).toBe(true);
    expect(await auditActions(member.id)).toEqual(
      expect.arrayContaining(['staff.totp_enrollment_started', 'staff.totp_failed', 'staff.totp_enabled']),
    );
  });
});

describe('staff sign-in with TOTP', () => {
  it('answers a challenge instead of tokens, then the code gives the session', async () => {
    const member = await createMember('manager');
    const { secret } = await enroll(member);

    const first = await login(member);
    expect(first.statusCode).toBe(200);
    const step = first.json<{ next: string; challenge: string; expiresIn: number }>();
    expect(step).toEqual({ next: 'totp', challenge: expect.any(String), expiresIn: 300 });
    expect(first.json()).not.toHaveProperty('accessToken');
    expect(first.json()).not.toHaveProperty('refreshToken');
    // The challenge opens nothing.
    const asToken = await app.inject({
      url: '/api/admin/auth/me',
      headers: { authorization: `Bearer ${step.challenge}` },
    });
    expect(asToken.statusCode).toBe(401);

    // The enrollment spent the current step: a code of the next step (still within the window) signs in.
    const code = await codeAt(secret, 1);
    const second = await app.inject({
      method: 'POST',
      url: '/api/admin/auth/totp',
      payload: { challenge: step.challenge, code },
    });
    expect(second.statusCode, second.body).toBe(200);
    const session = second.json<{ accessToken: string; refreshToken: string; staff: { id: string } }>();
    expect(session.staff.id).toBe(member.id);
    const me = await app.inject({
      url: '/api/admin/auth/me',
      headers: { authorization: `Bearer ${session.accessToken}` },
    });
    expect(me.json().role).toBe('manager');
    expect(await auditActions(member.id)).toEqual(
      expect.arrayContaining(['staff.password_accepted', 'staff.signed_in']),
    );
  });

  it('refuses a wrong code, a replayed code and a forged challenge, and audits the failures', async () => {
    const member = await createMember();
    const { secret } = await enroll(member);
    const { challenge } = (await login(member)).json<{ challenge: string }>();

    const wrong = await app.inject({
      method: 'POST',
      url: '/api/admin/auth/totp',
      payload: { challenge, code: await wrongCode(secret) },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().code).toBe('MCART_ERR_INVALID_TOTP');
    expect(wrong.json()).not.toHaveProperty('accessToken');

    const code = await codeAt(secret, 1);
    const ok = await app.inject({
      method: 'POST',
      url: '/api/admin/auth/totp',
      payload: { challenge, code },
    });
    expect(ok.statusCode).toBe(200);
    // Same code again, even with a fresh challenge: refused.
    const fresh = (await login(member)).json<{ challenge: string }>().challenge;
    const replay = await app.inject({
      method: 'POST',
      url: '/api/admin/auth/totp',
      payload: { challenge: fresh, code },
    });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('MCART_ERR_INVALID_TOTP');
    // An older step than the one spent is refused too.
    const older = await app.inject({
      method: 'POST',
      url: '/api/admin/auth/totp',
      payload: { challenge: fresh, code: await codeAt(secret, 0) },
    });
    expect(older.statusCode).toBe(401);

    const [head, body, signature] = fresh.split('.');
    const forged = `${head}.${body}.${signature!.slice(0, -4)}AAAA`;
    const forgedAnswer = await app.inject({
      method: 'POST',
      url: '/api/admin/auth/totp',
      payload: { challenge: forged, code: await codeAt(secret, 1) },
    });
    expect(forgedAnswer.statusCode).toBe(401);
    expect(forgedAnswer.json().code).toBe('MCART_ERR_INVALID_CHALLENGE');
    // An access token is not a challenge either.
    const accessAsChallenge = await app.inject({
      method: 'POST',
      url: '/api/admin/auth/totp',
      payload: { challenge: ok.json().accessToken, code: await codeAt(secret, 1) },
    });
    expect(accessAsChallenge.json().code).toBe('MCART_ERR_INVALID_CHALLENGE');

    const failures = (await auditActions(member.id)).filter((action) => action === 'staff.totp_failed');
    expect(failures.length).toBe(3);
  });

  it('rate-limits code attempts per account with 429 and Retry-After', async () => {
    const member = await createMember();
    const { secret } = await enroll(member);
    const { challenge } = (await login(member)).json<{ challenge: string }>();
    const code = await wrongCode(secret);
    const statuses: number[] = [];
    let last;
    // The limit is 6 per account and window; the enrollment's code was the first.
    for (let i = 0; i < 6; i++) {
      last = await app.inject({ method: 'POST', url: '/api/admin/auth/totp', payload: { challenge, code } });
      statuses.push(last.statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    // Even the right code waits out the window.
    const right = await app.inject({
      method: 'POST',
      url: '/api/admin/auth/totp',
      payload: { challenge, code: await codeAt(secret, 1) },
    });
    expect(right.statusCode).toBe(429);
  });
});

describe('turning TOTP off', () => {
  it('the member disables it with a current code; then the password alone signs in', async () => {
    const member = await createMember();
    const { secret, auth } = await enroll(member);
    const wrong = await app.inject({
      method: 'DELETE',
      url: '/api/admin/profile/totp',
      headers: auth,
      payload: { code: await wrongCode(secret) },
    });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().code).toBe('MCART_ERR_WRONG_TOTP');
    const off = await app.inject({
      method: 'DELETE',
      url: '/api/admin/profile/totp',
      headers: auth,
      payload: { code: await codeAt(secret, 1) },
    });
    expect(off.statusCode).toBe(204);
    expect((await login(member)).json().accessToken).toEqual(expect.any(String));
    const [row] = await query<{ totp_secret: string | null }>('SELECT totp_secret FROM staff WHERE id = $1', [
      member.id,
    ]);
    expect(row!.totp_secret).toBeNull();
    expect(await auditActions(member.id)).toContain('staff.totp_disabled');
  });

  it('the owner resets a member’s TOTP: their sessions end; an admin may not', async () => {
    const member = await createMember();
    const { auth } = await enroll(member);
    const admin = await createMember('admin');
    const adminAuth = await signIn(admin);
    const byAdmin = await app.inject({
      method: 'DELETE',
      url: `/api/admin/staff/${member.id}/totp`,
      headers: adminAuth,
    });
    expect(byAdmin.statusCode).toBe(403);

    const reset = await app.inject({
      method: 'DELETE',
      url: `/api/admin/staff/${member.id}/totp`,
      headers: owner,
    });
    expect(reset.statusCode).toBe(200);
    expect(reset.json()).toMatchObject({ id: member.id, totpEnabled: false });
    expect((await app.inject({ url: '/api/admin/auth/me', headers: auth })).statusCode).toBe(401);
    expect((await login(member)).json().accessToken).toEqual(expect.any(String));
    const again = await app.inject({
      method: 'DELETE',
      url: `/api/admin/staff/${member.id}/totp`,
      headers: owner,
    });
    expect(again.json().code).toBe('MCART_ERR_TOTP_NOT_ENABLED');

    const [entry] = await query<{ details: { staffId: string } }>(
      `SELECT details FROM audit_entry WHERE action = 'staff.totp_reset' ORDER BY id DESC LIMIT 1`,
    );
    expect(entry!.details.staffId).toBe(member.id);
  });
});

describe('the operator’s TOTP reset (npm run staff-totp-reset)', () => {
  const ROOT = resolve(import.meta.dirname, '../../../..');
  const run = (email: string) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'apps/server/src/cli.ts', 'staff-totp-reset', email], {
      cwd: ROOT,
      encoding: 'utf8',
      env: {
        ...process.env,
        NODE_ENV: 'development',
        DATABASE_URL: databaseUrl,
        MCART_DATA_DIR: mkdtempSync(join(tmpdir(), 'mcart-operator-')),
        INIT_CWD: ROOT,
      },
    });

  it('clears a locked-out member’s factor by e-mail, ends their sessions and audits it; refuses unknown e-mails', async () => {
    const member = await createMember('owner');
    const { auth } = await enroll(member);
    expect((await login(member)).json().next).toBe('totp');

    const reset = run(member.email.toUpperCase());
    expect(reset.status, reset.stderr).toBe(0);
    expect(reset.stdout).toContain(`The second factor of ${member.email} is off`);
    expect((await app.inject({ url: '/api/admin/auth/me', headers: auth })).statusCode).toBe(401);
    expect((await login(member)).json().accessToken).toEqual(expect.any(String));
    const [entry] = await query<{ staff_id: string | null; details: { staffId: string; by: string } }>(
      `SELECT staff_id, details FROM audit_entry WHERE action = 'staff.totp_reset' ORDER BY id DESC LIMIT 1`,
    );
    expect(entry).toEqual({ staff_id: null, details: { staffId: member.id, by: 'operator' } });

    const unknown = run('nobody@mcart.test');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('No staff member has the e-mail nobody@mcart.test');
  }, 60_000);
});

describe('TOTP required for all staff', () => {
  it('only the owner changes the policy; it is audited', async () => {
    const admin = await createMember('admin');
    const adminAuth = await signIn(admin);
    const byAdmin = await app.inject({
      method: 'PATCH',
      url: '/api/admin/settings/security',
      headers: adminAuth,
      payload: { staffTotpRequired: true },
    });
    expect(byAdmin.statusCode).toBe(403);
    const read = await app.inject({ url: '/api/admin/settings/security', headers: adminAuth });
    expect(read.json()).toEqual({ staffTotpRequired: false });
    const unknownField = await app.inject({
      method: 'PATCH',
      url: '/api/admin/settings/security',
      headers: owner,
      payload: { staffTotpRequired: true, extra: 1 },
    });
    expect(unknownField.statusCode).toBe(400);
    expect((await app.inject({ url: '/api/admin/settings/security', headers: owner })).json()).toEqual({
      staffTotpRequired: false,
    });
  });

  it('makes a member without TOTP enroll at sign-in before any session, and keeps enrolled ones enrolled', async () => {
    const enrolled = await createMember();
    const { secret: enrolledSecret, auth: enrolledAuth } = await enroll(enrolled);
    const member = await createMember('warehouse');
    const on = await app.inject({
      method: 'PATCH',
      url: '/api/admin/settings/security',
      headers: owner,
      payload: { staffTotpRequired: true },
    });
    try {
      expect(on.statusCode).toBe(200);
      expect(on.json()).toEqual({ staffTotpRequired: true });
      const [entry] = await query<{ details: unknown }>(
        `SELECT details FROM audit_entry WHERE action = 'settings.staff_totp_required' ORDER BY id DESC LIMIT 1`,
      );
      expect(entry!.details).toEqual({ from: false, to: true });

      const first = await login(member);
      expect(first.json()).toMatchObject({ next: 'totp_enroll', challenge: expect.any(String) });
      expect(first.json()).not.toHaveProperty('accessToken');
      const { challenge } = first.json<{ challenge: string }>();
      // Confirming before the enrollment started is refused; a plain TOTP challenge cannot enroll.
      const early = await app.inject({
        method: 'POST',
        url: '/api/admin/auth/totp',
        payload: { challenge, code: '123456' },
      });
      expect(early.json().code).toBe('MCART_ERR_TOTP_NOT_STARTED');
      const enrolledChallenge = (await login(enrolled)).json<{ next: string; challenge: string }>();
      expect(enrolledChallenge.next).toBe('totp');
      const wrongKind = await app.inject({
        method: 'POST',
        url: '/api/admin/auth/totp/enroll',
        payload: { challenge: enrolledChallenge.challenge },
      });
      expect(wrongKind.json().code).toBe('MCART_ERR_INVALID_CHALLENGE');

      const started = await app.inject({
        method: 'POST',
        url: '/api/admin/auth/totp/enroll',
        payload: { challenge },
      });
      expect(started.statusCode).toBe(200);
      const { secret } = started.json<{ secret: string }>();
      const wrong = await app.inject({
        method: 'POST',
        url: '/api/admin/auth/totp',
        payload: { challenge, code: await wrongCode(secret) },
      });
      expect(wrong.json().code).toBe('MCART_ERR_INVALID_TOTP');
      const done = await app.inject({
        method: 'POST',
        url: '/api/admin/auth/totp',
        payload: { challenge, code: await codeAt(secret) },
      });
      expect(done.statusCode, done.body).toBe(200);
      expect(done.json().staff.id).toBe(member.id);
      // From now on this member has a second factor like anyone else.
      expect((await login(member)).json().next).toBe('totp');

      // Nobody turns it off while it is required.
      const off = await app.inject({
        method: 'DELETE',
        url: '/api/admin/profile/totp',
        headers: enrolledAuth,
        payload: { code: await codeAt(enrolledSecret, 1) },
      });
      expect(off.statusCode).toBe(409);
      expect(off.json().code).toBe('MCART_ERR_TOTP_REQUIRED');
      expect((await app.inject({ url: '/api/admin/profile/totp', headers: enrolledAuth })).json()).toEqual({
        enabled: true,
        pending: false,
        required: true,
      });
    } finally {
      await app.inject({
        method: 'PATCH',
        url: '/api/admin/settings/security',
        headers: owner,
        payload: { staffTotpRequired: false },
      });
    }
    expect((await login(member)).json().next).toBe('totp');
  });
});
