import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { generate } from 'otplib';
import { staffToken, useTestApp } from '../app.ts';
import type { Role } from '../../src/modules/identity/permissions.ts';
import { RecoveryCodeHasher } from '../../src/modules/identity/recovery-codes.ts';

// A small per-account limit so the rate-limit case needs few attempts; every case uses its own member. Every
// request comes from one IP: its limit is raised so the whole file fits in one window.
const { app, databaseUrl } = await useTestApp({ AUTH_ACCOUNT_LIMIT: '6', AUTH_IP_LIMIT: '1000' });
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

/** Signs the member in (no second factor yet) and turns TOTP on from the profile; returns the secret and codes. */
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
  const { recoveryCodes } = confirmed.json<{ recoveryCodes: string[] }>();
  return { secret, auth, recoveryCodes };
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

const storedRecoveryCodes = async (staffId: string) =>
  (
    await query<{ count: number }>(
      'SELECT count(*)::int AS count FROM staff_recovery_code WHERE staff_id = $1',
      [staffId],
    )
  )[0]!.count;

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
    expect(pending.json()).toEqual({
      enabled: false,
      pending: true,
      required: false,
      recoveryCodesRemaining: 0,
    });

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
    expect(confirmed.json()).toEqual({
      enabled: true,
      pending: false,
      required: false,
      recoveryCodesRemaining: 10,
      recoveryCodes: expect.any(Array),
    });
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

describe('recovery codes', () => {
  const answer = (challenge: string, code: string) =>
    app.inject({ method: 'POST', url: '/api/admin/auth/totp', payload: { challenge, code } });
  const challengeOf = async (member: Member) => (await login(member)).json<{ challenge: string }>().challenge;

  it('come with the confirmation: ten distinct codes, shown once, stored only as keyed hashes', async () => {
    const member = await createMember();
    const { auth, recoveryCodes } = await enroll(member);
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[2-9a-hjkmnp-z]{5}-[2-9a-hjkmnp-z]{5}$/);

    const rows = await query<{ code_hash: string }>(
      'SELECT code_hash FROM staff_recovery_code WHERE staff_id = $1',
      [member.id],
    );
    expect(rows).toHaveLength(10);
    const plain = recoveryCodes.flatMap((code) => [code, code.replace('-', '')]);
    for (const { code_hash } of rows) {
      expect(code_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(plain).not.toContain(code_hash);
    }
    const status = await app.inject({ url: '/api/admin/profile/totp', headers: auth });
    expect(status.json()).toEqual({
      enabled: true,
      pending: false,
      required: false,
      recoveryCodesRemaining: 10,
    });
    expect(status.body).not.toContain(recoveryCodes[0]);
  });

  it('sign in once each in place of a TOTP code, say how many are left, and are audited', async () => {
    const member = await createMember();
    const { auth, recoveryCodes } = await enroll(member);
    const code = recoveryCodes[3]!;

    // Recognised by shape in the same field: any case, hyphen optional.
    const used = await answer(await challengeOf(member), ` ${code.replace('-', '').toUpperCase()} `);
    expect(used.statusCode, used.body).toBe(200);
    const session = used.json<{
      accessToken: string;
      staff: { id: string };
      recoveryCodesRemaining: number;
    }>();
    expect(session.staff.id).toBe(member.id);
    expect(session.recoveryCodesRemaining).toBe(9);
    expect(used.json()).not.toHaveProperty('recoveryCodes');
    const me = await app.inject({
      url: '/api/admin/auth/me',
      headers: { authorization: `Bearer ${session.accessToken}` },
    });
    expect(me.statusCode).toBe(200);

    // Spent: refused with a fresh challenge, in either spelling.
    for (const again of [code, code.toUpperCase()]) {
      const replay = await answer(await challengeOf(member), again);
      expect(replay.statusCode).toBe(401);
      expect(replay.headers['content-type']).toContain('application/problem+json');
      expect(replay.json().code).toBe('MCART_ERR_INVALID_RECOVERY_CODE');
      expect(replay.json()).not.toHaveProperty('accessToken');
    }
    expect(await storedRecoveryCodes(member.id)).toBe(9);
    expect((await app.inject({ url: '/api/admin/profile/totp', headers: auth })).json()).toMatchObject({
      recoveryCodesRemaining: 9,
    });

    const entries = await query<{ action: string; details: Record<string, unknown> | null }>(
      `SELECT action, details FROM audit_entry WHERE staff_id = $1 AND action IN
         ('staff.recovery_code_used', 'staff.recovery_code_failed', 'staff.signed_in') ORDER BY id`,
      [member.id],
    );
    expect(entries).toEqual(
      expect.arrayContaining([
        { action: 'staff.recovery_code_used', details: { remaining: 9 } },
        { action: 'staff.signed_in', details: { totp: true, recoveryCode: true } },
        { action: 'staff.recovery_code_failed', details: null },
      ]),
    );
    // Another member's code does not sign this one in.
    const other = await createMember();
    const { recoveryCodes: otherCodes } = await enroll(other);
    const crossed = await answer(await challengeOf(member), otherCodes[0]!);
    expect(crossed.json().code).toBe('MCART_ERR_INVALID_RECOVERY_CODE');
    expect(await storedRecoveryCodes(other.id)).toBe(10);
  });

  it('keep working across a key rotation while the old key stays listed; new ones use the new key', () => {
    const key = (fill: number) => Buffer.alloc(32, fill).toString('base64');
    const before = new RecoveryCodeHasher(`k1:${key(1)}`);
    const rotated = new RecoveryCodeHasher(`k2:${key(2)}, k1:${key(1)}`);
    const stored = before.hash('staff-id', 'k7m2x9qpfa');
    expect(rotated.candidates('staff-id', 'k7m2x9qpfa')).toContain(stored);
    expect(rotated.hash('staff-id', 'k7m2x9qpfa')).not.toBe(stored);
    // Keyed by the member too, and gone with the old key once it is removed.
    expect(rotated.candidates('other-staff-id', 'k7m2x9qpfa')).not.toContain(stored);
    expect(new RecoveryCodeHasher(`k2:${key(2)}`).candidates('staff-id', 'k7m2x9qpfa')).not.toContain(stored);
  });

  it('used twice at the same moment: exactly one sign-in succeeds', async () => {
    const member = await createMember();
    const { recoveryCodes } = await enroll(member);
    const [first, second] = [await challengeOf(member), await challengeOf(member)];
    const results = await Promise.all([
      answer(first, recoveryCodes[0]!),
      answer(second, recoveryCodes[0]!),
      answer(first, recoveryCodes[0]!),
    ]);
    const statuses = results.map((result) => result.statusCode).sort();
    expect(statuses).toEqual([200, 401, 401]);
    expect(results.filter((r) => r.statusCode === 401).map((r) => r.json().code)).toEqual([
      'MCART_ERR_INVALID_RECOVERY_CODE',
      'MCART_ERR_INVALID_RECOVERY_CODE',
    ]);
    expect(await storedRecoveryCodes(member.id)).toBe(9);
  });

  it('are regenerated with a current TOTP code: the old ones stop working', async () => {
    const member = await createMember();
    const { secret, auth, recoveryCodes: old } = await enroll(member);
    const regenerate = (code: unknown) =>
      app.inject({
        method: 'POST',
        url: '/api/admin/profile/totp/recovery-codes',
        headers: auth,
        payload: { code },
      });

    const malformed = await regenerate('12ab56');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().code).toBe('MCART_ERR_VALIDATION');
    expect(malformed.json().errors).toEqual([expect.objectContaining({ path: 'body/code' })]);
    // A recovery code does not prove the factor for this.
    const withRecovery = await regenerate(old[0]);
    expect(withRecovery.statusCode).toBe(400);
    const wrong = await regenerate(await wrongCode(secret));
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().code).toBe('MCART_ERR_WRONG_TOTP');
    expect(await storedRecoveryCodes(member.id)).toBe(10);

    const fresh = await regenerate(await codeAt(secret, 1));
    expect(fresh.statusCode, fresh.body).toBe(200);
    const { recoveryCodes, recoveryCodesRemaining } = fresh.json<{
      recoveryCodes: string[];
      recoveryCodesRemaining: number;
    }>();
    expect(recoveryCodes).toHaveLength(10);
    expect(recoveryCodesRemaining).toBe(10);
    expect(recoveryCodes.filter((code) => old.includes(code))).toEqual([]);
    expect(await storedRecoveryCodes(member.id)).toBe(10);
    expect(await auditActions(member.id)).toContain('staff.recovery_codes_regenerated');

    const withOld = await answer(await challengeOf(member), old[1]!);
    expect(withOld.json().code).toBe('MCART_ERR_INVALID_RECOVERY_CODE');
    const withNew = await answer(await challengeOf(member), recoveryCodes[1]!);
    expect(withNew.statusCode, withNew.body).toBe(200);
    expect(withNew.json().recoveryCodesRemaining).toBe(9);
  });

  it('cannot be regenerated while TOTP is off', async () => {
    const member = await createMember();
    const auth = await signIn(member);
    const off = await app.inject({
      method: 'POST',
      url: '/api/admin/profile/totp/recovery-codes',
      headers: auth,
      payload: { code: '123456' },
    });
    expect(off.statusCode).toBe(409);
    expect(off.json().code).toBe('MCART_ERR_TOTP_NOT_ENABLED');
    expect((await app.inject({ url: '/api/admin/profile/totp', headers: auth })).json()).toMatchObject({
      enabled: false,
      recoveryCodesRemaining: 0,
    });
  });

  it('refuses what is neither a TOTP code nor a recovery code with a field error', async () => {
    const member = await createMember();
    await enroll(member);
    const challenge = await challengeOf(member);
    for (const code of ['12345', 'abcde-fghi', 'abcde-fghij-k', 'abcde_fghij', 'ünïcödé-xx']) {
      const response = await answer(challenge, code);
      expect(response.statusCode, code).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json()).toMatchObject({
        code: 'MCART_ERR_VALIDATION',
        errors: [{ path: 'body/code', message: expect.stringContaining('recovery code') }],
      });
    }
    const tooLong = await answer(challenge, 'x'.repeat(33));
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().errors).toEqual([expect.objectContaining({ path: 'body/code' })]);
    const missing = await app.inject({ method: 'POST', url: '/api/admin/auth/totp', payload: { challenge } });
    expect(missing.json().errors).toEqual([expect.objectContaining({ path: 'body/code' })]);
    // None of these counted as an attempt: a right code still signs in.
    expect(await storedRecoveryCodes(member.id)).toBe(10);
  });

  it('count against the same limit as TOTP codes: wrong ones end in 429, and then even a right one waits', async () => {
    const member = await createMember();
    const { secret, recoveryCodes } = await enroll(member);
    const challenge = await challengeOf(member);
    const statuses: number[] = [];
    let last;
    // The limit is 6 per account and window; the enrollment's code was the first. Both kinds share it.
    const attempts = [
      'aaaaa-aaaaa',
      await wrongCode(secret),
      'bbbbb-bbbbb',
      'ccccc-ccccc',
      'ddddd-ddddd',
      'eeeee-eeeee',
    ];
    for (const code of attempts) {
      last = await answer(challenge, code);
      statuses.push(last.statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect(last!.json().code).toBe('MCART_ERR_RATE_LIMITED');
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    const right = await answer(challenge, recoveryCodes[0]!);
    expect(right.statusCode).toBe(429);
    // Refused before it was looked at: the code is still there.
    expect(await storedRecoveryCodes(member.id)).toBe(10);
    const failures = (await auditActions(member.id)).filter(
      (action) => action === 'staff.recovery_code_failed',
    );
    expect(failures).toHaveLength(4);
  });

  it('do not confirm an enrollment at sign-in', async () => {
    const member = await createMember();
    const on = await app.inject({
      method: 'PATCH',
      url: '/api/admin/settings/security',
      headers: owner,
      payload: { staffTotpRequired: true },
    });
    expect(on.statusCode).toBe(200);
    try {
      const { challenge, next } = (await login(member)).json<{ challenge: string; next: string }>();
      expect(next).toBe('totp_enroll');
      await app.inject({ method: 'POST', url: '/api/admin/auth/totp/enroll', payload: { challenge } });
      const refused = await answer(challenge, 'k7m2x-9qpfa');
      expect(refused.statusCode).toBe(400);
      expect(refused.json()).toMatchObject({
        code: 'MCART_ERR_VALIDATION',
        errors: [{ path: 'body/code', message: 'a recovery code cannot confirm an enrollment' }],
      });
    } finally {
      await app.inject({
        method: 'PATCH',
        url: '/api/admin/settings/security',
        headers: owner,
        payload: { staffTotpRequired: false },
      });
    }
  });
});

describe('turning TOTP off', () => {
  it('the member disables it with a current code; then the password alone signs in', async () => {
    const member = await createMember();
    const { secret, auth, recoveryCodes } = await enroll(member);
    expect(await storedRecoveryCodes(member.id)).toBe(10);
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
    // The recovery codes went with the factor.
    expect(await storedRecoveryCodes(member.id)).toBe(0);
    expect((await app.inject({ url: '/api/admin/profile/totp', headers: auth })).json()).toMatchObject({
      enabled: false,
      recoveryCodesRemaining: 0,
    });
    // Enrolled again, the old codes do not come back.
    const { secret: newSecret } = await enroll(member);
    const { challenge } = (await login(member)).json<{ challenge: string }>();
    expect(newSecret).not.toBe(secret);
    const old = await app.inject({
      method: 'POST',
      url: '/api/admin/auth/totp',
      payload: { challenge, code: recoveryCodes[0] },
    });
    expect(old.statusCode).toBe(401);
    expect(old.json().code).toBe('MCART_ERR_INVALID_RECOVERY_CODE');
  });

  it('the owner resets a member’s TOTP: their sessions end; an admin may not', async () => {
    const member = await createMember();
    const { auth } = await enroll(member);
    expect(await storedRecoveryCodes(member.id)).toBe(10);
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
    expect(await storedRecoveryCodes(member.id)).toBe(0);
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
  it('an owner cannot reset their own TOTP from the staff route: a recovery-code session cannot strip the factor', async () => {
    // An owner signed in with a recovery code (or holding a stolen session) must not clear their own second
    // factor without a code from the app: that is DELETE /api/admin/profile/totp, which needs one.
    const other = await createMember('owner');
    const { recoveryCodes } = await enroll(other);
    const { challenge } = (await login(other)).json<{ challenge: string }>();
    const signedIn = await app.inject({
      method: 'POST',
      url: '/api/admin/auth/totp',
      payload: { challenge, code: recoveryCodes[0] },
    });
    expect(signedIn.statusCode, signedIn.body).toBe(200);
    const auth = { authorization: `Bearer ${signedIn.json().accessToken}` };

    const self = await app.inject({
      method: 'DELETE',
      url: `/api/admin/staff/${other.id}/totp`,
      headers: auth,
    });
    expect(self.statusCode).toBe(409);
    expect(self.headers['content-type']).toContain('application/problem+json');
    expect(self.json().code).toBe('MCART_ERR_SELF_CHANGE');
    expect(await storedRecoveryCodes(other.id)).toBe(9);
    expect((await app.inject({ url: '/api/admin/profile/totp', headers: auth })).json()).toMatchObject({
      enabled: true,
    });
    expect((await login(other)).json()).toMatchObject({ next: 'totp' });
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
    expect(await storedRecoveryCodes(member.id)).toBe(10);

    const reset = run(member.email.toUpperCase());
    expect(reset.status, reset.stderr).toBe(0);
    expect(reset.stdout).toContain(`The second factor of ${member.email} is off`);
    expect(await storedRecoveryCodes(member.id)).toBe(0);
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
      expect(entry!.details).toEqual({ fields: ['staffTotpRequired'], from: false, to: true });

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
      // Enrolling at sign-in is a confirmation too: the recovery codes come with the session, once.
      const codes = done.json<{ recoveryCodes: string[] }>().recoveryCodes;
      expect(codes).toHaveLength(10);
      expect(new Set(codes).size).toBe(10);
      expect(await storedRecoveryCodes(member.id)).toBe(10);
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
        recoveryCodesRemaining: 10,
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
