import type { EntityManager } from '@mikro-orm/core';
import { deleteInBatches } from '../../platform/purge.ts';

/** Rows deleted per statement: each batch is one short statement, so a backlog never holds a long lock. */
export const MAIL_PURGE_BATCH = 5000;

/**
 * Deletes finished e-mails (`sent`, or `failed` after their last attempt) whose last change is older than
 * `retentionDays`: the envelope holds the recipient and personal template data, kept no longer than needed.
 * A mail still `pending` or `sending` is never deleted, however old. Batches of `batchSize` rows, each its
 * own statement (no surrounding transaction), until a batch comes back short. Returns how many were deleted.
 *
 * The dedupe key goes with the row. It guards against a second e-mail for an outbox event handled twice,
 * which only happens right after the event (a consumer crash, a restore): long before the retention ends.
 */
export async function purgeFinishedMail(
  em: EntityManager,
  retentionDays: number,
  batchSize = MAIL_PURGE_BATCH,
): Promise<number> {
  // The row being deleted is checked again (a mail retried meanwhile stays).
  return deleteInBatches(
    em,
    batchSize,
    `WITH batch AS MATERIALIZED (
              SELECT id FROM outgoing_mail
               WHERE status IN ('sent', 'failed') AND updated_at < now() - make_interval(days => ?)
               LIMIT ?),
            gone AS (
              DELETE FROM outgoing_mail m USING batch
               WHERE m.id = batch.id
                 AND m.status IN ('sent', 'failed') AND m.updated_at < now() - make_interval(days => ?)
              RETURNING 1)
       SELECT count(*) AS n FROM gone`,
    [retentionDays, batchSize, retentionDays],
  );
}
