import { Migration } from '@mikro-orm/migrations';

/**
 * A customer changes their e-mail address (ADR 0011): the link e-mailed to the new address is an account token
 * of purpose `email_change` that carries the new address, sealed with the field cipher (it is needed for
 * neither search nor sign-in until it is confirmed). Only tokens of that purpose carry one. The purge job
 * deletes used and expired tokens, so a pending change goes with its link.
 */
export class Migration20270105000000CustomerEmailChange extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      ALTER TABLE account_token
        DROP CONSTRAINT IF EXISTS account_token_purpose_check,
        ADD COLUMN new_email text NULL;`);
    this.addSql(`
      ALTER TABLE account_token
        ADD CONSTRAINT account_token_purpose_check
          CHECK (purpose IN ('password_reset', 'email_verification', 'oauth_handover', 'email_change')),
        ADD CONSTRAINT account_token_new_email_check CHECK ((purpose = 'email_change') = (new_email IS NOT NULL));`);
  }

  override async down(): Promise<void> {
    this.addSql(`DELETE FROM account_token WHERE purpose = 'email_change';`);
    this.addSql(`
      ALTER TABLE account_token
        DROP CONSTRAINT IF EXISTS account_token_new_email_check,
        DROP CONSTRAINT IF EXISTS account_token_purpose_check,
        DROP COLUMN IF EXISTS new_email;`);
    this.addSql(`
      ALTER TABLE account_token
        ADD CONSTRAINT account_token_purpose_check
          CHECK (purpose IN ('password_reset', 'email_verification', 'oauth_handover'));`);
  }
}
