import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordChange, type Change } from '../src/platform/outbox.ts';
import {
  connected,
  createStaff,
  liveClient,
  login,
  nextEvent,
  startLiveServer,
  subscribe,
  type LiveClient,
} from './live-harness.ts';
import { TEST_OWNER } from './app.ts';

const server = await startLiveServer();
afterAll(() => server.close());
const { app } = server;

const open: LiveClient[] = [];
afterEach(() => {
  for (const socket of open.splice(0)) socket.disconnect();
});
const client = (token: string | undefined) => {
  const socket = liveClient(server.url, token);
  open.push(socket);
  return socket;
};

/** Commits a change the way every module does: the outbox row in the same transaction. */
async function commit(change: Change) {
  await (app.orm.em.fork() as EntityManager).transactional(async (em) => recordChange(em, change));
}

const owner = await login(app, TEST_OWNER);

describe('live sync: connecting', () => {
  it('refuses a socket without a token, with a forged token and with a customer token', async () => {
    await expect(connected(client(undefined))).rejects.toMatchObject({
      data: { code: 'MCART_ERR_UNAUTHORIZED' },
    });
    await expect(connected(client(`${owner.accessToken}x`))).rejects.toMatchObject({
      data: { code: 'MCART_ERR_UNAUTHORIZED' },
    });
    const customerToken = app.signAccessToken({ sub: owner.staff.id, kind: 'customer', sid: 'whatever' });
    await expect(connected(client(customerToken))).rejects.toMatchObject({
      data: { code: 'MCART_ERR_UNAUTHORIZED' },
    });
  });

  it('accepts a staff access token and tells the client where the outbox stands', async () => {
    const socket = client(owner.accessToken);
    const welcome = nextEvent(socket, 'welcome');
    await connected(socket);
    expect((await welcome).position).toMatch(/^\d+:\d+$/);
  });
});

describe('live sync: rooms and permissions', () => {
  it('acknowledges subscriptions the role may read and refuses the others', async () => {
    const warehouse = await login(app, await createStaff(app, 'warehouse'));
    const socket = client(warehouse.accessToken);
    await connected(socket);
    expect(await subscribe(socket, 'inventory')).toEqual({ ok: true });
    expect(await subscribe(socket, 'orders')).toEqual({ ok: true });
    expect(await subscribe(socket, 'products', 'p-1')).toEqual({ ok: true });
    expect(await subscribe(socket, 'customers')).toEqual({ ok: false, code: 'MCART_ERR_FORBIDDEN' });
    expect(await subscribe(socket, 'staff')).toEqual({ ok: false, code: 'MCART_ERR_FORBIDDEN' });
    expect(await subscribe(socket, 'backups')).toEqual({ ok: false, code: 'MCART_ERR_FORBIDDEN' });
    expect(await subscribe(socket, 'no-such-thing')).toEqual({ ok: false, code: 'MCART_ERR_VALIDATION' });

    const support = await login(app, await createStaff(app, 'support'));
    const supportSocket = client(support.accessToken);
    await connected(supportSocket);
    expect(await subscribe(supportSocket, 'customers')).toEqual({ ok: true });
    expect(await subscribe(supportSocket, 'staff')).toEqual({ ok: false, code: 'MCART_ERR_FORBIDDEN' });
  });

  it('emits a committed change to the resource room and to the record room, and nothing to others', async () => {
    const listSocket = client(owner.accessToken);
    const recordSocket = client(owner.accessToken);
    const otherSocket = client(owner.accessToken);
    await Promise.all([connected(listSocket), connected(recordSocket), connected(otherSocket)]);
    await subscribe(listSocket, 'products');
    await subscribe(recordSocket, 'products', 'p-2');
    await subscribe(otherSocket, 'orders');
    const unexpected: unknown[] = [];
    otherSocket.on('change', (event) => unexpected.push(event));

    const onList = nextEvent(listSocket, 'change', (e) => e.ids.includes('p-2'));
    const onRecord = nextEvent(recordSocket, 'change', (e) => e.ids.includes('p-2'));
    await commit({ resource: 'products', ids: ['p-2'], type: 'updated' });

    const event = await onList;
    expect(event).toMatchObject({ resource: 'products', ids: ['p-2'], type: 'updated' });
    expect(new Date(event.at).getTime()).not.toBeNaN();
    expect(event.position).toMatch(/^\d+:\d+$/);
    expect(await onRecord).toEqual(event);

    // A change of another record reaches the list but not the record subscriber.
    const recordChanges: unknown[] = [];
    recordSocket.on('change', (e) => recordChanges.push(e));
    const onOther = nextEvent(listSocket, 'change', (e) => e.ids.includes('p-3'));
    await commit({ resource: 'products', ids: ['p-3'], type: 'created' });
    await onOther;
    // The orders subscriber's own event proves earlier ones were delivered (in order) or never.
    const ordersEvent = nextEvent(otherSocket, 'change');
    await commit({ resource: 'orders', ids: ['o-1'], type: 'created', payload: { number: 'MC-1001' } });
    expect(await ordersEvent).toMatchObject({
      resource: 'orders',
      ids: ['o-1'],
      payload: { number: 'MC-1001' },
    });
    expect(unexpected).toEqual([await ordersEvent]);
    expect(recordChanges).toEqual([]);
  });

  it('delivers a product change committed through the admin API', async () => {
    const socket = client(owner.accessToken);
    await connected(socket);
    await subscribe(socket, 'products');
    const auth = { authorization: `Bearer ${owner.accessToken}` };
    const created = await app.inject({
      method: 'POST',
      url: '/api/admin/products',
      headers: auth,
      payload: {
        title: 'Live tea',
        status: 'active',
        variants: [{ sku: 'LIVE-TEA', price: { amount: 900, currency: 'USD' } }],
      },
    });
    expect(created.statusCode).toBe(201);
    const product = created.json<{ id: string; version: number }>();
    const change = nextEvent(socket, 'change', (e) => e.ids.includes(product.id) && e.type === 'updated');
    const updated = await app.inject({
      method: 'PATCH',
      url: `/api/admin/products/${product.id}`,
      headers: auth,
      payload: { version: product.version, title: 'Live green tea' },
    });
    expect(updated.statusCode).toBe(200);
    expect(await change).toMatchObject({ resource: 'products', ids: [product.id], type: 'updated' });
  });

  it('maps stock-level events to the inventory rooms', async () => {
    const socket = client(owner.accessToken);
    await connected(socket);
    await subscribe(socket, 'inventory');
    const change = nextEvent(socket, 'change');
    await commit({ resource: 'stock_levels', ids: ['v-1'], type: 'updated' });
    expect(await change).toMatchObject({ resource: 'inventory', ids: ['v-1'] });
  });

  it('stops sending after unsubscribe', async () => {
    const socket = client(owner.accessToken);
    await connected(socket);
    await subscribe(socket, 'orders');
    await subscribe(socket, 'inventory');
    expect(await socket.timeout(15_000).emitWithAck('unsubscribe', { resource: 'orders' })).toEqual({
      ok: true,
    });
    const seen: string[] = [];
    socket.on('change', (e) => seen.push(e.resource));
    const marker = nextEvent(socket, 'change', (e) => e.resource === 'inventory');
    await commit({ resource: 'orders', ids: ['o-2'], type: 'updated' });
    await commit({ resource: 'inventory', ids: ['v-2'], type: 'updated' });
    await marker;
    expect(seen).toEqual(['inventory']);
  });
});

describe('live sync: sessions', () => {
  it('disconnects the sockets of a session that signed out', async () => {
    const manager = await login(app, await createStaff(app, 'manager'));
    const socket = client(manager.accessToken);
    await connected(socket);
    const ended = nextEvent(socket, 'session_ended');
    const disconnected = new Promise((resolve) => socket.once('disconnect', resolve));
    const response = await app.inject({
      method: 'POST',
      url: '/api/admin/auth/logout',
      payload: { refreshToken: manager.refreshToken },
    });
    expect(response.statusCode).toBe(204);
    await app.realtime.recheckSessions();
    expect(await ended).toEqual({ code: 'MCART_ERR_SESSION_ENDED' });
    await disconnected;
  });

  it('disconnects a disabled staff member at once when the staff change is committed', async () => {
    const credentials = await createStaff(app, 'support');
    const support = await login(app, credentials);
    const socket = client(support.accessToken);
    await connected(socket);
    const ended = nextEvent(socket, 'session_ended');
    await (app.orm.em.fork() as EntityManager).transactional(async (em) => {
      await em
        .getConnection()
        .execute(`UPDATE staff SET disabled_at = now() WHERE id = ?`, [support.staff.id]);
      recordChange(em, { resource: 'staff', ids: [support.staff.id], type: 'updated' });
    });
    expect(await ended).toEqual({ code: 'MCART_ERR_SESSION_ENDED' });
  });

  it('takes a refreshed token for the same staff member and refuses another one', async () => {
    const socket = client(owner.accessToken);
    await connected(socket);
    const refreshed = await app.inject({
      method: 'POST',
      url: '/api/admin/auth/refresh',
      payload: { refreshToken: owner.refreshToken },
    });
    const { accessToken } = refreshed.json<{ accessToken: string }>();
    expect(await socket.timeout(15_000).emitWithAck('auth', { token: accessToken })).toEqual({ ok: true });
    expect(await subscribe(socket, 'orders')).toEqual({ ok: true });

    const other = await login(app, await createStaff(app, 'manager'));
    const ended = nextEvent(socket, 'session_ended');
    expect(await socket.timeout(15_000).emitWithAck('auth', { token: other.accessToken })).toEqual({
      ok: false,
      code: 'MCART_ERR_UNAUTHORIZED',
    });
    await ended;
  });
});
