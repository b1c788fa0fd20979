import { readFile } from 'node:fs/promises';
import type { UpdateState } from '../shared/ipc.ts';

/**
 * Auto-update, kept out of Electron so it can be tested with a fake updater. electron-updater's
 * `autoUpdater` satisfies `Updater`; index.ts wires it to the app, the window and the IPC channels.
 *
 * Rules: only a packaged app with a real feed URL baked in checks (or, for development, an unpackaged
 * app given MCART_UPDATE_URL); the update downloads in the background and installs only when the
 * user says so (no silent install on quit).
 */

/** The part of electron-updater's AppUpdater this module uses. */
export interface Updater {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  /** electron-updater skips every check in an unpackaged app unless this is set. */
  forceDevUpdateConfig: boolean;
  setFeedURL(options: { provider: 'generic'; url: string; channel?: string }): void;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
  on(event: 'update-available', listener: (info: { version: string }) => void): unknown;
  on(event: 'update-not-available', listener: (info: { version: string }) => void): unknown;
  on(event: 'download-progress', listener: (progress: { percent: number }) => void): unknown;
  on(event: 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export type UpdateFeed =
  | {
      enabled: true;
      url: string;
      /** `package`: the feed baked into a packaged app; `development`: MCART_UPDATE_URL, unpackaged only. */
      source: 'package' | 'development';
    }
  | { enabled: false; reason: 'not-packaged' | 'no-feed-url' | 'invalid-feed-url' };

/** The placeholder host in electron-builder.yml: a build nobody configured must not phone anywhere. */
const PLACEHOLDER_TLD = '.invalid';

/**
 * Where updates come from. A packaged app uses only the `publish.url` electron-builder baked into
 * the package (resources/app-update.yml): its feed cannot be redirected from the environment, since
 * whoever controls the feed chooses the code the app installs. `MCART_UPDATE_URL` is a development
 * aid: it is honoured only when the app is not packaged (electron-vite dev, `npm run desktop`), to try
 * the update flow against a test feed. HTTPS only; the `.invalid` placeholder counts as not configured.
 */
export function resolveUpdateFeed(input: {
  isPackaged: boolean;
  envUrl?: string | undefined;
  packagedUrl?: string | null | undefined;
}): UpdateFeed {
  const source = input.isPackaged ? 'package' : 'development';
  const raw = input.isPackaged ? input.packagedUrl?.trim() : input.envUrl?.trim();
  if (!raw) return { enabled: false, reason: input.isPackaged ? 'no-feed-url' : 'not-packaged' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { enabled: false, reason: 'invalid-feed-url' };
  }
  if (url.protocol !== 'https:') return { enabled: false, reason: 'invalid-feed-url' };
  if (url.hostname.endsWith(PLACEHOLDER_TLD)) return { enabled: false, reason: 'no-feed-url' };
  return { enabled: true, url: url.toString().replace(/\/$/, ''), source };
}

/** The `url:` of the app-update.yml electron-builder writes next to app.asar (a flat YAML map). */
export function feedUrlFromAppUpdateYml(text: string): string | null {
  const line = text.split(/\r?\n/).find((entry) => /^url:\s*/.test(entry));
  if (!line) return null;
  const value = line
    .replace(/^url:\s*/, '')
    .trim()
    .replace(/^(['"])(.*)\1$/, '$2');
  return value || null;
}

export async function readPackagedFeedUrl(appUpdateYmlPath: string): Promise<string | null> {
  try {
    return feedUrlFromAppUpdateYml(await readFile(appUpdateYmlPath, 'utf8'));
  } catch {
    return null;
  }
}

export const UPDATE_CHECK_INTERVAL_MS = 6 * 60 * 60 * 1000;

export interface UpdateControllerOptions {
  /** Called once, on first use: electron-updater builds its platform updater when first read. */
  updater: () => Updater;
  feed: UpdateFeed;
  /** Pushes every state change to the renderer (main window only). */
  publish: (state: UpdateState) => void;
  log?: (message: string, error?: unknown) => void;
  /** Injected for tests; `setInterval` in the app. */
  schedule?: (run: () => void, everyMs: number) => { stop(): void };
}

export interface UpdateController {
  state(): UpdateState;
  /** First check now, then every UPDATE_CHECK_INTERVAL_MS; does nothing without a feed. */
  start(): void;
  check(): Promise<void>;
  /** The user agreed: quit and install the downloaded update. False when none is ready. */
  install(): boolean;
  stop(): void;
}

export function createUpdateController({
  updater: makeUpdater,
  feed,
  publish,
  log = () => undefined,
  schedule = (run, everyMs) => {
    const timer = setInterval(run, everyMs);
    timer.unref?.();
    return { stop: () => clearInterval(timer) };
  },
}: UpdateControllerOptions): UpdateController {
  let current: UpdateState = feed.enabled ? { status: 'idle' } : { status: 'disabled', reason: feed.reason };
  let timer: { stop(): void } | null = null;
  let updater: Updater | null = null;

  const set = (next: UpdateState) => {
    current = next;
    publish(next);
  };

  const wire = (): Updater | null => {
    if (updater || !feed.enabled) return updater;
    updater = makeUpdater();
    // Download quietly, install only on consent: never replace the app while someone is packing orders.
    updater.autoDownload = true;
    updater.autoInstallOnAppQuit = false;
    // Only the development feed (MCART_UPDATE_URL, unpackaged app) needs electron-updater's dev switch.
    updater.forceDevUpdateConfig = feed.source === 'development';
    updater.setFeedURL({ provider: 'generic', url: feed.url });
    updater.on('update-available', (info) =>
      set({ status: 'downloading', version: info.version, percent: 0 }),
    );
    updater.on('download-progress', (progress) => {
      if (current.status === 'downloading')
        set({ ...current, percent: Math.max(0, Math.min(100, Math.round(progress.percent))) });
    });
    updater.on('update-not-available', () => {
      if (current.status !== 'ready') set({ status: 'up-to-date', checkedAt: new Date().toISOString() });
    });
    updater.on('update-downloaded', (info) => set({ status: 'ready', version: info.version }));
    updater.on('error', (error) => {
      log('auto-update failed', error);
      // A failed later check must not hide an update that is already downloaded.
      if (current.status !== 'ready') set({ status: 'error', message: error.message.slice(0, 300) });
    });
    return updater;
  };

  const check = async () => {
    if (!feed.enabled || current.status === 'ready' || current.status === 'downloading') return;
    const active = wire();
    if (!active) return;
    set({ status: 'checking' });
    try {
      await active.checkForUpdates();
    } catch (error) {
      // The 'error' event usually reports it too; make sure the state does not stay at 'checking'.
      log('update check failed', error);
      if (current.status === 'checking')
        set({ status: 'error', message: error instanceof Error ? error.message.slice(0, 300) : 'failed' });
    }
  };

  return {
    state: () => current,
    start() {
      if (!feed.enabled || timer) return;
      void check();
      timer = schedule(() => void check(), UPDATE_CHECK_INTERVAL_MS);
    },
    check,
    install() {
      if (current.status !== 'ready' || !updater) return false;
      updater.quitAndInstall(false, true);
      return true;
    },
    stop() {
      timer?.stop();
      timer = null;
    },
  };
}
