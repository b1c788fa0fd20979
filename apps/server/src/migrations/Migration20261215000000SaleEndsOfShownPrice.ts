import { Migration } from '@mikro-orm/migrations';

/**
 * The list's `saleEndsAt` is the end of the sale behind the price it shows. `mcart_refresh_product_search` took
 * the earliest end of any variant's sale: a product whose cheapest variant is half price for ten days, and
 * whose dearer variant is 10% off until tomorrow, was listed at the half price "until tomorrow". The function
 * is the one of Migration20261126080000CatalogImagesSales with that column only changed; the rows on sale
 * now are rebuilt with it (only they have a sale end).
 */
export class Migration20261215000000SaleEndsOfShownPrice extends Migration {
  override async up(): Promise<void> {
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
                   -- The end of the sale behind the lowest price now (the "from" sale price a list shows): of the
                   -- variants on sale, the cheapest; among equally cheap ones, the sale that holds longest
                   -- (no end first), as that price is on offer until then.
                   (array_agg(bs.ends_at ORDER BY bs.sale_price ASC, bs.ends_at DESC NULLS FIRST)
                      FILTER (WHERE bs.sale_price < v.price_amount))[1] AS sale_ends_at,
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
    this.addSql(
      `SELECT mcart_refresh_product_search(COALESCE(array_agg(product_id), '{}')) FROM product_search WHERE on_sale;`,
    );
  }
}
