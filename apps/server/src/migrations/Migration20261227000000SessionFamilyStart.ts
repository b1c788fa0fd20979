import { Migration } from '@mikro-orm/migrations';

/**
 * A session (refresh-token family) ends a fixed time after its sign-in, however often it is refreshed (ADR 0004):
 * every token carries its family's sign-in time, copied to each successor. Families open before this get the
 * creation time of their oldest token, which is their sign-in (the purge only ever deletes whole families).
 * The default covers an instance still running the previous code during a rolling update: a successor it
 * writes starts its family's clock again, once.
 */
export class Migration20261227000000SessionFamilyStart extends Migration {
  override async up(): Promise<void> {
    this.addSql(`ALTER TABLE auth_session ADD COLUMN family_started_at timestamptz NULL;`);
    this.addSql(`
      UPDATE auth_session AS s SET family_started_at = f.started_at
        FROM (SELECT family_id, min(created_at) AS started_at FROM auth_session GROUP BY family_id) AS f
       WHERE s.family_id = f.family_id;`);
    this.addSql(
      `ALTER TABLE auth_session ALTER COLUMN family_started_at SET DEFAULT now(), ALTER COLUMN family_started_at SET NOT NULL;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`ALTER TABLE auth_session DROP COLUMN family_started_at;`);
  }
}
