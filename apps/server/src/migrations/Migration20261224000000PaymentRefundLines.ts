import { Migration } from '@mikro-orm/migrations';

/**
 * The units a refund by line gave back, kept with the payment's refund (`[{ orderLineId, quantity }]`, empty
 * for a refund of an amount) and told by its `refunded` event, so that invoicing lists on each credit note the
 * lines of its own refund (ADR 0049). Refunds made before have none (null): their credit notes infer the lines
 * as before.
 */
export class Migration20261224000000PaymentRefundLines extends Migration {
  override async up(): Promise<void> {
    this.addSql(`ALTER TABLE payment_refund ADD COLUMN lines jsonb NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`ALTER TABLE payment_refund DROP COLUMN lines;`);
  }
}
