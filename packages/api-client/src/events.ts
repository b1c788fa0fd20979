/**
 * Live-sync events shared by the server (socket.io) and the desktop app.
 *
 * Connect to `/socket.io` with `auth: { token: <staff access token> }`. The client emits `subscribe`
 * with a resource (and optionally a record id) and gets an acknowledgement; the server emits `change`
 * after a commit, from the transactional outbox. Every change carries its outbox `position`: after a
 * reconnect, re-subscribe and emit `resume` with the last position seen to get what was missed (or a
 * `resync` when too much was missed to replay).
 */
export const LIVE_RESOURCES = [
  'products',
  'variants',
  'categories',
  'prices',
  'sales',
  'inventory',
  'orders',
  'shipments',
  'customers',
  'staff',
  'backups',
  'shipping-methods',
  'return-requests',
  'stock-alerts',
] as const;
export type LiveResource = (typeof LIVE_RESOURCES)[number];

export const isLiveResource = (value: unknown): value is LiveResource =>
  typeof value === 'string' && (LIVE_RESOURCES as readonly string[]).includes(value);

/** The staff permission a socket needs to join a resource's rooms (same names as the server's permissions). */
export const LIVE_RESOURCE_PERMISSION: Record<LiveResource, string> = {
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
  'stock-alerts': 'inventory:read',
};

export type ChangeKind = 'created' | 'updated' | 'deleted';

export interface ChangeEvent {
  resource: LiveResource | (string & {});
  ids: string[];
  type: ChangeKind;
  /** ISO 8601 commit time */
  at: string;
  /** Ordered outbox position (`"<tx>:<id>"`): send the newest one seen in `resume` to catch up. */
  position: string;
  /** Extra, non-personal facts the module recorded (e.g. `{ number }` of an order). */
  payload?: Record<string, unknown>;
}

export interface SubscribeRequest {
  resource: LiveResource | (string & {});
  id?: string;
}

export type SubscribeAck = { ok: true } | { ok: false; code: string };

export interface ResumeRequest {
  /** The newest position the client has seen (from `welcome` or a `change`). */
  position: string;
}

export type ResumeAck = { ok: true; replayed: number; position: string } | { ok: false; code: string };

export type AuthAck = { ok: true } | { ok: false; code: string };

export interface ServerToClientEvents {
  /** Sent once per connection: the outbox position "now", the starting point for a later `resume`. */
  welcome: (info: { position: string }) => void;
  change: (event: ChangeEvent) => void;
  /** Too many missed events to replay: refetch everything shown. */
  resync: (info: { reason: string; position: string }) => void;
  /** The session was revoked, the account disabled or the token expired: the socket is closed next. */
  session_ended: (info: { code: string }) => void;
}

export interface ClientToServerEvents {
  subscribe: (request: SubscribeRequest, ack: (result: SubscribeAck) => void) => void;
  unsubscribe: (request: SubscribeRequest, ack?: (result: SubscribeAck) => void) => void;
  /** Replays the changes of subscribed rooms committed after `position`. */
  resume: (request: ResumeRequest, ack: (result: ResumeAck) => void) => void;
  /** A refreshed access token for this connection (before the previous one expires). */
  auth: (request: { token: string }, ack: (result: AuthAck) => void) => void;
}

const POSITION = /^(\d+):(\d+)$/;

export const isPosition = (value: unknown): value is string =>
  typeof value === 'string' && POSITION.test(value);

/** Orders two outbox positions (-1, 0, 1); positions are compared by transaction, then id. */
export function comparePositions(a: string, b: string): number {
  const pa = POSITION.exec(a);
  const pb = POSITION.exec(b);
  if (!pa || !pb) return pa ? 1 : pb ? -1 : 0;
  const tx = BigInt(pa[1]!) - BigInt(pb[1]!);
  if (tx !== 0n) return tx < 0n ? -1 : 1;
  const id = BigInt(pa[2]!) - BigInt(pb[2]!);
  return id === 0n ? 0 : id < 0n ? -1 : 1;
}
