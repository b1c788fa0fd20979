import { Migration } from '@mikro-orm/migrations';

/**
 * Inventory: stock locations, stock levels per variant and location, the movements ledger, checkout
 * reservations and per-variant stock policies. Variants belong to the catalog: referred to by plain id.
 * The CHECK constraints are the backstop behind the conditional statements in inventory.service.ts.
 */
export class Migration20261126030000Inventory extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE stock_location (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        code varchar(32) NOT NULL,
        name varchar(120) NOT NULL,
        is_default boolean NOT NULL DEFAULT false,
        active boolean NOT NULL DEFAULT true,
        CONSTRAINT stock_location_code_unique UNIQUE (code),
        CONSTRAINT stock_location_default_is_active CHECK (NOT is_default OR active)
      );`);
    this.addSql(
      `CREATE UNIQUE INDEX stock_location_single_default ON stock_location (is_default) WHERE is_default;`,
    );
    this.addSql(
      `INSERT INTO stock_location (code, name, is_default) VALUES ('default', 'Main warehouse', true);`,
    );

    this.addSql(`
      CREATE TABLE stock_policy (
        variant_id uuid PRIMARY KEY,
        allow_backorder boolean NOT NULL DEFAULT false,
        low_stock_threshold int NULL CHECK (low_stock_threshold IS NULL OR low_stock_threshold >= 0),
        updated_at timestamptz NOT NULL DEFAULT now()
      );`);

    // allow_backorder is copied from stock_policy (same transaction) so the CHECK can see it.
    this.addSql(`
      CREATE TABLE stock_level (
        variant_id uuid NOT NULL,
        location_id uuid NOT NULL REFERENCES stock_location (id),
        on_hand int NOT NULL DEFAULT 0,
        reserved int NOT NULL DEFAULT 0,
        available int GENERATED ALWAYS AS (on_hand - reserved) STORED,
        allow_backorder boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (variant_id, location_id),
        CONSTRAINT stock_level_reserved_not_negative CHECK (reserved >= 0),
        CONSTRAINT stock_level_not_oversold CHECK (allow_backorder OR on_hand >= reserved)
      );`);
    this.addSql(`CREATE INDEX stock_level_location_index ON stock_level (location_id);`);

    this.addSql(`
      CREATE TABLE stock_movement (
        id bigserial PRIMARY KEY,
        created_at timestamptz NOT NULL DEFAULT now(),
        variant_id uuid NOT NULL,
        location_id uuid NOT NULL REFERENCES stock_location (id),
        kind varchar(16) NOT NULL CHECK (kind IN ('received', 'adjusted', 'reserved', 'released', 'sold', 'returned', 'transfer_out', 'transfer_in')),
        on_hand_delta int NOT NULL DEFAULT 0,
        reserved_delta int NOT NULL DEFAULT 0,
        reason varchar(500) NULL,
        staff_id uuid NULL,
        order_id uuid NULL,
        transfer_id uuid NULL,
        CONSTRAINT stock_movement_changes_something CHECK (on_hand_delta <> 0 OR reserved_delta <> 0)
      );`);
    this.addSql(`CREATE INDEX stock_movement_variant_index ON stock_movement (variant_id, id);`);
    this.addSql(
      `CREATE INDEX stock_movement_order_index ON stock_movement (order_id) WHERE order_id IS NOT NULL;`,
    );

    this.addSql(`
      CREATE TABLE stock_reservation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        created_at timestamptz NOT NULL DEFAULT now(),
        order_id uuid NOT NULL,
        variant_id uuid NOT NULL,
        location_id uuid NOT NULL REFERENCES stock_location (id),
        quantity int NOT NULL CHECK (quantity > 0),
        status varchar(16) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'sold', 'released')),
        expires_at timestamptz NOT NULL,
        settled_at timestamptz NULL
      );`);
    this.addSql(`CREATE INDEX stock_reservation_order_index ON stock_reservation (order_id);`);
  }
}
