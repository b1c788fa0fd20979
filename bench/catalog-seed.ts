/**
 * Seeds a large catalog for benchmarks: 100,000 products / 300,000 variants in 48 leaf categories under 8
 * parents, options (size, colour), attributes (material), three sales (two running, one scheduled) and stock.
 * Rows are generated inside PostgreSQL (multi-row INSERT ... SELECT generate_series through pg), then the
 * store read model is built in parallel batches. Run: `npx tsx bench/catalog-seed.ts [products] [--reseed]`.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';

export const ADJECTIVES = [
  'Classic',
  'Modern',
  'Vintage',
  'Rugged',
  'Soft',
  'Slim',
  'Relaxed',
  'Premium',
  'Everyday',
  'Lightweight',
  'Heavy',
  'Organic',
  'Recycled',
  'Urban',
  'Coastal',
  'Alpine',
  'Summer',
  'Winter',
  'Festive',
  'Minimal',
  'Bold',
  'Quiet',
  'Bright',
  'Dark',
  'Weathered',
  'Polished',
  'Handmade',
  'Compact',
  'Oversized',
  'Tailored',
];
export const MATERIALS = [
  'cotton',
  'wool',
  'linen',
  'leather',
  'denim',
  'silk',
  'fleece',
  'canvas',
  'nylon',
  'cashmere',
  'bamboo',
  'hemp',
];
export const NOUNS = [
  'jacket',
  'shirt',
  'sweater',
  'scarf',
  'hat',
  'bag',
  'belt',
  'boots',
  'sneakers',
  'trousers',
  'shorts',
  'dress',
  'skirt',
  'hoodie',
  'coat',
  'vest',
  'gloves',
  'socks',
  'blanket',
  'pillow',
  'towel',
  'apron',
  'backpack',
  'wallet',
  'cap',
  'poncho',
  'cardigan',
  'blazer',
  'tunic',
  'robe',
  'slippers',
  'mittens',
  'beanie',
  'tote',
  'duffel',
  'parka',
  'anorak',
  'kimono',
  'sarong',
  'bandana',
];
const COLOURS = ['black', 'white', 'navy', 'red', 'green', 'grey', 'blue', 'brown', 'olive', 'sand'];
const PARENTS = ['Men', 'Women', 'Kids', 'Outdoor', 'Home', 'Accessories', 'Footwear', 'Sale'];
const CHILDREN = ['Tops', 'Bottoms', 'Outerwear', 'Knitwear', 'Essentials', 'Gifts'];

const sqlArray = (values: string[]) => `ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',')}]`;

export async function catalogSize(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM product_search`);
    return rows[0]!.n;
  } finally {
    await client.end();
  }
}

export async function seedCatalog(
  url: string,
  products: number,
  log: (m: string) => void = console.log,
): Promise<void> {
  const started = Date.now();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    log(`seeding ${products.toLocaleString()} products ...`);
    let last = Date.now();
    const step = (what: string) => {
      log(`  ${what}: ${((Date.now() - last) / 1000).toFixed(1)} s`);
      last = Date.now();
    };
    await client.query(`SET synchronous_commit = off`);
    await client.query('BEGIN');
    await client.query(
      `TRUNCATE product_search, catalog_variant_stock, product_category, variant, product_image, product, category, sale CASCADE`,
    );
    const stockTables = (
      await client.query<{ present: boolean }>(`SELECT to_regclass('stock_level') IS NOT NULL AS present`)
    ).rows[0]!.present;
    if (stockTables) await client.query(`TRUNCATE stock_level, stock_movement`);

    const categoryIds: string[] = [];
    const categoryRows: string[] = [];
    PARENTS.forEach((parent, p) => {
      const parentId = randomUUID();
      categoryRows.push(`('${parentId}', now(), now(), NULL, '${parent}', '${parent.toLowerCase()}', ${p})`);
      CHILDREN.forEach((child, c) => {
        const id = randomUUID();
        categoryIds.push(id);
        categoryRows.push(
          `('${id}', now(), now(), '${parentId}', '${parent} ${child}', '${parent.toLowerCase()}-${child.toLowerCase()}', ${c})`,
        );
      });
    });
    await client.query(
      `INSERT INTO category (id, created_at, updated_at, parent_id, name, slug, position) VALUES ${categoryRows.join(',')}`,
    );

    await client.query(
      `INSERT INTO product (id, created_at, updated_at, slug, title, description, status, attributes, weight_grams)
       SELECT md5('product' || i)::uuid, now() - make_interval(secs => i), now(),
              'product-' || i,
              a[1 + (i * 7) % cardinality(a)] || ' ' || initcap(m[1 + (i * 13) % cardinality(m)]) || ' ' || initcap(n[1 + (i * 31) % cardinality(n)]) || ' ' || i,
              'A ' || lower(a[1 + (i * 11) % cardinality(a)]) || ' ' || n[1 + (i * 31) % cardinality(n)] || ' in ' || m[1 + (i * 13) % cardinality(m)] ||
                ', made to last. Pairs well with our ' || n[1 + (i * 17) % cardinality(n)] || ' and ' || n[1 + (i * 23) % cardinality(n)] || '.',
              CASE WHEN i % 50 = 0 THEN 'draft' ELSE 'active' END,
              jsonb_build_object('material', m[1 + (i * 13) % cardinality(m)]),
              200 + i % 800
         FROM generate_series(1, $1::int) i,
              (SELECT ${sqlArray(ADJECTIVES)} AS a, ${sqlArray(MATERIALS)} AS m, ${sqlArray(NOUNS)} AS n) w`,
      [products],
    );
    step('products');
    await client.query(
      `INSERT INTO product_category (product_id, category_id)
       SELECT md5('product' || i)::uuid, (${sqlArray(categoryIds)}::uuid[])[1 + i % ${categoryIds.length}]
         FROM generate_series(1, $1::int) i`,
      [products],
    );
    step('categories');
    await client.query(
      `INSERT INTO variant (id, created_at, updated_at, product_id, sku, title, options, price_amount, compare_at_amount, position)
       SELECT md5('variant' || i || '-' || s)::uuid, now(), now(), md5('product' || i)::uuid,
              'SKU-' || lpad(i::text, 6, '0') || '-' || (ARRAY['S','M','L'])[s],
              (ARRAY['S','M','L'])[s] || ' / ' || c[1 + i % cardinality(c)],
              jsonb_build_object('size', (ARRAY['S','M','L'])[s], 'colour', c[1 + i % cardinality(c)]),
              500 + (i * 37) % 20000 + (s - 1) * 200,
              CASE WHEN i % 9 = 0 THEN 1000 + (i * 37) % 20000 + (s - 1) * 200 END,
              s - 1
         FROM generate_series(1, $1::int) i, generate_series(1, 3) s, (SELECT ${sqlArray(COLOURS)} AS c) w`,
      [products],
    );
    step('variants');
    const day = 24 * 3600 * 1000;
    await client.query(
      `INSERT INTO sale (id, created_at, updated_at, name, discount_type, discount_value, starts_at, ends_at, product_ids, variant_ids, category_ids) VALUES
        ($1, now(), now(), 'Outdoor week', 'percent', 20, $2, $3, '{}', '{}', ARRAY[(SELECT id FROM category WHERE slug = 'outdoor')]),
        ($4, now(), now(), 'Flash deals', 'fixed', 500, $2, $3, ARRAY(SELECT md5('product' || i)::uuid FROM generate_series(1, $7::int, 97) i), '{}', '{}'),
        ($5, now(), now(), 'Next season', 'percent', 30, $6, NULL, '{}', '{}', ARRAY[(SELECT id FROM category WHERE slug = 'women')])`,
      [
        randomUUID(),
        new Date(Date.now() - day),
        new Date(Date.now() + 14 * day),
        randomUUID(),
        randomUUID(),
        new Date(Date.now() + 7 * day),
        products,
      ],
    );
    if (stockTables) {
      await client.query(
        `INSERT INTO stock_level (variant_id, location_id, on_hand)
         SELECT v.id, l.id, CASE WHEN abs(hashtext(v.sku)) % 6 = 0 THEN 0 ELSE 5 + abs(hashtext(v.sku)) % 60 END
           FROM variant v, stock_location l WHERE l.is_default`,
      );
      await client.query(
        `INSERT INTO stock_movement (variant_id, location_id, kind, on_hand_delta, reason)
         SELECT variant_id, location_id, 'received', on_hand, 'bench seed' FROM stock_level WHERE on_hand > 0`,
      );
      await client.query(
        `INSERT INTO catalog_variant_stock (variant_id, available, backorder)
         SELECT variant_id, sum(on_hand - reserved)::int, bool_or(allow_backorder) FROM stock_level GROUP BY variant_id`,
      );
    }
    step('sales and stock');
    await client.query('COMMIT');
    // Fresh statistics first: without them the planner takes the big new tables for empty ones.
    await client.query('ANALYZE product, variant, product_category, category, sale, catalog_variant_stock');
    log(`  source rows in ${((Date.now() - started) / 1000).toFixed(1)} s; building the read model ...`);
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    await client.end();
  }

  // The read model in batches over two connections (two cores).
  const ids = Array.from({ length: products }, (_, i) => i + 1);
  const batches: number[][] = [];
  for (let i = 0; i < ids.length; i += 5000) batches.push(ids.slice(i, i + 5000));
  const worker = async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`SET synchronous_commit = off`);
    try {
      for (let batch = batches.shift(); batch; batch = batches.shift()) {
        await c.query(
          `SELECT mcart_refresh_product_search(ARRAY(SELECT md5('product' || i)::uuid FROM unnest($1::int[]) i), now())`,
          [batch],
        );
      }
    } finally {
      await c.end();
    }
  };
  await Promise.all([worker(), worker()]);
  const vacuum = new pg.Client({ connectionString: url });
  await vacuum.connect();
  await vacuum.query(
    'VACUUM ANALYZE product_search, product, variant, product_category, category, sale, catalog_variant_stock',
  );
  await vacuum.end();
  log(`  seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { benchDatabase } = await import('./lib/harness.ts');
  const count = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 100_000);
  const db = await benchDatabase(console.log);
  try {
    await seedCatalog(db.url, count);
  } finally {
    await db.stop();
  }
}
