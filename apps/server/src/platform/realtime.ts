import fp from 'fastify-plugin';
import { Server, type Socket } from 'socket.io';
import {
  isLiveResource,
  isPosition,
  type ChangeEvent,
  type ClientToServerEvents,
  type LiveResource,
  type ServerToClientEvents,
} from '@mcart/api-client/events';
import { can, type Permission, type Role } from '../modules/identity/permissions.ts';
import { AUDIENCE, type AccessClaims } from './auth.ts';
import type { CommittedEvent } from './outbox.ts';

/**
 * Live sync: socket.io on the app's own HTTP(S) server. Staff sockets join rooms per resource and per
 * record (only with the permission to read it), and every instance fans out the outbox's committed
 * events to its own sockets. No socket.io adapter: each instance already reads every committed event
 * from the outbox, in commit order, with replay for reconnecting clients (docs/adr: live sync).
 */

/** The permission a socket needs to join a resource's rooms (modules/identity/permissions.ts). */
export const LIVE_PERMISSIONS: Record<LiveResource, Permission> = {
  products: 'catalog:read',
  variants: 'catalog:read',
  categories: 'catalog:read',
  prices: 'catalog:read',
  sales: 'catalog:read',
  inventory: 'inventory:read',
  orders: 'orders:read',
  shipments: 'shipping:read',
  customers: 'customers:read',
  staff: 'staff:read',
  backups: 'backups:manage',
  'shipping-methods': 'shipping:read',
  'return-requests': 'orders:read',
  // Restock requests: per variant how many shoppers wait (ids are variant ids; no address ever).
  'stock-alerts': 'inventory:read',
};

/**
 * Outbox resource names that are shown under another live resource. Stock levels, movements and
 * reservations all change what the inventory screens show; a price or sale change also changes the
 * product that displays it, which the catalog records itself when it does.
 */
export const OUTBOX_ALIASES: Record<string, LiveResource> = {
  stock_levels: 'inventory',
  'stock-levels': 'inventory',
  stock: 'inventory',
  stock_movements: 'inventory',
  'stock-locations': 'inventory',
  'inventory-levels': 'inventory',
  inventory_levels: 'inventory',
  product_variants: 'variants',
  discounts: 'sales',
};

export function liveResourceOf(outboxResource: string): LiveResource | null {
  if (isLiveResource(outboxResource)) return outboxResource;
  return OUTBOX_ALIASES[outboxResource] ?? null;
}

export const resourceRoom = (resource: LiveResource) => `resource:${resource}`;
export const recordRoom = (resource: LiveResource, id: string) => `record:${resource}:${id}`;

export interface RealtimeOptions {
  /** Origins allowed to use the long-polling transport from a browser (WebSocket needs no CORS). */
  corsOrigins: string[];
  /** How often every socket's session is checked again (revoked, disabled, expired). */
  recheckSeconds: number;
  /** A reconnecting client that missed more events than this gets `resync` instead of a replay. */
  replayLimit: number;
}

interface SocketData {
  staffId: string;
  role: Role;
  sid: string;
  /** Token expiry, seconds since the epoch. */
  exp: number;
}

type LiveServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface Realtime {
  io: LiveServer;
  /** Checks every connected session now (also runs every `recheckSeconds`). */
  recheckSessions(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    realtime: Realtime;
  }
}

const MAX_ID_LENGTH = 100;
/**
 * Rooms one socket may be in (its own id's room included). The desktop joins one room per resource (15); record
 * rooms are for single screens. Without a bound, one signed-in client could make the server hold millions of
 * rooms (a subscription is a few bytes on the wire) until it ran out of memory.
 */
export const MAX_ROOMS_PER_SOCKET = 200;

const toChange = (event: CommittedEvent, resource: LiveResource): ChangeEvent => ({
  resource,
  ids: event.ids,
  type: event.type,
  at: event.at.toISOString(),
  position: event.position,
  ...(event.payload ? { payload: event.payload } : {}),
});

export const realtimePlugin = fp<RealtimeOptions>(
  async (app, options) => {
    const io: LiveServer = new Server(app.server, {
      path: '/socket.io',
      serveClient: false,
      cors: { origin: options.corsOrigins.length ? options.corsOrigins : false, credentials: false },
      // Nothing a client sends is larger than a token or a subscription.
      maxHttpBufferSize: 16 * 1024,
      pingInterval: 20_000,
      pingTimeout: 20_000,
    });

    /** Verifies a staff access token as the HTTP guard does: signature, audience, live session. */
    async function verifyStaff(token: unknown): Promise<SocketData | null> {
      if (typeof token !== 'string' || token.length > 4096) return null;
      let claims: AccessClaims & { exp?: number };
      try {
        claims = app.jwt.verify<AccessClaims & { exp?: number }>(token, { allowedAud: AUDIENCE.staff });
      } catch {
        return null;
      }
      if (claims.kind !== 'staff' || !claims.role || !claims.sid) return null;
      if (!(await app.sessionGuard.isActive(claims))) return null;
      return { staffId: claims.sub, role: claims.role, sid: claims.sid, exp: claims.exp ?? 0 };
    }

    io.use((socket, next) => {
      const auth = socket.handshake.auth as { token?: unknown } | undefined;
      verifyStaff(auth?.token).then(
        (data) => {
          if (!data) {
            const error = new Error('A valid staff access token is required') as Error & { data?: unknown };
            error.data = { code: 'MCART_ERR_UNAUTHORIZED' };
            next(error);
            return;
          }
          socket.data = data;
          next();
        },
        (err: unknown) => {
          app.log.warn({ err }, 'socket authentication failed');
          next(Object.assign(new Error('Service unavailable'), { data: { code: 'MCART_ERR_UNAVAILABLE' } }));
        },
      );
    });

    const endSession = (socket: LiveSocket, code: string) => {
      socket.emit('session_ended', { code });
      socket.disconnect(true);
    };

    /** After a role change (new token), leave the rooms the new role may no longer read. */
    const leaveForbiddenRooms = (socket: LiveSocket) => {
      for (const room of socket.rooms) {
        const resource = /^(?:resource|record):([^:]+)/.exec(room)?.[1];
        if (resource && isLiveResource(resource) && !can(socket.data.role, LIVE_PERMISSIONS[resource])) {
          void socket.leave(room);
        }
      }
    };

    const subscribedTo = (socket: LiveSocket, change: ChangeEvent): boolean => {
      const resource = change.resource as LiveResource;
      if (socket.rooms.has(resourceRoom(resource))) return true;
      return change.ids.some((id) => socket.rooms.has(recordRoom(resource, id)));
    };

    /**
     * Ends the socket's session when its token expires, not at the next periodic check (up to
     * `recheckSeconds` later): until then it would still receive every change of its rooms. A refreshed token
     * (`auth`) moves the deadline.
     */
    const expiryTimers = new Map<string, NodeJS.Timeout>();
    const watchExpiry = (socket: LiveSocket) => {
      clearTimeout(expiryTimers.get(socket.id));
      expiryTimers.delete(socket.id);
      if (!socket.data.exp) return;
      // setTimeout holds at most 2^31 - 1 ms; the periodic check covers anything later.
      const delay = Math.min(Math.max(0, socket.data.exp * 1000 - Date.now()), 2 ** 31 - 1);
      const timer = setTimeout(() => {
        expiryTimers.delete(socket.id);
        if (socket.connected && socket.data.exp * 1000 <= Date.now())
          endSession(socket, 'MCART_ERR_TOKEN_EXPIRED');
      }, delay);
      timer.unref();
      expiryTimers.set(socket.id, timer);
    };

    io.on('connection', (socket) => {
      watchExpiry(socket);
      socket.on('disconnect', () => {
        clearTimeout(expiryTimers.get(socket.id));
        expiryTimers.delete(socket.id);
      });
      void app.outbox.currentPosition().then(
        (position) => socket.emit('welcome', { position }),
        (err: unknown) => app.log.warn({ err }, 'could not read the outbox position'),
      );

      socket.on('subscribe', (request, ack) => {
        if (typeof ack !== 'function') return;
        const resource = request?.resource;
        const id = request?.id;
        if (
          !isLiveResource(resource) ||
          (id !== undefined && (typeof id !== 'string' || id === '' || id.length > MAX_ID_LENGTH))
        ) {
          ack({ ok: false, code: 'MCART_ERR_VALIDATION' });
          return;
        }
        if (!can(socket.data.role, LIVE_PERMISSIONS[resource])) {
          ack({ ok: false, code: 'MCART_ERR_FORBIDDEN' });
          return;
        }
        const room = id === undefined ? resourceRoom(resource) : recordRoom(resource, id);
        if (!socket.rooms.has(room) && socket.rooms.size >= MAX_ROOMS_PER_SOCKET) {
          ack({ ok: false, code: 'MCART_ERR_TOO_MANY_SUBSCRIPTIONS' });
          return;
        }
        void socket.join(room);
        ack({ ok: true });
      });

      socket.on('unsubscribe', (request, ack) => {
        const resource = request?.resource;
        const id = request?.id;
        if (!isLiveResource(resource) || (id !== undefined && typeof id !== 'string')) {
          if (typeof ack === 'function') ack({ ok: false, code: 'MCART_ERR_VALIDATION' });
          return;
        }
        void socket.leave(id === undefined ? resourceRoom(resource) : recordRoom(resource, id));
        if (typeof ack === 'function') ack({ ok: true });
      });

      socket.on('resume', (request, ack) => {
        if (typeof ack !== 'function') return;
        const from = request?.position;
        if (!isPosition(from)) {
          ack({ ok: false, code: 'MCART_ERR_VALIDATION' });
          return;
        }
        void (async () => {
          // Events before the replay horizon were pruned (or belong to the history of a restored database),
          // and a position past the newest event comes from another database: either way a replay would
          // silently skip changes.
          if (!(await app.outbox.canReplayFrom(from))) {
            const position = await app.outbox.currentPosition();
            socket.emit('resync', { reason: 'history_unavailable', position });
            ack({ ok: true, replayed: 0, position });
            return;
          }
          // One more than the limit tells "too many" apart from "exactly the limit".
          const missed = await app.outbox.eventsAfter(from, options.replayLimit + 1);
          if (missed.length > options.replayLimit) {
            const position = await app.outbox.currentPosition();
            socket.emit('resync', { reason: 'too_many_missed', position });
            ack({ ok: true, replayed: 0, position });
            return;
          }
          let replayed = 0;
          for (const event of missed) {
            const resource = liveResourceOf(event.resource);
            if (!resource) continue;
            const change = toChange(event, resource);
            if (!subscribedTo(socket, change)) continue;
            socket.emit('change', change);
            replayed++;
          }
          ack({ ok: true, replayed, position: missed.at(-1)?.position ?? from });
        })().catch((err: unknown) => {
          app.log.warn({ err }, 'live replay failed');
          ack({ ok: false, code: 'MCART_ERR_UNAVAILABLE' });
        });
      });

      socket.on('auth', (request, ack) => {
        if (typeof ack !== 'function') return;
        void verifyStaff(request?.token).then(
          (data) => {
            // A token of another staff member would switch identities mid-connection: refuse and close.
            if (!data || data.staffId !== socket.data.staffId) {
              ack({ ok: false, code: 'MCART_ERR_UNAUTHORIZED' });
              endSession(socket, 'MCART_ERR_UNAUTHORIZED');
              return;
            }
            socket.data = data;
            leaveForbiddenRooms(socket);
            watchExpiry(socket);
            ack({ ok: true });
          },
          () => ack({ ok: false, code: 'MCART_ERR_UNAVAILABLE' }),
        );
      });
    });

    // Fan-out: every instance gets every committed event from the outbox and emits to its own sockets.
    app.outbox.onCommitted((events) => {
      const staffChanged = new Set<string>();
      for (const event of events) {
        const resource = liveResourceOf(event.resource);
        if (!resource) continue;
        if (resource === 'staff') for (const id of event.ids) staffChanged.add(id);
        const rooms = [resourceRoom(resource), ...event.ids.map((id) => recordRoom(resource, id))];
        io.local.to(rooms).emit('change', toChange(event, resource));
      }
      // A disabled account or a changed role must not wait for the periodic check.
      if (staffChanged.size) void recheckSessions((socket) => staffChanged.has(socket.data.staffId));
    });

    let checking: Promise<void> | null = null;
    async function recheckSessions(filter: (socket: LiveSocket) => boolean = () => true): Promise<void> {
      // One database check per session, however many sockets (windows) it has open.
      const bySession = new Map<string, LiveSocket[]>();
      const now = Date.now() / 1000;
      for (const socket of io.of('/').sockets.values()) {
        if (!filter(socket)) continue;
        if (socket.data.exp && socket.data.exp < now) {
          endSession(socket, 'MCART_ERR_TOKEN_EXPIRED');
          continue;
        }
        const list = bySession.get(socket.data.sid) ?? [];
        list.push(socket);
        bySession.set(socket.data.sid, list);
      }
      for (const sockets of bySession.values()) {
        const { staffId, role, sid } = sockets[0]!.data;
        let active: boolean;
        try {
          active = await app.sessionGuard.isActive({ sub: staffId, kind: 'staff', role, sid });
        } catch (err) {
          app.log.warn({ err }, 'live session check failed; will retry');
          continue;
        }
        if (!active) for (const socket of sockets) endSession(socket, 'MCART_ERR_SESSION_ENDED');
      }
    }

    const periodicCheck = () => {
      checking ??= recheckSessions().finally(() => {
        checking = null;
      });
    };
    const timer = setInterval(periodicCheck, options.recheckSeconds * 1000);
    timer.unref();

    app.decorate('realtime', { io, recheckSessions: () => recheckSessions() } satisfies Realtime);

    // Before the HTTP server closes: upgraded WebSocket connections would otherwise keep it open.
    app.addHook('preClose', async () => {
      clearInterval(timer);
      for (const expiry of expiryTimers.values()) clearTimeout(expiry);
      expiryTimers.clear();
      io.local.disconnectSockets(true);
      io.engine.close();
      await checking;
    });
  },
  { name: 'mcart-realtime', dependencies: ['mcart-outbox', 'mcart-auth'] },
);
