import type { EntityManager } from '@mikro-orm/core';
import { deleteInBatches } from '../../platform/purge.ts';
import { MIN_WEBHOOK_EVENT_RETENTION_DAYS } from '../../config.ts';

/** Rows deleted per statement: each batch is one short statement, so a backlog never holds a long lock. */
export const WEBHOOK_EVENT_PURGE_BATCH = 5000;

/**
 * Forgets gateway events received more than `retentionDays` ago. `payment_webhook_event` only de-duplicates
 * webhooks (a replay of a known event id is a no-op), so a row is needed while the gateway may still deliver
 * that event again: Stripe retries for up to 3 days; the retention is at least a week (refused otherwise).
 * Oldest first, in batches of `batchSize` rows, each its own statement, until a batch comes back short.
 */
export async function purgeWebhookEvents(
  em: EntityManager,
  retentionDays: number,
  batchSize = WEBHOOK_EVENT_PURGE_BATCH,
): Promise<number> {
  if (!(retentionDays >= MIN_WEBHOOK_EVENT_RETENTION_DAYS))
    throw new RangeError(
      `purgeWebhookEvents: retention must be at least ${MIN_WEBHOOK_EVENT_RETENTION_DAYS} days, got ${retentionDays}`,
    );
  return deleteInBatches(
    em,
    batchSize,
    `WITH batch AS MATERIALIZED (
              SELECT id FROM payment_webhook_event
               WHERE received_at < now() - make_interval(days => ?)
               ORDER BY id LIMIT ?),
            gone AS (DELETE FROM payment_webhook_event e USING batch WHERE e.id = batch.id RETURNING 1)
       SELECT count(*) AS n FROM gone`,
    [retentionDays, batchSize],
  );
}
