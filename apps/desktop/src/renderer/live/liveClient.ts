import { io, type Socket } from 'socket.io-client';
import {
  comparePositions,
  type ChangeEvent,
  type ClientToServerEvents,
  type LiveResource,
  type ServerToClientEvents,
} from '@mcart/api-client/events';

export type LiveStatus = 'connecting' | 'live' | 'offline' | 'signed-out';

export interface LiveClientOptions {
  /** Server origin; '' = this page's origin (the admin served at /admin). */
  origin: string;
  resources: readonly LiveResource[];
  getToken: () => string | null;
  /** Renews the access token (one shared refresh); false when the session is over. */
  refreshSession: () => Promise<boolean>;
  onChange: (change: ChangeEvent) => void;
  /** Too much was missed to replay: refetch everything shown. */
  onResync: () => void;
  onStatus?: (status: LiveStatus) => void;
  /** For tests: a socket.io-client `io` replacement. */
  connect?: typeof io;
}

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const TOKEN_CHECK_MS = 30_000;

/**
 * The renderer's live connection: WebSocket only (no sticky sessions needed behind a balancer),
 * staff token in the handshake, every readable resource subscribed, and after a reconnect the
 * changes missed meanwhile replayed from the newest outbox position seen.
 */
export class LiveClient {
  private socket: LiveSocket | null = null;
  private position: string | null = null;
  private sentToken: string | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private stopped = false;

  constructor(private readonly options: LiveClientOptions) {}

  get lastPosition(): string | null {
    return this.position;
  }

  start(): void {
    const { origin, connect = io } = this.options;
    this.stopped = false;
    this.options.onStatus?.('connecting');
    const socket: LiveSocket = connect(origin || undefined, {
      path: '/socket.io',
      transports: ['websocket'],
      // A function: evaluated again on every reconnection, so a refreshed token is used.
      auth: (cb) => {
        this.sentToken = this.options.getToken();
        cb({ token: this.sentToken });
      },
      reconnectionDelay: 500,
      reconnectionDelayMax: 5_000,
    });
    this.socket = socket;

    socket.on('connect', () => void this.onConnect(socket));
    socket.on('welcome', ({ position }) => {
      this.position ??= position;
    });
    socket.on('change', (change) => {
      this.advance(change.position);
      this.options.onChange(change);
    });
    socket.on('resync', ({ position }) => {
      this.position = position;
      this.options.onResync();
    });
    socket.on('disconnect', () => {
      if (!this.stopped) this.options.onStatus?.('offline');
    });
    socket.on('session_ended', () => void this.renewAndReconnect(socket));
    socket.on('connect_error', (error) => {
      const code = (error as Error & { data?: { code?: string } }).data?.code;
      // A refused handshake is not retried by socket.io: renew the token, then reconnect.
      if (code === 'MCART_ERR_UNAUTHORIZED') void this.renewAndReconnect(socket);
      else this.options.onStatus?.('offline');
    });

    // Hand a refreshed access token to the open connection before the old one expires.
    this.timer = setInterval(() => {
      const token = this.options.getToken();
      if (socket.connected && token && token !== this.sentToken) {
        this.sentToken = token;
        socket.emit('auth', { token }, () => undefined);
      }
    }, TOKEN_CHECK_MS);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = null;
  }

  private advance(position: string): void {
    if (!this.position || comparePositions(position, this.position) > 0) this.position = position;
  }

  private async onConnect(socket: LiveSocket): Promise<void> {
    const from = this.position;
    // Subscribe first, then replay: an event committed in between arrives live, none falls in a gap.
    await Promise.all(
      this.options.resources.map((resource) =>
        socket
          .timeout(10_000)
          .emitWithAck('subscribe', { resource })
          .catch(() => undefined),
      ),
    );
    if (from) {
      const ack = await socket
        .timeout(10_000)
        .emitWithAck('resume', { position: from })
        .catch(() => null);
      // No answer or refused: the safe fallback is to refetch what is shown.
      if (!ack || !ack.ok) this.options.onResync();
    }
    if (!this.stopped) this.options.onStatus?.('live');
  }

  private async renewAndReconnect(socket: LiveSocket): Promise<void> {
    if (this.stopped) return;
    socket.disconnect();
    const renewed = await this.options.refreshSession().catch(() => false);
    if (this.stopped || this.socket !== socket) return;
    if (!renewed) {
      this.options.onStatus?.('signed-out');
      return;
    }
    socket.connect();
  }
}
