import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { StoredSession } from '../shared/ipc.ts';

/** Electron's `safeStorage` (OS keychain: Keychain, DPAPI, libsecret/kwallet), injectable for tests. */
export interface Encryptor {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: which secret store holds the key (`basic_text`: none, a key built into Chromium). */
  getSelectedStorageBackend?(): string;
}

/** Linux secret stores that keep the key out of the file system (libsecret, KWallet). */
const LINUX_KEYCHAINS: ReadonlySet<string> = new Set(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']);

/**
 * Whether `safeStorage` really encrypts with a key of the OS keychain. On Linux without a secret service
 * (or with `--password-store=basic`) Chromium's backend is `basic_text`: `isEncryptionAvailable()` still
 * says true, but the key is a constant built into Chromium ("peanuts"), the same on every machine, so the
 * file would be as good as plain text to anyone who can read it. Only a known keychain counts there.
 */
export function hasOsKeychain(encryptor: Encryptor, platform: NodeJS.Platform = process.platform): boolean {
  if (!encryptor.isEncryptionAvailable()) return false;
  if (platform !== 'linux') return true;
  return LINUX_KEYCHAINS.has(encryptor.getSelectedStorageBackend?.() ?? 'unknown');
}

export interface SecureSessionStore {
  /** The session saved for this server origin, or null. */
  load(origin: string | null): Promise<StoredSession | null>;
  save(origin: string | null, session: StoredSession): Promise<boolean>;
  clear(): Promise<void>;
}

const isSession = (value: unknown): value is StoredSession =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as StoredSession).accessToken === 'string' &&
  typeof (value as StoredSession).refreshToken === 'string';

/**
 * Keeps the staff session between launches, encrypted with the OS keychain and bound to the server
 * it came from (a session is never sent to another server after the address changes). Without a
 * keychain (a Linux desktop with no secret service: `hasOsKeychain`) nothing is written, and a file
 * written that way before is deleted unread: the user signs in again.
 */
export function openSecureSessionStore(
  filePath: string,
  encryptor: Encryptor,
  platform: NodeJS.Platform = process.platform,
): SecureSessionStore {
  const keychain = () => hasOsKeychain(encryptor, platform);
  // One queue for every operation: ipcMain runs handlers concurrently, so a save (token refresh)
  // followed at once by a clear (logout) must not let the save's rename land after the removal.
  // Operations run one after the other in the order they were called; a failure does not stop the queue.
  let queue: Promise<unknown> = Promise.resolve();
  const serialised = <T>(operation: () => Promise<T>): Promise<T> => {
    const run = queue.then(() => operation());
    queue = run.catch(() => undefined);
    return run;
  };

  return {
    load: (origin) => serialised(() => load(origin)),
    save: (origin, session) => serialised(() => save(origin, session)),
    clear: () => serialised(() => rm(filePath, { force: true })),
  };

  async function load(origin: string | null): Promise<StoredSession | null> {
    if (!keychain()) {
      // Encryption "available" without a keychain is Chromium's built-in key: a refresh token an earlier
      // version kept that way is not left on disk.
      if (encryptor.isEncryptionAvailable()) await rm(filePath, { force: true });
      return null;
    }
    if (!origin) return null;
    let encrypted: Buffer;
    try {
      encrypted = await readFile(filePath);
    } catch {
      return null;
    }
    try {
      const value = JSON.parse(encryptor.decryptString(encrypted)) as {
        origin?: unknown;
        session?: unknown;
      };
      return value.origin === origin && isSession(value.session)
        ? { accessToken: value.session.accessToken, refreshToken: value.session.refreshToken }
        : null;
    } catch {
      // Another user's or machine's keychain, or a damaged file: as if signed out.
      return null;
    }
  }

  async function save(origin: string | null, session: StoredSession): Promise<boolean> {
    if (!origin || !keychain() || !isSession(session)) return false;
    await mkdir(dirname(filePath), { recursive: true });
    const temporary = `${filePath}.${process.pid}.tmp`;
    const plain = JSON.stringify({
      origin,
      session: { accessToken: session.accessToken, refreshToken: session.refreshToken },
    });
    await writeFile(temporary, encryptor.encryptString(plain), { mode: 0o600 });
    await rename(temporary, filePath);
    return true;
  }
}
