import { Migration } from '@mikro-orm/migrations';

/**
 * When an e-mail's next delivery attempt is due: at once when queued, then after each failed attempt the
 * backoff (`MAIL_RETRY_DELAY_SECONDS`, doubling). The `mail.send` job and the `mail.sweep` cron both attempt
 * only a row past it, so the sweep no longer re-sent a retrying e-mail every two minutes on top of the job's
 * retries (8 attempts spent in 14 minutes of SMTP outage). Rows already queued are due now.
 */
export class Migration20261218000000MailNextAttempt extends Migration {
  override async up(): Promise<void> {
    this.addSql(`ALTER TABLE outgoing_mail ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now();`);
    // The sweep's scan: the waiting e-mails that are due, the longest due first.
    this.addSql(
      `CREATE INDEX outgoing_mail_due_index ON outgoing_mail (next_attempt_at) WHERE status = 'pending';`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`DROP INDEX outgoing_mail_due_index;`);
    this.addSql(`ALTER TABLE outgoing_mail DROP COLUMN next_attempt_at;`);
  }
}
