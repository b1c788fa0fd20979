import fp from 'fastify-plugin';
import pg from 'pg';
import connectionString from 'pg-connection-string';

const { parse: parseConnectionString } = connectionString;
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import type { AnyEntitySchema } from './entity.ts';
import { migrations } from '../migrations/index.ts';
import { holdBackTransactions } from './pipeline.ts';
import { OutboxWriter } from './outbox.ts';
import { connectionLiveness, requestSessionSettings } from './pg-session.ts';

export interface DatabaseOptions {
  url: string;
  readUrl?: string | undefined;
  poolMax: number;
  /** PostgreSQL's `statement_timeout` on the request pools, in ms (0: none; default 30 s). */
  statementTimeoutMs?: number | undefined;
  /** How long a new connection may take before it fails (ms; default 10 s). */
  connectTimeoutMs?: number | undefined;
  /**
   * How long a caller waits for a free connection of the ORM pool before it fails with knex's
   * `KnexTimeoutError` (answered 503, platform/errors.ts), in ms. Default: knex's own 60 s, which tools
   * (restore, the CLI) keep; the server passes `DATABASE_ACQUIRE_TIMEOUT_MS`.
   */
  acquireTimeoutMs?: number | undefined;
  entities: AnyEntitySchema[];
  /** Apply pending migrations on start (default true). Several instances starting together take turns. */
  migrate?: boolean;
  debug?: boolean;
  /** No "[migrator] Processing/Applied ..." lines on stdout (the restore drill); a failing migration still throws. */
  quietMigrations?: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    orm: MikroORM;
    /**
     * Plain `pg` pool for hot read paths (catalog, search): named prepared statements, no entity hydration.
     * Points at DATABASE_READ_URL when configured, so catalog reads can go to a replica.
     */
    readPool: pg.Pool;
    /** True once migrations are applied and the database answers (the primary and the read pool). */
    isDatabaseReady: () => Promise<boolean>;
  }
  interface FastifyRequest {
    /** This request's own EntityManager fork: never share one across requests. */
    em: EntityManager;
  }
}

// Advisory lock keys: schema migrations ("MCART" in ASCII) and first-start work (seeding, owner account).
const MIGRATION_LOCK_KEY = 0x4d43415254;
export const START_LOCK_KEY = 0x4d43415253;

/**
 * TLS settings of a postgres:// URL (sslmode, sslrootcert, sslcert, sslkey), as `pg` reads them. MikroORM
 * builds its connection from the URL's host, user and database only and would drop these, connecting in
 * clear text to a server that offers both: we hand them to its driver explicitly.
 */
export function sslOptionsOf(
  url: string,
): Exclude<ReturnType<typeof parseConnectionString>['ssl'], undefined | string | boolean> | undefined {
  const { ssl } = parseConnectionString(url);
  return ssl && typeof ssl === 'object' ? ssl : undefined;
}

const PG_TEXT_TIMESTAMP = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?)([+-]\d\d)(?::(\d\d))?$/;

/**
 * A `timestamptz` as RFC 3339 text (`2026-11-27T01:15:46.020745+00:00`). MikroORM makes its connections
 * hand timestamps over as PostgreSQL's own text (`2026-11-27 01:15:46.020745+00`), which raw SQL results
 * would then carry into API answers; this keeps the text (and its microseconds) but in the format the API
 * documents. Values PostgreSQL writes otherwise (`infinity`, BC dates) are left as they are.
 */
export function rfc3339Timestamp(text: string): string {
  const match = PG_TEXT_TIMESTAMP.exec(text);
  return match ? `${match[1]}T${match[2]}${match[3]}:${match[4] ?? '00'}` : text;
}

export async function createOrm(options: DatabaseOptions): Promise<MikroORM> {
  const ssl = sslOptionsOf(options.url);
  return MikroORM.init({
    clientUrl: options.url,
    driverOptions: {
      connection: {
        ...requestSessionSettings(options.statementTimeoutMs),
        ...connectionLiveness(options.connectTimeoutMs),
        ...(ssl ? { ssl } : {}),
      },
    },
    entities: options.entities,
    subscribers: [new OutboxWriter()],
    extensions: [Migrator],
    migrations: {
      migrationsList: migrations,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: options.quietMigrations ?? false,
    },
    pool: {
      min: 0,
      max: options.poolMax,
      // With every connection busy (statements stuck on a lock, a slow database), a request waits this long
      // for one and is then answered 503 with Retry-After, instead of queueing for a minute.
      ...(options.acquireTimeoutMs ? { acquireTimeoutMillis: Math.trunc(options.acquireTimeoutMs) } : {}),
      afterCreate: (client: pg.Client, done: (err: Error | null, client: pg.Client) => void) => {
        client.setTypeParser(pg.types.builtins.TIMESTAMPTZ, 'text', rfc3339Timestamp);
        holdBackTransactions(client);
        done(null, client);
      },
    },
    forceUtcTimezone: true,
    debug: options.debug ?? false,
    discovery: { warnWhenNoEntities: false },
    // Fail loudly if a handler reaches for the global EntityManager instead of its request's fork.
    allowGlobalContext: false,
  });
}

/**
 * Runs `work` while holding a PostgreSQL advisory lock (on a connection of its own), so instances starting
 * together take turns: migrations run once, first-start seeding happens once.
 */
export async function withAdvisoryLock<T>(url: string, key: number, work: () => Promise<T>): Promise<T> {
  const lockClient = new pg.Client({ connectionString: url });
  await lockClient.connect();
  try {
    await lockClient.query('SELECT pg_advisory_lock($1)', [key]);
    return await work();
  } finally {
    await lockClient.query('SELECT pg_advisory_unlock($1)', [key]).catch(() => {});
    await lockClient.end();
  }
}

/**
 * Applies pending migrations, all in one transaction; several instances starting together migrate once. The
 * request pools' statement timeout is lifted for it: a migration rewriting a large table may take longer.
 */
export async function migrate(orm: MikroORM, url: string): Promise<void> {
  await withAdvisoryLock(url, MIGRATION_LOCK_KEY, async () => {
    const connection = orm.em.getConnection();
    await connection.transactional(async (trx) => {
      await connection.execute('SET LOCAL statement_timeout = 0', [], 'run', trx);
      await orm.getMigrator().up({ transaction: trx });
    });
  });
}

const kEm = Symbol('mcart.em');
/** /ready answers 503 when the database has not answered within this time. */
export const READY_CHECK_TIMEOUT_MS = 2000;

export const databasePlugin = fp<DatabaseOptions>(
  async (app, options) => {
    const orm = await createOrm(options);
    if (options.migrate ?? true) await migrate(orm, options.url);
    const readPool = new pg.Pool({
      ...requestSessionSettings(options.statementTimeoutMs),
      ...connectionLiveness(options.connectTimeoutMs),
      connectionString: options.readUrl ?? options.url,
      max: options.poolMax,
      idleTimeoutMillis: 30_000,
    });
    readPool.on('error', (err) => app.log.warn({ err }, 'idle read-pool client failed'));

    let migrationsApplied = false;
    let primaryReadOnly = false;
    app.decorate('orm', orm);
    app.decorate('readPool', readPool);
    const checkDatabase = async () => {
      try {
        // Both connections the instance serves with: the primary (the ORM: every write, most reads) and
        // the read pool (a replica when DATABASE_READ_URL is set). Either one down, requests fail. The
        // primary must also take writes: after a failover its address may lead to a hot standby, or the
        // database may be set read-only (`default_transaction_read_only`), and every write would fail.
        const [primary] = await Promise.all([
          orm.em
            .getConnection()
            .execute<{ read_only: boolean }[]>(
              `SELECT pg_is_in_recovery() OR current_setting('transaction_read_only') = 'on' AS read_only`,
            ),
          readPool.query('SELECT 1'),
        ]);
        const readOnly = primary[0]?.read_only !== false;
        if (readOnly !== primaryReadOnly) {
          primaryReadOnly = readOnly;
          if (readOnly)
            app.log.warn(
              'the primary database is read-only (a hot standby, or transaction_read_only): not ready',
            );
        }
        if (readOnly) return false;
        if (!migrationsApplied) {
          const pending = await orm.getMigrator().getPendingMigrations();
          migrationsApplied = pending.length === 0;
        }
        return migrationsApplied;
      } catch {
        return false;
      }
    };
    let checking: Promise<boolean> | undefined;
    app.decorate('isDatabaseReady', async () => {
      // One check at a time, answered within READY_CHECK_TIMEOUT_MS: a database that does not answer (a frozen
      // host, a dark failover address) makes /ready say 503 at once, and health probes every few seconds
      // do not pile up pending connections that would take the pool's every slot from the requests.
      checking ??= checkDatabase().finally(() => {
        checking = undefined;
      });
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), READY_CHECK_TIMEOUT_MS);
      });
      try {
        return await Promise.race([checking, late]);
      } finally {
        clearTimeout(timer);
      }
    });
    app.decorateRequest('em', {
      getter() {
        const request = this as unknown as { [kEm]?: EntityManager };
        return (request[kEm] ??= orm.em.fork());
      },
    });
    app.addHook('onClose', async () => {
      await readPool.end();
      await orm.close(true);
    });
  },
  { name: 'mcart-db' },
);
