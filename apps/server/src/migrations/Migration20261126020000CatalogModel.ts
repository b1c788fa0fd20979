import { Migration } from '@mikro-orm/migrations';

/**
 * Catalog and pricing: categories, products, variants, images, sales, discount codes, and the store's
 * denormalized read model (product_search, catalog_variant_stock) with the SQL that maintains it.
 */
export class Migration20261126020000CatalogModel extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE category (
        id uuid PRIMARY KEY,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        parent_id uuid NULL REFERENCES category (id) ON DELETE RESTRICT,
        name varchar(200) NOT NULL,
        slug varchar(200) NOT NULL,
        position int NOT NULL DEFAULT 0,
        version int NOT NULL DEFAULT 1,
        CONSTRAINT category_slug_unique UNIQUE (slug),
        CONSTRAINT category_not_own_parent CHECK (parent_id IS NULL OR parent_id <> id)
      );`);
    this.addSql(`CREATE INDEX category_parent_id_index ON category (parent_id);`);

    this.addSql(`
      CREATE TABLE product (
        id uuid PRIMARY KEY,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        slug varchar(200) NOT NULL,
        title varchar(300) NOT NULL,
        description text NOT NULL DEFAULT '',
        status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'archived')),
        attributes jsonb NOT NULL DEFAULT '{}',
        weight_grams int NULL CHECK (weight_grams >= 0),
        length_mm int NULL CHECK (length_mm >= 0),
        width_mm int NULL CHECK (width_mm >= 0),
        height_mm int NULL CHECK (height_mm >= 0),
        deleted_at timestamptz NULL,
        version int NOT NULL DEFAULT 1,
        CONSTRAINT product_slug_unique UNIQUE (slug)
      );`);
    this.addSql(`CREATE INDEX product_created_at_index ON product (created_at);`);
    this.addSql(`CREATE INDEX product_title_trgm_index ON product USING gin (title gin_trgm_ops);`);

    this.addSql(`
      CREATE TABLE product_category (
        product_id uuid NOT NULL REFERENCES product (id) ON DELETE CASCADE,
        category_id uuid NOT NULL REFERENCES category (id) ON DELETE CASCADE,
        PRIMARY KEY (product_id, category_id)
      );`);
    this.addSql(`CREATE INDEX product_category_category_id_index ON product_category (category_id);`);

    this.addSql(`
      CREATE TABLE variant (
        id uuid PRIMARY KEY,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        product_id uuid NOT NULL REFERENCES product (id) ON DELETE CASCADE,
        sku varchar(64) NOT NULL,
        title varchar(200) NOT NULL DEFAULT '',
        options jsonb NOT NULL DEFAULT '{}',
        price_amount int NOT NULL CHECK (price_amount >= 0),
        compare_at_amount int NULL CHECK (compare_at_amount >= 0),
        weight_grams int NULL CHECK (weight_grams >= 0),
        position int NOT NULL DEFAULT 0,
        deleted_at timestamptz NULL,
        version int NOT NULL DEFAULT 1
      );`);
    // A deleted variant frees its SKU (orders keep their own copy of it).
    this.addSql(`CREATE UNIQUE INDEX variant_sku_unique ON variant (sku) WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX variant_product_id_index ON variant (product_id);`);

    this.addSql(`
      CREATE TABLE product_image (
        id uuid PRIMARY KEY,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        product_id uuid NOT NULL REFERENCES product (id) ON DELETE CASCADE,
        storage_key varchar(200) NOT NULL,
        content_type varchar(100) NOT NULL,
        width int NOT NULL,
        height int NOT NULL,
        size_bytes int NOT NULL,
        alt varchar(300) NOT NULL DEFAULT '',
        position int NOT NULL DEFAULT 0
      );`);
    this.addSql(`CREATE INDEX product_image_product_id_index ON product_image (product_id);`);

    this.addSql(`
      CREATE TABLE sale (
        id uuid PRIMARY KEY,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        name varchar(200) NOT NULL,
        discount_type text NOT NULL CHECK (discount_type IN ('percent', 'fixed')),
        discount_value int NOT NULL CHECK (discount_value > 0),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NULL,
        product_ids uuid[] NOT NULL DEFAULT '{}',
        variant_ids uuid[] NOT NULL DEFAULT '{}',
        category_ids uuid[] NOT NULL DEFAULT '{}',
        version int NOT NULL DEFAULT 1,
        CONSTRAINT sale_percent_range CHECK (discount_type <> 'percent' OR discount_value <= 100),
        CONSTRAINT sale_window CHECK (ends_at IS NULL OR ends_at > starts_at)
      );`);
    this.addSql(`CREATE INDEX sale_window_index ON sale (starts_at, ends_at);`);

    this.addSql(`
      CREATE TABLE discount_code (
        id uuid PRIMARY KEY,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        code varchar(64) NOT NULL,
        description varchar(300) NOT NULL DEFAULT '',
        discount_type text NOT NULL CHECK (discount_type IN ('percent', 'fixed')),
        discount_value int NOT NULL CHECK (discount_value > 0),
        min_subtotal int NOT NULL DEFAULT 0 CHECK (min_subtotal >= 0),
        usage_limit int NULL CHECK (usage_limit > 0),
        usage_count int NOT NULL DEFAULT 0 CHECK (usage_count >= 0),
        per_customer_limit int NULL CHECK (per_customer_limit > 0),
        starts_at timestamptz NULL,
        ends_at timestamptz NULL,
        active boolean NOT NULL DEFAULT true,
        version int NOT NULL DEFAULT 1,
        CONSTRAINT discount_code_percent_range CHECK (discount_type <> 'percent' OR discount_value <= 100),
        CONSTRAINT discount_code_usage CHECK (usage_limit IS NULL OR usage_count <= usage_limit)
      );`);
    this.addSql(`CREATE UNIQUE INDEX discount_code_code_unique ON discount_code (upper(code));`);
    this.addSql(`
      CREATE TABLE discount_redemption (
        id uuid PRIMARY KEY,
        created_at timestamptz NOT NULL DEFAULT now(),
        discount_code_id uuid NOT NULL REFERENCES discount_code (id) ON DELETE CASCADE,
        order_id uuid NOT NULL,
        customer_id uuid NULL,
        CONSTRAINT discount_redemption_once_per_order UNIQUE (discount_code_id, order_id)
      );`);
    this.addSql(
      `CREATE INDEX discount_redemption_customer_index ON discount_redemption (discount_code_id, customer_id);`,
    );

    // Read model: available stock per variant, fed from inventory's outbox events.
    this.addSql(`
      CREATE TABLE catalog_variant_stock (
        variant_id uuid PRIMARY KEY REFERENCES variant (id) ON DELETE CASCADE,
        available int NOT NULL,
        backorder boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now()
      );`);

    // Read model: one row per published product (active, not deleted, with a live variant); nothing else.
    this.addSql(`
      CREATE TABLE product_search (
        product_id uuid PRIMARY KEY REFERENCES product (id) ON DELETE CASCADE,
        slug varchar(200) NOT NULL,
        title varchar(300) NOT NULL,
        created_at timestamptz NOT NULL,
        document tsvector NOT NULL,
        search_text text NOT NULL,
        category_ids uuid[] NOT NULL,
        option_values text[] NOT NULL,
        regular_price int NOT NULL,
        price int NOT NULL,
        on_sale boolean NOT NULL,
        sale_ends_at timestamptz NULL,
        price_valid_until timestamptz NULL,
        in_stock boolean NOT NULL,
        sold_count int NOT NULL DEFAULT 0,
        variant_count int NOT NULL
      );`);
    this.addSql(`CREATE INDEX product_search_document_index ON product_search USING gin (document);`);
    this.addSql(
      `CREATE INDEX product_search_text_trgm_index ON product_search USING gin (search_text gin_trgm_ops);`,
    );
    this.addSql(`CREATE INDEX product_search_category_ids_index ON product_search USING gin (category_ids);`);
    this.addSql(
      `CREATE INDEX product_search_option_values_index ON product_search USING gin (option_values);`,
    );
    this.addSql(
      `CREATE INDEX product_search_newest_index ON product_search (created_at DESC, product_id DESC);`,
    );
    this.addSql(`CREATE INDEX product_search_price_index ON product_search (price, product_id);`);
    this.addSql(
      `CREATE INDEX product_search_best_selling_index ON product_search (sold_count DESC, product_id DESC);`,
    );
    this.addSql(
      `CREATE INDEX product_search_price_valid_until_index ON product_search (price_valid_until) WHERE price_valid_until IS NOT NULL;`,
    );
    this.addSql(`CREATE UNIQUE INDEX product_search_slug_index ON product_search (slug);`);

    // A set of categories plus all their ancestors (a product in "T-shirts" is also in "Clothing").
    this.addSql(`
      CREATE FUNCTION mcart_category_closure(ids uuid[]) RETURNS uuid[] LANGUAGE sql STABLE AS $$
        WITH RECURSIVE up AS (
          SELECT c.id, c.parent_id FROM category c WHERE c.id = ANY(ids)
          UNION
          SELECT c.id, c.parent_id FROM category c JOIN up ON c.id = up.parent_id
        )
        SELECT COALESCE(array_agg(id ORDER BY id), '{}') FROM up
      $$;`);

    /*
     * The best running sale for one variant at a moment: the lowest resulting price wins (ADR "sale pricing").
     * Percent: round half up on the discount; fixed: never below zero.
     */
    this.addSql(`
      CREATE FUNCTION mcart_best_sale(p_variant uuid, p_product uuid, p_price int, p_categories uuid[], p_at timestamptz)
      RETURNS TABLE (sale_id uuid, sale_price int, ends_at timestamptz) LANGUAGE sql STABLE AS $$
        SELECT s.id,
               GREATEST(0, p_price - CASE WHEN s.discount_type = 'percent'
                                          THEN ((p_price::bigint * s.discount_value + 50) / 100)::int
                                          ELSE s.discount_value END),
               s.ends_at
          FROM sale s
         WHERE s.starts_at <= p_at AND (s.ends_at IS NULL OR s.ends_at > p_at)
           AND (p_variant = ANY (s.variant_ids) OR p_product = ANY (s.product_ids) OR s.category_ids && p_categories)
         ORDER BY 2 ASC, s.ends_at DESC NULLS FIRST, s.id
         LIMIT 1
      $$;`);

    /*
     * Rebuilds the read-model rows of some products from the source tables, at a moment (now for the store).
     * Called in the writing transaction, so search never shows a product its writer has not committed.
     */
    this.addSql(`
      CREATE FUNCTION mcart_refresh_product_search(p_ids uuid[], p_at timestamptz DEFAULT now()) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM product_search ps
         WHERE ps.product_id = ANY (p_ids)
           AND NOT EXISTS (
             SELECT 1 FROM product p JOIN variant v ON v.product_id = p.id AND v.deleted_at IS NULL
              WHERE p.id = ps.product_id AND p.status = 'active' AND p.deleted_at IS NULL);

        INSERT INTO product_search AS ps (product_id, slug, title, created_at, document, search_text, category_ids,
               option_values, regular_price, price, on_sale, sale_ends_at, price_valid_until, in_stock, variant_count)
        SELECT p.id, p.slug, p.title, p.created_at,
               setweight(to_tsvector('english', p.title), 'A')
                 || setweight(to_tsvector('simple', vv.skus), 'B')
                 || setweight(to_tsvector('english', COALESCE(cn.names, '')), 'C')
                 || setweight(to_tsvector('english', left(p.description, 20000)), 'D'),
               lower(p.title || ' ' || vv.skus),
               cl.ids,
               COALESCE(ov.vals, '{}'),
               vv.regular, vv.price, vv.on_sale, vv.sale_ends_at,
               nb.at, vv.in_stock, vv.n
          FROM product p
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
          in_stock = EXCLUDED.in_stock, variant_count = EXCLUDED.variant_count;
      END $$;`);
  }
}
