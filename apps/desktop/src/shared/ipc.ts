/**
 * The only channels between the renderer and the main process. Main registers a handler for each
 * key, preload exposes one function per key: adding a channel is a compile error until both exist.
 */
export interface DesktopSettings {
  /** Origin of the MCart server, e.g. `https://shop.example.com:8443`; null until the user sets it. */
  serverUrl: string | null;
  /**
   * SHA-256 certificate fingerprints (`AB:CD:...`, as OpenSSL and Node print them) the user chose
   * to trust, per origin. Needed for the embedded server's self-signed certificate.
   */
  trustedCertificates: Record<string, string>;
  /** OS notifications for new orders and low stock while the window is not focused (in-app ones always show). */
  desktopNotifications: boolean;
}

/** Where the auto-updater stands (packaged app only), pushed to the renderer on every change. */
export type UpdateState =
  | { status: 'disabled'; reason: 'not-packaged' | 'no-feed-url' | 'invalid-feed-url' }
  | { status: 'idle' }
  | { status: 'checking' }
  | { status: 'up-to-date'; checkedAt: string }
  | { status: 'downloading'; version: string; percent: number }
  /** Downloaded; installs when the user agrees (restart). */
  | { status: 'ready'; version: string }
  | { status: 'error'; message: string };

export interface AppInfo {
  version: string;
  electron: string;
  chrome: string;
  platform: string;
}

export interface CertificateProbe {
  origin: string;
  /** SHA-256 of the leaf certificate, `AB:CD:...`. */
  fingerprint: string;
  subject: string;
  issuer: string;
  validTo: string;
  /** True when the operating system already trusts it (no pinning needed). */
  authorized: boolean;
}

/** The staff session as kept by the main process (encrypted with the OS keychain). */
export interface StoredSession {
  accessToken: string;
  refreshToken: string;
}

export interface PrinterSummary {
  name: string;
  displayName: string;
  isDefault: boolean;
}

export type LabelPrintResult =
  | { ok: true; printer: string }
  | {
      ok: false;
      reason: 'no-printer-chosen' | 'printer-missing' | 'no-printers' | 'invalid-document' | 'failed';
      message: string;
    };

export interface IpcInvokeMap {
  'app:info': { args: []; result: AppInfo };
  'settings:get': { args: []; result: DesktopSettings };
  'settings:set-server-url': { args: [url: string]; result: DesktopSettings };
  'settings:probe-certificate': { args: [url: string]; result: CertificateProbe };
  'settings:trust-certificate': { args: [origin: string, fingerprint: string]; result: DesktopSettings };
  'settings:set-desktop-notifications': { args: [enabled: boolean]; result: DesktopSettings };
  /** A desktop notification (new order, low stock) while the window is not focused. */
  'app:notify': { args: [title: string, body: string]; result: boolean };
  'session:load': { args: []; result: StoredSession | null };
  'session:save': { args: [accessToken: string, refreshToken: string]; result: boolean };
  'session:clear': { args: []; result: void };
  'print:list-printers': { args: []; result: PrinterSummary[] };
  'print:get-label-printer': { args: []; result: string | null };
  'print:set-label-printer': { args: [name: string | null]; result: string | null };
  /** Prints a PDF of 4x6 labels (one page each) silently to the remembered printer, as one job. */
  'print:labels': { args: [pdf: Uint8Array, copies: number]; result: LabelPrintResult };
  'update:get-state': { args: []; result: UpdateState };
  /** The user agreed to restart: quits and installs the downloaded update; false when none is ready. */
  'update:install': { args: []; result: boolean };
}

export type IpcChannel = keyof IpcInvokeMap;

export const IPC_CHANNELS = [
  'app:info',
  'settings:get',
  'settings:set-server-url',
  'settings:probe-certificate',
  'settings:trust-certificate',
  'settings:set-desktop-notifications',
  'app:notify',
  'session:load',
  'session:save',
  'session:clear',
  'print:list-printers',
  'print:get-label-printer',
  'print:set-label-printer',
  'print:labels',
  'update:get-state',
  'update:install',
] as const satisfies readonly IpcChannel[];

// Fails to compile when IPC_CHANNELS misses a key of IpcInvokeMap.
type MissingChannels = Exclude<IpcChannel, (typeof IPC_CHANNELS)[number]>;
const exhaustive: MissingChannels extends never ? true : never = true;
void exhaustive;

/** Messages main pushes to the app's window (preload forwards each to one listener function). */
export interface IpcEventMap {
  'update:state': UpdateState;
}

export type IpcEvent = keyof IpcEventMap;

/** What preload puts on `window.mcart`. */
export interface DesktopBridge {
  readonly isDesktop: true;
  getAppInfo(): Promise<AppInfo>;
  getSettings(): Promise<DesktopSettings>;
  setServerUrl(url: string): Promise<DesktopSettings>;
  probeCertificate(url: string): Promise<CertificateProbe>;
  trustCertificate(origin: string, fingerprint: string): Promise<DesktopSettings>;
  /** Turns OS notifications for new orders and low stock on or off. */
  setDesktopNotifications?(enabled: boolean): Promise<DesktopSettings>;
  /** Auto-update (packaged app): the current state, every change, and install on the user's consent. */
  getUpdateState?(): Promise<UpdateState>;
  onUpdateState?(listener: (state: UpdateState) => void): () => void;
  installUpdate?(): Promise<boolean>;
  /** Shows an OS notification when the window is not focused and enabled in settings; resolves whether it was shown. */
  notify?(title: string, body: string): Promise<boolean>;
  /** The staff session saved for the configured server (OS keychain), if any. */
  loadSession?(): Promise<StoredSession | null>;
  saveSession?(session: StoredSession): Promise<boolean>;
  clearSession?(): Promise<void>;
  /** Label printing (Electron only): printers, the remembered label printer, a silent 4x6 print job. */
  listPrinters?(): Promise<PrinterSummary[]>;
  getLabelPrinter?(): Promise<string | null>;
  setLabelPrinter?(name: string | null): Promise<string | null>;
  printLabels?(pdf: Uint8Array, copies?: number): Promise<LabelPrintResult>;
}
