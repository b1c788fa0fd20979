import { describe, expect, it } from 'vitest';
import { staffToken, useTestApp } from '../../../test/app.ts';

const { app, config } = await useTestApp();
const auth = await staffToken(app);

async function createProduct(title: string, skus: string[]) {
  const response = await app.inject({
    method: 'POST',
    url: '/api/admin/products',
    headers: { authorization: auth },
    payload: {
      title,
      status: 'active',
      variants: skus.map((sku) => ({ sku, price: { amount: 900, currency: config.store.currency } })),
    },
  });
  expect(response.statusCode).toBe(201);
  return response.json<{ id: string; variants: { id: string; sku: string }[] }>();
}

const list = (query: string) =>
  app.inject({ method: 'GET', url: `/api/admin/variants?${query}`, headers: { authorization: auth } });

describe('variant lookup for stock screens (GET /api/admin/variants)', () => {
  it('finds a variant by its scanned SKU, case-insensitively, with its product title', async () => {
    const product = await createProduct('Scan Mug', ['SCAN-MUG-1', 'SCAN-MUG-2']);
    const found = await list('sku=scan-mug-2');
    expect(found.statusCode).toBe(200);
    expect(found.json()).toEqual({
      data: [
        {
          id: product.variants[1]!.id,
          sku: 'SCAN-MUG-2',
          title: '',
          options: {},
          productId: product.id,
          productTitle: 'Scan Mug',
        },
      ],
      total: 1,
    });
    // A SKU is an exact code, not a prefix.
    expect((await list('sku=SCAN-MUG')).json()).toEqual({ data: [], total: 0 });
  });

  it('answers react-admin getMany by ids and text search, never deleted variants', async () => {
    const product = await createProduct('Lookup Bowl', ['LOOKUP-BOWL-A', 'LOOKUP-BOWL-B']);
    const [a, b] = product.variants;
    const many = await list(`id=${a!.id}&id=${b!.id}`);
    expect(many.json<{ data: { sku: string }[] }>().data.map((v) => v.sku)).toEqual([
      'LOOKUP-BOWL-A',
      'LOOKUP-BOWL-B',
    ]);
    expect((await list('q=lookup bowl')).json().total).toBe(2);
    const removed = await app.inject({
      method: 'DELETE',
      url: `/api/admin/products/${product.id}/variants/${b!.id}`,
      headers: { authorization: auth },
    });
    expect(removed.statusCode).toBe(204);
    expect((await list('sku=LOOKUP-BOWL-B')).json().total).toBe(0);
  });

  it('needs a staff token', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/admin/variants?sku=X' })).statusCode).toBe(401);
  });
});

describe('compare-at prices', () => {
  const currency = config.store.currency;
  const send = (method: 'POST' | 'PATCH', url: string, payload: Record<string, unknown>) =>
    app.inject({ method, url, headers: { authorization: auth }, payload });

  it('must be above the price: a lower one is refused on its field, and nothing is written', async () => {
    const refused = await send('POST', '/api/admin/products', {
      title: 'Fake Sale Lamp',
      status: 'active',
      variants: [
        { sku: 'FAKE-LAMP', price: { amount: 1350, currency }, compareAtPrice: { amount: 1000, currency } },
      ],
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({
      code: 'MCART_ERR_COMPARE_AT_PRICE',
      errors: [{ path: 'body/variants/0/compareAtPrice/amount' }],
    });
    expect((await list('sku=FAKE-LAMP')).json().total).toBe(0);

    const product = await createProduct('Real Sale Lamp', ['REAL-LAMP']);
    const variant = (
      await app.inject({ url: `/api/admin/products/${product.id}`, headers: { authorization: auth } })
    ).json<{ variants: { id: string; version: number }[] }>().variants[0]!;
    const url = `/api/admin/products/${product.id}/variants/${variant.id}`;
    const below = await send('PATCH', url, {
      version: variant.version,
      compareAtPrice: { amount: 900, currency },
    });
    expect(below.statusCode).toBe(400);
    expect(below.json().errors).toMatchObject([{ path: 'body/compareAtPrice/amount' }]);
    const above = await send('PATCH', url, {
      version: variant.version,
      compareAtPrice: { amount: 1200, currency },
    });
    expect(above.statusCode, above.body).toBe(200);
    // Raising the price past it is refused on the price; the store shows a compare-at only above the price.
    const raised = await send('PATCH', url, {
      version: above.json().version,
      price: { amount: 1300, currency },
    });
    expect(raised.statusCode).toBe(400);
    expect(raised.json().errors).toMatchObject([{ path: 'body/price/amount' }]);
    const shown = (await app.inject(`/api/store/products/${product.id}`)).json();
    expect(shown.variants[0].compareAtPrice).toEqual({ amount: 1200, currency });
  });
});
