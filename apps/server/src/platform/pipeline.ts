import { createRequire } from 'node:module';
import type pg from 'pg';

/**
 * Round trips to PostgreSQL are what a checkout pays most for on a loaded machine (ADR 0040): every one wakes
 * the database and then this process again. PostgreSQL's extended protocol lets a client send several
 * statements and wait once (Parse/Bind/Execute for each, then a single Sync); `pg` sends one statement per
 * round trip. This module adds the pipeline as a `pg` "submittable" (the extension point `pg-cursor` uses),
 * and `holdBackTransactions`, which lets a transaction's `BEGIN` travel with its first statement and its
 * outbox rows with its `COMMIT`.
 */

export interface PipelinedStatement {
  /** A name makes it a prepared statement on this connection (parsed once, then only bound). */
  name?: string | undefined;
  text: string;
  values?: readonly unknown[] | undefined;
  rowMode?: 'array' | undefined;
  /** For a statement held by `sendWithNext`: called once it has run (or with what stopped it). */
  onResult?: ((err: Error | null, result?: pg.QueryResult) => void) | undefined;
}

interface Connection {
  parsedStatements: Record<string, string>;
  stream: { cork?: () => void; uncork?: () => void };
  parse(query: { text: string; name?: string | undefined; types?: unknown[] }): void;
  bind(config: {
    portal?: string;
    statement?: string | undefined;
    values?: readonly unknown[];
    valueMapper: (value: unknown) => unknown;
  }): void;
  describe(message: { type: 'P'; name: string }): void;
  execute(config: { portal?: string; rows?: number }): void;
  sync(): void;
  on(event: 'parseComplete', listener: () => void): unknown;
  removeListener(event: 'parseComplete', listener: () => void): unknown;
}

interface TypeSource {
  getTypeParser(oid: number, format: string): (value: string) => unknown;
}

/** `pg`'s own result builder and value serializer, so answers look exactly like `client.query`'s. */
interface ResultBuilder extends pg.QueryResult {
  addFields(fields: unknown[]): void;
  parseRow(fields: unknown[]): unknown;
  addRow(row: unknown): void;
  addCommandComplete(message: unknown): void;
}
const require = createRequire(import.meta.url);
const Result = require('pg/lib/result.js') as new (rowMode?: 'array', types?: TypeSource) => ResultBuilder;
const { prepareValue } = require('pg/lib/utils.js') as { prepareValue: (value: unknown) => unknown };

type Callback = (err: Error | null, results?: pg.QueryResult[]) => void;

/**
 * Several statements in one round trip, answered as one result per statement. The server runs them in order;
 * after an error it skips the rest, so a pipeline is all-or-nothing inside a transaction (which is then
 * aborted, as after any failed statement) and, outside one, runs as a single implicit transaction.
 */
export class Pipeline {
  readonly results: ResultBuilder[] = [];
  private current = 0;
  private parsing: string[] = [];
  private parsed = 0;
  private failed = false;
  private unreadable: Error | undefined;
  private connection: Connection | undefined;
  private readonly onParseComplete = () => {
    this.parsed++;
  };

  constructor(
    readonly statements: PipelinedStatement[],
    private readonly types: TypeSource,
    public callback: Callback,
  ) {}

  /** Called by `pg` when the connection is free: writes every statement, then one Sync. */
  submit(connection: Connection): Error | null {
    // Values are serialized before anything is written: a value that cannot be sent fails the pipeline
    // alone, instead of leaving half a pipeline on the wire.
    let values: unknown[][];
    try {
      values = this.statements.map((statement) => (statement.values ?? []).map(prepareValue));
    } catch (err) {
      return err as Error;
    }
    this.connection = connection;
    const planned = new Set<string>();
    this.parsing = [];
    connection.on('parseComplete', this.onParseComplete);
    connection.stream.cork?.();
    try {
      for (const [index, statement] of this.statements.entries()) {
        const name = statement.name ?? '';
        const known = name && (connection.parsedStatements[name] !== undefined || planned.has(name));
        if (!known) {
          connection.parse({ text: statement.text, name });
          if (name) {
            planned.add(name);
            this.parsing.push(name);
          } else {
            this.parsing.push('');
          }
        }
        connection.bind({
          statement: name,
          values: values[index]!,
          valueMapper: (value) => value,
        });
        connection.describe({ type: 'P', name: '' });
        connection.execute({ portal: '', rows: 0 });
      }
      connection.sync();
    } finally {
      connection.stream.uncork?.();
    }
    return null;
  }

  private result(): ResultBuilder {
    let result = this.results[this.current];
    if (!result) {
      result = new Result(this.statements[this.current]?.rowMode, this.types);
      this.results[this.current] = result;
    }
    return result;
  }

  handleRowDescription(message: { fields: unknown[] }): void {
    this.result().addFields(message.fields);
  }

  handleDataRow(message: { fields: unknown[] }): void {
    const result = this.result();
    try {
      result.addRow(result.parseRow(message.fields));
    } catch (err) {
      // A type parser refused a value: read on to the end of the pipeline, then fail with it.
      this.unreadable ??= err as Error;
    }
  }

  handleCommandComplete(message: unknown): void {
    this.result().addCommandComplete(message);
    this.current++;
  }

  handleEmptyQuery(): void {
    this.result();
    this.current++;
  }

  handlePortalSuspended(): void {
    // Never asked for: every Execute fetches all rows.
  }

  handleCopyInResponse(connection: { sendCopyFail(message: string): void }): void {
    connection.sendCopyFail('COPY is not supported in a pipeline');
  }

  handleCopyData(): void {
    // Not used.
  }

  handleError(err: Error): void {
    if (this.failed) return;
    this.failed = true;
    this.settleParsed();
    this.callback(err);
  }

  handleReadyForQuery(): void {
    if (this.failed) return;
    this.settleParsed();
    if (this.unreadable) this.callback(this.unreadable);
    else this.callback(null, this.results);
  }

  /** Names whose Parse succeeded are prepared on the connection from now on; the others are not. */
  private settleParsed(): void {
    const connection = this.connection;
    if (!connection) return;
    connection.removeListener('parseComplete', this.onParseComplete);
    this.parsing.forEach((name, index) => {
      if (name && index < this.parsed) connection.parsedStatements[name] = this.textOf(name);
    });
    this.connection = undefined;
  }

  private textOf(name: string): string {
    return this.statements.find((statement) => statement.name === name)!.text;
  }
}

type QueryArgs = [config: unknown, values?: unknown, callback?: unknown];
type Send = (...args: QueryArgs) => unknown;

/** The client's type parsers (its own overrides included), for results like `client.query`'s. */
const typesOf = (client: pg.ClientBase) => (client as unknown as { _types: TypeSource })._types;

/** Submits a pipeline through `query` (a client's, or the class's method bound to it). */
function submit(query: Send, types: TypeSource, statements: PipelinedStatement[]): Promise<pg.QueryResult[]> {
  return new Promise((resolve, reject) => {
    query(new Pipeline(statements, types, (err, results) => (err ? reject(err) : resolve(results!))));
  });
}

/** Runs statements in one round trip on a client (a pooled one, or a transaction's). */
export function pipeline(client: pg.ClientBase, statements: PipelinedStatement[]): Promise<pg.QueryResult[]> {
  return submit(client.query.bind(client) as Send, typesOf(client), statements);
}

const PLAIN_BEGIN = /^\s*BEGIN\s*;?\s*$/i;
const PLAIN_COMMIT = /^\s*COMMIT\s*;?\s*$/i;
const PLAIN_ROLLBACK = /^\s*ROLLBACK\s*;?\s*$/i;
/** Single statements that end or mark a transaction: they travel with what is held, in one pipeline. */
const TRANSACTION_CONTROL = /^\s*(COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b[^;]*;?\s*$/i;

/** What a client holds back: a `BEGIN` not sent yet, and statements that travel with the next one. */
interface Held {
  begin: boolean;
  statements: PipelinedStatement[];
}
const held = new WeakMap<pg.ClientBase, Held>();

/** `{ text, values? }` as knex and `prepared()` send them (not a string, not a submittable, no row paging). */
function plainConfig(config: unknown): PipelinedStatement | undefined {
  if (!config || typeof config !== 'object') return undefined;
  const query = config as Record<string, unknown>;
  if (typeof query.submit === 'function' || typeof query.text !== 'string') return undefined;
  if (query.rows || query.binary || query.types || query.callback) return undefined;
  return {
    name: typeof query.name === 'string' ? query.name : undefined,
    text: query.text,
    values: Array.isArray(query.values) ? query.values : undefined,
    rowMode: query.rowMode === 'array' ? 'array' : undefined,
  };
}

function emptyResult(command: string): pg.QueryResult {
  const result = new Result();
  result.command = command;
  return result;
}

/**
 * PostgreSQL answers a COMMIT of a transaction that had failed with the tag ROLLBACK and no error. Code that
 * caught a statement's error and committed anyway (a savepoint whose rollback never reached the server, say)
 * would report success for work that was thrown away: that becomes an error here.
 */
function committed(result: pg.QueryResult): pg.QueryResult {
  if (result.command === 'ROLLBACK')
    throw new Error('COMMIT refused: a statement of this transaction had failed, so it was rolled back');
  return result;
}

/** Answers in the caller's style: through its callback, or as a promise. */
function answer(callback: unknown, outcome: Promise<pg.QueryResult>): Promise<pg.QueryResult> | undefined {
  if (typeof callback !== 'function') return outcome;
  outcome.then(
    (result) => callback(null, result),
    (err: Error) => callback(err),
  );
  return undefined;
}

/**
 * Queues a statement on a transaction's client, to be sent in the same round trip as the next one (at the
 * latest the `COMMIT`): for writes nobody waits on, such as outbox rows. Should it fail, the statement it
 * travelled with fails with its error, and a `COMMIT` becomes a rollback.
 */
export function sendWithNext(client: pg.ClientBase, statement: PipelinedStatement): void {
  const state = held.get(client);
  if (!state) throw new Error('sendWithNext needs a client set up by holdBackTransactions');
  state.statements.push(statement);
}

/**
 * Makes a client hold back a plain `BEGIN` and the statements queued by `sendWithNext`, and send them in one
 * round trip with the next statement: a transaction's `BEGIN` travels with its first statement (its snapshot
 * is taken by that statement anyway, so nothing changes for the code running in it), its outbox rows with
 * its `COMMIT`. A transaction that ends before any statement sends nothing at all. Anything the client is
 * asked in another form (a string query, a cursor) is preceded by what is held, as a round trip of its own.
 */
export function holdBackTransactions(client: pg.Client): void {
  if (held.has(client)) return;
  const state: Held = { begin: false, statements: [] };
  held.set(client, state);
  // The class's method, looked up at each call (a test may wrap it to count round trips).
  const send: Send = (...args) =>
    (Object.getPrototypeOf(client) as { query: Send }).query.apply(client, args);
  const run = (statements: PipelinedStatement[]) => submit(send, typesOf(client), statements);
  /** Tells the held statements how they went: their own result, or the error that stopped them. */
  const report = (statements: PipelinedStatement[], err: Error | null, results?: pg.QueryResult[]) => {
    statements.forEach((statement, index) => {
      if (err) statement.onResult?.(err);
      else statement.onResult?.(null, results![index]);
    });
  };

  (client as unknown as { query: Send }).query = (...args: QueryArgs) => {
    const [config, values, callback] = args;
    const done = typeof values === 'function' ? values : callback;
    const plain = typeof values === 'object' ? undefined : plainConfig(config);
    const bare = plain && !plain.name && !plain.values?.length ? plain.text : undefined;
    const commit = bare !== undefined && PLAIN_COMMIT.test(bare);
    if (!state.begin && !state.statements.length) {
      if (commit)
        return answer(done, (send({ ...(config as object) }) as Promise<pg.QueryResult>).then(committed));
      if (bare === undefined || !PLAIN_BEGIN.test(bare)) return send(...args);
      state.begin = true;
      return answer(done, Promise.resolve(emptyResult('BEGIN')));
    }
    const pending: PipelinedStatement[] = [...(state.begin ? [{ text: 'BEGIN' }] : []), ...state.statements];
    const begun = !state.begin;
    state.begin = false;
    state.statements = [];

    if (bare !== undefined && PLAIN_ROLLBACK.test(bare)) {
      // What was held is dropped; if BEGIN never went out, there is no transaction on the server to end.
      report(pending, new Error('The transaction was rolled back before this statement was sent'));
      if (!begun) return answer(done, Promise.resolve(emptyResult('ROLLBACK')));
      return send(...args);
    }
    if (commit && pending.length === 1 && !begun) {
      // BEGIN and COMMIT with nothing between them.
      return answer(done, Promise.resolve(emptyResult('COMMIT')));
    }
    if (config instanceof Pipeline) {
      const callerCallback = config.callback;
      config.statements.unshift(...pending);
      config.callback = (err, results) => {
        report(pending, err, results);
        callerCallback(err, results?.slice(pending.length));
      };
      return send(config);
    }
    if (bare !== undefined && !TRANSACTION_CONTROL.test(bare)) {
      // Plain text may hold several statements, which only the simple protocol accepts: a lone held BEGIN
      // goes in front of it as text (still one round trip); queued statements go first, on their own.
      if (pending.length === 1 && !begun) {
        const multiple = (results: pg.QueryResult | pg.QueryResult[]) => {
          if (!Array.isArray(results)) return emptyResult(''); // the text held no statement of its own
          return results.length === 2 ? results[1]! : (results.slice(1) as unknown as pg.QueryResult);
        };
        const outcome = (
          send({ ...(config as object), text: `BEGIN;\n${bare}` }) as Promise<pg.QueryResult>
        ).then(multiple);
        return answer(done, outcome);
      }
      // Both go now, in order; if a held statement failed, that is the error the caller sees (not the
      // "transaction is aborted" its own statement then got).
      const before = run(pending).then(
        (results) => report(pending, null, results),
        (err: Error) => {
          report(pending, err);
          throw err;
        },
      );
      const own = send({ ...(config as object) }) as Promise<pg.QueryResult>;
      const outcome = Promise.allSettled([before, own]).then(([first, second]) => {
        if (first.status === 'rejected') throw first.reason;
        if (second.status === 'rejected') throw second.reason;
        return second.value;
      });
      return answer(done, outcome);
    }
    if (plain) {
      const outcome = run([...pending, plain]).then(
        (results) => {
          report(pending, null, results);
          const result = results[pending.length]!;
          return commit ? committed(result) : result;
        },
        async (err: Error) => {
          // A COMMIT skipped after a failed statement leaves the transaction open: end it here.
          if (commit) await run([{ text: 'ROLLBACK' }]).catch(() => undefined);
          report(pending, err);
          throw err;
        },
      );
      return answer(done, outcome);
    }
    // Any other form: what is held goes first, on its own (pg runs queries in the order it is given them;
    // if that fails, the transaction is aborted and so is what follows).
    run(pending).then(
      (results) => report(pending, null, results),
      (err: Error) => report(pending, err),
    );
    return send(...args);
  };
}
