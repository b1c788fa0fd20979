/**
 * Settings of every connection the server's pools open. A transaction left open (a bug, a stalled process) is
 * ended by PostgreSQL after a minute, releasing its row locks, instead of blocking every checkout of the
 * variants it locked until someone restarts something; no transaction of MCart waits on anything but its own
 * statements (ADR 0040). The name shows the server's sessions in `pg_stat_activity`.
 */
export const SESSION_SETTINGS = {
  application_name: 'mcart',
  options: '-c idle_in_transaction_session_timeout=60000',
} as const;
