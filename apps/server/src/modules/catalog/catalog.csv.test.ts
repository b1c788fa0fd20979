import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { EntityManager } from '@mikro-orm/postgresql';
import { staffToken, useTestApp } from '../../../test/app.ts';
import { CatalogService } from './catalog.service.ts';

const { app } = await useTestApp();
const auth = { authorization: await staffToken(app) };
const usd = (amount: number) => ({ amount, currency: 'USD' });

/** A multipart body with one file; `close: false` leaves out the closing boundary (an upload cut short). */
function multipart(csv: string | Buffer, close = true) {
  const boundary = '----mcart-test-boundary';
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="products.csv"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
    Buffer.isBuffer(csv) ? csv : Buffer.from(csv),
    Buffer.from(close ? `\r\n--${boundary}--\r\n` : ''),
  ]);
  return { headers: { ...auth, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: body };
}
const importCsv = (csv: string | Buffer, dryRun = false, close = true) =>
  app.inject({
    method: 'POST',
    url: `/api/admin/products/import${dryRun ? '?dryRun=true' : ''}`,
    ...multipart(csv, close),
  });
const exportCsv = async (query = '') => {
  const response = await app.inject({ url: `/api/admin/products/export${query}`, headers: auth });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toContain('text/csv');
  return response.body;
};

const category = (
  await app.inject({ method: 'POST', url: '/api/admin/categories', headers: auth, payload: { name: 'Mugs' } })
).json();
await app.inject({
  method: 'POST',
  url: '/api/admin/products',
  headers: auth,
  payload: {
    title: 'Enamel Mug, "camp" edition',
    status: 'active',
    description: 'Line one\nline two, with commas',
    categoryIds: [category.id],
    attributes: { material: 'enamel' },
    weightGrams: 250,
    variants: [
      {
        sku: 'MUG-BLUE',
        title: 'Blue',
        options: { colour: 'blue' },
        price: usd(1500),
        compareAtPrice: usd(1800),
      },
      { sku: 'MUG-RED', title: 'Red', options: { colour: 'red' }, price: usd(1500) },
    ],
  },
});

describe('CSV export and import', () => {
  it('round-trips: export, edit, import gives back exactly the edited catalog', async () => {
    const exported = await exportCsv();
    expect(exported.split('\n')[0]).toBe(
      'sku,product_slug,product_title,status,description,category_slugs,attributes_json,product_weight_grams,length_mm,width_mm,height_mm,variant_title,options_json,price_minor,compare_at_price_minor,variant_weight_grams,position',
    );
    // Re-importing the export unchanged is a no-op update.
    const same = await importCsv(exported);
    expect(same.statusCode, same.body).toBe(200);
    expect(same.json()).toMatchObject({
      rows: 2,
      products: { created: 0, updated: 1 },
      variants: { created: 0, updated: 2 },
      errors: [],
    });
    expect(await exportCsv()).toBe(exported);

    // Edit in a spreadsheet's way: new price on one line, plus a new variant line.
    const records = parse(exported) as string[][];
    const header = records[0]!;
    const col = (name: string) => header.indexOf(name);
    const blue = records.find((r) => r[col('sku')] === 'MUG-BLUE')!;
    blue[col('price_minor')] = '1400';
    const green = [...records.find((r) => r[col('sku')] === 'MUG-RED')!];
    green[col('sku')] = 'MUG-GREEN';
    green[col('options_json')] = '{"colour":"green"}';
    const edited = stringify([...records, green]);
    const dry = await importCsv(edited, true);
    expect(dry.json()).toMatchObject({ dryRun: true, variants: { created: 1, updated: 2 } });
    expect(await exportCsv()).toBe(exported); // a dry run writes nothing
    const applied = await importCsv(edited);
    expect(applied.statusCode, applied.body).toBe(200);
    const after = await exportCsv();
    expect(parse(after)).toHaveLength(4);
    expect(after).toContain('MUG-GREEN');
    expect(after).toContain(',1400,1800,');
    const store = (await app.inject('/api/store/products/enamel-mug-camp-edition')).json();
    expect(store.variants.map((v: { sku: string; price: unknown }) => [v.sku, v.price])).toEqual(
      expect.arrayContaining([
        ['MUG-BLUE', usd(1400)],
        ['MUG-GREEN', usd(1500)],
      ]),
    );
  });

  it('reports row-level errors and writes nothing (all or nothing)', async () => {
    const before = await exportCsv();
    const header = before.split('\n')[0];
    const csv = [
      header,
      'NEW-OK,new-product,New product,active,,,,,,,,,,900,,,0',
      'BAD SKU,new-product,New product,active,,,,,,,,,,-5,,,0',
      'NEW-2,new-product,New product,active,,no-such-category,{not json},,,,,,,900,,,0',
    ].join('\n');
    const response = await importCsv(csv);
    expect(response.statusCode).toBe(422);
    const body = response.json();
    expect(body.code).toBe('MCART_ERR_CSV_INVALID');
    expect(body.report.errors).toEqual(
      expect.arrayContaining([
        { line: 3, column: 'sku', message: expect.any(String) },
        { line: 3, column: 'price_minor', message: expect.any(String) },
        { line: 4, column: 'attributes_json', message: expect.any(String) },
        { line: 4, column: 'category_slugs', message: expect.any(String) },
      ]),
    );
    expect(await exportCsv()).toBe(before);
  });

  it('refuses what the API refuses: titles and option values over several lines, option names it cannot filter on', async () => {
    const before = await exportCsv();
    const header = before.split('\n')[0]!;
    const row = (sku: string, title: string, variantTitle: string, options: string) =>
      stringify([
        [
          sku,
          'lines-product',
          title,
          'active',
          '',
          '',
          '',
          '',
          '',
          '',
          '',
          variantTitle,
          options,
          '900',
          '',
          '',
          '0',
        ],
      ]);
    const csv =
      `${header}\n` +
      row('LINES-1', 'Two\nlines', '', '') +
      row('LINES-2', 'Two\nlines', 'Blue\r\nBCC: x', '') +
      row('LINES-3', 'Two\nlines', '', JSON.stringify({ size: 'M\nL' })) +
      row('LINES-4', 'Two\nlines', '', JSON.stringify({ 'size:x': 'M' }));
    const response = await importCsv(csv);
    expect(response.statusCode, response.body).toBe(422);
    expect(response.json().report.errors).toEqual(
      expect.arrayContaining([
        { line: 2, column: 'product_title', message: expect.any(String) },
        { line: 3, column: 'variant_title', message: expect.any(String) },
        { line: 4, column: 'options_json', message: expect.any(String) },
        { line: 5, column: 'options_json', message: expect.any(String) },
      ]),
    );
    expect(await exportCsv()).toBe(before);
  });

  it('refuses what the API refuses: values over its limits are errors, never cut short or stored', async () => {
    const before = await exportCsv();
    const header = before.split('\n')[0]!;
    const cells = {
      sku: 'LIMITS-1',
      product_slug: 'limits',
      product_title: 'Limits',
      status: 'active',
      description: 'd'.repeat(100_001),
      product_weight_grams: '10000001',
      length_mm: '10000001',
      variant_title: 't'.repeat(201),
      options_json: '{"__proto__":"x"}',
      price_minor: '900',
      variant_weight_grams: '10000001',
      position: '10001',
    } as Record<string, string>;
    const line = header.split(',').map((column) => cells[column] ?? '');
    const response = await importCsv(`${header}\n${stringify([line])}`);
    expect(response.statusCode, response.body).toBe(422);
    expect(
      response
        .json()
        .report.errors.map((e: { column: string }) => e.column)
        .sort(),
    ).toEqual(
      [
        'description',
        'length_mm',
        'options_json',
        'position',
        'product_weight_grams',
        'variant_title',
        'variant_weight_grams',
      ].sort(),
    );
    expect(await exportCsv()).toBe(before);
  });

  it('writes nothing when a product of the file is deleted while it is imported (409, not lines of a deleted product)', async () => {
    const product = (
      await app.inject({
        method: 'POST',
        url: '/api/admin/products',
        headers: auth,
        payload: { title: 'Vanishing', status: 'active', variants: [{ sku: 'VANISH-1', price: usd(100) }] },
      })
    ).json<{ id: string; slug: string }>();
    const header = (await exportCsv()).split('\n')[0]!;
    // The deletion is under way (its transaction open) while the file is checked, and commits before it is written.
    let release!: () => void;
    let ready!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const isReady = new Promise<void>((resolve) => (ready = resolve));
    const deletion = (app.orm.em.fork() as EntityManager).transactional(async (em) => {
      await new CatalogService(em, 'USD').deleteProduct(product.id);
      ready();
      await released;
    });
    await isReady;
    const importing = importCsv(
      [header, `VANISH-2,${product.slug},Vanishing,active,,,,,,,,,,900,,,1`].join('\n'),
    );
    const em = app.orm.em.fork() as EntityManager;
    for (let i = 0; i < 250; i++) {
      const [row] = await em.execute<{ waiting: number }[]>(
        `SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      if (row!.waiting > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    release();
    await deletion;
    const response = await importing;
    expect(response.statusCode, response.body).toBe(409);
    expect(response.json().code).toBe('MCART_ERR_STALE_WRITE');
    expect(
      await em.execute(`SELECT sku FROM variant WHERE product_id = ? AND deleted_at IS NULL`, [product.id]),
    ).toEqual([]);
  });

  it('refuses a malformed file and a file over 50 MB with 413', async () => {
    const malformed = await importCsv('sku,product_slug\n"unterminated,x\n');
    expect(malformed.statusCode).toBe(422);
    const huge = Buffer.alloc(50 * 1024 * 1024 + 10, 'a');
    const tooLarge = await importCsv(huge);
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json().code).toBe('MCART_ERR_CSV_TOO_LARGE');
  });

  it('writes cells a spreadsheet would run as formulas as text, and reads them back as they were', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/admin/products',
      headers: auth,
      payload: {
        title: '=HYPERLINK("http://evil.example","x")',
        status: 'draft',
        variants: [{ sku: 'FORM-1', title: '+cmd|calc', price: usd(500) }],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const exported = await exportCsv();
    const row = (parse(exported, { columns: true }) as Record<string, string>[]).find(
      (r) => r.sku === 'FORM-1',
    );
    expect(row).toMatchObject({
      product_title: `'=HYPERLINK("http://evil.example","x")`,
      variant_title: "'+cmd|calc",
    });
    // Imported again unchanged: the titles are what they were, not prefixed.
    const reimport = await importCsv(exported);
    expect(reimport.statusCode, reimport.body).toBe(200);
    const detail = (
      await app.inject({ url: `/api/admin/products/${created.json().id}`, headers: auth })
    ).json<{ title: string; variants: { title: string }[] }>();
    expect(detail.title).toBe('=HYPERLINK("http://evil.example","x")');
    expect(detail.variants[0]!.title).toBe('+cmd|calc');
  });

  it('refuses text that is not UTF-8 (a Latin-1 file) instead of storing replacement characters', async () => {
    const before = await exportCsv();
    const header = before.split('\n')[0]!;
    const latin1 = Buffer.concat([
      Buffer.from(`${header}\nLATIN-1,latin-one,Caf`),
      Buffer.from([0xe9]),
      Buffer.from(',active,,,,,,,,,,900,,,0\n'),
    ]);
    const response = await importCsv(latin1);
    expect(response.statusCode).toBe(422);
    expect(response.json().report.errors).toEqual([
      { line: 2, column: 'product_title', message: expect.stringMatching(/not UTF-8/) },
    ]);
    expect(await exportCsv()).toBe(before);
  });

  it('refuses rows whose price a fixed sale would take to zero, a dry run too, and writes nothing', async () => {
    const bin = (
      await app.inject({
        method: 'POST',
        url: '/api/admin/categories',
        headers: auth,
        payload: { name: 'Bargain bin' },
      })
    ).json<{ id: string; slug: string }>();
    const item = (
      await app.inject({
        method: 'POST',
        url: '/api/admin/products',
        headers: auth,
        payload: { title: 'Tin cup', status: 'active', variants: [{ sku: 'CUP-TIN', price: usd(1000) }] },
      })
    ).json<{ id: string; slug: string }>();
    for (const [name, scope] of [
      ['Six off the cup', { productIds: [item.id] }],
      ['Six off the bin', { categoryIds: [bin.id] }],
    ] as const) {
      const sale = await app.inject({
        method: 'POST',
        url: '/api/admin/sales',
        headers: auth,
        payload: {
          name,
          discountType: 'fixed',
          discountValue: 600,
          startsAt: new Date(Date.now() - 60_000).toISOString(),
          ...scope,
        },
      });
      expect(sale.statusCode, sale.body).toBe(201);
    }
    const before = await exportCsv();
    const header = before.split('\n')[0];
    const csv = [
      header,
      // The cup's price lowered under its sale; a new product filed in the bin at the bin sale's amount.
      `CUP-TIN,${item.slug},Tin cup,active,,,,,,,,,,500,,,0`,
      `BIN-NEW,bin-new,Binned,active,,${bin.slug},,,,,,,,600,,,0`,
      `BIN-OK,bin-ok,Binned well,active,,${bin.slug},,,,,,,,601,,,0`,
    ].join('\n');
    for (const dryRun of [true, false]) {
      const response = await importCsv(csv, dryRun);
      expect(response.statusCode, response.body).toBe(422);
      expect(response.json().code).toBe('MCART_ERR_CSV_INVALID');
      expect(response.json().report.errors).toEqual([
        {
          line: 2,
          column: 'price_minor',
          message: 'must be more than 600 while the sale "Six off the cup" applies',
        },
        {
          line: 3,
          column: 'price_minor',
          message: 'must be more than 600 while the sale "Six off the bin" applies',
        },
      ]);
    }
    expect(await exportCsv()).toBe(before);
  });

  it('answers an upload cut short (no closing boundary) with 400 instead of waiting for the rest forever', async () => {
    const before = await exportCsv();
    const header = before.split('\n')[0]!;
    const csv = [header, 'CUT-1,cut-short,Cut short,active,,,,,,,,A,,500,,,0'].join('\n');
    const answer = await Promise.race([
      importCsv(csv, false, false),
      new Promise<'no answer'>((resolve) => setTimeout(() => resolve('no answer'), 5_000)),
    ]);
    expect(answer).not.toBe('no answer');
    const response = answer as Exclude<typeof answer, 'no answer'>;
    expect(response.statusCode, response.body).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({
      code: 'MCART_ERR_UPLOAD_INCOMPLETE',
      errors: [{ path: 'body/file', message: 'is incomplete' }],
    });
    expect(await exportCsv()).toBe(before);
    // The same file whole is imported.
    expect((await importCsv(csv)).statusCode).toBe(200);
  }, 15_000);

  it('refuses lines of one product that disagree on any product column, naming line and column', async () => {
    const before = await exportCsv();
    const header = before.split('\n')[0]!;
    const csv = [
      header,
      'HEAVY-1,heavy-thing,Heavy thing,active,,,"{""material"":""steel"",""finish"":""matt""}",100,1,2,3,A,,500,,,0',
      // The same attributes in another order agree; weight and every dimension differ.
      'HEAVY-2,heavy-thing,Heavy thing,active,,,"{""finish"":""matt"",""material"":""steel""}",999,10,20,30,B,,500,,,1',
      'HEAVY-3,heavy-thing,Heavy thing,active,,,"{""material"":""iron""}",100,1,2,3,C,,500,,,2',
      // A value this line has an error in already is reported once, for what it is.
      'HEAVY-4,heavy-thing,Heavy thing,active,,,,heavy,1,2,3,D,,500,,,3',
    ].join('\n');
    const response = await importCsv(csv);
    expect(response.statusCode, response.body).toBe(422);
    const differs = expect.stringMatching(/^differs from line 2 of the same product$/);
    expect(response.json().report.errors).toEqual([
      { line: 3, column: 'product_weight_grams', message: differs },
      { line: 3, column: 'length_mm', message: differs },
      { line: 3, column: 'width_mm', message: differs },
      { line: 3, column: 'height_mm', message: differs },
      { line: 4, column: 'attributes_json', message: differs },
      { line: 5, column: 'product_weight_grams', message: expect.stringMatching(/whole number/) },
      { line: 5, column: 'attributes_json', message: differs },
    ]);
    expect(await exportCsv()).toBe(before);
  });

  it('keeps text that starts with an apostrophe exactly through export and import', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/admin/products',
      headers: auth,
      payload: {
        title: "'=not a formula",
        status: 'draft',
        description: "'90s style",
        variants: [
          { sku: 'APOS-1', title: "'+1 spare", price: usd(100) },
          { sku: 'APOS-2', title: "''-two", price: usd(100) },
        ],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const exported = await exportCsv('?q=not%20a%20formula');
    const rows = parse(exported, { columns: true }) as Record<string, string>[];
    // Still text in a spreadsheet: one more apostrophe before each; other text as it is.
    expect(rows.map((r) => [r.product_title, r.description, r.variant_title])).toEqual([
      ["''=not a formula", "'90s style", expect.any(String)],
      ["''=not a formula", "'90s style", expect.any(String)],
    ]);
    expect(rows.map((r) => r.variant_title).sort()).toEqual(["'''-two", "''+1 spare"]);
    const reimported = await importCsv(exported);
    expect(reimported.statusCode, reimported.body).toBe(200);
    const detail = (
      await app.inject({ url: `/api/admin/products/${created.json().id}`, headers: auth })
    ).json<{ title: string; description: string; variants: { sku: string; title: string }[] }>();
    expect(detail).toMatchObject({ title: "'=not a formula", description: "'90s style" });
    expect(Object.fromEntries(detail.variants.map((v) => [v.sku, v.title]))).toEqual({
      'APOS-1': "'+1 spare",
      'APOS-2': "''-two",
    });
    expect(await exportCsv('?q=not%20a%20formula')).toBe(exported);
  });
});
