import { Migration } from '@mikro-orm/migrations';

/**
 * When a payment reached its end at the gateway (captured or canceled): the date the sales report gives back
 * what an authorization did not take (voided, or captured for less; ADR 0050). Payments already there take
 * their last change as that time.
 */
export class Migration20261213000000PaymentSettledAt extends Migration {
  override async up(): Promise<void> {
    this.addSql(`ALTER TABLE payment ADD COLUMN settled_at timestamptz NULL;`);
    this.addSql(`UPDATE payment SET settled_at = updated_at WHERE status IN ('captured', 'canceled');`);
    this.addSql(`
      CREATE INDEX payment_uncaptured_index ON payment (settled_at)
       WHERE status IN ('captured', 'canceled') AND captured_amount < amount;`);
  }

  override async down(): Promise<void> {
    this.addSql(`DROP INDEX payment_uncaptured_index;`);
    this.addSql(`ALTER TABLE payment DROP COLUMN settled_at;`);
  }
}
