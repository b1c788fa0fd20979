import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';

const names = new Map<string, string>();

/**
 * A prepared statement's name: the prefix (what it is, for `pg_stat_activity`) and a hash of the text, so
 * one text is one prepared statement per connection. Names are remembered per text.
 */
export function statementName(sql: string, prefix = 'mc'): string {
  const key = `${prefix}\u0000${sql}`;
  let name = names.get(key);
  if (!name) {
    if (names.size >= 2_000) names.clear(); // texts are per call site; this only bounds a surprise
    name = `${prefix}-${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`;
    names.set(key, name);
  }
  return name;
}

/**
 * Plain SQL on the EntityManager's connection (inside `em.transactional`, that transaction's), run as a
 * named prepared statement with bound parameters. `em.execute` inlines the values into the text instead,
 * so PostgreSQL parses and plans every call afresh: on the checkout path planning was a third of the
 * database's time per order (ADR 0038). Placeholders are `?` (knex style); an array parameter would be
 * expanded into a list, so arrays go in as one literal cast in SQL (`?::uuid[]`, see `pgArray`), and
 * such a statement is left unnamed. Database errors come out as MikroORM's exceptions, as from
 * `em.execute`.
 */
export async function prepared<T>(
  em: EntityManager,
  sql: string,
  params: readonly unknown[] = [],
): Promise<T[]> {
  const values = params.map((value) => (value === undefined ? null : value)) as never[];
  const statement = em.getKnex().raw(sql, values);
  if (!values.some((value) => Array.isArray(value))) statement.options({ name: statementName(sql) });
  const transaction = em.getTransactionContext();
  if (transaction) statement.transacting(transaction);
  try {
    const result = (await statement) as unknown as { rows: T[] };
    return result.rows;
  } catch (err) {
    throw em
      .getDriver()
      .getPlatform()
      .getExceptionConverter()
      .convertException(err as Error);
  }
}
