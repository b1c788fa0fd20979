import { Migration } from '@mikro-orm/migrations';

/**
 * Stock location codes are unique without regard to case ("MAIN" and "main" are one code to staff and on
 * labels). Existing locations whose codes already differ only in case are kept as they are, as the SKU
 * migration (20261229000000) did: in each such group the oldest location is held by the new unique index, the
 * others are marked exempt with the code they had (`code_case_exempt`). The exemption holds while the code is
 * still that one; a location whose code is changed loses it (`updateLocation` clears it) and is held like any
 * other. Every new write is checked. Nothing is renamed: codes may be printed on shelf labels.
 */
export class Migration20270107000000LocationCodeCaseInsensitive extends Migration {
  override async up(): Promise<void> {
    this.addSql(`ALTER TABLE stock_location ADD COLUMN code_case_exempt varchar(32) NULL;`);
    this.addSql(`
      COMMENT ON COLUMN stock_location.code_case_exempt IS
        'The code this location had when codes became unique without case (migration 20270107000000) while an older location had it in another case. While code is still this value, stock_location_code_ci_unique does not hold the location.';`);
    this.addSql(`
      UPDATE stock_location l SET code_case_exempt = l.code
        FROM (SELECT id, row_number() OVER (PARTITION BY lower(code) ORDER BY created_at, id) AS n
                FROM stock_location) d
       WHERE d.id = l.id AND d.n > 1;`);
    this.addSql(`
      CREATE UNIQUE INDEX stock_location_code_ci_unique ON stock_location (lower(code))
       WHERE code_case_exempt IS DISTINCT FROM code;`);
    // Exact duplicates are refused by the index above too (an exempt code differs from every other in case).
    this.addSql(`ALTER TABLE stock_location DROP CONSTRAINT stock_location_code_unique;`);
  }

  override async down(): Promise<void> {
    this.addSql(`ALTER TABLE stock_location ADD CONSTRAINT stock_location_code_unique UNIQUE (code);`);
    this.addSql(`DROP INDEX stock_location_code_ci_unique;`);
    this.addSql(`ALTER TABLE stock_location DROP COLUMN code_case_exempt;`);
  }
}
