import { Migration } from '@mikro-orm/migrations';

/**
 * Staff TOTP second factor: the shared secret (sealed with the field cipher), when it became active (NULL while
 * an enrollment waits for its first code) and the last time step spent (a code is never accepted twice).
 * `identity_settings` is a one-row table for the store-wide identity policy (TOTP required for all staff).
 */
export class Migration20261126120000IdentityStaffTotp extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      ALTER TABLE staff
        ADD COLUMN totp_secret text NULL,
        ADD COLUMN totp_enabled_at timestamptz NULL,
        ADD COLUMN totp_last_step int NULL;`);
    this.addSql(`
      CREATE TABLE identity_settings (
        id smallint PRIMARY KEY CHECK (id = 1),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        staff_totp_required boolean NOT NULL DEFAULT false,
        updated_by uuid NULL,
        version int NOT NULL DEFAULT 1
      );`);
    this.addSql(`INSERT INTO identity_settings (id, created_at, updated_at) VALUES (1, now(), now());`);
  }
}
