import { describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { buildApp } from '../../app.ts';
import { createOrm } from '../../platform/db.ts';
import { createTestDatabase } from '../../../test/database.ts';
import { staffToken, testConfig, useTestApp } from '../../../test/app.ts';

const { app } = await useTestApp();
const auth = { authorization: await staffToken(app) };
const usd = (amount: number) => ({ amount, currency: 'USD' });

const send = (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: Record<string, unknown>) =>
  app.inject({ method, url, headers: auth, ...(payload ? { payload } : {}) });
const createProduct = (payload: Record<string, unknown>) => send('POST', '/api/admin/products', payload);

interface AdminProduct {
  id: string;
  slug: string;
  version: number;
  variants: { id: string; sku: string; version: number; options: Record<string, string> }[];
}

async function product(title: string, variants: Record<string, unknown>[]): Promise<AdminProduct> {
  const response = await createProduct({
    title,
    status: 'active',
    variants: variants.map((v) => ({ price: usd(1000), ...v })),
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<AdminProduct>();
}

const CSV_HEADER =
  'sku,product_slug,product_title,status,description,category_slugs,attributes_json,product_weight_grams,length_mm,width_mm,height_mm,variant_title,options_json,price_minor,compare_at_price_minor,variant_weight_grams,position';
/** One CSV line: a variant of an active product with no other product columns. */
const csvLine = (sku: string, slug: string, title: string, options = '', price = 900) =>
  `${sku},${slug},${title},active,,,,,,,,,${options ? `"${options.replace(/"/g, '""')}"` : ''},${price},,,0`;

function importCsv(lines: string[], dryRun = false) {
  const boundary = '----mcart-identity-boundary';
  const payload = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.csv"\r\nContent-Type: text/csv\r\n\r\n` +
      [CSV_HEADER, ...lines].join('\n') +
      `\r\n--${boundary}--\r\n`,
  );
  return app.inject({
    method: 'POST',
    url: `/api/admin/products/import${dryRun ? '?dryRun=true' : ''}`,
    headers: { ...auth, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload,
  });
}

const lookup = async (query: string) =>
  (await app.inject({ url: `/api/admin/variants?${query}`, headers: auth })).json<{
    data: { id: string; sku: string }[];
    total: number;
  }>();

describe('SKUs are unique without regard to case', () => {
  it('refuses a new product whose SKU another variant has in another case (409, the duplicate-SKU code, the field)', async () => {
    await product('Case Kettle', [{ sku: 'CASE-KETTLE-1' }]);
    const response = await createProduct({
      title: 'Case Kettle copy',
      variants: [
        { sku: 'CASE-KETTLE-2', price: usd(100) },
        { sku: 'case-kettle-1', price: usd(100) },
      ],
    });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({
      code: 'MCART_ERR_DUPLICATE_SKU',
      errors: [
        {
          path: 'body/variants/1/sku',
          message: 'already exists as "CASE-KETTLE-1" (SKUs are compared without case)',
        },
      ],
    });
    expect((await lookup('sku=CASE-KETTLE-2')).total).toBe(0);
  });

  it('refuses two SKUs of one request that differ only in case', async () => {
    const response = await createProduct({
      title: 'Twins',
      variants: [
        { sku: 'TWIN-A', price: usd(100) },
        { sku: 'twin-a', price: usd(100) },
      ],
    });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({
      code: 'MCART_ERR_DUPLICATE_SKU',
      errors: [
        { path: 'body/variants/1/sku', message: expect.stringContaining('used twice in this request') },
      ],
    });
  });

  it('refuses such a SKU for an added variant and a changed one, but lets a variant change the case of its own', async () => {
    const taken = await product('Case Pot', [{ sku: 'CASE-POT' }]);
    const other = await product('Case Pan', [{ sku: 'CASE-PAN' }]);
    const added = await send('POST', `/api/admin/products/${other.id}/variants`, {
      sku: 'Case-Pot',
      price: usd(100),
    });
    expect(added.statusCode).toBe(409);
    expect(added.json()).toMatchObject({
      code: 'MCART_ERR_DUPLICATE_SKU',
      errors: [{ path: 'body/sku', message: expect.stringContaining('"CASE-POT"') }],
    });
    const variant = other.variants[0]!;
    const url = `/api/admin/products/${other.id}/variants/${variant.id}`;
    const changed = await send('PATCH', url, { version: variant.version, sku: 'case-pot' });
    expect(changed.statusCode).toBe(409);
    expect(changed.json()).toMatchObject({ code: 'MCART_ERR_DUPLICATE_SKU', errors: [{ path: 'body/sku' }] });
    const own = await send('PATCH', url, { version: variant.version, sku: 'case-pan' });
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json().sku).toBe('case-pan');
    // A deleted variant frees its SKU in every case.
    await send('POST', `/api/admin/products/${taken.id}/variants`, { sku: 'CASE-POT-2', price: usd(1) });
    expect(
      (await send('DELETE', `/api/admin/products/${taken.id}/variants/${taken.variants[0]!.id}`)).statusCode,
    ).toBe(204);
    expect(
      (await send('POST', `/api/admin/products/${other.id}/variants`, { sku: 'case-POT', price: usd(1) }))
        .statusCode,
    ).toBe(201);
  });

  it('holds in the database: two concurrent creations of one SKU in two cases give one 201 and one 409', async () => {
    const [a, b] = await Promise.all(
      ['RACE-SKU', 'race-sku'].map((sku, i) =>
        createProduct({ title: `Race ${i}`, variants: [{ sku, price: usd(100) }] }),
      ),
    );
    expect([a!.statusCode, b!.statusCode].sort()).toEqual([201, 409]);
    expect([a, b].find((r) => r!.statusCode === 409)!.json().code).toBe('MCART_ERR_DUPLICATE_SKU');
    const em = app.orm.em.fork() as EntityManager;
    await expect(
      em.execute(
        `INSERT INTO variant (id, created_at, updated_at, product_id, sku, options, price_amount)
         SELECT gen_random_uuid(), now(), now(), product_id, 'Race-Sku', '{}', 1 FROM variant WHERE lower(sku) = 'race-sku'`,
      ),
    ).rejects.toThrow(/variant_sku_ci_unique/);
  });

  it('refuses a CSV line with such a SKU (409 and the duplicate-SKU code when that is the only error, line and column)', async () => {
    const mug = await product('Case Mug', [{ sku: 'CASE-MUG' }]);
    for (const dryRun of [true, false]) {
      const response = await importCsv(
        [csvLine('NEW-CASE-1', 'new-case', 'New case'), csvLine('case-mug', 'new-case', 'New case')],
        dryRun,
      );
      expect(response.statusCode, response.body).toBe(409);
      expect(response.json()).toMatchObject({
        code: 'MCART_ERR_DUPLICATE_SKU',
        errors: [{ path: 'line/3/sku', message: expect.stringContaining('"CASE-MUG"') }],
        report: { errors: [{ line: 3, column: 'sku' }] },
      });
    }
    // On the same product, too: a line names a variant by its SKU exactly as it is.
    const same = await importCsv([csvLine('Case-Mug', mug.slug, 'Case Mug')]);
    expect(same.statusCode).toBe(409);
    // Twice in the file in two cases; with another error as well, the file is invalid (422) and says both.
    const twice = await importCsv([
      csvLine('FILE-CASE', 'file-case', 'F'),
      csvLine('file-case', 'file-case', 'F'),
    ]);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().errors).toEqual([
      { path: 'line/3/sku', message: expect.stringContaining('repeats line 2') },
    ]);
    const mixed = await importCsv([csvLine('case-mug', 'mixed', 'Mixed', '', -1)]);
    expect(mixed.statusCode).toBe(422);
    expect(mixed.json().code).toBe('MCART_ERR_CSV_INVALID');
    expect(
      mixed
        .json()
        .report.errors.map((e: { column: string }) => e.column)
        .sort(),
    ).toEqual(['price_minor', 'sku']);
    expect((await lookup('q=new-case')).total).toBe(0);
    // The file with its SKUs as stored imports (an update of the existing variant).
    const fixed = await importCsv([csvLine('CASE-MUG', mug.slug, 'Case Mug')]);
    expect(fixed.statusCode, fixed.body).toBe(200);
  });

  it('finds a SKU whatever its case: the stock screens’ scan and the admin search', async () => {
    const made = await product('Scan Case Bowl', [{ sku: 'ScanCase-Bowl' }]);
    expect((await lookup('sku=SCANCASE-BOWL')).data.map((v) => v.id)).toEqual([made.variants[0]!.id]);
    expect((await lookup('sku=scancase-bowl')).data.map((v) => v.id)).toEqual([made.variants[0]!.id]);
    const search = await app.inject({ url: '/api/admin/products?q=scancase-BOWL', headers: auth });
    expect(search.json().data.map((p: { id: string }) => p.id)).toEqual([made.id]);
  });
});

describe('the SKU migration on a catalogue that already holds SKUs differing only in case', () => {
  it('migrates without failing, keeps them, refuses new ones, and lists them for staff to fix', async () => {
    const database = await createTestDatabase();
    const orm = await createOrm({ url: database.url, poolMax: 2, entities: [] });
    const sql = <T>(text: string, params: unknown[] = []) => orm.em.fork().execute<T[]>(text, params);
    let other: Awaited<ReturnType<typeof buildApp>> | undefined;
    try {
      await orm.getMigrator().down({ migrations: ['Migration20261229000000SkuCaseInsensitive'] });
      const [p] = await sql<{ id: string }>(
        `INSERT INTO product (id, created_at, updated_at, slug, title, status, attributes)
         VALUES (gen_random_uuid(), now(), now(), 'legacy', 'Legacy', 'active', '{}') RETURNING id`,
      );
      await sql(
        `INSERT INTO variant (id, created_at, updated_at, product_id, sku, options, price_amount, deleted_at) VALUES
           (gen_random_uuid(), now() - interval '3 days', now(), ?, 'OLD-1', '{}', 100, NULL),
           (gen_random_uuid(), now() - interval '2 days', now(), ?, 'old-1', '{}', 100, NULL),
           (gen_random_uuid(), now() - interval '1 day', now(), ?, 'Old-1', '{}', 100, now()),
           (gen_random_uuid(), now(), now(), ?, 'LONE-1', '{}', 100, NULL)`,
        [p!.id, p!.id, p!.id, p!.id],
      );
      await orm.getMigrator().up();
      expect(
        await sql(`SELECT sku, sku_case_exempt FROM variant WHERE deleted_at IS NULL ORDER BY created_at`),
      ).toEqual([
        { sku: 'OLD-1', sku_case_exempt: null },
        { sku: 'old-1', sku_case_exempt: 'old-1' },
        { sku: 'LONE-1', sku_case_exempt: null },
      ]);

      other = await buildApp(await testConfig(database.url));
      const token = { authorization: await staffToken(other) };
      const conflicts = await other.inject({
        url: '/api/admin/variants?skuCaseConflicts=true',
        headers: token,
      });
      expect(
        conflicts
          .json()
          .data.map((v: { sku: string }) => v.sku)
          .sort(),
      ).toEqual(['OLD-1', 'old-1']);
      // A scan finds both; the one in the scanned case first.
      const scanned = await other.inject({ url: '/api/admin/variants?sku=old-1', headers: token });
      expect(scanned.json().data.map((v: { sku: string }) => v.sku)).toEqual(['old-1', 'OLD-1']);
      // New writes are checked.
      const created = await other.inject({
        method: 'POST',
        url: '/api/admin/products',
        headers: token,
        payload: { title: 'New', variants: [{ sku: 'oLD-1', price: usd(1) }] },
      });
      expect(created.statusCode).toBe(409);
      expect(created.json().code).toBe('MCART_ERR_DUPLICATE_SKU');
      // The kept ones still change, and their lines still import; a SKU changed is held like any other.
      const legacy = (
        await other.inject({ url: `/api/admin/products/${p!.id}`, headers: token })
      ).json<AdminProduct>();
      const lower = legacy.variants.find((v) => v.sku === 'old-1')!;
      const repriced = await other.inject({
        method: 'PATCH',
        url: `/api/admin/products/${p!.id}/variants/${lower.id}`,
        headers: token,
        payload: { version: lower.version, price: usd(250) },
      });
      expect(repriced.statusCode, repriced.body).toBe(200);
      const renamed = await other.inject({
        method: 'PATCH',
        url: `/api/admin/products/${p!.id}/variants/${lower.id}`,
        headers: token,
        payload: { version: repriced.json().version, sku: 'OLD-1-B' },
      });
      expect(renamed.statusCode, renamed.body).toBe(200);
      expect(
        (await other.inject({ url: '/api/admin/variants?skuCaseConflicts=true', headers: token })).json()
          .total,
      ).toBe(0);
      await expect(sql(`UPDATE variant SET sku = 'old-1' WHERE id = ?`, [lower.id])).rejects.toThrow(
        /variant_sku_ci_unique/,
      );
    } finally {
      await other?.close();
      await orm.close(true);
      await database.drop();
    }
    // A second app on a database of its own: slow on a busy machine.
  }, 90_000);
});

describe('variants of one product with the same options', () => {
  it('are refused on create, in any case and spacing, naming the later one; variants without options are not compared', async () => {
    const response = await createProduct({
      title: 'Two mediums',
      variants: [
        { sku: 'TWO-M-1', options: { size: 'M', colour: 'red' }, price: usd(100) },
        { sku: 'TWO-M-2', options: { Colour: 'Red ', size: 'm' }, price: usd(100) },
      ],
    });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({
      code: 'MCART_ERR_DUPLICATE_OPTIONS',
      errors: [
        { path: 'body/variants/1/options', message: expect.stringContaining('body/variants/0/options') },
      ],
    });
    expect((await lookup('sku=TWO-M-1')).total).toBe(0);
    await product('No options twice', [{ sku: 'NO-OPT-1' }, { sku: 'NO-OPT-2' }]);
  });

  it('are refused when a variant is added or changed to another’s options; unchanged options pass', async () => {
    const shirt = await product('Option Shirt', [
      { sku: 'OPT-SHIRT-M', options: { size: 'M' } },
      { sku: 'OPT-SHIRT-L', options: { size: 'L' } },
    ]);
    const added = await send('POST', `/api/admin/products/${shirt.id}/variants`, {
      sku: 'OPT-SHIRT-M2',
      options: { size: 'M' },
      price: usd(100),
    });
    expect(added.statusCode).toBe(409);
    expect(added.json()).toMatchObject({
      code: 'MCART_ERR_DUPLICATE_OPTIONS',
      errors: [{ path: 'body/options', message: expect.stringContaining('OPT-SHIRT-M') }],
    });
    const large = shirt.variants[1]!;
    const url = `/api/admin/products/${shirt.id}/variants/${large.id}`;
    const changed = await send('PATCH', url, { version: large.version, options: { size: 'M' } });
    expect(changed.statusCode).toBe(409);
    expect(changed.json()).toMatchObject({
      code: 'MCART_ERR_DUPLICATE_OPTIONS',
      errors: [{ path: 'body/options' }],
    });
    const same = await send('PATCH', url, { version: large.version, options: { size: 'L' }, title: 'Large' });
    expect(same.statusCode, same.body).toBe(200);
    // Another product may have the same options.
    await product('Option Shirt Two', [{ sku: 'OPT-SHIRT2-M', options: { size: 'M' } }]);
  });

  it('lets only one of two concurrent additions with the same options through', async () => {
    const cap = await product('Race Cap', [{ sku: 'RACE-CAP-S', options: { size: 'S' } }]);
    const answers = await Promise.all(
      ['RACE-CAP-M1', 'RACE-CAP-M2'].map((sku) =>
        send('POST', `/api/admin/products/${cap.id}/variants`, {
          sku,
          options: { size: 'M' },
          price: usd(100),
        }),
      ),
    );
    expect(answers.map((r) => r.statusCode).sort()).toEqual([201, 409]);
  });

  it('keeps variants that already share options editable, and refuses them in a CSV only when a line adds or changes options', async () => {
    const hat = await product('Legacy Hat', [
      { sku: 'HAT-M', options: { size: 'M' } },
      { sku: 'HAT-L', options: { size: 'L' } },
    ]);
    // As stored before the rule: two variants with size M.
    const em = app.orm.em.fork() as EntityManager;
    await em.execute(`UPDATE variant SET options = '{"size":"M"}' WHERE sku = 'HAT-L'`);
    const detail = (
      await app.inject({ url: `/api/admin/products/${hat.id}`, headers: auth })
    ).json<AdminProduct>();
    const hatL = detail.variants.find((v) => v.sku === 'HAT-L')!;
    const repriced = await send('PATCH', `/api/admin/products/${hat.id}/variants/${hatL.id}`, {
      version: hatL.version,
      options: { size: 'M' },
      price: usd(1200),
    });
    expect(repriced.statusCode, repriced.body).toBe(200);
    // A CSV that leaves them as they are imports; a new line with the same options does not.
    const asIs = await importCsv([
      csvLine('HAT-M', hat.slug, 'Legacy Hat', '{"size":"M"}'),
      csvLine('HAT-L', hat.slug, 'Legacy Hat', '{"size":"M"}'),
    ]);
    expect(asIs.statusCode, asIs.body).toBe(200);
    const another = await importCsv([
      csvLine('HAT-L', hat.slug, 'Legacy Hat', '{"size":"L"}'),
      csvLine('HAT-XL', hat.slug, 'Legacy Hat', '{"size":"m"}'),
    ]);
    expect(another.statusCode).toBe(422);
    expect(another.json()).toMatchObject({
      code: 'MCART_ERR_CSV_INVALID',
      errors: [{ path: 'line/3/options_json', message: expect.stringContaining('variant HAT-M') }],
    });
    const twoLines = await importCsv([
      csvLine('CSV-OPT-1', 'csv-opt', 'Csv Opt', '{"size":"S"}'),
      csvLine('CSV-OPT-2', 'csv-opt', 'Csv Opt', '{"size":"S"}'),
    ]);
    expect(twoLines.statusCode).toBe(422);
    expect(twoLines.json().report.errors).toEqual([
      { line: 2, column: 'options_json', message: expect.stringContaining('line 3') },
      { line: 3, column: 'options_json', message: expect.stringContaining('line 2') },
    ]);
  });
});
