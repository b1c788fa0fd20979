import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DesktopSettings } from '../shared/ipc.ts';
import { parseServerUrl } from '../shared/server-url.ts';
import type { WindowState } from './window-state.ts';

export interface StoredSettings extends DesktopSettings {
  windowState: WindowState | null;
}

export const DEFAULT_SETTINGS: StoredSettings = {
  serverUrl: null,
  trustedCertificates: {},
  desktopNotifications: true,
  windowState: null,
};

export class SettingsError extends Error {
  constructor(
    readonly code: 'MCART_ERR_INVALID_SERVER_URL' | 'MCART_ERR_INVALID_FINGERPRINT',
    message: string,
  ) {
    super(message);
    this.name = 'SettingsError';
  }
}

const FINGERPRINT = /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/;

/**
 * Settings live in one JSON file in the user-data folder. A file damaged by hand or by a crash
 * mid-write must not keep the app from starting, so anything unreadable falls back to defaults
 * field by field; writes go through a temporary file and a rename so they are atomic.
 */
export function sanitizeSettings(raw: unknown): StoredSettings {
  if (typeof raw !== 'object' || raw === null) return structuredClone(DEFAULT_SETTINGS);
  const value = raw as Record<string, unknown>;
  const parsedUrl = typeof value.serverUrl === 'string' ? parseServerUrl(value.serverUrl) : null;
  const trusted: Record<string, string> = {};
  if (typeof value.trustedCertificates === 'object' && value.trustedCertificates !== null) {
    for (const [origin, fingerprint] of Object.entries(value.trustedCertificates)) {
      const parsedOrigin = parseServerUrl(origin);
      if (parsedOrigin.ok && typeof fingerprint === 'string' && FINGERPRINT.test(fingerprint)) {
        trusted[parsedOrigin.origin] = fingerprint;
      }
    }
  }
  return {
    serverUrl: parsedUrl?.ok ? parsedUrl.origin : null,
    trustedCertificates: trusted,
    desktopNotifications: value.desktopNotifications !== false,
    windowState: sanitizeWindowState(value.windowState),
  };
}

function sanitizeWindowState(raw: unknown): WindowState | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { x, y, width, height, maximized } = raw as Record<string, unknown>;
  const finite = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);
  if (!finite(x) || !finite(y) || !finite(width) || !finite(height)) return null;
  return { x, y, width, height, maximized: maximized === true };
}

export interface SettingsStore {
  get(): StoredSettings;
  /** The part the renderer may see. */
  public(): DesktopSettings;
  setServerUrl(input: string): Promise<DesktopSettings>;
  trustCertificate(origin: string, fingerprint: string): Promise<DesktopSettings>;
  setDesktopNotifications(enabled: boolean): Promise<DesktopSettings>;
  setWindowState(state: WindowState): Promise<void>;
}

export async function openSettingsStore(filePath: string): Promise<SettingsStore> {
  let current = await load(filePath);
  // Serialise writes: two quick IPC calls must not interleave their temp files.
  let writing: Promise<void> = Promise.resolve();
  const save = (next: StoredSettings): Promise<void> => {
    current = next;
    writing = writing.then(() => persist(filePath, next));
    return writing;
  };
  const publicView = (): DesktopSettings => ({
    serverUrl: current.serverUrl,
    trustedCertificates: { ...current.trustedCertificates },
    desktopNotifications: current.desktopNotifications,
  });

  return {
    get: () => structuredClone(current),
    public: publicView,
    async setServerUrl(input) {
      const parsed = parseServerUrl(input);
      if (!parsed.ok)
        throw new SettingsError('MCART_ERR_INVALID_SERVER_URL', `Invalid server address (${parsed.reason})`);
      await save({ ...current, serverUrl: parsed.origin });
      return publicView();
    },
    async trustCertificate(origin, fingerprint) {
      const parsed = parseServerUrl(origin);
      if (!parsed.ok)
        throw new SettingsError('MCART_ERR_INVALID_SERVER_URL', `Invalid server address (${parsed.reason})`);
      const normalized = fingerprint.trim().toUpperCase();
      if (!FINGERPRINT.test(normalized))
        throw new SettingsError('MCART_ERR_INVALID_FINGERPRINT', 'Invalid SHA-256 fingerprint');
      await save({
        ...current,
        trustedCertificates: { ...current.trustedCertificates, [parsed.origin]: normalized },
      });
      return publicView();
    },
    async setDesktopNotifications(enabled) {
      await save({ ...current, desktopNotifications: enabled });
      return publicView();
    },
    setWindowState: (state) => save({ ...current, windowState: state }),
  };
}

async function load(filePath: string): Promise<StoredSettings> {
  let text: string;
  try {
    text = await readFile(filePath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return structuredClone(DEFAULT_SETTINGS);
    throw error;
  }
  try {
    return sanitizeSettings(JSON.parse(text));
  } catch {
    return structuredClone(DEFAULT_SETTINGS);
  }
}

async function persist(filePath: string, settings: StoredSettings): Promise<void> {
  await mkdir(dirname(filePath), { recursive: true });
  const temporary = `${filePath}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, filePath);
}
