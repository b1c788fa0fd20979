import { Migration } from '@mikro-orm/migrations';

/** Notifications: the outgoing e-mail queue (one row per e-mail, written with its cause). */
export class Migration20261126055000Notifications extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE outgoing_mail (
        id uuid PRIMARY KEY,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        dedupe_key varchar(200) NOT NULL,
        template varchar(64) NOT NULL,
        envelope text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
        attempts int NOT NULL DEFAULT 0,
        claimed_at timestamptz NULL,
        sent_at timestamptz NULL,
        message_id varchar(255) NULL,
        last_error varchar(500) NULL,
        CONSTRAINT outgoing_mail_dedupe_key_unique UNIQUE (dedupe_key)
      );`);
    // The sweeper's scan: only unsent rows, oldest first.
    this.addSql(
      `CREATE INDEX outgoing_mail_unsent_index ON outgoing_mail (created_at) WHERE status IN ('pending', 'sending');`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`DROP TABLE outgoing_mail;`);
  }
}
