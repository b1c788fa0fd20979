import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { TEST_OWNER, useTestApp } from '../../../test/app.ts';
import { registerCustomer } from '../../../test/identity/helpers.ts';
import { SIGN_IN_CLIENTS_PER_ACCOUNT } from './rate-limits.ts';

/*
 * Who a per-address limit counts (an IPv4 address, or an IPv6 /64), and the password sign-in's limits per account
 * (ADR 0064): one address guessing at an account waits alone; guessing spread over many addresses still stops.
 */
const LIMIT = 3;
const { app } = await useTestApp({ AUTH_IP_LIMIT: String(LIMIT), AUTH_ACCOUNT_LIMIT: String(LIMIT) });

const login = (url: string, remoteAddress: string, payload: Record<string, string>) =>
  app.inject({ method: 'POST', url, remoteAddress, payload } satisfies InjectOptions);

function expectRateLimited(response: LightMyRequestResponse) {
  expect(response.statusCode, response.body).toBe(429);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.json().code).toBe('MCART_ERR_RATE_LIMITED');
  expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
}

describe('per-address limits and IPv6', () => {
  it('counts the addresses of one IPv6 /64 as one client (a fresh address each time gets no fresh allowance)', async () => {
    const statuses: number[] = [];
    let last: LightMyRequestResponse | undefined;
    for (let i = 1; i <= LIMIT + 1; i++) {
      last = await login('/api/store/auth/login', `2001:db8:aa:1::${i.toString(16)}`, {
        email: `nobody-${i}@example.test`,
        password: 'a guess at some account',
      });
      statuses.push(last.statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    expectRateLimited(last!);
    // Another subscriber's network is another client.
    const elsewhere = await login('/api/store/auth/login', '2001:db8:aa:2::1', {
      email: 'nobody-else@example.test',
      password: 'a guess at some account',
    });
    expect(elsewhere.statusCode).toBe(401);
  });

  it('does the same for the staff sign-in', async () => {
    const statuses: number[] = [];
    for (let i = 1; i <= LIMIT + 1; i++) {
      const response = await login('/api/admin/auth/login', `2001:db8:bb:1:${i.toString(16)}::1`, {
        email: `nobody-${i}@mcart.test`,
        password: 'a guess at some member',
      });
      statuses.push(response.statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
  });
});

describe('sign-in limits per account', () => {
  it('wrong passwords from one address do not keep the customer out from theirs', async () => {
    const customer = await registerCustomer(app);
    const attacker = '203.0.113.10';
    const statuses: number[] = [];
    for (let i = 0; i <= LIMIT; i++) {
      const response = await login('/api/store/auth/login', attacker, {
        email: customer.email,
        password: `wrong guess ${i}`,
      });
      statuses.push(response.statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    // The guesser waits, even with the right password...
    expectRateLimited(
      await login('/api/store/auth/login', attacker, { email: customer.email, password: customer.password }),
    );
    // ...and the customer signs in from their own address.
    const own = await login('/api/store/auth/login', '198.51.100.20', {
      email: customer.email.toUpperCase(),
      password: customer.password,
    });
    expect(own.statusCode, own.body).toBe(200);
  });

  it('wrong passwords from one address do not keep the owner out of the back office', async () => {
    const attacker = '203.0.113.11';
    for (let i = 0; i <= LIMIT; i++)
      await login('/api/admin/auth/login', attacker, {
        email: TEST_OWNER.email,
        password: `wrong guess ${i}`,
      });
    expectRateLimited(await login('/api/admin/auth/login', attacker, TEST_OWNER));
    const own = await login('/api/admin/auth/login', '198.51.100.21', TEST_OWNER);
    expect(own.statusCode, own.body).toBe(200);
  });

  it('still stops guessing spread over many addresses', async () => {
    const customer = await registerCustomer(app);
    const budget = LIMIT * SIGN_IN_CLIENTS_PER_ACCOUNT;
    for (let i = 0; i < budget; i++) {
      const response = await login('/api/store/auth/login', `192.0.2.${Math.floor(i / LIMIT) + 1}`, {
        email: customer.email,
        password: `wrong guess ${i}`,
      });
      expect(response.statusCode, `attempt ${i + 1}`).toBe(401);
    }
    expectRateLimited(
      await login('/api/store/auth/login', '192.0.2.200', {
        email: customer.email,
        password: 'one more guess',
      }),
    );
  });
});
