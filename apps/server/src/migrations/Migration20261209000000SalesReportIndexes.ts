import { Migration } from '@mikro-orm/migrations';

/**
 * Sales reports (ADR 0050) read orders by the day they were paid and refunds by the day the gateway confirmed
 * them. Without these, every report read the whole `orders` table (a parallel sequential scan: 0.6 s for one
 * month of a million orders, before any order line) and every refund. Partial: orders never paid and refunds
 * pending or failed are never reported.
 */
export class Migration20261209000000SalesReportIndexes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`CREATE INDEX orders_paid_at_index ON orders (paid_at) WHERE paid_at IS NOT NULL;`);
    this.addSql(
      `CREATE INDEX payment_refund_succeeded_index ON payment_refund (updated_at) WHERE status = 'succeeded';`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`DROP INDEX IF EXISTS payment_refund_succeeded_index;`);
    this.addSql(`DROP INDEX IF EXISTS orders_paid_at_index;`);
  }
}
