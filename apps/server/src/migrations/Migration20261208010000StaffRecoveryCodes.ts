import { Migration } from '@mikro-orm/migrations';

/**
 * Staff TOTP recovery codes: ten single-use codes per member, made when TOTP is confirmed (or regenerated), shown
 * once and kept only as keyed hashes (HMAC-SHA-256, hex). A code is spent by deleting its row
 * (`DELETE ... RETURNING`), so two sign-ins with the same code cannot both pass. Turning TOTP off, or the
 * owner's (or operator's) reset, deletes the member's codes.
 */
export class Migration20261208010000StaffRecoveryCodes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE staff_recovery_code (
        staff_id uuid NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
        code_hash varchar(64) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT staff_recovery_code_pkey PRIMARY KEY (staff_id, code_hash)
      );`);
  }
}
