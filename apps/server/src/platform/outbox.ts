import fp from 'fastify-plugin';
import pg from 'pg';
import type { EventSubscriber, TransactionEventArgs } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { OutboxEventSchema, type ChangeType } from './outbox.entity.ts';
import { connectionLiveness, SESSION_SETTINGS } from './pg-session.ts';
import { prepared, queueWithCommit, statementName, type TransactionContext } from './prepared.ts';

export interface Change {
  resource: string;
  ids: string[];
  type: ChangeType;
  /** Extra facts consumers need (never personal data): e.g. `{ orderNumber }`. */
  payload?: Record<string, unknown>;
}

/** Changes recorded in a root transaction, written with its COMMIT (see `OutboxWriter`). */
const pendingChanges = new WeakMap<object, Change[]>();
/** Root transactions whose changes were written: a change recorded after that would be lost. */
const writtenChanges = new WeakSet<object>();

/**
 * Records a change in the caller's transaction or unit of work, so an event exists if and only if the change
 * committed. Inside a transaction (not a savepoint) the changes are written by one statement that travels
 * with the COMMIT (`OutboxWriter`); elsewhere they join the next flush, like any entity.
 */
export function recordChange(
  em: Pick<EntityManager, 'create' | 'getTransactionContext'>,
  change: Change,
): void {
  const transaction = em.getTransactionContext<TransactionContext>();
  if (transaction && !('savepointName' in transaction)) {
    if (writtenChanges.has(transaction))
      throw new Error(`recordChange(${change.resource}): the transaction is already committing`);
    const changes = pendingChanges.get(transaction);
    if (changes) changes.push(change);
    else pendingChanges.set(transaction, [change]);
    return;
  }
  em.create(OutboxEventSchema, {
    resource: change.resource,
    ids: change.ids,
    type: change.type,
    payload: change.payload ?? null,
  });
}

const INSERT_CHANGES = `
  INSERT INTO outbox_event (resource, ids, type, payload)
  SELECT e->>'resource', ARRAY(SELECT jsonb_array_elements_text(e->'ids')), e->>'type', NULLIF(e->'payload', 'null')
    FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS c(e, n)
   ORDER BY n`;

/**
 * Writes a root transaction's recorded changes just before it commits: one prepared statement, sent in the
 * same round trip as the COMMIT (ADR 0040). If it fails, the COMMIT becomes a rollback and the transaction
 * fails with its error.
 */
export class OutboxWriter implements EventSubscriber {
  async beforeTransactionCommit(args: TransactionEventArgs): Promise<void> {
    const transaction = args.transaction as TransactionContext | undefined;
    if (transaction) writtenChanges.add(transaction);
    const changes = transaction ? pendingChanges.get(transaction) : undefined;
    if (!transaction || !changes?.length) return;
    pendingChanges.delete(transaction);
    await queueWithCommit(transaction, {
      name: statementName(INSERT_CHANGES, 'outbox'),
      text: INSERT_CHANGES,
      values: [
        JSON.stringify(
          changes.map((change) => ({
            resource: change.resource,
            ids: change.ids,
            type: change.type,
            payload: change.payload ?? null,
          })),
        ),
      ],
    });
  }
}

export interface CommittedEvent extends Change {
  id: number;
  at: Date;
  /** Opaque, ordered position in the outbox ("<txid>:<id>"); pass it to `eventsAfter` to catch up. */
  position: string;
}

export type EventHandler = (event: CommittedEvent, em: EntityManager) => Promise<void>;
/** A durable consumer's handler for one batch of events (oldest first, never empty). */
export type BatchHandler = (events: CommittedEvent[], em: EntityManager) => Promise<void>;

export interface Outbox {
  /** Every instance: called after commit for each new event (for live sockets). Fire-and-forget. */
  onCommitted(listener: (events: CommittedEvent[]) => void): void;
  /**
   * Durable consumer: each event is handled once across the cluster, in a transaction together with the
   * consumer's cursor, so the handler's database writes (e.g. queueing an e-mail) happen exactly once.
   * Handlers must not call the network; queue a job instead. A throwing handler is retried.
   */
  consume(consumer: string, handler: EventHandler): void;
  /**
   * `consume` with a whole batch (up to 200 events) per call, in the same transaction as the cursor: for a
   * consumer whose work for many events is one statement (the catalog's stock copy, its sold counts). Its
   * result must not depend on how events are cut into batches.
   */
  consumeBatch(consumer: string, handler: BatchHandler): void;
  /** Events after a position (oldest first), at most `limit`; `undefined` position = none. */
  eventsAfter(position: string, limit: number): Promise<CommittedEvent[]>;
  /**
   * Whether every event after `position` is still in the outbox: false for a position older than what was
   * pruned (or replaced by a restore), and for one ahead of the newest event (another database's numbering).
   * A live client resuming from such a position must resync instead of replaying.
   */
  canReplayFrom(position: string): Promise<boolean>;
  /**
   * Deletes events older than `retentionHours` that every durable consumer has handled (the `outbox.prune`
   * job, hourly). Answers how many were deleted.
   */
  prune(retentionHours: number): Promise<number>;
  /** The newest position, for clients that start listening now. */
  currentPosition(): Promise<string>;
  /**
   * Processes everything committed before the call, and what consumers write in turn, until nothing new is
   * left (tests); waits up to 30 s for it to be readable, then fails rather than claim it was delivered.
   */
  drain(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    outbox: Outbox;
  }
}

interface Row {
  id: string;
  tx: string;
  resource: string;
  ids: string[];
  type: ChangeType;
  payload: Record<string, unknown> | null;
  created_at: Date;
}

const toEvent = (row: Row): CommittedEvent => ({
  id: Number(row.id),
  resource: row.resource,
  ids: row.ids,
  type: row.type,
  ...(row.payload ? { payload: row.payload } : {}),
  at: row.created_at,
  position: `${row.tx}:${row.id}`,
});

const comparePositions = (a: string, b: string): number => {
  const [atx, aid] = parsePosition(a).map(BigInt) as [bigint, bigint];
  const [btx, bid] = parsePosition(b).map(BigInt) as [bigint, bigint];
  return atx === btx ? Number(aid - bid) : atx < btx ? -1 : 1;
};

const parsePosition = (position: string): [string, string] => {
  const match = /^(\d+):(\d+)$/.exec(position);
  return match ? [match[1]!, match[2]!] : ['0', '0'];
};

/*
 * Ordering: ids come from a sequence, so a transaction can commit a lower id after a higher one is read.
 * Each row also stores its transaction id (xid8); we only read rows of transactions older than the oldest
 * one still running (pg_snapshot_xmin), ordered by (tx, id). Such transactions are finished, so no row
 * can appear later before the cursor. ORDER BY names the column `outbox_event.tx`: a bare `tx` would be
 * the text output column, and as text '999' sorts after '1000' (rows out of order, skipped past a LIMIT).
 */
const SELECT_AFTER = `
  SELECT id, tx::text AS tx, resource, ids, type, payload, created_at FROM outbox_event
   WHERE (tx, id) > ($1::text::xid8, $2::bigint) AND tx < pg_snapshot_xmin(pg_current_snapshot())
   ORDER BY outbox_event.tx, id LIMIT $3`;

/**
 * A durable consumer's cursor, locked (`SKIP LOCKED`: another instance is on it, and the bounds are NULL: no
 * rows), and its next batch. The bounds are sub-selects, so the events are read in index order up to the LIMIT
 * (a join with the cursor made a bitmap scan of every later event, then a sort).
 */
const CONSUMER_BATCH_SQL = `
  WITH cursor AS (
    SELECT split_part(position, ':', 1) AS tx, split_part(position, ':', 2) AS id FROM outbox_cursor
     WHERE consumer = ? FOR UPDATE SKIP LOCKED)
  SELECT id, tx::text AS tx, resource, ids, type, payload, created_at FROM outbox_event
   WHERE (tx, id) > ((SELECT tx FROM cursor)::xid8, (SELECT id FROM cursor)::bigint)
     AND tx < pg_snapshot_xmin(pg_current_snapshot())
   ORDER BY outbox_event.tx, id LIMIT ?`;

/**
 * A row of outbox_cursor that is not a consumer: the newest position whose events may be gone (pruned, or
 * history of a restored database). Live clients resuming from before it resync.
 */
export const REPLAY_HORIZON = 'outbox:replay-horizon';
export const PRUNE_JOB = 'outbox.prune';
const PRUNE_BATCH = 5000;
/** Events a durable consumer handles per transaction, and per pump pass (see `pumpPass`). */
const CONSUMER_BATCH = 200;
/** Events the live listeners get per pump pass. */
const LISTENER_PAGE = 500;

export const outboxPlugin = fp<{ url: string; retentionHours?: number; connectTimeoutMs?: number }>(
  async (app, { url, retentionHours = 168, connectTimeoutMs }) => {
    // The outbox's own small pool on the primary (DATABASE_URL): it writes (consumer cursors), and the read
    // pool may be a replica, which would lag behind the NOTIFY and refuse the writes.
    const pool = new pg.Pool({
      ...SESSION_SETTINGS,
      ...connectionLiveness(connectTimeoutMs),
      connectionString: url,
      max: 2,
      application_name: 'mcart-outbox',
    });
    pool.on('error', (err) => app.log.warn({ err }, 'idle outbox-pool client failed'));
    const listeners: ((events: CommittedEvent[]) => void)[] = [];
    const consumers = new Map<string, BatchHandler>();
    let position = '0:0';
    let listenClient: pg.Client | undefined;
    let timer: NodeJS.Timeout | undefined;
    let closing = false;
    let pumping: Promise<void> | undefined;
    let again = false;
    let ready = false;
    const pendingCursors: Promise<void>[] = [];

    async function read(after: string, limit: number): Promise<CommittedEvent[]> {
      const [tx, id] = parsePosition(after);
      const { rows } = await pool.query<Row>({
        name: 'outbox-after',
        text: SELECT_AFTER,
        values: [tx, id, limit],
      });
      return rows.map(toEvent);
    }

    async function currentPosition(): Promise<string> {
      const { rows } = await pool.query<{ tx: string; id: string }>(
        `SELECT COALESCE(max(tx)::text, '0') AS tx, COALESCE(max(id), 0)::text AS id FROM outbox_event
          WHERE tx < pg_snapshot_xmin(pg_current_snapshot())`,
      );
      return `${rows[0]!.tx}:${rows[0]!.id}`;
    }

    async function runConsumer(name: string, handler: BatchHandler): Promise<number> {
      return app.orm.em.fork().transactional(async (em) => {
        // The cursor, locked, and the events after it in one prepared statement (no rows: another instance
        // holds the cursor, or nothing is new); the cursor moves by a second one when there were events.
        const rows = await prepared<Row>(em, CONSUMER_BATCH_SQL, [name, CONSUMER_BATCH]);
        if (!rows.length) return 0;
        await handler(rows.map(toEvent), em);
        const last = rows.at(-1)!;
        await prepared(em, `UPDATE outbox_cursor SET position = ?, updated_at = now() WHERE consumer = ?`, [
          `${last.tx}:${last.id}`,
          name,
        ]);
        return rows.length;
      });
    }

    async function canReplayFrom(from: string): Promise<boolean> {
      const { rows } = await pool.query<{ horizon: string | null }>(
        `SELECT position AS horizon FROM outbox_cursor WHERE consumer = $1`,
        [REPLAY_HORIZON],
      );
      const horizon = rows[0]?.horizon ?? '0:0';
      if (comparePositions(from, horizon) < 0) return false;
      return comparePositions(from, await currentPosition()) <= 0;
    }

    /**
     * Deletes, oldest first, the events older than the retention that every durable consumer has handled,
     * in batches (short transactions). The replay horizon moves first, so a client resuming meanwhile
     * resyncs rather than replays with a hole. A cursor that has not moved for longer than the retention is
     * reported: a consumer removed from the code keeps its row, and holds every later event until its row is
     * deleted.
     */
    async function prune(hours: number): Promise<number> {
      const { rows: bound } = await pool.query<{ position: string }>(
        // The newest event always stays: it is the current position new clients and consumers start from.
        `SELECT tx::text || ':' || id AS position FROM outbox_event
          WHERE created_at < now() - make_interval(hours => $1) AND tx < pg_snapshot_xmin(pg_current_snapshot())
            AND (tx, id) < (SELECT tx, id FROM outbox_event ORDER BY tx DESC, id DESC LIMIT 1)
          ORDER BY tx DESC, id DESC LIMIT 1`,
        [hours],
      );
      if (!bound[0]) return 0;
      let upTo = bound[0].position;
      const { rows: cursors } = await pool.query<{ consumer: string; position: string; stale: boolean }>(
        `SELECT consumer, position, updated_at < now() - make_interval(hours => $2) AS stale
           FROM outbox_cursor WHERE consumer <> $1`,
        [REPLAY_HORIZON, hours],
      );
      for (const cursor of cursors) {
        if (comparePositions(cursor.position, upTo) < 0) upTo = cursor.position;
      }
      const stale = cursors.filter((cursor) => cursor.stale && cursor.position === upTo);
      if (stale.length) {
        app.log.warn(
          { consumers: stale.map((cursor) => cursor.consumer) },
          'outbox consumers have not moved for longer than the retention and hold back pruning; delete the ' +
            'outbox_cursor row of a consumer that no longer exists',
        );
      }
      const [tx, id] = parsePosition(upTo);
      await pool.query(
        `INSERT INTO outbox_cursor (consumer, position, updated_at) VALUES ($1, $2, now())
         ON CONFLICT (consumer) DO UPDATE SET position = excluded.position, updated_at = now()
          WHERE (split_part(outbox_cursor.position, ':', 1)::xid8, split_part(outbox_cursor.position, ':', 2)::bigint)
              < ($3::text::xid8, $4::bigint)`,
        [REPLAY_HORIZON, upTo, tx, id],
      );
      let deleted = 0;
      for (;;) {
        const { rowCount } = await pool.query(
          `DELETE FROM outbox_event WHERE id IN (
             SELECT id FROM outbox_event WHERE (tx, id) <= ($1::text::xid8, $2::bigint) ORDER BY tx, id LIMIT $3)`,
          [tx, id, PRUNE_BATCH],
        );
        deleted += rowCount ?? 0;
        if (!rowCount || rowCount < PRUNE_BATCH || closing) break;
      }
      if (deleted) app.log.info({ deleted, upTo }, 'outbox events pruned');
      return deleted;
    }

    // Every instance with jobs may run it; pg-boss runs each tick once across the cluster.
    app.jobs.define(PRUNE_JOB, async () => {
      await prune(retentionHours);
    });
    app.jobs.schedule(PRUNE_JOB, '23 * * * *');

    /** A new consumer starts at the current end: it handles what happens from now on. */
    async function ensureCursor(name: string): Promise<void> {
      await pool.query(
        `INSERT INTO outbox_cursor (consumer, position, updated_at) VALUES ($1, $2, now()) ON CONFLICT (consumer) DO NOTHING`,
        [name, await currentPosition()],
      );
    }

    /**
     * One fair pass: the listeners get at most one page of new events, then every durable consumer takes at
     * most one batch (`runConsumer`), in turn. Answers whether anyone had work, so `pump` passes again. A
     * consumer used to be drained before the next one ran: under a steady stream of checkouts the first one
     * kept chasing new events and the later ones (invoicing, e-mails) waited for the load to end. A failing
     * consumer does not count as having work: it is retried at the next notification or poll, not in a loop.
     */
    async function pumpPass(): Promise<boolean> {
      await Promise.all(pendingCursors.splice(0));
      const events = await read(position, LISTENER_PAGE);
      if (events.length) {
        position = events.at(-1)!.position;
        for (const listener of listeners) {
          try {
            listener(events);
          } catch (err) {
            app.log.error({ err }, 'outbox listener failed');
          }
        }
      }
      let busy = events.length === LISTENER_PAGE;
      if (!busy) await retryHeldBack();
      for (const [name, handler] of consumers) {
        if (closing) break;
        try {
          if ((await runConsumer(name, handler)) > 0) busy = true;
        } catch (err) {
          app.log.error({ err, consumer: name }, 'outbox consumer failed; will retry');
        }
      }
      return busy;
    }

    // A committed row stays unreadable while an older transaction of the cluster is open (see
    // SELECT_AFTER); its NOTIFY has then come and gone. Look again shortly instead of waiting for the
    // next notification or the 2 s poll, backing off while that transaction lasts.
    let heldBackTimer: NodeJS.Timeout | undefined;
    let heldBackDelay = 10;
    async function retryHeldBack(): Promise<void> {
      const [tx, id] = parsePosition(position);
      const { rows } = await pool.query<{ held: boolean }>({
        name: 'outbox-held-back',
        text: `SELECT EXISTS (SELECT 1 FROM outbox_event WHERE (tx, id) > ($1::text::xid8, $2::bigint)) AS held`,
        values: [tx, id],
      });
      if (!rows[0]?.held || closing) {
        heldBackDelay = 10;
        return;
      }
      if (heldBackTimer) return;
      heldBackTimer = setTimeout(() => {
        heldBackTimer = undefined;
        void pump();
      }, heldBackDelay);
      heldBackTimer.unref();
      heldBackDelay = Math.min(heldBackDelay * 2, 250);
    }

    function pump(): Promise<void> {
      if (pumping) {
        again = true;
        return pumping;
      }
      pumping = (async () => {
        let busy: boolean;
        do {
          again = false;
          busy = await pumpPass();
        } while ((again || busy) && !closing);
      })()
        .catch((err) => app.log.warn({ err }, 'outbox pump failed'))
        .finally(() => {
          pumping = undefined;
        });
      return pumping;
    }

    /**
     * The LISTEN connection. Lost (the database restarted, a failover), it is opened again, and again with a
     * growing pause while that fails, for as long as the instance runs; the 2 s poll delivers meanwhile.
     */
    async function listen(): Promise<void> {
      if (closing) return;
      const client = new pg.Client({
        ...SESSION_SETTINGS,
        ...connectionLiveness(connectTimeoutMs),
        connectionString: url,
        application_name: 'mcart-outbox',
      });
      let lost = false;
      const onLost = (err?: Error) => {
        if (lost || closing) return;
        lost = true;
        if (listenClient === client) listenClient = undefined;
        client.end().catch(() => {});
        app.log.warn({ err }, 'outbox listener connection lost; reconnecting');
        relisten(1000);
      };
      client.on('notification', () => void pump());
      client.on('error', onLost);
      client.on('end', () => onLost());
      try {
        await client.connect();
        await client.query('LISTEN mcart_outbox');
      } catch (err) {
        lost = true;
        client.end().catch(() => {});
        throw err;
      }
      listenClient = client;
      // What was committed while no one listened.
      void pump();
    }

    function relisten(delay: number): void {
      if (closing) return;
      setTimeout(() => {
        listen().catch((err: unknown) => {
          app.log.warn({ err }, 'outbox listener could not reconnect; trying again');
          relisten(Math.min(delay * 2, 30_000));
        });
      }, delay).unref();
    }

    app.decorate('outbox', {
      onCommitted: (listener) => void listeners.push(listener),
      consume: (consumer, handler) => {
        consumers.set(consumer, async (events, em) => {
          for (const event of events) await handler(event, em);
        });
        if (ready) pendingCursors.push(ensureCursor(consumer));
      },
      consumeBatch: (consumer, handler) => {
        consumers.set(consumer, handler);
        if (ready) pendingCursors.push(ensureCursor(consumer));
      },
      eventsAfter: read,
      canReplayFrom,
      prune,
      currentPosition,
      drain: async () => {
        // Everything committed before this call, including rows still held back because some other
        // transaction in the cluster was running (see SELECT_AFTER): wait until those become readable.
        // Then the events the consumers wrote in turn (e.g. the catalog's stock flags), until none is new.
        const newest = async () => {
          // The xid8 column, not a text alias (as text, '999' sorts after '1000': a target already passed).
          const { rows } = await pool.query<{ position: string }>(
            `SELECT tx::text || ':' || id AS position FROM outbox_event ORDER BY tx DESC, id DESC LIMIT 1`,
          );
          return rows[0]?.position;
        };
        let target = await newest();
        const deadline = Date.now() + 30_000;
        for (;;) {
          await pumping;
          await pump();
          if (!target || comparePositions(position, target) >= 0) {
            const next = await newest();
            if (!next || (target && comparePositions(next, target) <= 0)) return;
            target = next;
          } else {
            await new Promise((resolve) => setTimeout(resolve, 25));
          }
          // Resolving here would claim delivery that has not happened.
          if (Date.now() > deadline) {
            throw new Error(`outbox.drain: events up to ${target} not delivered after 30 s (at ${position})`);
          }
        }
      },
    } satisfies Outbox);

    app.addHook('onReady', async () => {
      position = await currentPosition();
      for (const name of consumers.keys()) await ensureCursor(name);
      ready = true;
      await listen();
      // NOTIFY can be lost while reconnecting; a slow poll is the safety net.
      timer = setInterval(() => void pump(), 2000);
      timer.unref();
    });
    app.addHook('onClose', async () => {
      closing = true;
      if (timer) clearInterval(timer);
      if (heldBackTimer) clearTimeout(heldBackTimer);
      await pumping;
      await listenClient?.end().catch(() => {});
      await pool.end();
    });
  },
  { name: 'mcart-outbox', dependencies: ['mcart-db', 'mcart-jobs'] },
);
