import { Migration } from '@mikro-orm/migrations';

/**
 * Carts, shipping methods, orders (lines, timeline) and the idempotency keys of unsafe store calls.
 * Variants, customers and discount codes belong to other contexts: plain ids/codes, no foreign keys.
 */
export class Migration20261126040000Orders extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE shipping_method (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        code varchar(32) NOT NULL,
        name varchar(120) NOT NULL,
        kind varchar(16) NOT NULL CHECK (kind IN ('flat', 'free_over')),
        amount int NOT NULL CHECK (amount >= 0),
        free_over_amount int NULL CHECK (free_over_amount IS NULL OR free_over_amount >= 0),
        is_default boolean NOT NULL DEFAULT false,
        active boolean NOT NULL DEFAULT true,
        sort int NOT NULL DEFAULT 0,
        CONSTRAINT shipping_method_code_unique UNIQUE (code),
        CONSTRAINT shipping_method_threshold CHECK (kind <> 'free_over' OR free_over_amount IS NOT NULL)
      );`);
    this.addSql(
      `CREATE UNIQUE INDEX shipping_method_single_default ON shipping_method (is_default) WHERE is_default;`,
    );
    this.addSql(`
      INSERT INTO shipping_method (code, name, kind, amount, free_over_amount, is_default, sort) VALUES
        ('standard', 'Standard shipping (free over 50.00)', 'free_over', 500, 5000, true, 1),
        ('express', 'Express shipping', 'flat', 1500, NULL, false, 2);`);

    // The id is the guest's only credential for a guest cart: 192 random bits, base64url (never sequential).
    this.addSql(`
      CREATE TABLE cart (
        id varchar(64) PRIMARY KEY,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        customer_id uuid NULL,
        status varchar(16) NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'completed', 'merged')),
        currency char(3) NOT NULL,
        discount_code varchar(64) NULL,
        shipping_method_id uuid NULL REFERENCES shipping_method (id),
        order_id uuid NULL,
        merged_into varchar(64) NULL
      );`);
    this.addSql(
      `CREATE INDEX cart_customer_index ON cart (customer_id, updated_at DESC) WHERE customer_id IS NOT NULL AND status = 'open';`,
    );
    this.addSql(`CREATE INDEX cart_order_index ON cart (order_id) WHERE order_id IS NOT NULL;`);
    this.addSql(`
      CREATE TABLE cart_item (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        cart_id varchar(64) NOT NULL REFERENCES cart (id) ON DELETE CASCADE,
        variant_id uuid NOT NULL,
        quantity int NOT NULL CHECK (quantity BETWEEN 1 AND 999),
        unit_price int NOT NULL CHECK (unit_price >= 0),
        CONSTRAINT cart_item_variant_unique UNIQUE (cart_id, variant_id)
      );`);

    this.addSql(`CREATE SEQUENCE order_number_seq START WITH 1001;`);
    this.addSql(`
      CREATE TABLE orders (
        id uuid PRIMARY KEY,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        number varchar(32) NOT NULL,
        status varchar(24) NOT NULL CHECK (status IN ('pending_payment', 'paid', 'processing', 'shipped', 'delivered', 'cancelled', 'refunded', 'partially_refunded', 'returned')),
        customer_id uuid NULL,
        cart_id varchar(64) NULL,
        email varchar(254) NOT NULL,
        currency char(3) NOT NULL,
        subtotal int NOT NULL CHECK (subtotal >= 0),
        discount_total int NOT NULL DEFAULT 0 CHECK (discount_total >= 0),
        shipping_total int NOT NULL DEFAULT 0 CHECK (shipping_total >= 0),
        tax_total int NOT NULL DEFAULT 0 CHECK (tax_total >= 0),
        total int NOT NULL CHECK (total >= 0),
        refunded_total int NOT NULL DEFAULT 0,
        tax_rate_bps int NOT NULL DEFAULT 0,
        prices_include_tax boolean NOT NULL DEFAULT false,
        discount_code varchar(64) NULL,
        shipping_method_id uuid NULL,
        shipping_method_name varchar(120) NULL,
        shipping_address text NOT NULL,
        reserved_until timestamptz NULL,
        paid_at timestamptz NULL,
        cancelled_at timestamptz NULL,
        cancel_reason varchar(200) NULL,
        payment_id uuid NULL,
        version int NOT NULL DEFAULT 1,
        CONSTRAINT orders_number_unique UNIQUE (number),
        CONSTRAINT orders_refund_within_total CHECK (refunded_total >= 0 AND refunded_total <= total)
      );`);
    this.addSql(`CREATE INDEX orders_status_created_index ON orders (status, created_at DESC);`);
    this.addSql(`CREATE INDEX orders_created_index ON orders (created_at DESC);`);
    this.addSql(
      `CREATE INDEX orders_customer_index ON orders (customer_id, created_at DESC) WHERE customer_id IS NOT NULL;`,
    );
    this.addSql(
      `CREATE INDEX orders_unpaid_expiry_index ON orders (reserved_until) WHERE status = 'pending_payment';`,
    );

    this.addSql(`
      CREATE TABLE order_line (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
        position int NOT NULL,
        variant_id uuid NOT NULL,
        product_id uuid NULL,
        sku varchar(100) NOT NULL,
        title varchar(300) NOT NULL,
        product_title varchar(300) NOT NULL,
        quantity int NOT NULL CHECK (quantity > 0),
        unit_price int NOT NULL CHECK (unit_price >= 0),
        regular_price int NOT NULL CHECK (regular_price >= 0),
        line_total int NOT NULL CHECK (line_total >= 0),
        weight_grams int NULL,
        returned_quantity int NOT NULL DEFAULT 0,
        CONSTRAINT order_line_returned_within CHECK (returned_quantity >= 0 AND returned_quantity <= quantity)
      );`);
    this.addSql(`CREATE INDEX order_line_order_index ON order_line (order_id, position);`);

    // The timeline: status changes, payments, refunds, returns and staff notes, oldest first.
    this.addSql(`
      CREATE TABLE order_event (
        id bigserial PRIMARY KEY,
        created_at timestamptz NOT NULL DEFAULT now(),
        order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
        kind varchar(16) NOT NULL CHECK (kind IN ('status', 'note', 'payment', 'refund', 'return')),
        from_status varchar(24) NULL,
        to_status varchar(24) NULL,
        message varchar(2000) NULL,
        actor_type varchar(16) NOT NULL CHECK (actor_type IN ('staff', 'customer', 'system')),
        actor_id uuid NULL
      );`);
    this.addSql(`CREATE INDEX order_event_order_index ON order_event (order_id, id);`);

    this.addSql(`
      CREATE TABLE idempotency_key (
        scope varchar(100) NOT NULL,
        key varchar(255) NOT NULL,
        request_hash char(64) NOT NULL,
        status varchar(16) NOT NULL CHECK (status IN ('in_progress', 'completed')),
        response_status int NULL,
        response_type varchar(100) NULL,
        response_body jsonb NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        locked_at timestamptz NULL,
        completed_at timestamptz NULL,
        PRIMARY KEY (scope, key)
      );`);
    this.addSql(`CREATE INDEX idempotency_key_created_index ON idempotency_key (created_at);`);
  }
}
