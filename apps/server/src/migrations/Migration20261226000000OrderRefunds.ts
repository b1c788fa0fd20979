import { Migration } from '@mikro-orm/migrations';

/**
 * The orders context's refund reservations (ADR 0044, 0021): one row per refund staff make, under the id the
 * payments context gives its refund, holding what the reservation changed (amount, statuses, units, units
 * withdrawn from fulfilment), so that whoever learns the gateway's answer finishes it: staff's request, or the
 * reconciliation job once an answer was lost (`unconfirmed_at`). `reversed`: it went through, then failed at
 * the gateway.
 *
 * A refund that failed after it went through gives its units back as refunded by line, but the units it withdrew
 * stay withdrawn (they were restocked: nothing ships them again), so withdrawn units may now exceed refunded ones.
 */
export class Migration20261226000000OrderRefunds extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE order_refund (
        id uuid PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        amount int NOT NULL CHECK (amount > 0),
        by_line boolean NOT NULL,
        from_status varchar(24) NOT NULL,
        to_status varchar(24) NOT NULL,
        lines jsonb NOT NULL DEFAULT '[]',
        withdrawn jsonb NOT NULL DEFAULT '[]',
        status text NOT NULL CHECK (status IN ('pending', 'refunded', 'released', 'reversed')),
        unconfirmed_at timestamptz NULL,
        actor_type varchar(16) NOT NULL,
        actor_id uuid NULL
      );`);
    this.addSql(`CREATE INDEX order_refund_order_id_index ON order_refund (order_id);`);
    this.addSql(`
      ALTER TABLE order_line
        DROP CONSTRAINT order_line_withdrawn_within,
        ADD CONSTRAINT order_line_withdrawn_within CHECK (withdrawn_quantity >= 0 AND withdrawn_quantity <= quantity);`);
  }

  override async down(): Promise<void> {
    this.addSql(`DROP TABLE order_refund;`);
    this.addSql(`
      ALTER TABLE order_line
        DROP CONSTRAINT order_line_withdrawn_within,
        ADD CONSTRAINT order_line_withdrawn_within CHECK (withdrawn_quantity >= 0 AND withdrawn_quantity <= refunded_quantity);`);
  }
}
