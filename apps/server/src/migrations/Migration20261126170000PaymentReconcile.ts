import { Migration } from '@mikro-orm/migrations';

/**
 * Payments left behind: `orphaned_at` marks a payment that succeeded for an order already cancelled (its
 * money goes back automatically), and partial indexes let the reconciliation job find payments in flight
 * (pending, capturing) and orphans still holding money without scanning every payment.
 */
export class Migration20261126170000PaymentReconcile extends Migration {
  override async up(): Promise<void> {
    this.addSql(`ALTER TABLE payment ADD COLUMN orphaned_at timestamptz NULL;`);
    this.addSql(
      `CREATE INDEX payment_in_flight_index ON payment (updated_at) WHERE status IN ('pending', 'capturing');`,
    );
    this.addSql(
      `CREATE INDEX payment_orphaned_index ON payment (orphaned_at) WHERE orphaned_at IS NOT NULL;`,
    );
    this.addSql(`CREATE INDEX test_gateway_intent_payment_id_index ON test_gateway_intent (payment_id);`);
  }
}
