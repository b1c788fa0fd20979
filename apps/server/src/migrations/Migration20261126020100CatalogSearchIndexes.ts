import { Migration } from '@mikro-orm/migrations';

/**
 * Covering sort indexes for the store list: a page is found by skipping index entries only (index-only
 * scan, the common filters checked from the index), and the 20 kept rows are read afterwards.
 */
export class Migration20261126020100CatalogSearchIndexes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`DROP INDEX product_search_newest_index;`);
    this.addSql(`DROP INDEX product_search_price_index;`);
    this.addSql(`DROP INDEX product_search_best_selling_index;`);
    this.addSql(
      `CREATE INDEX product_search_newest_index ON product_search (created_at DESC, product_id DESC) INCLUDE (price, in_stock, on_sale);`,
    );
    this.addSql(
      `CREATE INDEX product_search_price_index ON product_search (price, product_id) INCLUDE (in_stock, on_sale);`,
    );
    this.addSql(
      `CREATE INDEX product_search_best_selling_index ON product_search (sold_count DESC, product_id DESC) INCLUDE (price, in_stock, on_sale);`,
    );
  }
}
