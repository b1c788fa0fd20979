import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { staffToken, useTestApp } from '../app.ts';
import { isEmailLike } from '../../src/modules/identity/password-policy.ts';
import { newCustomer, registerCustomer, resetMailTo, sqlRows, tokenFrom } from './helpers.ts';

const { app, databaseUrl } = await useTestApp({ AUTH_IP_LIMIT: '1000' });

/** 400 MCART_ERR_WEAK_PASSWORD as problem+json, on the field the password was given in. */
function expectEmailLikeRefusal(response: LightMyRequestResponse, path: string) {
  expect(response.statusCode, response.body).toBe(400);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.json()).toMatchObject({
    code: 'MCART_ERR_WEAK_PASSWORD',
    detail: 'The password must not contain your e-mail address or the part before the @; choose another',
    errors: [{ path, message: 'must not contain the e-mail address or its part before the @' }],
  });
}

const localPart = (email: string) => email.split('@')[0]!;

describe('passwords holding the e-mail address', () => {
  it('tells which passwords hold the address or its part before the @ (4 characters or more)', () => {
    const email = 'Jane.Doe@Example.com';
    for (const password of [
      'jane.doe@example.com',
      'my JANE.DOE@EXAMPLE.COM login',
      'jane.doe',
      'Jane.Doe2024!',
      'the jane.doe phrase',
    ])
      expect(isEmailLike(password, email), password).toBe(true);
    expect(isEmailLike('a quiet harbour phrase', email)).toBe(false);
    // A short part before the @ is refused as the whole password only: "ann" is inside too many words.
    expect(isEmailLike('anne of green gables', 'ann@example.com')).toBe(false);
    expect(isEmailLike('annapurna base camp', 'anna@example.com')).toBe(true);
  });

  it('refuses them at registration (400 on body/password, any case) and writes nothing', async () => {
    const body = newCustomer();
    for (const password of [`${localPart(body.email).toUpperCase()}-2024!`, `mine: ${body.email}`]) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/store/auth/register',
        payload: { ...body, password },
      });
      expectEmailLikeRefusal(response, 'body/password');
    }
    expect(await sqlRows(databaseUrl, 'SELECT 1 FROM customer WHERE email = $1', [body.email])).toEqual([]);
  });

  it('refuses them as a customer’s new password (400 on body/newPassword); the old one still signs in', async () => {
    const customer = await registerCustomer(app);
    const response = await app.inject({
      method: 'POST',
      url: '/api/store/me/password',
      headers: customer.auth,
      payload: {
        currentPassword: customer.password,
        newPassword: `new ${localPart(customer.email)} phrase`,
      },
    });
    expectEmailLikeRefusal(response, 'body/newPassword');
    const login = await app.inject({
      method: 'POST',
      url: '/api/store/auth/login',
      payload: { email: customer.email, password: customer.password },
    });
    expect(login.statusCode).toBe(200);
  });

  it('refuses them in a password reset (400 on body/password); the link stays usable', async () => {
    const customer = await registerCustomer(app);
    await app.inject({
      method: 'POST',
      url: '/api/store/auth/password-reset',
      payload: { email: customer.email },
    });
    const [mail] = await resetMailTo(app, databaseUrl, customer.email);
    const token = tokenFrom(mail!.data.resetUrl);
    const refused = await app.inject({
      method: 'POST',
      url: '/api/store/auth/password-reset/confirm',
      payload: { token, password: `${localPart(customer.email)}-Reset` },
    });
    expectEmailLikeRefusal(refused, 'body/password');
    const reset = await app.inject({
      method: 'POST',
      url: '/api/store/auth/password-reset/confirm',
      payload: { token, password: 'a reset passphrase of mine' },
    });
    expect(reset.statusCode, reset.body).toBe(204);
  });

  it('refuses them as a new staff member’s password (400 on body/password) and creates no one', async () => {
    const email = `kestrel-${Date.now()}@mcart.test`;
    const response = await app.inject({
      method: 'POST',
      url: '/api/admin/staff',
      headers: { authorization: await staffToken(app) },
      payload: {
        email,
        password: `Welcome-${localPart(email)}`,
        role: 'support',
        firstName: 'Kes',
        lastName: 'Trel',
      },
    });
    expectEmailLikeRefusal(response, 'body/password');
    expect(await sqlRows(databaseUrl, 'SELECT 1 FROM staff WHERE email = $1', [email])).toEqual([]);
  });
});
