import { Migration } from '@mikro-orm/migrations';

/**
 * Operations: the record of backup runs (one row per backup, whoever started it), and the shared
 * counters of the HTTP rate limiter, so limits hold across every instance behind a load balancer.
 */
export class Migration20261126070000OpsBackups extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE backup_run (
        id uuid PRIMARY KEY,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        status text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
        trigger text NOT NULL CHECK (trigger IN ('manual', 'scheduled', 'cli')),
        requested_by uuid NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz NULL,
        size_bytes bigint NULL,
        location text NULL,
        manifest jsonb NULL,
        error text NULL
      );`);
    this.addSql(`CREATE INDEX backup_run_created_at_index ON backup_run (created_at DESC);`);

    // Fixed-window counters for @fastify/rate-limit (platform/rate-limit-store.ts). UNLOGGED: losing them in
    // a crash only resets the windows, and they cost no WAL.
    this.addSql(`
      CREATE UNLOGGED TABLE rate_limit_counter (
        key text PRIMARY KEY,
        hits int NOT NULL,
        expires_at timestamptz NOT NULL
      );`);
    this.addSql(`CREATE INDEX rate_limit_counter_expires_at_index ON rate_limit_counter (expires_at);`);
  }

  override async down(): Promise<void> {
    this.addSql(`DROP TABLE IF EXISTS rate_limit_counter;`);
    this.addSql(`DROP TABLE IF EXISTS backup_run;`);
  }
}
