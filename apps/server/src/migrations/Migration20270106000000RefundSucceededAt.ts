import { Migration } from '@mikro-orm/migrations';

/**
 * Sales reports date a refund by when it went through, not by its row's last change (ADR 0050): `succeeded_at` is
 * set once, when the gateway confirms the refund (or it is recorded as already made: at the gateway, a lost
 * dispute), and kept when a reversal turns the row `failed` (`reversed_at`, since 20261226) or anything else touches
 * it. Reports count a refund on its `succeeded_at` day and its reversal, as money back in, on its `reversed_at` day:
 * a past period no longer changes when a refund is reversed later.
 *
 * Backfill, with what is known:
 * - refunds still `succeeded`: `succeeded_at = updated_at`, the day reports dated them by until now (nothing has
 *   rewritten a succeeded row's `updated_at` since it succeeded but a reversal, which makes it `failed`);
 * - refunds already reversed: when they went through is lost (the reversal rewrote `updated_at`), and reports have
 *   not counted them since (a `failed` row never counted). They get `succeeded_at = reversed_at`: the refund and its
 *   reversal on the same day, netting to zero there, so no report of any period changes by this migration and the
 *   sum over all time stays what the orders' `refunded_total` counts. `created_at` was not taken: it is only a bound
 *   (a pending refund succeeds later), and it would put money back into periods already reported without it.
 *
 * A row `succeeded` or reversed without `succeeded_at` is refused (CHECK): every path that confirms a refund sets it.
 * The reports' range scans read both columns through partial indexes; the index of succeeded refunds by
 * `updated_at` (20261209) had no other reader and is replaced.
 */
export class Migration20270106000000RefundSucceededAt extends Migration {
  override async up(): Promise<void> {
    this.addSql(`ALTER TABLE payment_refund ADD COLUMN succeeded_at timestamptz NULL;`);
    this.addSql(`UPDATE payment_refund SET succeeded_at = updated_at WHERE status = 'succeeded';`);
    this.addSql(
      `UPDATE payment_refund SET succeeded_at = reversed_at WHERE reversed_at IS NOT NULL AND succeeded_at IS NULL;`,
    );
    this.addSql(`
      ALTER TABLE payment_refund ADD CONSTRAINT payment_refund_succeeded_at_check
        CHECK (succeeded_at IS NOT NULL OR (status <> 'succeeded' AND reversed_at IS NULL));`);
    this.addSql(`DROP INDEX IF EXISTS payment_refund_succeeded_index;`);
    this.addSql(
      `CREATE INDEX payment_refund_succeeded_at_index ON payment_refund (succeeded_at) WHERE succeeded_at IS NOT NULL;`,
    );
    this.addSql(
      `CREATE INDEX payment_refund_reversed_at_index ON payment_refund (reversed_at) WHERE reversed_at IS NOT NULL;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`DROP INDEX IF EXISTS payment_refund_reversed_at_index;`);
    this.addSql(`DROP INDEX IF EXISTS payment_refund_succeeded_at_index;`);
    this.addSql(
      `CREATE INDEX payment_refund_succeeded_index ON payment_refund (updated_at) WHERE status = 'succeeded';`,
    );
    this.addSql(`ALTER TABLE payment_refund DROP CONSTRAINT payment_refund_succeeded_at_check;`);
    this.addSql(`ALTER TABLE payment_refund DROP COLUMN succeeded_at;`);
  }
}
