import { Migration } from '@mikro-orm/migrations';

/**
 * Back-in-stock alerts need a confirmed address (ADR 0052, double opt-in): a guest's alert is pending until the
 * link e-mailed to the address is followed; only confirmed alerts are e-mailed on a restock. The link's token
 * is kept as its SHA-256 only, and cleared once used. `confirm_sent_at` is when the confirmation e-mail was
 * queued: the per-address daily limit counts these.
 *
 * Existing alerts are kept as confirmed: they were taken under the earlier terms, each sends at most one e-mail,
 * and dropping them would lose what shoppers asked for (and the store's view of the demand). Only new alerts
 * need the link.
 */
export class Migration20270104000000StockAlertConfirmation extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      ALTER TABLE stock_alert
        ADD COLUMN confirmed_at timestamptz NULL,
        ADD COLUMN confirm_token_hash varchar(64) NULL,
        ADD COLUMN confirm_sent_at timestamptz NULL;`);
    this.addSql(`UPDATE stock_alert SET confirmed_at = created_at;`);
    // A link is looked up by its hash; a used or expired one has none.
    this.addSql(
      `CREATE UNIQUE INDEX stock_alert_confirm_token_unique ON stock_alert (confirm_token_hash)
        WHERE confirm_token_hash IS NOT NULL;`,
    );
    // Confirmation e-mails to one address in the last day (the per-address limit).
    this.addSql(
      `CREATE INDEX stock_alert_confirm_sent_index ON stock_alert (email, confirm_sent_at)
        WHERE confirm_sent_at IS NOT NULL;`,
    );
    // What the restock consumer e-mails: confirmed waiting alerts of a variant, oldest first.
    this.addSql(`DROP INDEX IF EXISTS stock_alert_waiting_index;`);
    this.addSql(
      `CREATE INDEX stock_alert_waiting_index ON stock_alert (variant_id, created_at)
        WHERE notified_at IS NULL AND confirmed_at IS NOT NULL;`,
    );
    // Pending alerts the purge deletes after 48 hours.
    this.addSql(
      `CREATE INDEX stock_alert_pending_index ON stock_alert (created_at)
        WHERE notified_at IS NULL AND confirmed_at IS NULL;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`DROP INDEX IF EXISTS stock_alert_pending_index;`);
    this.addSql(`DROP INDEX IF EXISTS stock_alert_waiting_index;`);
    this.addSql(`DELETE FROM stock_alert WHERE confirmed_at IS NULL AND notified_at IS NULL;`);
    this.addSql(
      `CREATE INDEX stock_alert_waiting_index ON stock_alert (variant_id, created_at) WHERE notified_at IS NULL;`,
    );
    this.addSql(`DROP INDEX IF EXISTS stock_alert_confirm_sent_index;`);
    this.addSql(`DROP INDEX IF EXISTS stock_alert_confirm_token_unique;`);
    this.addSql(`
      ALTER TABLE stock_alert
        DROP COLUMN confirm_sent_at,
        DROP COLUMN confirm_token_hash,
        DROP COLUMN confirmed_at;`);
  }
}
