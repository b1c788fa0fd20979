import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type pg from 'pg';
import { pipeline, sendWithNext, type PipelinedStatement } from './pipeline.ts';

/** What knex's client (and a transaction's client) offers for taking a connection. */
interface ConnectionSource {
  acquireConnection(): Promise<pg.ClientBase>;
  releaseConnection(connection: pg.ClientBase): unknown;
}

/** A transaction as MikroORM hands it around (knex's): its client holds the transaction's connection. */
export interface TransactionContext {
  client: ConnectionSource;
  isCompleted(): boolean;
  /** Set on a nested transaction (a savepoint). */
  savepointName?: string;
}

interface Statement {
  name: string;
  /** The text with `$1`, `$2`, ... for the `?` placeholders. */
  text: string;
  placeholders: number;
}

const names = new Map<string, string>();
const statements = new Map<string, Statement>();

/** `map`'s value for `key`, made once; texts are per call site, the bound only guards against a surprise. */
function remembered<V>(map: Map<string, V>, key: string, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    if (map.size >= 2_000) map.clear();
    value = make();
    map.set(key, value);
  }
  return value;
}

const hashedName = (sql: string, prefix: string) =>
  `${prefix}-${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`;

/**
 * A prepared statement's name: the prefix (what it is, for `pg_stat_activity`) and a hash of the text, so
 * one text is one prepared statement per connection. Names are remembered per text.
 */
export function statementName(sql: string, prefix = 'mc'): string {
  return remembered(names, `${prefix}\u0000${sql}`, () => hashedName(sql, prefix));
}

/**
 * `?` placeholders to `$n`, outside quoted literals, quoted identifiers and `--` comments (`\?` is a
 * literal question mark, as in knex).
 */
export function numberPlaceholders(sql: string): { text: string; placeholders: number } {
  let text = '';
  let placeholders = 0;
  for (let i = 0; i < sql.length; i++) {
    const char = sql[i]!;
    if (char === "'" || char === '"') {
      const end = sql.indexOf(char, i + 1);
      const stop = end === -1 ? sql.length : end + 1;
      text += sql.slice(i, stop);
      i = stop - 1;
    } else if (char === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end === -1 ? sql.length : end;
      text += sql.slice(i, stop);
      i = stop - 1;
    } else if (char === '\\' && sql[i + 1] === '?') {
      text += '?';
      i++;
    } else if (char === '?') {
      text += `$${++placeholders}`;
    } else {
      text += char;
    }
  }
  return { text, placeholders };
}

const statementOf = (sql: string): Statement =>
  remembered(statements, sql, () => ({ name: hashedName(sql, 'mc'), ...numberPlaceholders(sql) }));

/**
 * Plain SQL on the EntityManager's connection (inside `em.transactional`, that transaction's), run as a
 * named prepared statement with bound parameters, straight through `pg`. `em.execute` inlines the values
 * into the text instead, so PostgreSQL parses and plans every call afresh: on the checkout path planning
 * was a third of the database's time per order (ADR 0038); and going through knex's query builder cost
 * the server as much CPU as the driver itself. Placeholders are `?` (knex style); an array parameter is
 * expanded into a list as knex does (the statement then goes through knex, unnamed), so arrays usually go
 * in as one literal cast in SQL (`?::uuid[]`, see `pgArray`). Database errors come out as MikroORM's
 * exceptions, as from `em.execute`.
 */
export async function prepared<T>(
  em: EntityManager,
  sql: string,
  params: readonly unknown[] = [],
): Promise<T[]> {
  const values = bindable(params);
  if (values.some((value) => Array.isArray(value))) return converted(em, () => viaKnex<T>(em, sql, values));
  const statement = call(sql, values);
  return onConnection(em, async (connection) => {
    const result = await connection.query<T & pg.QueryResultRow>(statement);
    return result.rows;
  });
}

/**
 * Several statements as `prepared` runs them, sent in one round trip (`platform/pipeline.ts`), answered as one
 * row list each. For statements whose inputs are known before the first answer: the server runs them in
 * order, and a failure stops the rest (and, in a transaction, aborts it). Arrays go in as literals (`pgArray`).
 */
export async function preparedAll(
  em: EntityManager,
  statements: readonly { sql: string; params?: readonly unknown[] }[],
): Promise<unknown[][]> {
  const calls = statements.map(({ sql, params = [] }) => literalArraysOnly(sql, params));
  return onConnection(em, async (connection) =>
    (await pipeline(connection, calls)).map((result) => result.rows as unknown[]),
  );
}

/**
 * A statement of the current transaction, sent in one round trip with the transaction's next statement, at the
 * latest with its COMMIT (`sendWithNext`); `rows` settles once it has run. For writes whose answer nobody
 * needs before the commit: a hot stock row such a statement locks stays locked only while PostgreSQL
 * commits, never across a round trip (ADR 0040). If it fails, so does the statement it travels with (the
 * COMMIT: the transaction rolls back with its error).
 */
export async function queued<T>(
  em: EntityManager,
  sql: string,
  params: readonly unknown[] = [],
): Promise<{ rows: Promise<T[]> }> {
  const statement = literalArraysOnly(sql, params);
  const transaction = em.getTransactionContext<TransactionContext>();
  if (!transaction) throw new Error('queued: only inside a transaction');
  let settle!: (err: Error | null, result?: pg.QueryResult) => void;
  const rows = new Promise<T[]>((resolve, reject) => {
    settle = (err, result) => (err ? reject(err) : resolve(result!.rows as T[]));
  });
  rows.catch(() => undefined); // the transaction reports the failure; `rows` only if someone asks
  await queueWithCommit(transaction, { ...statement, onResult: settle });
  return { rows };
}

/**
 * Holds a statement on the transaction's connection until its next statement, at the latest its COMMIT
 * (`sendWithNext`). A finished transaction is refused: the statement would run in whatever borrows the
 * connection next.
 */
export async function queueWithCommit(
  transaction: TransactionContext,
  statement: PipelinedStatement,
): Promise<void> {
  if (transaction.isCompleted()) throw new Error('queued: the transaction has already ended');
  sendWithNext(await transaction.client.acquireConnection(), statement);
}

/** `undefined` is sent as NULL, as knex does. */
const bindable = (params: readonly unknown[]) => params.map((value) => (value === undefined ? null : value));

/** The prepared statement for `sql` with its values, checked against its placeholders. */
function call(sql: string, values: unknown[]): PipelinedStatement & { name: string } {
  const statement = statementOf(sql);
  if (statement.placeholders !== values.length)
    throw new Error(`Expected ${statement.placeholders} bindings, saw ${values.length}`);
  return { name: statement.name, text: statement.text, values };
}

/** `call` for a statement sent outside knex, where a JS array would not be expanded into a list. */
function literalArraysOnly(sql: string, params: readonly unknown[]): PipelinedStatement {
  const values = bindable(params);
  if (values.some((value) => Array.isArray(value)))
    throw new Error('Pass arrays as one literal (pgArray), not as a JS array');
  return call(sql, values);
}

/** Runs `work` on the EntityManager's connection (its transaction's, else one from the pool). */
function onConnection<T>(em: EntityManager, work: (connection: pg.ClientBase) => Promise<T>): Promise<T> {
  return converted(em, async () => {
    const transaction = em.getTransactionContext<TransactionContext>();
    if (transaction?.isCompleted()) throw new Error('Transaction query already complete');
    const source: ConnectionSource = transaction
      ? transaction.client
      : (em.getKnex().client as ConnectionSource);
    const connection = await source.acquireConnection();
    try {
      return await work(connection);
    } finally {
      if (!transaction) await source.releaseConnection(connection);
    }
  });
}

/** Database errors as MikroORM's exceptions, as from `em.execute`. */
async function converted<T>(em: EntityManager, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw em
      .getDriver()
      .getPlatform()
      .getExceptionConverter()
      .convertException(err as Error);
  }
}

async function viaKnex<T>(em: EntityManager, sql: string, values: unknown[]): Promise<T[]> {
  const statement = em.getKnex().raw(sql, values as never[]);
  const transaction = em.getTransactionContext();
  if (transaction) statement.transacting(transaction);
  const result = (await statement) as unknown as { rows: T[] };
  return result.rows;
}
