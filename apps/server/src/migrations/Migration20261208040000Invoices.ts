import { Migration } from '@mikro-orm/migrations';

/**
 * Invoices and credit notes (ADR 0049), owned by the invoicing context.
 *
 * - `invoice_counter`: the next number per kind and year. Taken by the document's own transaction (row lock,
 *   `next = next + 1`), so a document that rolls back gives its number back: numbers are gap-free.
 * - `invoice`: one row per issued document. What it says (seller, buyer, lines, amounts) is a sealed JSON
 *   snapshot (`app.cipher`: it holds the buyer's name and address); the plain columns are what lists, filters
 *   and de-duplication need. `(order_id, kind, source)` is unique: the source is `paid` for an order's
 *   invoice, the payment refund id (or `void:<payment id>`) for a credit note, so an event handled twice
 *   never issues twice. `order_id` is the orders context's id (no foreign key across contexts); `invoice_id`
 *   is the invoice a credit note corrects.
 * - Issued documents never change: a trigger refuses UPDATE and DELETE (TRUNCATE, which a restore uses
 *   before loading a backup, is not affected).
 */
export class Migration20261208040000Invoices extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE invoice_counter (
        kind varchar(16) NOT NULL,
        year int NOT NULL,
        next int NOT NULL DEFAULT 1,
        CONSTRAINT invoice_counter_pkey PRIMARY KEY (kind, year),
        CONSTRAINT invoice_counter_kind CHECK (kind IN ('invoice', 'credit_note')),
        CONSTRAINT invoice_counter_next CHECK (next >= 1)
      );`);
    this.addSql(`
      CREATE TABLE invoice (
        id uuid PRIMARY KEY,
        created_at timestamptz NOT NULL DEFAULT now(),
        kind varchar(16) NOT NULL,
        year int NOT NULL,
        seq int NOT NULL,
        number varchar(32) NOT NULL,
        order_id uuid NOT NULL,
        order_number varchar(32) NOT NULL,
        source varchar(64) NOT NULL,
        invoice_id uuid,
        currency char(3) NOT NULL,
        total int NOT NULL,
        tax_total int NOT NULL,
        line_quantities jsonb NOT NULL DEFAULT '[]',
        issued_at timestamptz NOT NULL,
        snapshot text NOT NULL,
        CONSTRAINT invoice_kind CHECK (kind IN ('invoice', 'credit_note')),
        CONSTRAINT invoice_corrects CHECK ((kind = 'credit_note') = (invoice_id IS NOT NULL)),
        CONSTRAINT invoice_amounts CHECK (total >= 0 AND tax_total >= 0),
        CONSTRAINT invoice_seq CHECK (seq >= 1),
        CONSTRAINT invoice_number_unique UNIQUE (number),
        CONSTRAINT invoice_kind_year_seq_unique UNIQUE (kind, year, seq),
        CONSTRAINT invoice_source_unique UNIQUE (order_id, kind, source)
      );`);
    this.addSql(`CREATE INDEX invoice_issued_at_idx ON invoice (issued_at DESC, id);`);
    this.addSql(`CREATE INDEX invoice_invoice_id_idx ON invoice (invoice_id) WHERE invoice_id IS NOT NULL;`);
    this.addSql(`
      CREATE FUNCTION mcart_invoice_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'invoice %: an issued invoice or credit note cannot be changed or deleted', OLD.number
          USING ERRCODE = 'integrity_constraint_violation';
      END $$;`);
    this.addSql(`
      CREATE TRIGGER invoice_immutable BEFORE UPDATE OR DELETE ON invoice
        FOR EACH ROW EXECUTE FUNCTION mcart_invoice_immutable();`);
  }

  /** Drops the documents with their tables: the trigger refuses changes to rows, not DROP TABLE. */
  override async down(): Promise<void> {
    this.addSql(`DROP TABLE IF EXISTS invoice;`);
    this.addSql(`DROP FUNCTION IF EXISTS mcart_invoice_immutable();`);
    this.addSql(`DROP TABLE IF EXISTS invoice_counter;`);
  }
}
