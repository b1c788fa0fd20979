import { Migration } from '@mikro-orm/migrations';

/**
 * Disputes of a payment as the gateway last told them (ADR 0021), and refunds that failed: why (the gateway's
 * reason), and whether they had gone through first (`reversed_at`: the money did not go back after all). A lost
 * dispute is a `payment_refund` of kind `dispute`: the money went back to the customer through their bank.
 */
export class Migration20261226000100PaymentDisputesAndRefundFailures extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      ALTER TABLE payment
        ADD COLUMN dispute_ref varchar(255) NULL,
        ADD COLUMN dispute_status text NULL CHECK (dispute_status IN ('needs_response', 'under_review', 'won', 'lost')),
        ADD COLUMN dispute_amount bigint NULL CHECK (dispute_amount >= 0),
        ADD COLUMN dispute_reason varchar(64) NULL,
        ADD COLUMN dispute_due_by timestamptz NULL,
        ADD COLUMN disputed_at timestamptz NULL;`);
    this.addSql(`
      ALTER TABLE payment_refund
        ADD COLUMN kind varchar(16) NOT NULL DEFAULT 'refund' CHECK (kind IN ('refund', 'dispute')),
        ADD COLUMN failure_reason varchar(255) NULL,
        ADD COLUMN reversed_at timestamptz NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`
      ALTER TABLE payment
        DROP COLUMN dispute_ref, DROP COLUMN dispute_status, DROP COLUMN dispute_amount,
        DROP COLUMN dispute_reason, DROP COLUMN dispute_due_by, DROP COLUMN disputed_at;`);
    this.addSql(`
      ALTER TABLE payment_refund DROP COLUMN kind, DROP COLUMN failure_reason, DROP COLUMN reversed_at;`);
  }
}
