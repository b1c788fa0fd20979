import { Migration } from '@mikro-orm/migrations';

/**
 * Which attempt holds an Idempotency-Key's claim (a token per attempt; a retry that takes a stale claim over gets
 * a new one). Only the holder stores the answer or releases the key, and a stock batch's answer, stored by the
 * batch's own transaction, is refused (the batch rolls back) when a retry took the claim over meanwhile
 * (ADR 0033). Claims made before carry none: a retry taking one over gives it a token.
 */
export class Migration20261228000000IdempotencyClaim extends Migration {
  override async up(): Promise<void> {
    this.addSql(`ALTER TABLE idempotency_key ADD COLUMN claim uuid NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`ALTER TABLE idempotency_key DROP COLUMN claim;`);
  }
}
