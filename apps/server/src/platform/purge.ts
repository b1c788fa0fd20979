import type { EntityManager } from '@mikro-orm/core';

/**
 * Deletes in batches for the retention jobs: runs `sql`, a statement that deletes at most `batchSize` rows and
 * answers `SELECT count(*) AS n`, each batch its own short statement outside any transaction (a backlog never
 * holds a long lock), until a batch comes back short. Returns how many rows were deleted.
 *
 * Choose the batch once, in a materialized CTE (`WITH batch AS MATERIALIZED (SELECT id ... LIMIT ?)`, then
 * `DELETE ... USING batch`): written `id IN (subquery ... LIMIT)`, PostgreSQL may run the subquery again and
 * delete more than a batch (seen: five rows for `LIMIT 2`, ADR 0046).
 */
export async function deleteInBatches(
  em: EntityManager,
  batchSize: number,
  sql: string,
  values: readonly unknown[],
): Promise<number> {
  let deleted = 0;
  for (;;) {
    const rows = await em.getConnection().execute<{ n: string }[]>(sql, [...values]);
    const n = Number(rows[0]?.n ?? 0);
    deleted += n;
    if (n < batchSize) return deleted;
  }
}
