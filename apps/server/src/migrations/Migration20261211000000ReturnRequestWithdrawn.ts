import { Migration } from '@mikro-orm/migrations';

/**
 * A customer may withdraw their return request until the goods arrive (ADR 0051): status `withdrawn`, with
 * the time it was. Reverted, a withdrawn request becomes what it was before customers could withdraw: a
 * request staff rejected on the customer's word.
 */
export class Migration20261211000000ReturnRequestWithdrawn extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      ALTER TABLE return_request
        ADD COLUMN withdrawn_at timestamptz NULL,
        DROP CONSTRAINT return_request_status_check,
        ADD CONSTRAINT return_request_status_check
          CHECK (status IN ('requested', 'approved', 'rejected', 'received', 'withdrawn')),
        ADD CONSTRAINT return_request_withdrawn_when CHECK ((status = 'withdrawn') = (withdrawn_at IS NOT NULL));`);
  }

  override async down(): Promise<void> {
    this.addSql(`ALTER TABLE return_request DROP CONSTRAINT return_request_withdrawn_when;`);
    this.addSql(`
      UPDATE return_request SET status = 'rejected', rejected_at = withdrawn_at,
             rejection_reason = 'Withdrawn by the customer', updated_at = now(), version = version + 1
       WHERE status = 'withdrawn';`);
    this.addSql(`
      ALTER TABLE return_request
        DROP CONSTRAINT return_request_status_check,
        ADD CONSTRAINT return_request_status_check
          CHECK (status IN ('requested', 'approved', 'rejected', 'received')),
        DROP COLUMN withdrawn_at;`);
  }
}
