import { Migration } from '@mikro-orm/migrations';

/**
 * The events that say where an order's goods are (moved to shipped or delivered; a parcel returned to sender),
 * by order, newest last: the to-pack queue and the dashboard's count of it ask, for each shippable order, for
 * the latest of them (shipping's `shippedInFullSql`, ADR 0012). Partial, so the probe skips the order's other
 * events (payments, notes, refunds); its predicate is the query's condition word for word, which is what lets
 * the planner use it.
 */
export class Migration20270114000000OrderEventShippedIndex extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `CREATE INDEX order_event_shipped_index ON order_event (order_id, id)
        WHERE (kind <> 'return' AND to_status IN ('shipped', 'delivered')) OR (kind = 'return' AND to_status IS NOT NULL);`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`DROP INDEX IF EXISTS order_event_shipped_index;`);
  }
}
