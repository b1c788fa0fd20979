import { describe, expect, it } from 'vitest';
import { staffToken, TEST_OWNER, useTestApp } from '../app.ts';

/*
 * The last active owner stays, also when the two owners of a store demote each other at the same moment:
 * the changes take turns, so one of them is refused.
 */
const { app } = await useTestApp();
const first = { authorization: await staffToken(app) };
const firstId = (await app.inject({ url: '/api/admin/auth/me', headers: first })).json().id as string;

describe('two owners demoting each other at once', () => {
  it('leaves exactly one active owner', async () => {
    const body = {
      email: 'second-owner@mcart.test',
      password: 'second owner passphrase',
      role: 'owner',
      firstName: 'Sec',
      lastName: 'Ond',
    };
    const created = await app.inject({
      method: 'POST',
      url: '/api/admin/staff',
      headers: first,
      payload: body,
    });
    expect(created.statusCode).toBe(201);
    const secondId = created.json().id as string;
    const second = { authorization: await staffToken(app, { email: body.email, password: body.password }) };

    const answers = await Promise.all([
      app.inject({
        method: 'PATCH',
        url: `/api/admin/staff/${secondId}`,
        headers: first,
        payload: { role: 'admin' },
      }),
      app.inject({
        method: 'PATCH',
        url: `/api/admin/staff/${firstId}`,
        headers: second,
        payload: { role: 'admin' },
      }),
    ]);
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([200, 409]);
    expect(answers.find((answer) => answer.statusCode === 409)!.json().code).toBe('MCART_ERR_LAST_OWNER');

    const owners = await app.orm.em
      .fork()
      .getConnection()
      .execute(`SELECT email FROM staff WHERE role = 'owner' AND disabled_at IS NULL`);
    expect(owners).toHaveLength(1);
    expect([TEST_OWNER.email, body.email]).toContain(owners[0]!.email);
  });
});
