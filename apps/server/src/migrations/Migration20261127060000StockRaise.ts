import { Migration } from '@mikro-orm/migrations';

/**
 * `mcart_raise(sqlstate, message, detail)`: lets one SQL statement refuse its own outcome. Checkout's stock
 * reservation travels with the COMMIT (ADR 0040), so nobody reads its rows before the transaction ends: when
 * a line cannot be reserved, the statement raises (MCS01 contended, MCS02 out of stock, the lines as JSON in
 * DETAIL) and the transaction rolls back. VOLATILE, so the planner never evaluates it ahead of time.
 */
export class Migration20261127060000StockRaise extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE FUNCTION mcart_raise(sqlstate text, message text, detail text) RETURNS boolean
      LANGUAGE plpgsql VOLATILE AS $$
      BEGIN
        RAISE EXCEPTION USING ERRCODE = sqlstate, MESSAGE = message, DETAIL = coalesce(detail, '');
      END $$;`);
  }
}
