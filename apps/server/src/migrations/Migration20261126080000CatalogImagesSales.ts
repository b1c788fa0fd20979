import { Migration } from '@mikro-orm/migrations';

/**
 * Product images and best-selling (ADR 0032):
 * - the store list shows each product's primary image (lowest position) from the read model;
 * - units sold per product live in catalog_product_sold, fed by the catalog's outbox consumer of paid,
 *   cancelled and refunded orders, with catalog_order_sold recording what each order added (so a
 *   cancellation takes back exactly that, and a replayed event counts nothing twice). product_search rows
 *   are deleted when a product is unpublished, so the count must live outside them to survive re-publishing.
 * mcart_refresh_product_search is the same function as before plus these two columns.
 */
export class Migration20261126080000CatalogImagesSales extends Migration {
  override async up(): Promise<void> {
    this.addSql(`ALTER TABLE product_search ADD COLUMN image jsonb NULL;`);
    this.addSql(`DROP INDEX product_image_product_id_index;`);
    this.addSql(`CREATE INDEX product_image_product_position_index ON product_image (product_id, position);`);
    this.addSql(`CREATE INDEX product_image_storage_key_index ON product_image (storage_key);`);
    this.addSql(`
      CREATE TABLE catalog_product_sold (
        product_id uuid PRIMARY KEY REFERENCES product (id) ON DELETE CASCADE,
        sold_count int NOT NULL DEFAULT 0 CHECK (sold_count >= 0)
      );`);
    // One row per order counted as sold; no foreign key: orders belong to another context.
    this.addSql(`
      CREATE TABLE catalog_order_sold (
        order_id uuid PRIMARY KEY,
        quantities jsonb NOT NULL,
        counted_at timestamptz NOT NULL DEFAULT now()
      );`);
    this.addSql(`
      CREATE OR REPLACE FUNCTION mcart_refresh_product_search(p_ids uuid[], p_at timestamptz DEFAULT now()) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM product_search ps
         WHERE ps.product_id = ANY (p_ids)
           AND NOT EXISTS (
             SELECT 1 FROM product p JOIN variant v ON v.product_id = p.id AND v.deleted_at IS NULL
              WHERE p.id = ps.product_id AND p.status = 'active' AND p.deleted_at IS NULL);

        INSERT INTO product_search AS ps (product_id, slug, title, created_at, document, search_text, category_ids,
               option_values, regular_price, price, on_sale, sale_ends_at, price_valid_until, in_stock, variant_count,
               sold_count, image)
        SELECT p.id, p.slug, p.title, p.created_at,
               setweight(to_tsvector('english', p.title), 'A')
                 || setweight(to_tsvector('simple', vv.skus), 'B')
                 || setweight(to_tsvector('english', COALESCE(cn.names, '')), 'C')
                 || setweight(to_tsvector('english', left(p.description, 20000)), 'D'),
               lower(p.title || ' ' || vv.skus),
               cl.ids,
               COALESCE(ov.vals, '{}'),
               vv.regular, vv.price, vv.on_sale, vv.sale_ends_at,
               nb.at, vv.in_stock, vv.n,
               COALESCE(sc.sold_count, 0),
               (SELECT jsonb_build_object('key', i.storage_key, 'alt', i.alt, 'width', i.width, 'height', i.height)
                  FROM product_image i WHERE i.product_id = p.id ORDER BY i.position, i.created_at, i.id LIMIT 1)
          FROM product p
          LEFT JOIN catalog_product_sold sc ON sc.product_id = p.id
          CROSS JOIN LATERAL (
            SELECT mcart_category_closure(COALESCE(array_agg(pc.category_id), '{}')) AS ids
              FROM product_category pc WHERE pc.product_id = p.id) cl
          CROSS JOIN LATERAL (SELECT string_agg(c.name, ' ') AS names FROM category c WHERE c.id = ANY (cl.ids)) cn
          CROSS JOIN LATERAL (
            SELECT string_agg(v.sku, ' ' ORDER BY v.position, v.sku) AS skus,
                   min(v.price_amount) AS regular,
                   min(COALESCE(bs.sale_price, v.price_amount)) AS price,
                   COALESCE(bool_or(bs.sale_price < v.price_amount), false) AS on_sale,
                   min(bs.ends_at) FILTER (WHERE bs.sale_price < v.price_amount) AS sale_ends_at,
                   COALESCE(bool_or(st.available > 0 OR st.backorder), false) AS in_stock,
                   array_agg(v.id) AS variant_ids,
                   count(*)::int AS n
              FROM variant v
              LEFT JOIN LATERAL mcart_best_sale(v.id, v.product_id, v.price_amount, cl.ids, p_at) bs ON true
              LEFT JOIN catalog_variant_stock st ON st.variant_id = v.id
             WHERE v.product_id = p.id AND v.deleted_at IS NULL) vv
          CROSS JOIN LATERAL (
            SELECT array_agg(DISTINCT lower(kv.key) || ':' || lower(kv.value)) AS vals
              FROM (SELECT o.key, o.value FROM variant v, jsonb_each_text(v.options) o
                     WHERE v.product_id = p.id AND v.deleted_at IS NULL
                    UNION ALL
                    SELECT a.key, a.value FROM jsonb_each_text(p.attributes) a) kv) ov
          -- The next moment a sale touching this product starts or ends: its price must be recomputed then.
          CROSS JOIN LATERAL (
            SELECT min(b.t) AS at
              FROM sale s, LATERAL (VALUES (s.starts_at), (s.ends_at)) b (t)
             WHERE b.t > p_at
               AND (s.product_ids @> ARRAY[p.id] OR s.category_ids && cl.ids OR s.variant_ids && vv.variant_ids)) nb
         WHERE p.id = ANY (p_ids) AND p.status = 'active' AND p.deleted_at IS NULL AND vv.n > 0
        ON CONFLICT (product_id) DO UPDATE SET
          slug = EXCLUDED.slug, title = EXCLUDED.title, created_at = EXCLUDED.created_at, document = EXCLUDED.document,
          search_text = EXCLUDED.search_text, category_ids = EXCLUDED.category_ids, option_values = EXCLUDED.option_values,
          regular_price = EXCLUDED.regular_price, price = EXCLUDED.price, on_sale = EXCLUDED.on_sale,
          sale_ends_at = EXCLUDED.sale_ends_at, price_valid_until = EXCLUDED.price_valid_until,
          in_stock = EXCLUDED.in_stock, variant_count = EXCLUDED.variant_count,
          sold_count = EXCLUDED.sold_count, image = EXCLUDED.image;
      END $$;`);
  }
}
