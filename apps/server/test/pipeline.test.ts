import { describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import type pg from 'pg';
import { pipeline } from '../src/platform/pipeline.ts';
import { recordChange } from '../src/platform/outbox.ts';
import { prepared, queued } from '../src/platform/prepared.ts';
import { useTestApp } from './app.ts';
import { recordStatements } from './support/statements.ts';

const { app } = await useTestApp();
const fork = () => app.orm.em.fork() as EntityManager;

/** One of the ORM pool's connections, for the duration of `work`. */
async function withConnection<T>(work: (client: pg.ClientBase) => Promise<T>): Promise<T> {
  const knex = fork().getKnex().client as {
    acquireConnection(): Promise<pg.ClientBase>;
    releaseConnection(client: pg.ClientBase): Promise<void>;
  };
  const client = await knex.acquireConnection();
  try {
    return await work(client);
  } finally {
    await knex.releaseConnection(client);
  }
}

await prepared(fork(), `CREATE TABLE IF NOT EXISTS pipeline_probe (id int PRIMARY KEY, at timestamptz)`);
const probeIds = async () =>
  (await prepared<{ id: number }>(fork(), `SELECT id FROM pipeline_probe ORDER BY id`)).map((row) => row.id);
const eventsFor = async (id: string) =>
  prepared<{ type: string; payload: unknown }>(
    fork(),
    `SELECT type, payload FROM outbox_event WHERE resource = 'pipeline_probe' AND ? = ANY(ids) ORDER BY id`,
    [id],
  );
/** A backend's state ('idle in transaction' if a transaction was left open), seen from another pool. */
const stateOf = async (pid: number) =>
  (await app.readPool.query<{ state: string }>(`SELECT state FROM pg_stat_activity WHERE pid = $1`, [pid]))
    .rows[0]?.state;

describe('pipelines', () => {
  it('send several statements in one round trip and answer one result each, parsed values included', async () => {
    await prepared(fork(), `DELETE FROM pipeline_probe`);
    const { result, statements } = await recordStatements(() =>
      withConnection((client) =>
        pipeline(client, [
          {
            name: 'probe-insert',
            text: 'INSERT INTO pipeline_probe (id, at) VALUES ($1, $2)',
            values: [1, new Date(0)],
          },
          {
            name: 'probe-insert',
            text: 'INSERT INTO pipeline_probe (id, at) VALUES ($1, $2)',
            values: [2, new Date(0)],
          },
          { text: 'SELECT id, at FROM pipeline_probe ORDER BY id' },
          { text: 'SELECT $1::int AS n', values: [7], rowMode: 'array' },
        ]),
      ),
    );
    expect(statements).toHaveLength(1);
    expect(result.map((r) => r.command)).toEqual(['INSERT', 'INSERT', 'SELECT', 'SELECT']);
    expect(result[0]!.rowCount).toBe(1);
    // The connection's own type parsers apply (timestamps as RFC 3339 text, ADR 0039's timestamps section).
    expect(result[2]!.rows).toEqual([
      { id: 1, at: '1970-01-01T00:00:00+00:00' },
      { id: 2, at: '1970-01-01T00:00:00+00:00' },
    ]);
    expect(result[3]!.rows).toEqual([[7]]);
  });

  it('are all or nothing outside a transaction: a failing statement undoes the ones before it', async () => {
    await prepared(fork(), `DELETE FROM pipeline_probe`);
    await expect(
      withConnection((client) =>
        pipeline(client, [
          { text: 'INSERT INTO pipeline_probe (id) VALUES (1)' },
          { text: 'SELECT 1 / 0' },
          { text: 'INSERT INTO pipeline_probe (id) VALUES (2)' },
        ]),
      ),
    ).rejects.toThrow(/division by zero/);
    expect(await probeIds()).toEqual([]);
  });

  it('prepare a named statement only when its Parse succeeded', async () => {
    await withConnection(async (client) => {
      const parsed = (client as unknown as { connection: { parsedStatements: Record<string, string> } })
        .connection.parsedStatements;
      await expect(pipeline(client, [{ name: 'probe-broken', text: 'SELEC 1' }])).rejects.toThrow(/syntax/);
      expect(parsed['probe-broken']).toBeUndefined();
      await pipeline(client, [{ name: 'probe-fine', text: 'SELECT 1 AS one' }]);
      expect(parsed['probe-fine']).toBe('SELECT 1 AS one');
      const [again] = await pipeline(client, [{ name: 'probe-fine', text: 'SELECT 1 AS one' }]);
      expect(again!.rows).toEqual([{ one: 1 }]);
    });
  });
});

describe('transactions on the ORM pool', () => {
  it('send BEGIN with the first statement, and nothing at all for an empty transaction', async () => {
    const { statements } = await recordStatements(() =>
      fork().transactional(async (tx) => {
        await prepared(tx, `SELECT 1`);
        await prepared(tx, `SELECT 2`);
      }),
    );
    expect(statements).toEqual(['BEGIN ; SELECT 1', 'SELECT 2', 'COMMIT;']);
    const empty = await recordStatements(() => fork().transactional(async () => undefined));
    expect(empty.statements).toEqual([]);
    const rolledBack = await recordStatements(() =>
      fork()
        .transactional(async () => {
          throw new Error('nothing ran');
        })
        .catch(() => undefined),
    );
    expect(rolledBack.statements).toEqual([]);
  });

  it('run plain text of several statements as the first of a transaction, in one round trip', async () => {
    await prepared(fork(), `DELETE FROM pipeline_probe`);
    const { statements } = await recordStatements(() =>
      fork().transactional(async (tx) => {
        await tx.execute(
          `INSERT INTO pipeline_probe (id) VALUES (40); INSERT INTO pipeline_probe (id) VALUES (41)`,
        );
      }),
    );
    expect(statements).toHaveLength(2);
    expect(await probeIds()).toEqual([40, 41]);
    await expect(
      fork().transactional(async (tx) => {
        await tx.execute(
          `INSERT INTO pipeline_probe (id) VALUES (42); INSERT INTO pipeline_probe (id) VALUES (43)`,
        );
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await probeIds()).toEqual([40, 41]);
  });

  it("write a transaction's events in the COMMIT's round trip, and only if it commits", async () => {
    await prepared(fork(), `DELETE FROM pipeline_probe`);
    const { statements } = await recordStatements(() =>
      fork().transactional(async (tx) => {
        await prepared(tx, `INSERT INTO pipeline_probe (id) VALUES (10)`);
        recordChange(tx, { resource: 'pipeline_probe', ids: ['10'], type: 'created', payload: { n: 1 } });
        recordChange(tx, { resource: 'pipeline_probe', ids: ['10'], type: 'updated' });
      }),
    );
    expect(statements).toHaveLength(2);
    expect(statements[1]).toMatch(/^\s*INSERT INTO outbox_event .* ; COMMIT;$/);
    expect(await eventsFor('10')).toEqual([
      { type: 'created', payload: { n: 1 } },
      { type: 'updated', payload: null },
    ]);

    await expect(
      fork().transactional(async (tx) => {
        await prepared(tx, `INSERT INTO pipeline_probe (id) VALUES (11)`);
        recordChange(tx, { resource: 'pipeline_probe', ids: ['11'], type: 'created' });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await eventsFor('11')).toEqual([]);
    expect(await probeIds()).toEqual([10]);
  });

  it('keep events of a savepoint only if it is released', async () => {
    await fork().transactional(async (tx) => {
      await prepared(tx, `SELECT 1`);
      await tx
        .transactional(async (inner) => {
          recordChange(inner, { resource: 'pipeline_probe', ids: ['20'], type: 'created' });
          await inner.flush();
          throw new Error('undo the savepoint');
        })
        .catch(() => undefined);
      await tx.transactional(async (inner) => {
        recordChange(inner, { resource: 'pipeline_probe', ids: ['21'], type: 'created' });
      });
    });
    expect(await eventsFor('20')).toEqual([]);
    expect(await eventsFor('21')).toEqual([{ type: 'created', payload: null }]);
  });

  it('roll back when the events cannot be written, and leave no connection inside a transaction', async () => {
    await prepared(fork(), `DELETE FROM pipeline_probe`);
    let pid = 0;
    await expect(
      fork().transactional(async (tx) => {
        await prepared(tx, `INSERT INTO pipeline_probe (id) VALUES (30)`);
        pid = (await prepared<{ pid: number }>(tx, `SELECT pg_backend_pid() AS pid`))[0]!.pid;
        // Refused by the table's CHECK constraint, at COMMIT.
        recordChange(tx, { resource: 'pipeline_probe', ids: ['30'], type: 'exploded' as never });
      }),
    ).rejects.toThrow(/check constraint/);
    expect(await probeIds()).toEqual([]);
    // 'idle', never 'idle in transaction': the wrapper rolled back before reporting the error.
    await expect.poll(() => stateOf(pid), { timeout: 2_000 }).toBe('idle');
    // The pool's connections still work.
    await Promise.all(Array.from({ length: 12 }, (_, i) => prepared(fork(), `SELECT ?::int AS i`, [i])));
  });

  it('never report a commit for a transaction that had failed inside a savepoint', async () => {
    await prepared(fork(), `DELETE FROM pipeline_probe`);
    await expect(
      fork().transactional(async (tx) => {
        await prepared(tx, `INSERT INTO pipeline_probe (id) VALUES (50)`);
        await tx
          .transactional(async (inner) => {
            // Fails when it travels with the savepoint's RELEASE, which the server then skips.
            await queued(inner, `SELECT 1 / 0`);
          })
          .catch(() => undefined);
      }),
    ).rejects.toThrow(/COMMIT refused|division by zero/);
    expect(await probeIds()).toEqual([]);
  });

  it("give the caller a queued statement's own error, not the aborted transaction's", async () => {
    await expect(
      fork().transactional(async (tx) => {
        await queued(tx, `SELECT 1 / 0`);
        await tx.execute(`SELECT 1`);
      }),
    ).rejects.toThrow(/division by zero/);
  });

  it('refuse to queue on a transaction that has ended', async () => {
    let ended: EntityManager | undefined;
    await fork().transactional(async (tx) => {
      await prepared(tx, `SELECT 1`);
      ended = tx;
    });
    await expect(queued(ended!, `SELECT 1`)).rejects.toThrow(/already ended/);
  });

  it('fail a statement whose values cannot be sent, and leave the connection usable', async () => {
    await withConnection(async (client) => {
      await expect(pipeline(client, [{ text: 'SELECT $1::text', values: [{ big: 1n }] }])).rejects.toThrow();
      const [after] = await pipeline(client, [{ text: 'SELECT 1 AS one' }]);
      expect(after!.rows).toEqual([{ one: 1 }]);
    });
  });
});
