import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import type { EntityManager } from '@mikro-orm/postgresql';
import { staffToken, useTestApp } from '../app.ts';
import { commerceFixtures } from '../../src/modules/cart/test-helpers.ts';
import { CustomersService } from '../../src/modules/identity/customers.service.ts';
import { brandingFrom } from '../../src/modules/notifications/index.ts';
import { renderTemplate } from '../../src/modules/notifications/templates.ts';
import { SessionsService } from '../../src/modules/identity/sessions.service.ts';
import {
  newCustomer,
  queuedMail,
  registerCustomer,
  resetMailTo,
  sqlRows,
  tokenFrom,
  verifyEmailOf,
  type SignedIn,
} from './helpers.ts';

/*
 * A customer changes their e-mail address (ADR 0011): POST /api/store/me/email e-mails a link to the new
 * address; the signed-in owner confirms it at POST /api/store/me/email/confirm.
 */
const { app, databaseUrl, config } = await useTestApp({ AUTH_ACCOUNT_LIMIT: '50', AUTH_IP_LIMIT: '1000' });
let owner: string;
beforeAll(async () => {
  owner = await staffToken(app);
});

const freshAddress = () => `moved-${randomUUID()}@example.test`;
const mailTo = async (to: string, template: string) =>
  (await queuedMail(app, databaseUrl)).filter((m) => m.to === to && m.template === template);

const requestChange = (auth: { authorization: string }, payload: object) =>
  app.inject({ method: 'POST', url: '/api/store/me/email', headers: auth, payload });

const confirmChange = (auth: { authorization: string }, token: string) =>
  app.inject({ method: 'POST', url: '/api/store/me/email/confirm', headers: auth, payload: { token } });

/** Asks for a change to `newEmail` and reads the token from the e-mail sent there. */
async function changeToken(customer: SignedIn, newEmail: string): Promise<string> {
  const asked = await requestChange(customer.auth, { newEmail, password: customer.password });
  expect(asked.statusCode, asked.body).toBe(202);
  const sent = await mailTo(newEmail.toLowerCase(), 'email-change');
  expect(sent.length).toBeGreaterThan(0);
  return tokenFrom(sent.at(-1)!.data.confirmUrl);
}

const me = (auth: { authorization: string }) => app.inject({ url: '/api/store/me', headers: auth });
const bearer = (accessToken: string) => ({ authorization: `Bearer ${accessToken}` });

function expectProblem(response: LightMyRequestResponse, status: number, code: string) {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.json().code).toBe(code);
}

describe('changing the e-mail address', () => {
  it('e-mails a link to the new address, changes nothing until the owner confirms it, then switches', async () => {
    const customer = await registerCustomer(app);
    const other = await app.inject({
      method: 'POST',
      url: '/api/store/auth/login',
      payload: { email: customer.email, password: customer.password },
    });
    expect(other.statusCode).toBe(200);
    const newEmail = freshAddress();

    const token = await changeToken(customer, newEmail.toUpperCase());
    const [mail] = await mailTo(newEmail, 'email-change');
    expect(mail!.data.confirmUrl).toMatch(/^http.*\/confirm-email-change\?token=/);
    // Nothing changed yet: the link is what proves the new mailbox.
    expect((await me(customer.auth)).json()).toMatchObject({ email: customer.email });
    // Only the token's hash is stored, and the new address only sealed.
    const stored = await sqlRows<{ token_hash: string; new_email: string }>(
      databaseUrl,
      `SELECT token_hash, new_email FROM account_token WHERE customer_id = $1 AND purpose = 'email_change'`,
      [customer.id],
    );
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(JSON.stringify(stored)).not.toContain(newEmail);

    const confirmed = await confirmChange(customer.auth, token);
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const fresh = confirmed.json();
    expect(fresh).toMatchObject({ accessToken: expect.any(String), refreshToken: expect.any(String) });
    expect((await me(bearer(fresh.accessToken))).json()).toMatchObject({
      id: customer.id,
      email: newEmail,
      emailVerified: true,
    });

    // Every other session ended, this device's old token pair too; the fresh pair works.
    expect((await me(customer.auth)).statusCode).toBe(401);
    for (const refreshToken of [customer.refreshToken, other.json().refreshToken])
      expect(
        (
          await app.inject({
            method: 'POST',
            url: '/api/store/auth/refresh',
            payload: { refreshToken },
          })
        ).statusCode,
      ).toBe(401);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/store/auth/refresh',
          payload: { refreshToken: fresh.refreshToken },
        })
      ).statusCode,
    ).toBe(200);

    // The new address signs in; the old one no longer does.
    const login = (email: string) =>
      app.inject({
        method: 'POST',
        url: '/api/store/auth/login',
        payload: { email, password: customer.password },
      });
    expect((await login(newEmail)).statusCode).toBe(200);
    expect((await login(customer.email)).statusCode).toBe(401);

    // The old address is told, with no link in it that could undo (or redo) anything.
    const notices = await mailTo(customer.email, 'email-changed');
    expect(notices).toHaveLength(1);
    expect(Object.keys(notices[0]!.data)).toEqual(['firstName']);
    expect(JSON.stringify(notices[0])).not.toContain(newEmail);

    // The link worked once.
    expectProblem(await confirmChange(bearer(fresh.accessToken), token), 400, 'MCART_ERR_INVALID_TOKEN');

    // The audit log says it happened, without either address.
    const audit = await sqlRows<{ details: unknown }>(
      databaseUrl,
      `SELECT details FROM audit_entry WHERE action = 'customer.email_changed' AND details->>'customerId' = $1`,
      [customer.id],
    );
    expect(audit).toEqual([{ details: { customerId: customer.id } }]);
  });

  it('frees the old address (it may register again) and leaves guest orders with the old address as they were', async () => {
    const customer = await registerCustomer(app);
    const fixtures = commerceFixtures(app, owner);
    const product = await fixtures.product([1_200]);
    const cartId = await fixtures.cart();
    expect((await fixtures.add(cartId, product.variants[0]!.id, 1)).statusCode).toBe(200);
    const checkout = await app.inject({
      method: 'POST',
      url: `/api/store/carts/${cartId}/checkout`,
      headers: { 'idempotency-key': randomUUID() },
      payload: {
        email: customer.email,
        shippingAddress: {
          name: 'Ada Lovelace',
          line1: '1 Analytical Row',
          city: 'London',
          postalCode: 'N1 1AA',
          country: 'GB',
        },
        payment: { provider: 'test', token: 'tok_visa' },
      },
    });
    expect(checkout.statusCode, checkout.body).toBe(201);
    const orderId = checkout.json().order.id;

    const newEmail = freshAddress();
    const confirmed = await confirmChange(customer.auth, await changeToken(customer, newEmail));
    expect(confirmed.statusCode, confirmed.body).toBe(200);

    const order = await app.inject({
      url: `/api/admin/orders/${orderId}`,
      headers: { authorization: owner },
    });
    expect(order.statusCode, order.body).toBe(200);
    expect(order.json().email).toBe(customer.email);
    const again = await app.inject({
      method: 'POST',
      url: '/api/store/auth/register',
      payload: newCustomer({ email: customer.email }),
    });
    expect(again.statusCode, again.body).toBe(201);
  });

  it('retires the links e-mailed to the old address (reset, verification) and earlier change links', async () => {
    const customer = await registerCustomer(app);
    await app.inject({
      method: 'POST',
      url: '/api/store/auth/password-reset',
      payload: { email: customer.email },
    });
    const resetToken = tokenFrom((await resetMailTo(app, databaseUrl, customer.email))[0]!.data.resetUrl);
    const verifyToken = tokenFrom((await mailTo(customer.email, 'verify-email')).at(-1)!.data.verifyUrl);
    const first = await changeToken(customer, freshAddress());
    const second = await changeToken(customer, freshAddress());
    // Only the newest change link works.
    expectProblem(await confirmChange(customer.auth, first), 400, 'MCART_ERR_INVALID_TOKEN');
    const confirmed = await confirmChange(customer.auth, second);
    expect(confirmed.statusCode, confirmed.body).toBe(200);

    const reset = await app.inject({
      method: 'POST',
      url: '/api/store/auth/password-reset/confirm',
      payload: { token: resetToken, password: 'a brand new passphrase here' },
    });
    expectProblem(reset, 400, 'MCART_ERR_INVALID_TOKEN');
    const verify = await app.inject({
      method: 'POST',
      url: '/api/store/auth/verify-email',
      payload: { token: verifyToken },
    });
    expectProblem(verify, 400, 'MCART_ERR_INVALID_TOKEN');
  });

  it('is confirmed only by the signed-in account that asked: anyone else gets 400 and the link stays usable', async () => {
    const customer = await registerCustomer(app);
    const stranger = await registerCustomer(app);
    const newEmail = freshAddress();
    const token = await changeToken(customer, newEmail);
    expectProblem(await confirmChange(stranger.auth, token), 400, 'MCART_ERR_INVALID_TOKEN');
    expect((await me(stranger.auth)).json().email).toBe(stranger.email);
    const unsigned = await app.inject({
      method: 'POST',
      url: '/api/store/me/email/confirm',
      payload: { token },
    });
    expect(unsigned.statusCode).toBe(401);
    const confirmed = await confirmChange(customer.auth, token);
    expect(confirmed.statusCode, confirmed.body).toBe(200);
  });

  it('refuses an expired link', async () => {
    const customer = await registerCustomer(app);
    const token = await changeToken(customer, freshAddress());
    await sqlRows(
      databaseUrl,
      `UPDATE account_token SET expires_at = now() - interval '1 second'
        WHERE customer_id = $1 AND purpose = 'email_change'`,
      [customer.id],
    );
    expectProblem(await confirmChange(customer.auth, token), 400, 'MCART_ERR_INVALID_TOKEN');
    expect((await me(customer.auth)).json().email).toBe(customer.email);
  });

  // The link was asked for with the old password: once the owner replaces it (e.g. on noticing someone who
  // knew it), the link must not let a session stolen later move the account to the other mailbox.
  it('retires a change link asked for before the password was changed or reset', async () => {
    const changed = await registerCustomer(app);
    const afterChange = await changeToken(changed, freshAddress());
    const newPassword = `another passphrase ${randomUUID().slice(0, 8)}`;
    const change = await app.inject({
      method: 'POST',
      url: '/api/store/me/password',
      headers: changed.auth,
      payload: { currentPassword: changed.password, newPassword },
    });
    expect(change.statusCode, change.body).toBe(200);
    const fresh = bearer(change.json<{ accessToken: string }>().accessToken);
    expectProblem(await confirmChange(fresh, afterChange), 400, 'MCART_ERR_INVALID_TOKEN');
    expect((await me(fresh)).json().email).toBe(changed.email);

    const reset = await registerCustomer(app);
    const afterReset = await changeToken(reset, freshAddress());
    await app.inject({
      method: 'POST',
      url: '/api/store/auth/password-reset',
      payload: { email: reset.email },
    });
    const resetToken = tokenFrom((await resetMailTo(app, databaseUrl, reset.email)).at(-1)!.data.resetUrl);
    const done = await app.inject({
      method: 'POST',
      url: '/api/store/auth/password-reset/confirm',
      payload: { token: resetToken, password: newPassword },
    });
    expect(done.statusCode, done.body).toBe(204);
    const login = await app.inject({
      method: 'POST',
      url: '/api/store/auth/login',
      payload: { email: reset.email, password: newPassword },
    });
    expect(login.statusCode, login.body).toBe(200);
    const signedIn = bearer(login.json<{ accessToken: string }>().accessToken);
    expectProblem(await confirmChange(signedIn, afterReset), 400, 'MCART_ERR_INVALID_TOKEN');
    expect((await me(signedIn)).json().email).toBe(reset.email);
  });

  it('retires a change link when the account is disabled: enabled again, the link no longer works', async () => {
    const customer = await registerCustomer(app);
    const token = await changeToken(customer, freshAddress());
    const setDisabled = (disabled: boolean) =>
      app.inject({
        method: 'PATCH',
        url: `/api/admin/customers/${customer.id}`,
        headers: { authorization: owner },
        payload: { disabled },
      });
    expect((await setDisabled(true)).statusCode).toBe(200);
    expect((await setDisabled(false)).statusCode).toBe(200);
    const login = await app.inject({
      method: 'POST',
      url: '/api/store/auth/login',
      payload: { email: customer.email, password: customer.password },
    });
    expect(login.statusCode, login.body).toBe(200);
    const signedIn = bearer(login.json<{ accessToken: string }>().accessToken);
    expectProblem(await confirmChange(signedIn, token), 400, 'MCART_ERR_INVALID_TOKEN');
    expect((await me(signedIn)).json().email).toBe(customer.email);
  });

  it('answers 409 at confirmation when another account took the address since the request', async () => {
    const customer = await registerCustomer(app);
    const newEmail = freshAddress();
    const token = await changeToken(customer, newEmail);
    await registerCustomer(app, { email: newEmail });
    const refused = await confirmChange(customer.auth, token);
    expectProblem(refused, 409, 'MCART_ERR_EMAIL_TAKEN');
    // Nothing changed: the address, the sessions, the old address was not told.
    expect((await me(customer.auth)).json()).toMatchObject({ email: customer.email });
    expect(await mailTo(customer.email, 'email-changed')).toEqual([]);
  });
});

describe('GET /api/store/me shows the pending change', () => {
  it('null until asked; the newest unspent link after; null again once it expires or is confirmed', async () => {
    const customer = await registerCustomer(app);
    expect((await me(customer.auth)).json().pendingEmail).toBeNull();

    await changeToken(customer, freshAddress());
    const newest = freshAddress();
    const before = Date.now();
    const token = await changeToken(customer, newest.toUpperCase());
    const shown = await me(customer.auth);
    expect(shown.statusCode, shown.body).toBe(200);
    // The address stays the old one; the pending one is the newest request's, as the link will set it.
    expect(shown.json()).toMatchObject({ email: customer.email, pendingEmail: { newEmail: newest } });
    const { expiresAt } = shown.json().pendingEmail;
    expect(Object.keys(shown.json().pendingEmail).sort()).toEqual(['expiresAt', 'newEmail']);
    expect(new Date(expiresAt).getTime() - before).toBeGreaterThan(23 * 3600 * 1000);
    // The profile update answers the same shape.
    const patched = await app.inject({
      method: 'PATCH',
      url: '/api/store/me',
      headers: customer.auth,
      payload: { firstName: 'Pending' },
    });
    expect(patched.json().pendingEmail, patched.body).toEqual({ newEmail: newest, expiresAt });

    const confirmed = await confirmChange(customer.auth, token);
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect((await me(bearer(confirmed.json().accessToken))).json()).toMatchObject({
      email: newest,
      pendingEmail: null,
    });

    const expiring = await registerCustomer(app);
    await changeToken(expiring, freshAddress());
    await sqlRows(
      databaseUrl,
      `UPDATE account_token SET expires_at = now() - interval '1 second'
        WHERE customer_id = $1 AND purpose = 'email_change'`,
      [expiring.id],
    );
    expect((await me(expiring.auth)).json().pendingEmail).toBeNull();
  });

  it('null once a password change retired the link', async () => {
    const customer = await registerCustomer(app);
    await changeToken(customer, freshAddress());
    const changed = await app.inject({
      method: 'POST',
      url: '/api/store/me/password',
      headers: customer.auth,
      payload: { currentPassword: customer.password, newPassword: `another passphrase ${randomUUID()}` },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect((await me(bearer(changed.json().accessToken))).json().pendingEmail).toBeNull();
  });

  it('the sign-in answers keep their fixed customer summary', async () => {
    const customer = await registerCustomer(app);
    await changeToken(customer, freshAddress());
    const login = await app.inject({
      method: 'POST',
      url: '/api/store/auth/login',
      payload: { email: customer.email, password: customer.password },
    });
    expect(Object.keys(login.json().customer).sort()).toEqual(['email', 'firstName', 'id', 'lastName']);
  });
});

describe('the race at confirmation', () => {
  it('an account that commits the address while the change is being written wins: 409, nothing changes', async () => {
    const customer = await registerCustomer(app);
    const newEmail = freshAddress();
    const token = await changeToken(customer, newEmail);
    // Another sign-up holds the address in a transaction not yet committed: the confirmation's check cannot see
    // it, and its write waits on the unique key until the sign-up commits.
    const other = new pg.Client({ connectionString: databaseUrl });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(
        `INSERT INTO customer (id, created_at, updated_at, email, first_name, last_name)
         VALUES ($1, now(), now(), $2, 'Other', 'Person')`,
        [randomUUID(), newEmail],
      );
      const confirming = confirmChange(customer.auth, token);
      await expect
        .poll(
          async () =>
            (
              await sqlRows<{ n: number }>(
                databaseUrl,
                `SELECT count(*)::int AS n FROM pg_stat_activity
                  WHERE datname = current_database() AND wait_event_type = 'Lock'`,
              )
            )[0]!.n,
          { timeout: 5_000, interval: 20 },
        )
        .toBeGreaterThan(0);
      await other.query('COMMIT');
      expectProblem(await confirming, 409, 'MCART_ERR_EMAIL_TAKEN');
    } finally {
      await other.end();
    }
    expect((await me(customer.auth)).json()).toMatchObject({ email: customer.email });
    expect(await mailTo(customer.email, 'email-changed')).toEqual([]);
  });
});

describe('refusals of the request', () => {
  const noChangeMail = async (to: string) => expect(await mailTo(to, 'email-change')).toEqual([]);

  it('a wrong password: 403 MCART_ERR_WRONG_PASSWORD on body/password, as the password change says', async () => {
    const customer = await registerCustomer(app);
    const newEmail = freshAddress();
    const refused = await requestChange(customer.auth, { newEmail, password: 'not the password at all' });
    expectProblem(refused, 403, 'MCART_ERR_WRONG_PASSWORD');
    expect(refused.json().errors).toEqual([{ path: 'body/password', message: 'is wrong' }]);
    await noChangeMail(newEmail);
  });

  it('no password for an account that has one: 400 MCART_ERR_PASSWORD_REQUIRED', async () => {
    const customer = await registerCustomer(app);
    const newEmail = freshAddress();
    const refused = await requestChange(customer.auth, { newEmail });
    expectProblem(refused, 400, 'MCART_ERR_PASSWORD_REQUIRED');
    expect(refused.json().errors[0].path).toBe('body/password');
    await noChangeMail(newEmail);
  });

  it('an invalid address: 400 on body/newEmail', async () => {
    const customer = await registerCustomer(app);
    const refused = await requestChange(customer.auth, {
      newEmail: 'not-an-address',
      password: customer.password,
    });
    expectProblem(refused, 400, 'MCART_ERR_VALIDATION');
    expect(refused.json().errors[0].path).toBe('body/newEmail');
  });

  it('the current address (any case): 400 MCART_ERR_EMAIL_UNCHANGED', async () => {
    const customer = await registerCustomer(app);
    const refused = await requestChange(customer.auth, {
      newEmail: customer.email.toUpperCase(),
      password: customer.password,
    });
    expectProblem(refused, 400, 'MCART_ERR_EMAIL_UNCHANGED');
    expect(refused.json().errors[0].path).toBe('body/newEmail');
  });

  it('another account’s address: 409 MCART_ERR_EMAIL_TAKEN (as registration), but only after the password', async () => {
    const customer = await registerCustomer(app);
    const taken = await registerCustomer(app);
    // Without the password, a stolen access token learns nothing about other accounts.
    const guessed = await requestChange(customer.auth, {
      newEmail: taken.email,
      password: 'wrong guess here',
    });
    expectProblem(guessed, 403, 'MCART_ERR_WRONG_PASSWORD');
    const refused = await requestChange(customer.auth, {
      newEmail: taken.email,
      password: customer.password,
    });
    expectProblem(refused, 409, 'MCART_ERR_EMAIL_TAKEN');
    expect(refused.json().errors).toEqual([{ path: 'body/newEmail', message: 'is already registered' }]);
    await noChangeMail(taken.email);
  });
});

describe('an account without a password (social sign-in)', () => {
  const em = () => app.orm.em.fork() as EntityManager;

  async function socialOnly(ageSeconds: number, email: string | null) {
    const fork = em();
    const customer = await new CustomersService(fork, app.cipher).register({
      email,
      password: null,
      firstName: 'Sol',
      lastName: 'Cial',
      emailVerified: email !== null,
    });
    const { familyId } = await new SessionsService(fork, config.auth.sessionMaxSeconds).start(
      'customer',
      customer.id,
      {},
    );
    if (ageSeconds)
      await fork.execute(
        `UPDATE auth_session SET created_at = now() - make_interval(secs => ?) WHERE family_id = ?`,
        [ageSeconds, familyId],
      );
    return {
      id: customer.id,
      auth: bearer(app.signAccessToken({ sub: customer.id, kind: 'customer', sid: familyId })),
    };
  }

  it('needs a sign-in less than 10 minutes old: 403 MCART_ERR_RECENT_SIGN_IN_REQUIRED otherwise', async () => {
    const stale = await socialOnly(20 * 60, `social-${randomUUID()}@example.test`);
    const newEmail = freshAddress();
    expectProblem(await requestChange(stale.auth, { newEmail }), 403, 'MCART_ERR_RECENT_SIGN_IN_REQUIRED');
    expect(await mailTo(newEmail, 'email-change')).toEqual([]);
  });

  it('an account with no address yet gets one, verified, once the link is confirmed', async () => {
    const account = await socialOnly(0, null);
    const newEmail = freshAddress();
    const asked = await requestChange(account.auth, { newEmail });
    expect(asked.statusCode, asked.body).toBe(202);
    const token = tokenFrom((await mailTo(newEmail, 'email-change'))[0]!.data.confirmUrl);
    const confirmed = await confirmChange(account.auth, token);
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect((await me(bearer(confirmed.json().accessToken))).json()).toMatchObject({
      email: newEmail,
      emailVerified: true,
      hasPassword: false,
    });
  });
});

describe('personal data', () => {
  it('the export lists a pending change; the erasure deletes it', async () => {
    const customer = await registerCustomer(app);
    await verifyEmailOf(app, databaseUrl, customer);
    const newEmail = freshAddress();
    await changeToken(customer, newEmail);
    const exported = await app.inject({ url: '/api/store/me/data-export', headers: customer.auth });
    expect(exported.statusCode, exported.body).toBe(200);
    const pending = exported.json().customer.pendingEmailChange;
    expect(pending).toEqual({
      newEmail,
      requestedAt: expect.any(String),
      expiresAt: expect.any(String),
    });
    expect(new Date(pending.expiresAt).getTime() - new Date(pending.requestedAt).getTime()).toBeGreaterThan(
      23 * 3600 * 1000,
    );

    const erased = await app.inject({
      method: 'DELETE',
      url: '/api/store/me',
      headers: customer.auth,
      payload: { password: customer.password },
    });
    expect(erased.statusCode, erased.body).toBe(200);
    expect(
      await sqlRows(databaseUrl, `SELECT 1 FROM account_token WHERE customer_id = $1`, [customer.id]),
    ).toEqual([]);
  });

  it('the export says null when no change is pending', async () => {
    const customer = await registerCustomer(app);
    const exported = await app.inject({ url: '/api/store/me/data-export', headers: customer.auth });
    expect(exported.json().customer.pendingEmailChange).toBeNull();
  });
});

describe('the e-mails', () => {
  it('the link goes to the new address; the notice to the old one holds no link, only who to contact', () => {
    const brand = { ...brandingFrom(config), supportEmail: 'help@shop.test' };
    const link = renderTemplate(
      'email-change',
      { firstName: 'Ada', confirmUrl: 'https://shop.test/confirm-email-change?token=abc' },
      brand,
    );
    expect(link.text).toContain('https://shop.test/confirm-email-change?token=abc');
    expect(link.html).toContain('href="https://shop.test/confirm-email-change?token=abc"');
    const notice = renderTemplate('email-changed', { firstName: 'Ada' }, brand);
    expect(notice.subject).toMatch(/e-mail address of your .* account was changed/);
    expect(notice.text).toContain('contact us at help@shop.test');
    expect(notice.html).not.toMatch(/<a\s/i);
    expect(notice.text).not.toMatch(/https?:\/\//);
  });
});
