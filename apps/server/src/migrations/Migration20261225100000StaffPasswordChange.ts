import { Migration } from '@mikro-orm/migrations';

/**
 * A staff password reset by an owner or admin must be changed at the next sign-in: the sign-in answer says
 * `passwordChangeRequired` until the member has chosen their own. Existing members keep theirs (false).
 */
export class Migration20261225100000StaffPasswordChange extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `ALTER TABLE staff ADD COLUMN IF NOT EXISTS password_change_required boolean NOT NULL DEFAULT false;`,
    );
  }
}
