/**
 * Settings of every connection the server's pools open. A transaction left open (a bug, a stalled process) is
 * ended by PostgreSQL after a minute, releasing its row locks, instead of blocking every checkout of the
 * variants it locked until someone restarts something; no transaction of MCart waits on anything but its own
 * statements (ADR 0040). The name shows the server's sessions in `pg_stat_activity`. Every session runs in UTC,
 * whatever the server's default (initdb takes the machine's zone, so an embedded database on a desk in Auckland
 * is in Auckland's): a date or time without an offset that SQL reads as `timestamptz` (the list and export
 * filters, documented as UTC) means UTC, as do `::date` and `date_trunc` of a `timestamptz`.
 */
export const SESSION_SETTINGS = {
  application_name: 'mcart',
  options: '-c idle_in_transaction_session_timeout=60000 -c TimeZone=UTC',
} as const;

/** The default for `DATABASE_STATEMENT_TIMEOUT_MS`. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;

/**
 * The settings of a pool that serves requests: also a statement timeout, so that one runaway query (a
 * pathological search, a report over years of orders) is cancelled by PostgreSQL and answered 503 instead of
 * holding a connection and a core until the pool runs dry. 0 turns it off. Migrations lift it for their own
 * transaction (`migrate`); backups and restores use connections of their own.
 */
export function requestSessionSettings(statementTimeoutMs = DEFAULT_STATEMENT_TIMEOUT_MS) {
  return {
    ...SESSION_SETTINGS,
    options: `${SESSION_SETTINGS.options} -c statement_timeout=${Math.trunc(statementTimeoutMs)}`,
  };
}

/** The default for `DATABASE_CONNECT_TIMEOUT_MS`. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/**
 * Client options every connection of the server takes (`pg` Pool and Client): a connection attempt that gets
 * no answer (a database host that froze, a failover whose old address went dark) fails after
 * `connectTimeoutMs` instead of waiting for the operating system's TCP timeouts (minutes), holding a pool
 * slot meanwhile; TCP keep-alive lets the kernel notice an established connection whose peer is gone.
 */
export function connectionLiveness(connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS) {
  return {
    connectionTimeoutMillis: Math.trunc(connectTimeoutMs),
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  };
}
