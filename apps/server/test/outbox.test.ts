import pg from 'pg';
import { describe, expect, inject, it, vi } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordChange, type CommittedEvent } from '../src/platform/outbox.ts';
import { useTestApp } from './app.ts';

const { app, databaseUrl } = await useTestApp();

describe('transactional outbox', () => {
  it('delivers committed changes to listeners and durable consumers, never rolled-back ones', async () => {
    const seen: CommittedEvent[] = [];
    app.outbox.onCommitted((events) => seen.push(...events));

    const em = app.orm.em.fork() as EntityManager;
    await em.transactional(async (tx) => {
      recordChange(tx, { resource: 'products', ids: ['a'], type: 'created' });
    });
    await em
      .transactional(async (tx) => {
        recordChange(tx, { resource: 'products', ids: ['rolled-back'], type: 'created' });
        await tx.flush();
        throw new Error('abort');
      })
      .catch(() => {});
    await em.transactional(async (tx) => {
      recordChange(tx, { resource: 'orders', ids: ['b', 'c'], type: 'updated', payload: { number: 'MC-1' } });
    });
    await app.outbox.drain();

    expect(seen.map((e) => [e.resource, e.ids, e.type])).toEqual([
      ['products', ['a'], 'created'],
      ['orders', ['b', 'c'], 'updated'],
    ]);
    const after = await app.outbox.eventsAfter(seen[0]!.position, 10);
    expect(after.map((e) => e.ids)).toEqual([['b', 'c']]);
    expect(after[0]!.payload).toEqual({ number: 'MC-1' });
  });
});

describe('durable outbox consumers', () => {
  it('hand each event to the handler once, with the cursor in the same transaction', async () => {
    const handled: string[] = [];
    let failOnce = true;
    app.outbox.consume('test-consumer', async (event) => {
      if (event.ids[0] === 'flaky' && failOnce) {
        failOnce = false;
        throw new Error('transient');
      }
      handled.push(event.ids[0]!);
    });
    await app.outbox.drain();
    const em = app.orm.em.fork() as EntityManager;
    // Three events committed together, so the pump always reads them in one batch (committed one by one, 'x'
    // could be handled alone before 'flaky' arrived).
    await em.transactional(async (tx) => {
      for (const id of ['x', 'flaky', 'y'])
        recordChange(tx, { resource: 'orders', ids: [id], type: 'created' });
    });
    await app.outbox.drain(); // the flaky event fails, rolling back the whole batch
    await app.outbox.drain(); // retried
    await app.outbox.drain(); // nothing left
    // The failed batch rolled back, so 'x' ran twice (its database writes only once): at-least-once handlers.
    expect(handled).toEqual(['x', 'x', 'flaky', 'y']);
  });

  it('take turns: a consumer chasing a steady stream of new events does not hold back the next one', async () => {
    const seen: string[] = [];
    let made = 0;
    // 'fair-a' comes first and writes a new event with every one it handles (20 in all), as a steady stream of
    // checkouts would give it work on every batch; 'fair-b' only has the first event to handle.
    app.outbox.consume('fair-a', async (event, em) => {
      if (event.resource !== 'fairness') return;
      seen.push(`a:${event.ids[0]}`);
      if (made < 20) recordChange(em, { resource: 'fairness', ids: [`next-${++made}`], type: 'created' });
    });
    app.outbox.consume('fair-b', async (event) => {
      if (event.resource === 'fairness') seen.push(`b:${event.ids[0]}`);
    });
    await app.outbox.drain(); // both cursors exist, at the current end
    await (app.orm.em.fork() as EntityManager).transactional(async (tx) =>
      recordChange(tx, { resource: 'fairness', ids: ['start'], type: 'created' }),
    );
    await app.outbox.drain();

    // 'fair-b' handled the first event before 'fair-a' took its next batch (it used to wait for all 20).
    expect(seen.indexOf('b:start')).toBeGreaterThan(-1);
    expect(seen.indexOf('b:start')).toBeLessThan(seen.indexOf('a:next-1'));
    // Nothing skipped or repeated, in order, for either consumer.
    const stream = ['start', ...Array.from({ length: 20 }, (_, i) => `next-${i + 1}`)];
    expect(seen.filter((entry) => entry.startsWith('a:'))).toEqual(stream.map((id) => `a:${id}`));
    expect(seen.filter((entry) => entry.startsWith('b:'))).toEqual(stream.map((id) => `b:${id}`));
  });
});

describe('outbox.drain and the order of events', () => {
  /**
   * An open transaction that has a transaction id, on another database of the cluster: rows committed after
   * it began are held back (see SELECT_AFTER) until it ends, as under a full parallel test run.
   */
  async function holdBack(): Promise<{ release: () => Promise<void> }> {
    const client = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
    await client.connect();
    await client.query('BEGIN');
    await client.query('SELECT pg_current_xact_id()');
    return { release: () => client.query('ROLLBACK').then(() => client.end()) };
  }

  const commit = (id: string) =>
    (app.orm.em.fork() as EntityManager).transactional(async (tx) =>
      recordChange(tx, { resource: 'products', ids: [id], type: 'updated' }),
    );

  /**
   * A row as if from long ago, when transaction ids had one digit fewer: older than the given event's as a
   * number, later as text ('999' > '1234'; only for ids starting 99…9 is there no such number).
   */
  async function insertOlderShorterThan(id: string): Promise<void> {
    const { rows } = await app.readPool.query<{ tx: string }>(
      `SELECT tx::text AS tx FROM outbox_event WHERE $1 = ANY(ids)`,
      [id],
    );
    await app.readPool.query(
      `INSERT INTO outbox_event (resource, ids, type, tx) VALUES ('products', '{older}', 'updated', $1::text::xid8)`,
      ['9'.repeat(rows[0]!.tx.length - 1)],
    );
  }

  it('drain() waits for an event committed before it but still held back, whatever the older rows', async () => {
    const seen: CommittedEvent[] = [];
    app.outbox.onCommitted((events) => seen.push(...events));
    const holder = await holdBack();
    let released: Promise<void> | undefined;
    try {
      await commit('held-back');
      await insertOlderShorterThan('held-back');
      released = new Promise((resolve) => setTimeout(resolve, 300)).then(holder.release);
      await app.outbox.drain();
      expect(seen.map((e) => e.ids)).toContainEqual(['held-back']);
    } finally {
      await (released ?? holder.release());
    }
  });

  it('drain() fails, rather than resolving, when an event is still held back at its time limit', async () => {
    const holder = await holdBack();
    try {
      await commit('held-back-too-long');
      vi.useFakeTimers({ toFake: ['Date'] }); // only the clock: 16 s pass at each step below (the limit is 30 s)
      let outcome: string | undefined;
      void app.outbox.drain().then(
        () => (outcome = 'resolved'),
        (err: Error) => (outcome = err.message),
      );
      while (outcome === undefined) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        vi.setSystemTime(Date.now() + 16_000);
      }
      expect(outcome).toMatch(/not delivered after 30 s/);
    } finally {
      vi.useRealTimers();
      await holder.release();
    }
    await app.outbox.drain();
  });

  it('reads events in (transaction, id) order, as numbers, so paging visits each once', async () => {
    await commit('paged');
    await insertOlderShorterThan('paged');
    await app.outbox.drain(); // all of it readable
    const { rows } = await app.readPool.query<{ id: string }>(
      `SELECT id FROM outbox_event
        WHERE (tx, id) <= (SELECT tx, id FROM outbox_event WHERE 'paged' = ANY(ids)) ORDER BY tx, id`,
    );
    const paged: number[] = [];
    let after = '0:0';
    while (paged.length <= rows.length) {
      const [event] = await app.outbox.eventsAfter(after, 1);
      if (!event) break;
      paged.push(event.id);
      if (event.ids[0] === 'paged') break;
      after = event.position;
    }
    expect(paged).toEqual(rows.map((row) => Number(row.id)));
  });
});

describe('the outbox listener', () => {
  it('comes back after its connection is lost, even when the first attempts to reconnect fail', async () => {
    const database = new URL(databaseUrl).pathname.slice(1);
    const admin = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
    await admin.connect();
    const listener = async () =>
      (
        await admin.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = 'mcart-outbox' AND query LIKE 'LISTEN%'`,
          [database],
        )
      ).rows;
    try {
      const [before] = await listener();
      expect(before).toBeDefined();
      // The database refuses new connections while the listener's is cut: its first reconnections fail.
      await admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend($1)', [before!.pid]);
      await expect.poll(listener, { timeout: 5_000 }).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      await admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`);
      await expect.poll(async () => (await listener()).length, { timeout: 15_000, interval: 250 }).toBe(1);
    } finally {
      await admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`);
      await admin.end();
    }
  }, 30_000);
});

describe('outbox retention', () => {
  const change = (id: string) =>
    (app.orm.em.fork() as EntityManager).transactional(async (tx) =>
      recordChange(tx, { resource: 'products', ids: [id], type: 'updated' }),
    );

  it('prunes what every consumer has handled once older than the retention, keeping the newest event', async () => {
    for (const id of ['old-1', 'old-2', 'old-3']) await change(id);
    await app.outbox.drain();
    const positions = (await app.outbox.eventsAfter('0:0', 100_000)).map((event) => event.position);
    const oldest = positions[0]!;
    const newest = positions.at(-1)!;
    await app.readPool.query(`UPDATE outbox_event SET created_at = now() - interval '10 days'`);

    // A durable consumer that has not handled them yet holds them back.
    await app.readPool.query(
      `INSERT INTO outbox_cursor (consumer, position, updated_at) VALUES ('lagging', '0:0', now())`,
    );
    expect(await app.outbox.prune(24)).toBe(0);
    await app.readPool.query(`DELETE FROM outbox_cursor WHERE consumer = 'lagging'`);

    expect(await app.outbox.prune(24)).toBe(positions.length - 1);
    expect((await app.outbox.eventsAfter('0:0', 10)).map((event) => event.position)).toEqual([newest]);
    // A live client that last saw a pruned event must resync; one that saw the newest can replay.
    expect(await app.outbox.canReplayFrom(oldest)).toBe(false);
    expect(await app.outbox.canReplayFrom(newest)).toBe(true);

    // Once a newer event exists, the old newest goes too; recent events stay.
    await change('recent');
    await app.outbox.drain();
    expect(await app.outbox.prune(24)).toBe(1);
    expect((await app.outbox.eventsAfter('0:0', 10)).map((event) => event.ids)).toEqual([['recent']]);
    expect(await app.outbox.prune(24)).toBe(0);
  });
});
