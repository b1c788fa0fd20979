import { Migration } from '@mikro-orm/migrations';

/**
 * A timeline event's text as a stable key and its parameters (ADR 0069), beside the English `message` it keeps
 * writing (logs, exports, rows from before): the back office renders the key in the user's language and falls back
 * to `message` for rows without one. Both nullable; no backfill (old rows keep their English text).
 */
export class Migration20270125000000OrderEventMessageKey extends Migration {
  override async up(): Promise<void> {
    this.addSql(`ALTER TABLE order_event ADD COLUMN IF NOT EXISTS message_key text NULL;`);
    this.addSql(`ALTER TABLE order_event ADD COLUMN IF NOT EXISTS message_params jsonb NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`ALTER TABLE order_event DROP COLUMN IF EXISTS message_params;`);
    this.addSql(`ALTER TABLE order_event DROP COLUMN IF EXISTS message_key;`);
  }
}
