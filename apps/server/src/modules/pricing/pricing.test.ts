import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { staffToken, useTestApp } from '../../../test/app.ts';
import { redeemDiscountCode, validateDiscountCode } from './discount-codes.service.ts';

const { app } = await useTestApp();
const auth = { authorization: await staffToken(app) };
const fork = () => app.orm.em.fork() as EntityManager;

async function createCode(payload: Record<string, unknown>) {
  const response = await app.inject({
    method: 'POST',
    url: '/api/admin/discount-codes',
    headers: auth,
    payload,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

describe('discount codes', () => {
  it('validates: percent rounded, minimum subtotal, window, unknown; case-insensitive', async () => {
    await createCode({ code: 'Welcome10', discountType: 'percent', discountValue: 10, minSubtotal: 2000 });
    expect(await validateDiscountCode(fork(), 'welcome10', 4995)).toMatchObject({
      code: 'WELCOME10',
      discount: 500,
    });
    await expect(validateDiscountCode(fork(), 'WELCOME10', 1999)).rejects.toMatchObject({
      code: 'MCART_ERR_DISCOUNT_CODE_MIN_SUBTOTAL',
    });
    await expect(validateDiscountCode(fork(), 'NOPE', 5000)).rejects.toMatchObject({
      code: 'MCART_ERR_DISCOUNT_CODE_UNKNOWN',
    });

    await createCode({
      code: 'LATER',
      discountType: 'fixed',
      discountValue: 700,
      startsAt: new Date(Date.now() + 60_000).toISOString(),
    });
    await expect(validateDiscountCode(fork(), 'LATER', 5000)).rejects.toMatchObject({
      code: 'MCART_ERR_DISCOUNT_CODE_EXPIRED',
    });
    expect(await validateDiscountCode(fork(), 'LATER', 500, new Date(Date.now() + 120_000))).toMatchObject({
      discount: 500,
    }); // never above the subtotal
  });

  it('redeems atomically under the usage limit, once per order', async () => {
    await createCode({ code: 'TWICE', discountType: 'fixed', discountValue: 100, usageLimit: 2 });
    const orders = Array.from({ length: 6 }, () => randomUUID());
    const results = await Promise.allSettled(
      orders.map((orderId) => fork().transactional((em) => redeemDiscountCode(em, 'twice', orderId))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    expect(
      results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code),
    ).toEqual(Array(4).fill('MCART_ERR_DISCOUNT_CODE_EXHAUSTED'));
    const winner = orders[results.findIndex((r) => r.status === 'fulfilled')]!;
    await fork().transactional((em) => redeemDiscountCode(em, 'TWICE', winner)); // replay: no second use
    const list = (await app.inject({ url: '/api/admin/discount-codes?q=TWICE', headers: auth })).json();
    expect(list.data[0]).toMatchObject({ usageCount: 2, usageLimit: 2 });
    await expect(validateDiscountCode(fork(), 'TWICE', 5000)).rejects.toMatchObject({
      code: 'MCART_ERR_DISCOUNT_CODE_EXHAUSTED',
    });
  });

  it('limits uses per customer', async () => {
    await createCode({ code: 'ONCEEACH', discountType: 'percent', discountValue: 5, perCustomerLimit: 1 });
    const customerId = randomUUID();
    await fork().transactional((em) => redeemDiscountCode(em, 'ONCEEACH', randomUUID(), { customerId }));
    await expect(
      validateDiscountCode(fork(), 'ONCEEACH', 5000, new Date(), customerId),
    ).rejects.toMatchObject({ code: 'MCART_ERR_DISCOUNT_CODE_CUSTOMER_LIMIT' });
    await expect(
      fork().transactional((em) => redeemDiscountCode(em, 'ONCEEACH', randomUUID(), { customerId })),
    ).rejects.toMatchObject({
      code: 'MCART_ERR_DISCOUNT_CODE_CUSTOMER_LIMIT',
    });
    const list = (await app.inject({ url: '/api/admin/discount-codes?q=ONCEEACH', headers: auth })).json();
    expect(list.data[0].usageCount).toBe(1);
  });

  it('refuses duplicates, bad percentages and stale edits', async () => {
    const code = await createCode({ code: 'DUPE', discountType: 'fixed', discountValue: 100 });
    const dupe = await app.inject({
      method: 'POST',
      url: '/api/admin/discount-codes',
      headers: auth,
      payload: { code: 'dupe', discountType: 'fixed', discountValue: 1 },
    });
    expect(dupe.statusCode).toBe(409);
    expect(dupe.json().code).toBe('MCART_ERR_DUPLICATE_DISCOUNT_CODE');
    const percent = await app.inject({
      method: 'POST',
      url: '/api/admin/discount-codes',
      headers: auth,
      payload: { code: 'HUGE', discountType: 'percent', discountValue: 150 },
    });
    expect(percent.statusCode).toBe(400);
    expect(percent.json()).toMatchObject({ errors: [{ path: 'body/discountValue' }] });
    const ok = await app.inject({
      method: 'PATCH',
      url: `/api/admin/discount-codes/${code.id}`,
      headers: auth,
      payload: { version: 1, active: false },
    });
    expect(ok.json()).toMatchObject({ active: false, version: 2 });
    const stale = await app.inject({
      method: 'PATCH',
      url: `/api/admin/discount-codes/${code.id}`,
      headers: auth,
      payload: { version: 1, active: true },
    });
    expect(stale.json().code).toBe('MCART_ERR_STALE_WRITE');
  });
});

describe('discount code limits', () => {
  it('refuses a use limit above what the use counters (int columns) can hold with a 400 naming the field', async () => {
    for (const field of ['usageLimit', 'perCustomerLimit']) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/admin/discount-codes',
        headers: auth,
        payload: {
          code: `HUGE-${field}`,
          discountType: 'percent',
          discountValue: 10,
          [field]: 3_000_000_000,
        },
      });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().code).toBe('MCART_ERR_VALIDATION');
      expect(response.json().errors.map((e: { path: string }) => e.path)).toContain(`body/${field}`);
    }
    const list = (await app.inject({ url: '/api/admin/discount-codes?q=HUGE-', headers: auth })).json();
    expect(list.total).toBe(0);
    const largest = await createCode({
      code: 'LARGEST-LIMITS',
      discountType: 'percent',
      discountValue: 10,
      usageLimit: 2_147_483_647,
      perCustomerLimit: 2_147_483_647,
    });
    expect(largest).toMatchObject({ usageLimit: 2_147_483_647, perCustomerLimit: 2_147_483_647 });
  });
});

describe('discount code edits racing a checkout', () => {
  it('refuses a usage limit that a redemption committed meanwhile went past with a 400 on usageLimit, not a 500', async () => {
    const code = await createCode({
      code: 'RACEDLIMIT',
      discountType: 'fixed',
      discountValue: 100,
      usageLimit: 5,
    });
    await fork().transactional((em) => redeemDiscountCode(em, 'RACEDLIMIT', randomUUID()));
    await fork().transactional((em) => redeemDiscountCode(em, 'RACEDLIMIT', randomUUID()));
    // A checkout redeems a third use and holds the code's row until it commits.
    const checkout = fork();
    await checkout.begin();
    await redeemDiscountCode(checkout, 'RACEDLIMIT', randomUUID());
    // Staff lower the limit to the two uses they see: the check passes, the write waits for the checkout.
    const patch = Promise.resolve(
      app.inject({
        method: 'PATCH',
        url: `/api/admin/discount-codes/${code.id}`,
        headers: auth,
        payload: { version: code.version, usageLimit: 2 },
      }),
    );
    try {
      await expect
        .poll(async () => {
          const [row] = await fork().execute<{ n: number }[]>(
            `SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%update "discount_code"%'`,
          );
          return row?.n;
        })
        .toBe(1);
    } finally {
      await checkout.commit();
    }
    const response = await patch;
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'MCART_ERR_INVALID_DISCOUNT_CODE',
      errors: [{ path: 'body/usageLimit' }],
    });
    const after = (await app.inject({ url: `/api/admin/discount-codes/${code.id}`, headers: auth })).json();
    expect(after).toMatchObject({ usageLimit: 5, usageCount: 3 });
  });
});

describe('sale names', () => {
  it('refuses a name over several lines (it is shown in error messages and the back-office) naming the field', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/admin/sales',
      headers: auth,
      payload: {
        name: 'Spring\r\nsale',
        discountType: 'percent',
        discountValue: 10,
        startsAt: new Date().toISOString(),
        categoryIds: [],
      },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([expect.objectContaining({ path: 'body/name' })]);
  });
});

describe('sales and deleted categories', () => {
  it('lets a sale whose category was deleted be edited: the category leaves its scope', async () => {
    const category = (
      await app.inject({
        method: 'POST',
        url: '/api/admin/categories',
        headers: auth,
        payload: { name: 'Closing Down' },
      })
    ).json();
    const product = (
      await app.inject({
        method: 'POST',
        url: '/api/admin/products',
        headers: auth,
        payload: {
          title: 'Last Lamp',
          status: 'active',
          variants: [{ sku: 'LAST-LAMP', price: { amount: 2000, currency: 'USD' } }],
        },
      })
    ).json();
    const sale = (
      await app.inject({
        method: 'POST',
        url: '/api/admin/sales',
        headers: auth,
        payload: {
          name: 'Closing down',
          discountType: 'percent',
          discountValue: 30,
          startsAt: new Date(Date.now() - 1000).toISOString(),
          productIds: [product.id],
          categoryIds: [category.id],
        },
      })
    ).json();
    const deleted = await app.inject({
      method: 'DELETE',
      url: `/api/admin/categories/${category.id}`,
      headers: auth,
    });
    expect(deleted.statusCode).toBe(204);
    const renamed = await app.inject({
      method: 'PATCH',
      url: `/api/admin/sales/${sale.id}`,
      headers: auth,
      payload: { version: sale.version, name: 'Closing down: last days' },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({
      name: 'Closing down: last days',
      productIds: [product.id],
      categoryIds: [],
    });
  });
});

describe('sales admin', () => {
  it('refuses an unknown scope, an empty scope and an inverted window', async () => {
    const now = Date.now();
    const bad = await app.inject({
      method: 'POST',
      url: '/api/admin/sales',
      headers: auth,
      payload: {
        name: 'x',
        discountType: 'percent',
        discountValue: 10,
        startsAt: new Date(now).toISOString(),
        endsAt: new Date(now - 1000).toISOString(),
        productIds: [randomUUID()],
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'MCART_ERR_INVALID_SALE' });
    expect(
      bad
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['body/endsAt', 'body/productIds/0']);
    const empty = await app.inject({
      method: 'POST',
      url: '/api/admin/sales',
      headers: auth,
      payload: { name: 'x', discountType: 'fixed', discountValue: 10, startsAt: new Date(now).toISOString() },
    });
    expect(empty.statusCode).toBe(400);
  });

  it('takes scope ids in either case (the uuid format does), keeping each once as the database spells it', async () => {
    const product = (
      await app.inject({
        method: 'POST',
        url: '/api/admin/products',
        headers: auth,
        payload: {
          title: 'Shouting Lamp',
          status: 'active',
          variants: [{ sku: 'SHOUT-LAMP', price: { amount: 2000, currency: 'USD' } }],
        },
      })
    ).json();
    const variantId: string = product.variants[0].id;
    const created = await app.inject({
      method: 'POST',
      url: '/api/admin/sales',
      headers: auth,
      payload: {
        name: 'Loud sale',
        discountType: 'percent',
        discountValue: 25,
        startsAt: new Date(Date.now() - 1000).toISOString(),
        productIds: [product.id.toUpperCase()],
        variantIds: [variantId.toUpperCase(), variantId],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ productIds: [product.id], variantIds: [variantId] });
    const detail = await app.inject({ url: `/api/store/products/${product.id}` });
    expect(detail.json().variants[0]).toMatchObject({ salePrice: { amount: 1500 } });
    const edited = await app.inject({
      method: 'PATCH',
      url: `/api/admin/sales/${created.json().id}`,
      headers: auth,
      payload: { version: created.json().version, productIds: [], variantIds: [variantId.toUpperCase()] },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ productIds: [], variantIds: [variantId] });
  });

  it('refuses a fixed amount that would give variants in its scope away, and writes nothing', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/admin/products',
      headers: auth,
      payload: {
        title: 'Socks and boots',
        status: 'active',
        variants: [
          { sku: 'FREE-SOCK', price: { amount: 900, currency: 'USD' } },
          { sku: 'FREE-BOOT', price: { amount: 9000, currency: 'USD' } },
        ],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const product = created.json<{ id: string; variants: { id: string; sku: string }[] }>();
    const sale = (scope: Record<string, unknown>, discountValue: number) =>
      app.inject({
        method: 'POST',
        url: '/api/admin/sales',
        headers: auth,
        payload: {
          name: 'Ten off',
          discountType: 'fixed',
          discountValue,
          startsAt: new Date().toISOString(),
          ...scope,
        },
      });
    const before = (await app.inject({ url: '/api/admin/sales?perPage=100', headers: auth })).json().total;

    const refused = await sale({ productIds: [product.id] }, 1000);
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({
      code: 'MCART_ERR_INVALID_SALE',
      errors: [{ path: 'body/discountValue', message: expect.stringContaining('1 variant(s) free') }],
    });
    expect(refused.json().errors[0].message).toContain('FREE-SOCK at 900');
    expect((await app.inject({ url: '/api/admin/sales?perPage=100', headers: auth })).json().total).toBe(
      before,
    );

    // Only the dear variant in scope: the same amount is a discount, not a gift.
    const boots = await sale({ variantIds: [product.variants.find((v) => v.sku === 'FREE-BOOT')!.id] }, 1000);
    expect(boots.statusCode, boots.body).toBe(201);
    // Widening that sale to the whole product is refused the same way.
    const widened = await app.inject({
      method: 'PATCH',
      url: `/api/admin/sales/${boots.json().id}`,
      headers: auth,
      payload: { productIds: [product.id], version: boots.json().version },
    });
    expect(widened.statusCode).toBe(400);
    expect(widened.json().errors[0].path).toBe('body/discountValue');

    // Nor does a price set later under a running fixed sale.
    const boot = (await app.inject({ url: `/api/admin/products/${product.id}`, headers: auth }))
      .json<{ variants: { id: string; sku: string; version: number }[] }>()
      .variants.find((v) => v.sku === 'FREE-BOOT')!;
    const cheaper = await app.inject({
      method: 'PATCH',
      url: `/api/admin/products/${product.id}/variants/${boot.id}`,
      headers: auth,
      payload: { version: boot.version, price: { amount: 800, currency: 'USD' } },
    });
    expect(cheaper.statusCode).toBe(409);
    expect(cheaper.json()).toMatchObject({
      code: 'MCART_ERR_PRICE_BELOW_FIXED_SALE',
      errors: [{ path: 'body/price/amount', message: expect.stringContaining('Ten off') }],
    });
  });
});

describe('a fixed sale never gives a variant away, however the variant comes under it', () => {
  const usd = (amount: number) => ({ amount, currency: 'USD' });
  const send = (method: 'POST' | 'PATCH', url: string, payload: Record<string, unknown>) =>
    app.inject({ method, url, headers: auth, payload });
  async function category(name: string, parentId?: string) {
    const response = await send('POST', '/api/admin/categories', { name, ...(parentId ? { parentId } : {}) });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ id: string; version: number; parentId: string | null }>();
  }
  async function product(sku: string, price: number, categoryIds: string[] = []) {
    const response = await send('POST', '/api/admin/products', {
      title: `Product ${sku}`,
      status: 'active',
      categoryIds,
      variants: [{ sku, price: usd(price) }],
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ id: string; version: number; variants: { id: string; sku: string }[] }>();
  }
  async function fixedSale(name: string, scope: Record<string, unknown>, discountValue: number) {
    const response = await send('POST', '/api/admin/sales', {
      name,
      discountType: 'fixed',
      discountValue,
      startsAt: new Date(Date.now() - 60_000).toISOString(),
      ...scope,
    });
    expect(response.statusCode, response.body).toBe(201);
  }
  const adminProduct = async (id: string) =>
    (await app.inject({ url: `/api/admin/products/${id}`, headers: auth })).json<{
      version: number;
      categoryIds: string[];
      variants: { price: { amount: number } }[];
    }>();

  it('refuses a new product filed under a category with a fixed sale of at least its price (409 on that price), creating nothing', async () => {
    const shelf = await category('Fixed shelf');
    await fixedSale('Six off the shelf', { categoryIds: [shelf.id] }, 600);
    const refused = await send('POST', '/api/admin/products', {
      title: 'Too cheap for the shelf',
      categoryIds: [shelf.id],
      variants: [
        { sku: 'FX-NEW-DEAR', price: usd(5000) },
        { sku: 'FX-NEW-CHEAP', price: usd(600) },
      ],
    });
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'MCART_ERR_PRICE_BELOW_FIXED_SALE',
      errors: [
        {
          path: 'body/variants/1/price/amount',
          message: 'must be more than 600 while the sale "Six off the shelf" applies',
        },
      ],
    });
    expect((await app.inject({ url: '/api/admin/products?q=FX-NEW', headers: auth })).json().total).toBe(0);
    // Above the amount, the sale is a discount: the product is made.
    await product('FX-NEW-OK', 601, [shelf.id]);
  });

  it('refuses filing a product under such a category, or one below it (409 on categoryIds), leaving it as it was', async () => {
    const shelf = await category('Fixed shelf 2');
    const lower = await category('Lower shelf', shelf.id);
    await fixedSale('Seven off', { categoryIds: [shelf.id] }, 700);
    const cheap = await product('FX-FILED', 500);
    for (const categoryIds of [[shelf.id], [lower.id]]) {
      const refused = await send('PATCH', `/api/admin/products/${cheap.id}`, {
        version: cheap.version,
        categoryIds,
      });
      expect(refused.statusCode, refused.body).toBe(409);
      expect(refused.json()).toMatchObject({
        code: 'MCART_ERR_PRICE_BELOW_FIXED_SALE',
        errors: [
          {
            path: 'body/categoryIds',
            message: expect.stringContaining('priced 500 in the sale "Seven off"'),
          },
        ],
      });
    }
    expect(await adminProduct(cheap.id)).toMatchObject({ version: cheap.version, categoryIds: [] });
  });

  it('refuses a bulk price cut that such a sale would take to zero (409 on percent), changing no price', async () => {
    const item = await product('FX-BULK', 1000);
    await fixedSale('Six off the item', { productIds: [item.id] }, 600);
    const refused = await send('POST', '/api/admin/products/bulk', {
      ids: [item.id],
      action: 'priceChange',
      percent: -50,
    });
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'MCART_ERR_PRICE_BELOW_FIXED_SALE',
      errors: [{ path: 'body/percent', message: expect.stringContaining('FX-BULK to 500') }],
    });
    expect((await adminProduct(item.id)).variants[0]!.price.amount).toBe(1000);
    // A cut that leaves the price above the amount goes through.
    const cut = await send('POST', '/api/admin/products/bulk', {
      ids: [item.id],
      action: 'priceChange',
      percent: -30,
    });
    expect(cut.json()).toEqual({ updated: 1 });
    expect((await adminProduct(item.id)).variants[0]!.price.amount).toBe(700);
  });

  it('refuses moving a category under a parent with such a sale (its products, at any depth, would be in it), leaving the tree as it was', async () => {
    const clearance = await category('Clearance');
    await fixedSale('Clearance eight off', { categoryIds: [clearance.id] }, 800);
    const loose = await category('Loose ends');
    const inner = await category('Inner ends', loose.id);
    const cheap = await product('FX-MOVED', 800, [inner.id]);
    const refused = await send('PATCH', `/api/admin/categories/${loose.id}`, {
      version: loose.version,
      parentId: clearance.id,
    });
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'MCART_ERR_PRICE_BELOW_FIXED_SALE',
      errors: [{ path: 'body/parentId', message: expect.stringContaining('"Clearance eight off"') }],
    });
    const after = (await app.inject({ url: `/api/admin/categories/${loose.id}`, headers: auth })).json();
    expect(after).toMatchObject({ parentId: null, version: loose.version });
    const store = (await app.inject({ url: `/api/store/products/${cheap.id}` })).json();
    expect(store.variants[0].salePrice).toBeUndefined();
  });
});
