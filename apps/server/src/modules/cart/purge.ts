import type { EntityManager } from '@mikro-orm/core';
import { deleteInBatches } from '../../platform/purge.ts';

/**
 * Carts deleted per statement (their lines go with them: `cart_item` is ON DELETE CASCADE). Smaller than
 * other purges' batches since a cart may hold up to 100 lines.
 */
export const CART_PURGE_BATCH = 1000;

/**
 * Deletes abandoned carts: `open` carts (guest or customer) and `merged` ones (retired at sign-in, answered
 * 404 since) whose last change is older than `retentionDays`, with their lines. A cart that led to an order
 * is never deleted: a `completed` one (`order_id` set), nor a cart any order names in `orders.cart_id` (a
 * cart reopened after its order was cancelled still has that order). No other table references `cart`.
 *
 * Batches of `batchSize` carts, each its own statement, until a batch comes back short. Carts locked by a
 * shopper's change or a checkout at that moment are skipped (`SKIP LOCKED`), and the conditions are checked
 * again on the row being deleted, so a cart touched or checked out meanwhile stays.
 */
export async function purgeAbandonedCarts(
  em: EntityManager,
  retentionDays: number,
  batchSize = CART_PURGE_BATCH,
): Promise<number> {
  return deleteInBatches(
    em,
    batchSize,
    `WITH batch AS MATERIALIZED (
              SELECT c.id FROM cart c
               WHERE c.status IN ('open', 'merged') AND c.order_id IS NULL
                 AND c.updated_at < now() - make_interval(days => ?)
                 AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.cart_id = c.id)
               LIMIT ? FOR UPDATE OF c SKIP LOCKED),
            gone AS (
              DELETE FROM cart USING batch
               WHERE cart.id = batch.id
                 AND cart.status IN ('open', 'merged') AND cart.order_id IS NULL
                 AND cart.updated_at < now() - make_interval(days => ?)
              RETURNING 1)
       SELECT count(*) AS n FROM gone`,
    [retentionDays, batchSize, retentionDays],
  );
}
