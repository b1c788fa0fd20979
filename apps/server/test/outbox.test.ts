import { describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordChange, type CommittedEvent } from '../src/platform/outbox.ts';
import { useTestApp } from './app.ts';

const { app } = await useTestApp();

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
    for (const id of ['x', 'flaky', 'y']) {
      await em.transactional(async (tx) =>
        recordChange(tx, { resource: 'orders', ids: [id], type: 'created' }),
      );
    }
    await app.outbox.drain(); // the flaky event fails, rolling back the whole batch
    await app.outbox.drain(); // retried
    await app.outbox.drain(); // nothing left
    // The failed batch rolled back, so 'x' ran twice (its database writes only once): at-least-once handlers.
    expect(handled).toEqual(['x', 'x', 'flaky', 'y']);
  });
});
