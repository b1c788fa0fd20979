import { Migration } from '@mikro-orm/migrations';

/**
 * The restore drill (platform/backup/drill.ts, ADR 0060): the outcome of the last time a backup was restored
 * into a scratch database and checked against its manifest, on the backup's own row. Null until drilled.
 */
export class Migration20270115000000BackupRestoreDrill extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      ALTER TABLE backup_run
        ADD COLUMN drill_status text NULL CHECK (drill_status IN ('passed', 'failed')),
        ADD COLUMN drilled_at timestamptz NULL,
        ADD COLUMN drill_error text NULL,
        ADD COLUMN drill_ms integer NULL;`);
    this.addSql(
      `CREATE INDEX backup_run_drilled_at_index ON backup_run (drilled_at DESC) WHERE drilled_at IS NOT NULL;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`DROP INDEX IF EXISTS backup_run_drilled_at_index;`);
    this.addSql(`
      ALTER TABLE backup_run
        DROP COLUMN IF EXISTS drill_status,
        DROP COLUMN IF EXISTS drilled_at,
        DROP COLUMN IF EXISTS drill_error,
        DROP COLUMN IF EXISTS drill_ms;`);
  }
}
