import { Migration } from '@mikro-orm/migrations';

/**
 * Refunds by line (ADR 0044): how many units of a line were refunded, and how many of those had not shipped
 * when they were ("withdrawn"): those leave the order's fulfilment (the warehouse no longer ships them)
 * and go back to stock. A unit is refunded by line once.
 */
export class Migration20261207010000OrderLineRefunds extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      ALTER TABLE order_line
        ADD COLUMN refunded_quantity int NOT NULL DEFAULT 0,
        ADD COLUMN withdrawn_quantity int NOT NULL DEFAULT 0,
        ADD CONSTRAINT order_line_refunded_within CHECK (refunded_quantity >= 0 AND refunded_quantity <= quantity),
        ADD CONSTRAINT order_line_withdrawn_within CHECK (withdrawn_quantity >= 0 AND withdrawn_quantity <= refunded_quantity);`);
  }
}
