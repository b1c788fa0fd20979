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
  return {
    get: () => current,
    set(tokens) {
      current = { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken };
      void bridge.saveSession?.(current).catch(() => false);
    },
    clear() {
      current = null;
      void bridge.clearSession?.().catch(() => undefined);
    },
  };
}
