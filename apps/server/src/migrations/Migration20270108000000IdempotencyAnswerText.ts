import { Migration } from '@mikro-orm/migrations';

/**
 * A stored Idempotency-Key answer is kept as the text that was sent (`json`, stored verbatim), not `jsonb`
 * (which reorders keys and normalises numbers): a replay is then the same bytes as the first answer (ADR 0014).
 * Answers stored before keep jsonb's spelling of them; they expire with their keys.
 */
export class Migration20270108000000IdempotencyAnswerText extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `ALTER TABLE idempotency_key ALTER COLUMN response_body TYPE json USING response_body::json;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `ALTER TABLE idempotency_key ALTER COLUMN response_body TYPE jsonb USING response_body::jsonb;`,
    );
  }
}
