import { Migration } from '@mikro-orm/migrations';

/**
 * A code's per-customer limit also counts guest checkouts, by e-mail: before, a shopper past the limit on
 * their account checked out as a guest and used the code again. The address is kept as a SHA-256 of its
 * lower-cased form, enough to count uses without storing it once more.
 */
export class Migration20261206010000DiscountRedemptionEmail extends Migration {
  override async up(): Promise<void> {
    this.addSql(`ALTER TABLE discount_redemption ADD COLUMN email_hash text NULL;`);
    this.addSql(
      `CREATE INDEX discount_redemption_email_index ON discount_redemption (discount_code_id, email_hash) WHERE email_hash IS NOT NULL;`,
    );
  }
}
