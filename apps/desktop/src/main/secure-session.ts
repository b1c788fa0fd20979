import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { StoredSession } from '../shared/ipc.ts';

/** Electron's `safeStorage` (OS keychain: Keychain, DPAPI, libsecret/kwallet), injectable for tests. */
export interface Encryptor {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
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
 * keychain (a Linux desktop with no secret service) nothing is written: the user signs in again.
 */
export function openSecureSessionStore(filePath: string, encryptor: Encryptor): SecureSessionStore {
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
    if (!origin || !encryptor.isEncryptionAvailable()) return null;
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
    if (!origin || !encryptor.isEncryptionAvailable() || !isSession(session)) return false;
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
