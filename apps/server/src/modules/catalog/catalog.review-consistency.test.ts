import { describe, expect, it } from 'vitest';
import { staffToken, useTestApp } from '../../../test/app.ts';

const { app } = await useTestApp();
const auth = { authorization: await staffToken(app) };
const usd = (amount: number) => ({ amount, currency: 'USD' });

function multipart(csv: string) {
  const boundary = '----mcart-test-boundary';
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="products.csv"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
    Buffer.from(csv),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { headers: { ...auth, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload };
}

describe('slugs made from titles, under concurrency', () => {
  it('concurrent products with one title all get created, each with its own slug', async () => {
    const responses = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        app.inject({
          method: 'POST',
          url: '/api/admin/products',
          headers: auth,
          payload: {
            title: 'Race Mug',
            status: 'active',
            variants: [{ sku: `RACE-MUG-${i}`, price: usd(900) }],
          },
        }),
      ),
    );
    expect(responses.map((r) => r.statusCode)).toEqual([201, 201, 201, 201]);
    expect(new Set(responses.map((r) => r.json().slug))).toEqual(
      new Set(['race-mug', 'race-mug-2', 'race-mug-3', 'race-mug-4']),
    );
  });

  it('a slug the caller gave is still a 409 when a concurrent create takes it', async () => {
    const responses = await Promise.all(
      [1, 2].map((i) =>
        app.inject({
          method: 'POST',
          url: '/api/admin/products',
          headers: auth,
          payload: {
            title: `Given ${i}`,
            slug: 'given-slug',
            variants: [{ sku: `GIVEN-${i}`, price: usd(900) }],
          },
        }),
      ),
    );
    expect(responses.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const refused = responses.find((r) => r.statusCode === 409)!;
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json().code).toBe('MCART_ERR_DUPLICATE_SLUG');
  });

  it('concurrent categories with one name all get created, each with its own slug', async () => {
    const responses = await Promise.all(
      [1, 2, 3].map(() =>
        app.inject({
          method: 'POST',
          url: '/api/admin/categories',
          headers: auth,
          payload: { name: 'Race Cups' },
        }),
      ),
    );
    expect(responses.map((r) => r.statusCode)).toEqual([201, 201, 201]);
    expect(new Set(responses.map((r) => r.json().slug))).toEqual(
      new Set(['race-cups', 'race-cups-2', 'race-cups-3']),
    );
  });
});

describe('CSV re-import of an export', () => {
  it('keeps a compare-at price that a later price rise passed (as the API does), but checks a changed one', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/admin/products',
      headers: auth,
      payload: {
        title: 'Raised Kettle',
        status: 'active',
        variants: [{ sku: 'KETTLE-1', price: usd(1000), compareAtPrice: usd(1200) }],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const raised = await app.inject({
      method: 'POST',
      url: '/api/admin/products/bulk',
      headers: auth,
      payload: { ids: [created.json().id], action: 'priceChange', percent: 50 },
    });
    expect(raised.statusCode, raised.body).toBe(200);
    const exported = await app.inject({ url: '/api/admin/products/export?q=Raised%20Kettle', headers: auth });
    expect(exported.body).toContain('KETTLE-1,raised-kettle,Raised Kettle,active,,,,,,,,,,1500,1200,,0');

    const reimported = await app.inject({
      method: 'POST',
      url: '/api/admin/products/import',
      ...multipart(exported.body),
    });
    expect(reimported.statusCode, reimported.body).toBe(200);
    expect(reimported.json()).toMatchObject({ variants: { created: 0, updated: 1 }, errors: [] });

    // A price changed in the file (or a compare-at) is checked against the compare-at as the API checks it.
    const lowered = exported.body.replace(',1500,1200,', ',1300,1200,');
    const refused = await app.inject({
      method: 'POST',
      url: '/api/admin/products/import',
      ...multipart(lowered),
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({
      code: 'MCART_ERR_CSV_INVALID',
      errors: [{ path: 'line/2/compare_at_price_minor' }],
    });
    // A new variant in the file too.
    const added = `${exported.body.trimEnd()}\r\nKETTLE-2,raised-kettle,Raised Kettle,active,,,,,,,,,,1500,1500,,1\r\n`;
    const refusedNew = await app.inject({
      method: 'POST',
      url: '/api/admin/products/import',
      ...multipart(added),
    });
    expect(refusedNew.statusCode).toBe(422);
    expect(refusedNew.json().errors).toEqual([
      {
        path: 'line/3/compare_at_price_minor',
        message: expect.stringContaining('must be more than price_minor'),
      },
    ]);
  });
});

describe('totals and facets at sale boundaries', () => {
  it('count the prices the page shows from the moment a sale starts or ends', async () => {
    const sleepUntil = (at: number) =>
      new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));
    const product = (
      await app.inject({
        method: 'POST',
        url: '/api/admin/products',
        headers: auth,
        payload: {
          title: 'Timed Teapot',
          status: 'active',
          variants: [{ sku: 'TEAPOT-1', price: usd(2000) }],
        },
      })
    ).json();
    // Far enough ahead that the steps below end before it on a loaded machine (the clock must learn it first).
    const startsAt = Date.now() + 4_000;
    const endsAt = startsAt + 2_000;
    const sale = await app.inject({
      method: 'POST',
      url: '/api/admin/sales',
      headers: auth,
      payload: {
        name: 'Teapot hour',
        discountType: 'percent',
        discountValue: 25,
        startsAt: new Date(startsAt).toISOString(),
        endsAt: new Date(endsAt).toISOString(),
        productIds: [product.id],
      },
    });
    expect(sale.statusCode, sale.body).toBe(201);
    await expect.poll(() => app.storeCatalog.clock.boundary, { timeout: 3_000 }).toBe(startsAt);
    const onSale = async () => (await app.inject({ url: '/api/store/products?onSale=true&q=teapot' })).json();
    const onSaleList = async () => (await app.inject({ url: '/api/store/products?onSale=true' })).json();

    // Counted before the start (and kept by the caches): nothing on sale.
    expect(await onSaleList()).toMatchObject({ data: [], total: 0, facets: { prices: [] } });
    expect(await onSale()).toMatchObject({ total: 0 });
    expect(Date.now()).toBeLessThan(startsAt);

    await sleepUntil(startsAt + 50);
    const started = await onSaleList();
    expect(started.data.map((p: { id: string }) => p.id)).toEqual([product.id]);
    expect(started.total).toBe(1);
    expect(started.facets.prices).toEqual([{ min: 1000, max: 2500, count: 1 }]);
    expect(await onSale()).toMatchObject({ data: [{ id: product.id, salePrice: usd(1500) }], total: 1 });

    await sleepUntil(endsAt + 50);
    expect(await onSaleList()).toMatchObject({ data: [], total: 0, facets: { prices: [] } });
    expect(await onSale()).toMatchObject({ data: [], total: 0 });
  });
});
