import { afterAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ChangeEvent } from '@mcart/api-client/events';
import { recordChange, type Change } from '../src/platform/outbox.ts';
import {
  connected,
  liveClient,
  login,
  nextEvent,
  startInstanceOn,
  startLiveServer,
  subscribe,
} from './live-harness.ts';
import { TEST_OWNER } from './app.ts';

// Two server instances on one database, as behind a load balancer. Instance B replays at most 5
// missed events, to show the resync path too.
const first = await startLiveServer();
const second = await startInstanceOn(first.testApp, { LIVE_REPLAY_LIMIT: '5' });
afterAll(async () => {
  await second.close();
  await first.close();
});

/** Committed through instance A, as a write handled by A would be. */
async function commitOnA(change: Change) {
  await (first.app.orm.em.fork() as EntityManager).transactional(async (em) => recordChange(em, change));
}

const owner = await login(first.app, TEST_OWNER);

describe('live sync across instances', () => {
  it('delivers a change committed through instance A to a client connected to instance B', async () => {
    const onB = liveClient(second.url, owner.accessToken);
    const onA = liveClient(first.url, owner.accessToken);
    try {
      await Promise.all([connected(onA), connected(onB)]);
      await subscribe(onA, 'orders');
      await subscribe(onB, 'orders');
      const received = Promise.all([
        nextEvent(onA, 'change', (e) => e.ids[0] === 'cross-1'),
        nextEvent(onB, 'change', (e) => e.ids[0] === 'cross-1'),
      ]);
      await commitOnA({ resource: 'orders', ids: ['cross-1'], type: 'created' });
      const [fromA, fromB] = await received;
      // Each instance emits what it read from the outbox itself: the same event, the same position.
      expect(fromB).toEqual(fromA);
      expect(fromB).toMatchObject({ resource: 'orders', ids: ['cross-1'], type: 'created' });
    } finally {
      onA.disconnect();
      onB.disconnect();
    }
  });

  it('replays what a disconnected client missed when it resumes, and only its rooms', async () => {
    const socket = liveClient(second.url, owner.accessToken);
    await connected(socket);
    await subscribe(socket, 'products');
    const before = nextEvent(socket, 'change', (e) => e.ids[0] === 'seen');
    await commitOnA({ resource: 'products', ids: ['seen'], type: 'updated' });
    const lastSeen = (await before).position;
    socket.disconnect();

    await commitOnA({ resource: 'products', ids: ['missed-1'], type: 'updated' });
    await commitOnA({ resource: 'customers', ids: ['not-subscribed'], type: 'updated' });
    await commitOnA({ resource: 'products', ids: ['missed-2'], type: 'deleted' });
    await first.app.outbox.drain();

    const again = liveClient(second.url, owner.accessToken);
    try {
      const replayed: ChangeEvent[] = [];
      again.on('change', (e) => replayed.push(e));
      await connected(again);
      await subscribe(again, 'products');
      const ack = await again.timeout(15_000).emitWithAck('resume', { position: lastSeen });
      expect(ack).toMatchObject({ ok: true, replayed: 2 });
      expect(replayed.map((e) => [e.ids[0], e.type])).toEqual([
        ['missed-1', 'updated'],
        ['missed-2', 'deleted'],
      ]);
    } finally {
      again.disconnect();
    }
  });

  it('asks for a full resync when too many events were missed', async () => {
    const fresh = liveClient(second.url, owner.accessToken);
    const welcome = nextEvent(fresh, 'welcome');
    await connected(fresh);
    const from = (await welcome).position;
    fresh.disconnect();
    for (let i = 0; i < 6; i++)
      await commitOnA({ resource: 'inventory', ids: [`bulk-${i}`], type: 'updated' });
    await first.app.outbox.drain();

    const again = liveClient(second.url, owner.accessToken);
    try {
      await connected(again);
      await subscribe(again, 'inventory');
      const resync = nextEvent(again, 'resync');
      const ack = await again.timeout(15_000).emitWithAck('resume', { position: from });
      expect(ack).toMatchObject({ ok: true, replayed: 0 });
      expect(await resync).toMatchObject({ reason: 'too_many_missed' });
    } finally {
      again.disconnect();
    }
  });

  it('asks for a resync when what it missed was pruned, or its position is from another database', async () => {
    const socket = liveClient(second.url, owner.accessToken);
    await connected(socket);
    await subscribe(socket, 'products');
    const before = nextEvent(socket, 'change', (e) => e.ids[0] === 'seen-then-pruned');
    await commitOnA({ resource: 'products', ids: ['seen-then-pruned'], type: 'updated' });
    const lastSeen = (await before).position;
    socket.disconnect();
    await commitOnA({ resource: 'products', ids: ['missed-then-pruned'], type: 'updated' });
    await commitOnA({ resource: 'products', ids: ['newest'], type: 'updated' });
    await first.app.outbox.drain();
    await first.app.readPool.query(`UPDATE outbox_event SET created_at = now() - interval '10 days'`);
    expect(await first.app.outbox.prune(24)).toBeGreaterThan(0);

    const again = liveClient(second.url, owner.accessToken);
    try {
      const replayed: ChangeEvent[] = [];
      again.on('change', (e) => replayed.push(e));
      await connected(again);
      await subscribe(again, 'products');
      // A replay would skip 'missed-then-pruned' without a word: resync instead.
      const resync = nextEvent(again, 'resync');
      const ack = await again.timeout(15_000).emitWithAck('resume', { position: lastSeen });
      expect(ack).toMatchObject({ ok: true, replayed: 0 });
      expect(await resync).toMatchObject({ reason: 'history_unavailable' });
      // A position past the newest event (another database, e.g. before a restore) resyncs too.
      const ahead = nextEvent(again, 'resync');
      expect(await again.timeout(15_000).emitWithAck('resume', { position: '999999999999:1' })).toMatchObject(
        { ok: true, replayed: 0 },
      );
      expect(await ahead).toMatchObject({ reason: 'history_unavailable' });
      expect(replayed).toEqual([]);
    } finally {
      again.disconnect();
    }
  });

  it('refuses a malformed resume position', async () => {
    const socket = liveClient(second.url, owner.accessToken);
    try {
      await connected(socket);
      expect(await socket.timeout(15_000).emitWithAck('resume', { position: 'yesterday' })).toEqual({
        ok: false,
        code: 'MCART_ERR_VALIDATION',
      });
    } finally {
      socket.disconnect();
    }
  });
});
