import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { MAX_ROOMS_PER_SOCKET } from '../src/platform/realtime.ts';
import {
  connected,
  createStaff,
  liveClient,
  login,
  startLiveServer,
  subscribe,
  type LiveClient,
} from './live-harness.ts';

const server = await startLiveServer();
afterAll(() => server.close());
const { app } = server;

const open: LiveClient[] = [];
afterEach(() => {
  for (const socket of open.splice(0)) socket.disconnect();
});

describe('live sync: limits', () => {
  it('bounds the rooms one socket may hold: a signed-in client cannot make the server keep rooms without end', async () => {
    const support = await login(app, await createStaff(app, 'support'));
    const socket = liveClient(server.url, support.accessToken);
    open.push(socket);
    await connected(socket);
    const roomsBefore = app.realtime.io.of('/').adapter.rooms.size;

    // Its own id's room counts: MAX - 1 subscriptions fill it.
    for (let i = 1; i < MAX_ROOMS_PER_SOCKET; i++)
      expect(await subscribe(socket, 'products', `p-${i}`)).toEqual({ ok: true });
    // Past the bound, refused without joining (a few more, as a client looping over ids would send).
    for (let i = 0; i < 20; i++)
      expect(await subscribe(socket, 'products', `more-${i}`)).toEqual({
        ok: false,
        code: 'MCART_ERR_TOO_MANY_SUBSCRIPTIONS',
      });
    expect(app.realtime.io.of('/').adapter.rooms.size).toBe(roomsBefore + MAX_ROOMS_PER_SOCKET - 1);
    // A room it is in already is no new room: still acknowledged.
    expect(await subscribe(socket, 'products', 'p-1')).toEqual({ ok: true });

    // Leaving one makes room for another.
    expect(
      await socket.timeout(15_000).emitWithAck('unsubscribe', { resource: 'products', id: 'p-1' }),
    ).toEqual({
      ok: true,
    });
    expect(await subscribe(socket, 'orders')).toEqual({ ok: true });
    expect(await subscribe(socket, 'inventory')).toEqual({
      ok: false,
      code: 'MCART_ERR_TOO_MANY_SUBSCRIPTIONS',
    });
  });
});
