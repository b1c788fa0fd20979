import { describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { staffToken, useTestApp } from '../../../test/app.ts';
import { query } from '../inventory/sql.ts';
import { commerceFixtures } from './test-helpers.ts';

const { app } = await useTestApp();
const owner = await staffToken(app);
const fx = commerceFixtures(app, owner);
const fork = () => app.orm.em.fork() as EntityManager;
// Checkout pays through the payments context; these run once it is installed (modules/payments).
const withPayments = describe.skipIf(!app.hasDecorator('payments'));

interface MethodDto {
  id: string;
  code: string;
  name: string;
  kind: 'flat' | 'free_over';
  amount: { amount: number; currency: string };
  freeOverAmount: { amount: number; currency: string } | null;
  isDefault: boolean;
  active: boolean;
  sort: number;
  version: number;
}

const usd = (amount: number) => ({ amount, currency: 'USD' });

const admin = (
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  payload?: Record<string, unknown>,
  authorization = owner,
) =>
  app.inject({
    method,
    url: `/api/admin/shipping-methods${path}`,
    headers: { authorization },
    ...(payload ? { payload } : {}),
  });

async function createMethod(payload: Record<string, unknown>, authorization = owner): Promise<MethodDto> {
  const response = await admin('POST', '', payload, authorization);
  expect(response.statusCode, response.body).toBe(201);
  return response.json<MethodDto>();
}

async function patchMethod(id: string, payload: Record<string, unknown>): Promise<MethodDto> {
  const response = await admin('PATCH', `/${id}`, payload);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<MethodDto>();
}

const list = async (search = '') => (await admin('GET', search)).json<{ data: MethodDto[]; total: number }>();

const storeMethods = async () =>
  (await app.inject({ url: '/api/store/shipping-methods' })).json<{ data: MethodDto[] }>().data;

const byCode = async (code: string) => (await list(`?q=${code}`)).data.find((m) => m.code === code)!;

const changesOf = (ids: string[]) =>
  query<{ ids: string[]; type: string }>(
    fork(),
    `SELECT ids, type FROM outbox_event WHERE resource = 'shipping-methods' AND ids && ?::text[] ORDER BY id`,
    [`{${ids.join(',')}}`],
  );

async function cartWith(variantId: string, quantity: number) {
  const cartId = await fx.cart();
  const added = await fx.add(cartId, variantId, quantity);
  expect(added.statusCode, added.body).toBe(200);
  return cartId;
}

const chooseMethod = (cartId: string, shippingMethodId: string) =>
  app.inject({
    method: 'PUT',
    url: `/api/store/carts/${cartId}/shipping-method`,
    payload: { shippingMethodId },
  });

const cart = async (cartId: string) => (await app.inject({ url: `/api/store/carts/${cartId}` })).json();

async function staffWithRole(role: 'manager' | 'warehouse') {
  const credentials = { email: `${role}-shipping@mcart.test`, password: `${role} passphrase for rates` };
  const created = await app.inject({
    method: 'POST',
    url: '/api/admin/staff',
    headers: { authorization: owner },
    payload: { ...credentials, role, firstName: 'Test', lastName: role },
  });
  expect(created.statusCode, created.body).toBe(201);
  return staffToken(app, credentials);
}

describe('shipping methods admin', () => {
  it('creates a method that the store offers at once, lists it with filters, audits and announces it', async () => {
    const courier = await createMethod({
      code: 'Courier',
      name: 'Courier (next day)',
      kind: 'flat',
      amount: usd(700),
      sort: 3,
    });
    expect(courier).toMatchObject({
      code: 'courier',
      name: 'Courier (next day)',
      kind: 'flat',
      amount: { amount: 700, currency: 'USD' },
      freeOverAmount: null,
      isDefault: false,
      active: true,
      sort: 3,
      version: 1,
    });
    expect((await admin('GET', `/${courier.id}`)).json()).toEqual(courier);

    // Store order by default (sort, then name): the two seeded methods, then the new one.
    const all = await list();
    expect(all.total).toBe(3);
    expect(all.data.map((m) => m.code)).toEqual(['standard', 'express', 'courier']);
    expect((await list('?kind=flat')).data.map((m) => m.code)).toEqual(['express', 'courier']);
    expect((await list('?q=NEXT%20day')).data.map((m) => m.code)).toEqual(['courier']);
    const page = await list('?sort=amount&order=DESC&page=2&perPage=1');
    expect(page).toMatchObject({ total: 3, data: [{ code: 'courier' }] });
    expect(await list('?active=false')).toEqual({ data: [], total: 0 });
    expect((await list(`?id=${courier.id}`)).data.map((m) => m.code)).toEqual(['courier']);

    expect(await storeMethods()).toContainEqual({
      id: courier.id,
      code: 'courier',
      name: 'Courier (next day)',
      kind: 'flat',
      amount: { amount: 700, currency: 'USD' },
      freeOverAmount: null,
      isDefault: false,
    });

    expect(await changesOf([courier.id])).toEqual([{ ids: [courier.id], type: 'created' }]);
    const audit = await app.inject({
      url: '/api/admin/audit?action=shipping_method.created',
      headers: { authorization: owner },
    });
    expect(audit.json().data).toEqual([
      expect.objectContaining({
        method: 'POST',
        route: '/api/admin/shipping-methods',
        status: 201,
        details: { fields: ['code', 'name', 'kind', 'amount', 'sort'], code: 'courier' },
        staffId: expect.any(String),
      }),
    ]);
  });

  it("charges a new method's rate in cart totals: flat, and free once the goods reach the threshold", async () => {
    const product = await fx.product([2000]);
    const variantId = product.variants[0]!.id;
    const parcel = await createMethod({ code: 'parcel', name: 'Parcel', kind: 'flat', amount: usd(650) });
    const saver = await createMethod({
      code: 'saver',
      name: 'Saver (free from 40.00)',
      kind: 'free_over',
      amount: usd(450),
      freeOverAmount: usd(4000),
    });
    const cartId = await cartWith(variantId, 1);

    const flat = await chooseMethod(cartId, parcel.id);
    expect(flat.statusCode, flat.body).toBe(200);
    expect(flat.json()).toMatchObject({
      shippingMethod: { code: 'parcel', amount: { amount: 650, currency: 'USD' } },
      totals: { subtotal: { amount: 2000 }, shipping: { amount: 650 }, total: { amount: 2650 } },
    });

    const belowThreshold = await chooseMethod(cartId, saver.id);
    expect(belowThreshold.json().totals).toMatchObject({
      shipping: { amount: 450 },
      total: { amount: 2450 },
    });
    const atThreshold = await fx.add(cartId, variantId, 1);
    expect(atThreshold.json().totals).toMatchObject({
      subtotal: { amount: 4000 },
      shipping: { amount: 0 },
      total: { amount: 4000 },
    });

    // A changed rate applies to open carts at once.
    await patchMethod(saver.id, { version: saver.version, amount: usd(300), freeOverAmount: usd(6000) });
    expect((await cart(cartId)).totals).toMatchObject({ shipping: { amount: 300 }, total: { amount: 4300 } });
    // Turned flat: the threshold goes with it.
    const turnedFlat = await patchMethod(saver.id, { version: saver.version + 1, kind: 'flat' });
    expect(turnedFlat).toMatchObject({ kind: 'flat', freeOverAmount: null, amount: { amount: 300 } });
  });

  it('keeps exactly one default: making one default unsets the previous one in the same change', async () => {
    const standard = await byCode('standard');
    expect(standard.isDefault).toBe(true);
    const home = await createMethod({
      code: 'home',
      name: 'Home delivery',
      kind: 'flat',
      amount: usd(800),
      isDefault: true,
    });
    expect(home.isDefault).toBe(true);
    expect(await byCode('standard')).toMatchObject({ isDefault: false, version: standard.version + 1 });
    expect((await storeMethods()).filter((m) => m.isDefault).map((m) => m.code)).toEqual(['home']);
    expect(await changesOf([standard.id])).toEqual([{ ids: [standard.id], type: 'updated' }]);

    // A cart that chose nothing ships with the default.
    const product = await fx.product([1000]);
    const cartId = await cartWith(product.variants[0]!.id, 1);
    expect(await cart(cartId)).toMatchObject({
      shippingMethod: { code: 'home' },
      totals: { shipping: { amount: 800 } },
    });

    // The default is never simply unset or deactivated: another one is made the default.
    for (const payload of [{ isDefault: false }, { active: false }]) {
      const refused = await admin('PATCH', `/${home.id}`, payload);
      expect(refused.statusCode).toBe(409);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.json()).toMatchObject({
        code: 'MCART_ERR_SHIPPING_METHOD_IS_DEFAULT',
        errors: [{ path: `body/${Object.keys(payload)[0]}` }],
      });
    }
    const inactiveDefault = await admin('POST', '', {
      code: 'ghost',
      name: 'Ghost',
      kind: 'flat',
      amount: usd(1),
      isDefault: true,
      active: false,
    });
    expect(inactiveDefault.statusCode).toBe(400);
    expect(inactiveDefault.json()).toMatchObject({
      code: 'MCART_ERR_INVALID_SHIPPING_METHOD',
      errors: [{ path: 'body/active' }],
    });

    // Two staff making different methods default at once: both succeed in turn, one default remains.
    const express = await byCode('express');
    const current = await byCode('standard');
    const [a, b] = await Promise.all([
      admin('PATCH', `/${express.id}`, { isDefault: true }),
      admin('PATCH', `/${current.id}`, { isDefault: true }),
    ]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    const defaults = await query<{ code: string }>(
      fork(),
      `SELECT code FROM shipping_method WHERE is_default`,
    );
    expect(defaults).toHaveLength(1);

    // Back to the seeded default for the tests that follow.
    await patchMethod((await byCode('standard')).id, { isDefault: true });
    expect((await storeMethods()).filter((m) => m.isDefault).map((m) => m.code)).toEqual(['standard']);
  });

  it('refuses a duplicate code (409) and a change made from a stale version (409)', async () => {
    const duplicate = await admin('POST', '', {
      code: 'EXPRESS',
      name: 'Again',
      kind: 'flat',
      amount: usd(1),
    });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(duplicate.json()).toMatchObject({
      status: 409,
      code: 'MCART_ERR_DUPLICATE_SHIPPING_METHOD_CODE',
      errors: [{ path: 'body/code', message: 'already exists' }],
    });

    const bike = await createMethod({ code: 'bike', name: 'Bike courier', kind: 'flat', amount: usd(900) });
    const renamed = await admin('PATCH', `/${bike.id}`, { code: 'standard' });
    expect(renamed.json().code).toBe('MCART_ERR_DUPLICATE_SHIPPING_METHOD_CODE');

    await patchMethod(bike.id, { version: 1, name: 'Bike courier (city)' });
    const stale = await admin('PATCH', `/${bike.id}`, { version: 1, amount: usd(100) });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('MCART_ERR_STALE_WRITE');
    expect(await byCode('bike')).toMatchObject({ name: 'Bike courier (city)', amount: { amount: 900 } });

    const missing = await admin('GET', '/00000000-0000-4000-8000-000000000000');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('MCART_ERR_SHIPPING_METHOD_NOT_FOUND');
    // Nothing is ever deleted (carts and orders refer to methods): deactivate instead.
    expect((await admin('DELETE', `/${bike.id}`)).statusCode).toBe(404);
  });

  it('refuses bad input with 400 and the field paths, and writes nothing', async () => {
    const countRows = async () =>
      (
        await query<{ methods: number; events: number }>(
          fork(),
          `SELECT (SELECT count(*)::int FROM shipping_method) AS methods,
                  (SELECT count(*)::int FROM outbox_event WHERE resource = 'shipping-methods') AS events`,
        )
      )[0];
    const before = await countRows();
    const base = { code: 'freight', name: 'Freight', kind: 'flat', amount: usd(100) };
    const cases: [Record<string, unknown>, string, string[]][] = [
      [{ amount: usd(-1) }, 'MCART_ERR_VALIDATION', ['body/amount/amount']],
      [{ amount: usd(2_147_483_648) }, 'MCART_ERR_VALIDATION', ['body/amount/amount']],
      [{ amount: usd(1.5) }, 'MCART_ERR_VALIDATION', ['body/amount/amount']],
      [{ amount: 500 }, 'MCART_ERR_VALIDATION', ['body/amount']],
      [{ kind: 'weight' }, 'MCART_ERR_VALIDATION', ['body/kind']],
      [{ code: 'two words' }, 'MCART_ERR_VALIDATION', ['body/code']],
      [{ price: usd(1) }, 'MCART_ERR_VALIDATION', ['body/price']],
      [{ name: '   ' }, 'MCART_ERR_INVALID_SHIPPING_METHOD', ['body/name']],
      [{ kind: 'free_over' }, 'MCART_ERR_INVALID_SHIPPING_METHOD', ['body/freeOverAmount']],
      [{ freeOverAmount: usd(5000) }, 'MCART_ERR_INVALID_SHIPPING_METHOD', ['body/freeOverAmount']],
      [
        { amount: { amount: 100, currency: 'EUR' }, kind: 'free_over', freeOverAmount: usd(5000) },
        'MCART_ERR_CURRENCY_MISMATCH',
        ['body/amount/currency'],
      ],
    ];
    for (const [change, code, paths] of cases) {
      const response = await admin('POST', '', { ...base, ...change });
      expect(response.statusCode, JSON.stringify(change)).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      const problem = response.json<{ code: string; errors: { path: string }[] }>();
      expect(problem.code, JSON.stringify(change)).toBe(code);
      // A union (kind) reports each branch it tried: one field, several messages.
      expect([...new Set(problem.errors.map((e) => e.path))]).toEqual(paths);
    }

    const express = await byCode('express');
    const invalidChange = await admin('PATCH', `/${express.id}`, { kind: 'free_over' });
    expect(invalidChange.json()).toMatchObject({
      code: 'MCART_ERR_INVALID_SHIPPING_METHOD',
      errors: [{ path: 'body/freeOverAmount' }],
    });
    expect(await byCode('express')).toEqual(express);
    expect(await countRows()).toEqual(before);

    // The largest amount an order can hold is accepted.
    const freight = await createMethod({ ...base, amount: usd(2_147_483_647), active: false });
    expect(freight.amount.amount).toBe(2_147_483_647);
  });

  it('answers 401 without a token and 403 to a role without pricing:write; warehouse staff read', async () => {
    expect((await app.inject({ url: '/api/admin/shipping-methods' })).statusCode).toBe(401);
    const warehouse = await staffWithRole('warehouse');
    expect((await admin('GET', '', undefined, warehouse)).statusCode).toBe(200);
    const payload = { code: 'van', name: 'Van', kind: 'flat', amount: usd(1200) };
    const express = await byCode('express');
    for (const response of [
      await admin('POST', '', payload, warehouse),
      await admin('PATCH', `/${express.id}`, { name: 'Taken over' }, warehouse),
    ]) {
      expect(response.statusCode).toBe(403);
      expect(response.json().code).toBe('MCART_ERR_FORBIDDEN');
    }
    expect((await byCode('express')).name).toBe(express.name);
    expect(await list('?q=van')).toEqual({ data: [], total: 0 });

    const manager = await staffWithRole('manager');
    expect((await createMethod(payload, manager)).code).toBe('van');
  });
});

withPayments('shipping methods at checkout', () => {
  const checkout = (cartId: string, key: string, extra: Record<string, unknown> = {}) =>
    app.inject({
      method: 'POST',
      url: `/api/store/carts/${cartId}/checkout`,
      headers: { 'idempotency-key': key },
      payload: {
        email: 'rates@example.com',
        shippingAddress: {
          name: 'Ada Lovelace',
          line1: '12 Analytical Row',
          city: 'London',
          postalCode: 'N1 9GU',
          country: 'GB',
        },
        payment: { provider: 'test', token: 'tok_visa' },
        ...extra,
      },
    });

  it('stops offering a deactivated method and refuses it at checkout; reactivated, it is charged', async () => {
    const product = await fx.product([2000]);
    const variantId = product.variants[0]!.id;
    const drone = await createMethod({ code: 'drone', name: 'Drone', kind: 'flat', amount: usd(999) });
    const chosen = await cartWith(variantId, 1);
    expect((await chooseMethod(chosen, drone.id)).json().totals.shipping.amount).toBe(999);

    const deactivated = await patchMethod(drone.id, { version: drone.version, active: false });
    expect(deactivated).toMatchObject({ active: false, version: drone.version + 1 });
    expect((await storeMethods()).map((m) => m.code)).not.toContain('drone');
    expect(await list('?active=false&q=drone')).toMatchObject({ total: 1, data: [{ code: 'drone' }] });

    const other = await cartWith(variantId, 1);
    const refusedChoice = await chooseMethod(other, drone.id);
    expect(refusedChoice.statusCode).toBe(404);
    expect(refusedChoice.json().code).toBe('MCART_ERR_SHIPPING_METHOD_NOT_FOUND');
    // The cart that had chosen it now shows (and would charge) the default.
    expect(await cart(chosen)).toMatchObject({
      shippingMethod: { code: 'standard' },
      totals: { shipping: { amount: 500 } },
    });

    const refused = await checkout(other, 'rates-refused', { shippingMethodId: drone.id });
    expect(refused.statusCode).toBe(404);
    expect(refused.json()).toMatchObject({
      code: 'MCART_ERR_SHIPPING_METHOD_NOT_FOUND',
      errors: [{ path: 'body/shippingMethodId' }],
    });
    expect((await cart(other)).status).toBe('open');

    // Checking out the cart that had chosen it tells the shopper (nothing charged); the cart falls back to
    // the default it shows, and the retry charges that.
    const withdrawn = await checkout(chosen, 'rates-withdrawn');
    expect(withdrawn.statusCode).toBe(409);
    expect(withdrawn.json()).toMatchObject({
      code: 'MCART_ERR_SHIPPING_METHOD_WITHDRAWN',
      withdrawnShippingMethodId: drone.id,
      errors: [{ path: 'body/shippingMethodId' }],
    });
    expect(await cart(chosen)).toMatchObject({ status: 'open', shippingMethod: { code: 'standard' } });
    const retried = await checkout(chosen, 'rates-withdrawn-retry');
    expect(retried.statusCode, retried.body).toBe(201);
    expect(retried.json().order.total).toEqual({ amount: 2500, currency: 'USD' });

    await patchMethod(drone.id, { active: true });
    const placed = await checkout(other, 'rates-placed', { shippingMethodId: drone.id });
    expect(placed.statusCode, placed.body).toBe(201);
    expect(placed.json().order.total).toEqual({ amount: 2999, currency: 'USD' });
  });
});
