import { describe, expect, it } from 'vitest';
import { changedFields, createDataProvider, serverPages } from './dataProvider.ts';
import { createHttpClient } from './http.ts';
import { fakeFetch, json, memoryTokenStore, problem } from './testing.ts';

function setup(handler: Parameters<typeof fakeFetch>[0]) {
  const { fetch, requests } = fakeFetch(handler);
  const http = createHttpClient({
    baseUrl: () => '',
    tokens: memoryTokenStore({ accessToken: 'a', refreshToken: 'r' }),
    fetch,
  });
  return { dataProvider: createDataProvider(http), requests };
}

describe('data provider', () => {
  it('lists with the MCart paging, sorting and filter convention', async () => {
    const { dataProvider, requests } = setup(() => json(200, { data: [{ id: 'o1' }], total: 41 }));
    const result = await dataProvider.getList('orders', {
      pagination: { page: 2, perPage: 25 },
      sort: { field: 'createdAt', order: 'DESC' },
      filter: { status: 'paid', page: 9 },
    });
    expect(result).toEqual({ data: [{ id: 'o1' }], total: 41 });
    expect(requests[0]?.url).toBe(
      '/api/admin/orders?page=2&perPage=25&sort=createdAt&order=DESC&status=paid',
    );
  });

  it('fetches a page larger than the server allows (the export button) as server pages', async () => {
    const rows = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => ({ id: `o${from + i}` }));
    const { dataProvider, requests } = setup(({ url }) => {
      const page = Number(new URL(url, 'http://x').searchParams.get('page'));
      return json(200, { data: page === 1 ? rows(0, 500) : rows(500, 120), total: 620 });
    });
    const result = await dataProvider.getList('orders', {
      pagination: { page: 1, perPage: 1000 },
      sort: { field: 'createdAt', order: 'DESC' },
      filter: { status: 'paid' },
    });
    expect(result.total).toBe(620);
    expect(result.data.map((row) => row.id)).toEqual(rows(0, 620).map((row) => row.id));
    expect(requests.map((request) => request.url)).toEqual([
      '/api/admin/orders?page=1&perPage=500&sort=createdAt&order=DESC&status=paid',
      '/api/admin/orders?page=2&perPage=500&sort=createdAt&order=DESC&status=paid',
    ]);
    expect(serverPages(3, 700)).toEqual(
      Array.from({ length: 7 }, (_, i) => ({ page: 15 + i, perPage: 100 })),
    );
  });

  it('fetches references with repeated id filters', async () => {
    const { dataProvider, requests } = setup(() =>
      json(200, { data: [{ id: 'a' }, { id: 'b/c' }], total: 2 }),
    );
    await dataProvider.getMany('products', { ids: ['a', 'b/c'] });
    expect(requests[0]?.url).toBe('/api/admin/products?page=1&perPage=2&id=a&id=b%2Fc');
  });

  it('lists records referencing another by its target field', async () => {
    const { dataProvider, requests } = setup(() => json(200, { data: [], total: 0 }));
    await dataProvider.getManyReference('inventory/levels', {
      target: 'variantId',
      id: 'v1',
      pagination: { page: 1, perPage: 10 },
      sort: { field: 'id', order: 'ASC' },
      filter: {},
    });
    expect(requests[0]?.url).toBe(
      '/api/admin/inventory%2Flevels?page=1&perPage=10&sort=id&order=ASC&variantId=v1',
    );
  });

  it('gets, creates, patches only changed fields, and deletes', async () => {
    const { dataProvider, requests } = setup(({ method, body }) => {
      if (method === 'DELETE') return new Response(null, { status: 204 });
      return json(method === 'POST' ? 201 : 200, { id: 'p1', ...(body as object) });
    });
    await expect(dataProvider.getOne('products', { id: 'p1' })).resolves.toEqual({ data: { id: 'p1' } });
    await expect(dataProvider.create('products', { data: { title: 'Shirt' } })).resolves.toEqual({
      data: { id: 'p1', title: 'Shirt' },
    });
    await dataProvider.update('products', {
      id: 'p1',
      data: { id: 'p1', title: 'Shirt', status: 'draft' },
      previousData: { id: 'p1', title: 'Shirt', status: 'active' },
    });
    await expect(
      dataProvider.delete('products', { id: 'p1', previousData: { id: 'p1', title: 'Shirt' } }),
    ).resolves.toEqual({
      data: { id: 'p1', title: 'Shirt' },
    });
    expect(requests.map((r) => [r.method, r.url, r.body])).toEqual([
      ['GET', '/api/admin/products/p1', undefined],
      ['POST', '/api/admin/products', { title: 'Shirt' }],
      ['PATCH', '/api/admin/products/p1', { status: 'draft' }],
      ['DELETE', '/api/admin/products/p1', undefined],
    ]);
  });

  it('rejects with field errors a form can display', async () => {
    const { dataProvider } = setup(() =>
      problem(400, 'Validation failed', 'MCART_ERR_VALIDATION', {
        errors: [{ path: '/variants/0/sku', message: 'is required' }],
      }),
    );
    await expect(dataProvider.create('products', { data: {} })).rejects.toMatchObject({
      status: 400,
      message: 'Validation failed',
      body: {
        code: 'MCART_ERR_VALIDATION',
        errors: { 'variants.0.sku': 'is required', root: { serverError: 'Validation failed' } },
      },
    });
  });
});

describe('changedFields', () => {
  it('compares nested values by content and never sends the id', () => {
    expect(
      changedFields(
        { id: 1, price: { amount: 1000, currency: 'EUR' }, tags: ['a'], title: 'New' },
        { id: 1, price: { amount: 1000, currency: 'EUR' }, tags: ['a'], title: 'Old' },
      ),
    ).toEqual({ title: 'New' });
  });
});
