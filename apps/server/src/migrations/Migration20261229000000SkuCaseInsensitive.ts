import { Migration } from '@mikro-orm/migrations';

/**
 * SKUs are unique without regard to case among live variants ("ABC-1" and "abc-1" are one code to a scanner and
 * to staff). Existing live variants whose SKUs already differ only in case are kept as they are (ADR 0017,
 * "SKUs without case"): in each such group the oldest variant is held by the new unique index, the others are
 * marked exempt with the SKU they had (`sku_case_exempt`). The exemption holds while the SKU is still that one:
 * a variant whose SKU is changed is held by the index like any other. Every new write is checked.
 *
 * `variant_sku_lower_index` serves the look-ups by SKU whatever its case (the stock screens' scans, the
 * duplicate checks, the CSV import), which scanned the table before.
 */
export class Migration20261229000000SkuCaseInsensitive extends Migration {
  override async up(): Promise<void> {
    this.addSql(`ALTER TABLE variant ADD COLUMN sku_case_exempt varchar(64) NULL;`);
    this.addSql(`
      COMMENT ON COLUMN variant.sku_case_exempt IS
        'The SKU this live variant had when SKUs became unique without case (migration 20261229000000) while an older live variant had it in another case. While sku is still this value, variant_sku_ci_unique does not hold the variant.';`);
    this.addSql(`
      UPDATE variant v SET sku_case_exempt = v.sku
        FROM (SELECT id, row_number() OVER (PARTITION BY lower(sku) ORDER BY created_at, id) AS n
                FROM variant WHERE deleted_at IS NULL) d
       WHERE d.id = v.id AND d.n > 1;`);
    this.addSql(`
      CREATE UNIQUE INDEX variant_sku_ci_unique ON variant (lower(sku))
       WHERE deleted_at IS NULL AND sku_case_exempt IS DISTINCT FROM sku;`);
    // Not partial: PostgreSQL estimates `lower(sku) = ...` from an expression index's statistics only when the
    // index is not partial (with a partial one it guessed 0.5% of the table and hashed the whole product table).
    this.addSql(`CREATE INDEX variant_sku_lower_index ON variant (lower(sku));`);
  }

  override async down(): Promise<void> {
    this.addSql(`DROP INDEX variant_sku_lower_index;`);
    this.addSql(`DROP INDEX variant_sku_ci_unique;`);
    this.addSql(`ALTER TABLE variant DROP COLUMN sku_case_exempt;`);
  }
}
