import { Migration } from '@mikro-orm/migrations';

/** Stock locations get the optimistic `version` every other editable record has (a stale edit gets 409). */
export class Migration20261127000000StockLocationVersion extends Migration {
  override async up(): Promise<void> {
    this.addSql(`ALTER TABLE stock_location ADD COLUMN version integer NOT NULL DEFAULT 1;`);
  }
}
