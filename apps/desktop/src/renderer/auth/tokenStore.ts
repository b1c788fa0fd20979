export interface AuthTokens {
  accessToken: string;
  refreshToken: string;
}

/**
 * Where the staff session lives. The browser keeps it per tab (memory + sessionStorage, so a reload
 * survives but closing the tab signs out); the desktop app will keep the refresh token with the OS
 * keychain through the preload bridge (safeStorage) behind this same interface.
 */
export interface TokenStore {
  get(): AuthTokens | null;
  set(tokens: AuthTokens): void;
  clear(): void;
}

type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const STORAGE_KEY = 'mcart.admin.session';

function parseTokens(text: string | null): AuthTokens | null {
  if (!text) return null;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return null;
    const { accessToken, refreshToken } = value as Record<string, unknown>;
    return typeof accessToken === 'string' && typeof refreshToken === 'string'
      ? { accessToken, refreshToken }
      : null;
  } catch {
    return null;
  }
}

export function createBrowserTokenStore(storage: KeyValueStorage | null, key = STORAGE_KEY): TokenStore {
  let cached: AuthTokens | null | undefined;
  // Storage can throw (disabled cookies, private modes); the session then lives in memory only.
  const read = (): AuthTokens | null => {
    try {
      return parseTokens(storage?.getItem(key) ?? null);
    } catch {
      return null;
    }
  };
  return {
    get() {
      if (cached === undefined) cached = read();
      return cached;
    },
    set(tokens) {
      cached = { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken };
      try {
        storage?.setItem(key, JSON.stringify(cached));
      } catch {
        /* memory only */
      }
    },
    clear() {
      cached = null;
      try {
        storage?.removeItem(key);
      } catch {
        /* memory only */
      }
    },
  };
}

/** What the desktop bridge offers for the session (OS keychain through the main process). */
export interface SessionBridge {
  saveSession?(session: AuthTokens): Promise<boolean>;
  clearSession?(): Promise<void>;
}

/**
 * The Electron app: the session lives in memory and is kept across launches by the main process,
 * encrypted with the OS keychain (safeStorage). `initial` is what the main process had saved.
 */
export function createDesktopTokenStore(bridge: SessionBridge, initial: AuthTokens | null): TokenStore {
  let current: AuthTokens | null = initial;
  // The main process must see saves and clears in the order they happened here (a logout right
  // after a token refresh must end with no session on disk): each call waits for the previous one.
  let persisting: Promise<unknown> = Promise.resolve();
  const persist = (write: () => Promise<unknown> | undefined): void => {
    persisting = persisting.then(write).catch(() => undefined);
  };
  return {
    get: () => current,
    set(tokens) {
      const next = { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken };
      current = next;
      persist(() => bridge.saveSession?.(next));
    },
    clear() {
      current = null;
      persist(() => bridge.clearSession?.());
    },
  };
}
