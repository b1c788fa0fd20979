/**
 * Live-sync events shared by the server (socket.io) and the desktop app.
 * The client emits `subscribe` with a resource (and optionally a record id) and gets an acknowledgement;
 * the server emits `change` after a commit, from the transactional outbox.
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
] as const;
export type LiveResource = (typeof LIVE_RESOURCES)[number];

export type ChangeKind = 'created' | 'updated' | 'deleted';

export interface ChangeEvent {
  resource: LiveResource | (string & {});
  ids: string[];
  type: ChangeKind;
  /** ISO 8601 commit time */
  at: string;
  /** Outbox sequence number: send the last one seen to catch up after a reconnect. */
  seq?: number;
}

export interface SubscribeRequest {
  resource: LiveResource | (string & {});
  id?: string;
}

export type SubscribeAck = { ok: true } | { ok: false; code: string };

export interface ServerToClientEvents {
  change: (event: ChangeEvent) => void;
  /** Too many missed events to replay: refetch everything shown. */
  resync: (info: { reason: string }) => void;
}

export interface ClientToServerEvents {
  subscribe: (request: SubscribeRequest, ack: (result: SubscribeAck) => void) => void;
  unsubscribe: (request: SubscribeRequest, ack?: (result: SubscribeAck) => void) => void;
}
