import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AUDIENCE, type AccessClaims } from '../src/platform/auth.ts';
import { recordChange } from '../src/platform/outbox.ts';
import {
  connected,
  liveClient,
  login,
  nextEvent,
  startLiveServer,
  subscribe,
  type LiveClient,
} from './live-harness.ts';
import { TEST_OWNER } from './app.ts';

// The periodic session check far away: what ends a socket here is its token's expiry itself.
const server = await startLiveServer({ LIVE_SESSION_RECHECK_SECONDS: '3600' });
afterAll(() => server.close());
const { app } = server;

const open: LiveClient[] = [];
afterEach(() => {
  for (const socket of open.splice(0)) socket.disconnect();
});

const owner = await login(app, TEST_OWNER);
const claims = app.jwt.decode<AccessClaims>(owner.accessToken)!;
/** The owner's token for their live session, expiring in `seconds`. */
const tokenFor = (seconds: number) =>
  app.jwt.sign(
    { sub: claims.sub, kind: 'staff', role: claims.role, sid: claims.sid },
    { aud: AUDIENCE.staff, expiresIn: seconds },
  );

describe('live sync: token expiry', () => {
  it('ends the session when its token expires, without waiting for the periodic check', async () => {
    const socket = liveClient(server.url, tokenFor(2));
    open.push(socket);
    await connected(socket);
    expect(await subscribe(socket, 'orders')).toEqual({ ok: true });
    const ended = nextEvent(socket, 'session_ended', () => true, 8_000);
    expect(await ended).toEqual({ code: 'MCART_ERR_TOKEN_EXPIRED' });
    // Nothing reaches it afterwards.
    const received: unknown[] = [];
    socket.on('change', (change) => received.push(change));
    await (app.orm.em.fork() as EntityManager).transactional(async (em) =>
      recordChange(em, { resource: 'orders', ids: ['o-expired'], type: 'updated' }),
    );
    await app.outbox.drain();
    expect(received).toEqual([]);
    expect(socket.connected).toBe(false);
  });

  it('keeps a socket whose token was refreshed in time', async () => {
    const socket = liveClient(server.url, tokenFor(2));
    open.push(socket);
    await connected(socket);
    expect(await socket.timeout(15_000).emitWithAck('auth', { token: tokenFor(600) })).toEqual({ ok: true });
    expect(await subscribe(socket, 'orders')).toEqual({ ok: true });
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(socket.connected).toBe(true);
    const change = nextEvent(socket, 'change', (event) => event.ids.includes('o-refreshed'));
    await (app.orm.em.fork() as EntityManager).transactional(async (em) =>
      recordChange(em, { resource: 'orders', ids: ['o-refreshed'], type: 'updated' }),
    );
    expect(await change).toMatchObject({ resource: 'orders', ids: ['o-refreshed'] });
  });
});
