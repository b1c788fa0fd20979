import { Migration } from '@mikro-orm/migrations';

/**
 * Back-in-stock alerts (ADR 0052): a shopper leaves an e-mail address on a sold-out variant and is e-mailed
 * once when it can be bought again. One waiting alert per variant and address; a notified one stays (for the
 * export and the retention) until the purge deletes it. The address is personal data: erased with the
 * customer, deleted after 180 days when never sent.
 */
export class Migration20261212000000StockAlerts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE stock_alert (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        variant_id uuid NOT NULL REFERENCES variant (id) ON DELETE CASCADE,
        email text NOT NULL CHECK (email = lower(btrim(email)) AND length(email) BETWEEN 3 AND 254),
        customer_id uuid NULL REFERENCES customer (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        notified_at timestamptz NULL
      );`);
    // One waiting alert per variant and address (a second subscription is a no-op); also how the stock
    // consumer asks "does anyone wait for these variants?" with one index probe per variant.
    this.addSql(
      `CREATE UNIQUE INDEX stock_alert_waiting_unique ON stock_alert (variant_id, email) WHERE notified_at IS NULL;`,
    );
    // The waiting alerts of a variant, oldest first: the batches the consumer e-mails, the admin list's counts.
    this.addSql(
      `CREATE INDEX stock_alert_waiting_index ON stock_alert (variant_id, created_at) WHERE notified_at IS NULL;`,
    );
    // Export and erasure (ADR 0048), and ON DELETE SET NULL from customer.
    this.addSql(
      `CREATE INDEX stock_alert_customer_index ON stock_alert (customer_id) WHERE customer_id IS NOT NULL;`,
    );
    this.addSql(`CREATE INDEX stock_alert_email_index ON stock_alert (email);`);
  }

  override async down(): Promise<void> {
    this.addSql(`DROP TABLE IF EXISTS stock_alert;`);
  }
}
