import { Migration } from '@mikro-orm/migrations';

/**
 * Unknown tracking numbers asked for per client (IPv4 address or IPv6 /64, hashed) in a fixed window: a client
 * past the limit gets no tracking lookup until its window ends (shipping/tracking-lookup-limit.ts). UNLOGGED,
 * as the request counters: a crash only resets the windows, and the counts cost no WAL.
 */
export class Migration20261231000000TrackingLookupMisses extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE UNLOGGED TABLE tracking_lookup_miss (
        key varchar(64) PRIMARY KEY,
        window_start timestamptz NOT NULL,
        misses int NOT NULL
      );`);
    this.addSql(
      `CREATE INDEX tracking_lookup_miss_window_start_index ON tracking_lookup_miss (window_start);`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`DROP TABLE IF EXISTS tracking_lookup_miss;`);
  }
}
