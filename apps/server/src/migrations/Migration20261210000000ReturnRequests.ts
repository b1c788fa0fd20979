import { Migration } from '@mikro-orm/migrations';

/**
 * Return requests (ADR 0051): a customer asks to send delivered units back, staff approve or reject, then
 * record the goods' arrival (which records the order's return and may refund the lines). The customer's
 * comment is personal data (cleared on erasure); the lines name order lines of the same order.
 */
export class Migration20261210000000ReturnRequests extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE return_request (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        number varchar(48) NOT NULL,
        order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
        status varchar(16) NOT NULL DEFAULT 'requested'
          CHECK (status IN ('requested', 'approved', 'rejected', 'received')),
        reason varchar(24) NOT NULL
          CHECK (reason IN ('damaged', 'wrong_item', 'not_as_described', 'no_longer_needed', 'other')),
        comment varchar(1000) NULL,
        note varchar(1000) NULL,
        rejection_reason varchar(1000) NULL,
        approved_at timestamptz NULL,
        rejected_at timestamptz NULL,
        received_at timestamptz NULL,
        decided_by uuid NULL,
        received_by uuid NULL,
        restocked boolean NULL,
        refund_amount int NULL,
        refunded_at timestamptz NULL,
        version int NOT NULL DEFAULT 1,
        CONSTRAINT return_request_number_unique UNIQUE (number),
        CONSTRAINT return_request_rejected_with_reason
          CHECK ((status = 'rejected') = (rejection_reason IS NOT NULL AND rejected_at IS NOT NULL)),
        CONSTRAINT return_request_received_when
          CHECK ((status = 'received') = (received_at IS NOT NULL AND restocked IS NOT NULL)),
        CONSTRAINT return_request_refund_after_receipt
          CHECK ((refund_amount IS NULL) = (refunded_at IS NULL)
                 AND (refund_amount IS NULL OR (refund_amount > 0 AND status = 'received')))
      );`);
    this.addSql(`CREATE INDEX return_request_order_index ON return_request (order_id, created_at);`);
    this.addSql(`CREATE INDEX return_request_status_index ON return_request (status, created_at DESC);`);
    this.addSql(`
      CREATE TABLE return_request_line (
        return_request_id uuid NOT NULL REFERENCES return_request (id) ON DELETE CASCADE,
        order_line_id uuid NOT NULL REFERENCES order_line (id) ON DELETE CASCADE,
        quantity int NOT NULL CHECK (quantity BETWEEN 1 AND 999),
        PRIMARY KEY (return_request_id, order_line_id)
      );`);
    this.addSql(`CREATE INDEX return_request_line_order_line_index ON return_request_line (order_line_id);`);
  }
}
