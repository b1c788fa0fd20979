import { Migration } from '@mikro-orm/migrations';

/**
 * Return requests restock per line (ADR 0051, 2027-01): at receipt staff choose how many units of each line go
 * back to stock (the rest is damaged, kept out). Null until the request is received. Requests received before
 * this restocked all of their units or none (`return_request.restocked`): filled in from it.
 */
export class Migration20270116000000ReturnRequestLineRestock extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      ALTER TABLE return_request_line
        ADD COLUMN restocked_quantity int NULL,
        ADD CONSTRAINT return_request_line_restocked_quantity
          CHECK (restocked_quantity IS NULL OR restocked_quantity BETWEEN 0 AND quantity);`);
    this.addSql(`
      UPDATE return_request_line rl
         SET restocked_quantity = CASE WHEN r.restocked THEN rl.quantity ELSE 0 END
        FROM return_request r
       WHERE r.id = rl.return_request_id AND r.status = 'received';`);
  }

  override async down(): Promise<void> {
    this.addSql(`
      ALTER TABLE return_request_line
        DROP CONSTRAINT IF EXISTS return_request_line_restocked_quantity,
        DROP COLUMN IF EXISTS restocked_quantity;`);
  }
}
