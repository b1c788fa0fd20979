import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasOsKeychain, openSecureSessionStore, type Encryptor } from './secure-session.ts';

// Stands in for safeStorage: reversible, and visibly not plain text; on Linux, backed by libsecret.
const fakeKeychain = (available = true, backend = 'gnome_libsecret'): Encryptor => ({
  isEncryptionAvailable: () => available,
  getSelectedStorageBackend: () => backend,
  encryptString: (plain) => Buffer.from(Buffer.from(plain, 'utf8').map((byte) => byte ^ 0x5a)),
  decryptString: (encrypted) => Buffer.from(encrypted.map((byte) => byte ^ 0x5a)).toString('utf8'),
});

const session = { accessToken: 'access.jwt', refreshToken: 'refresh-secret' };

describe('secure session store', () => {
  it('keeps the session encrypted, for the server it came from only', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mcart-session-')), 'session.bin');
    const store = openSecureSessionStore(file, fakeKeychain());
    expect(await store.save('https://shop.example:8443', session)).toBe(true);
    expect(readFileSync(file).toString('utf8')).not.toContain('refresh-secret');
    expect(await store.load('https://shop.example:8443')).toEqual(session);
    expect(await store.load('https://other.example:8443')).toBeNull();
    await store.clear();
    expect(await store.load('https://shop.example:8443')).toBeNull();
  });

  it('writes nothing without an OS keychain, and survives a damaged file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcart-session-'));
    const noKeychain = openSecureSessionStore(join(dir, 'a.bin'), fakeKeychain(false));
    expect(await noKeychain.save('https://shop.example', session)).toBe(false);
    expect(await noKeychain.load('https://shop.example')).toBeNull();
    const broken = openSecureSessionStore(join(dir, 'b.bin'), {
      ...fakeKeychain(),
      decryptString: () => 'not json',
    });
    await broken.save('https://shop.example', session);
    expect(await broken.load('https://shop.example')).toBeNull();
  });

  it('runs save and clear in the order they were called: a clear right after a save leaves nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcart-session-'));
    const file = join(dir, 'session.bin');
    const store = openSecureSessionStore(file, fakeKeychain());
    // What ipcMain does with session:save (token refresh) and session:clear (logout) sent back to back.
    const saving = store.save('https://shop.example', session);
    const clearing = store.clear();
    await Promise.all([saving, clearing]);
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
    expect(await store.load('https://shop.example')).toBeNull();

    // And the other way round: a clear, then a new sign-in's save, keeps the new session.
    const rotated = { accessToken: 'access-2', refreshToken: 'refresh-2' };
    await Promise.all([store.clear(), store.save('https://shop.example', rotated)]);
    expect(await store.load('https://shop.example')).toEqual(rotated);
  });

  it('keeps serving operations after one of them failed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcart-session-'));
    let failNext = true;
    const store = openSecureSessionStore(join(dir, 'session.bin'), {
      ...fakeKeychain(),
      encryptString: (plain) => {
        if (failNext) {
          failNext = false;
          throw new Error('keychain locked');
        }
        return fakeKeychain().encryptString(plain);
      },
    });
    const failing = store.save('https://shop.example', session);
    const next = store.save('https://shop.example', session);
    await expect(failing).rejects.toThrow('keychain locked');
    await expect(next).resolves.toBe(true);
    expect(await store.load('https://shop.example')).toEqual(session);
  });

  it("keeps nothing on Linux when safeStorage has no keychain (basic_text: Chromium's built-in key)", async () => {
    // isEncryptionAvailable() says true there, but the key is the same on every machine.
    const basic = fakeKeychain(true, 'basic_text');
    const dir = mkdtempSync(join(tmpdir(), 'mcart-session-'));
    const file = join(dir, 'session.bin');
    const store = openSecureSessionStore(file, basic, 'linux');
    expect(await store.save('https://shop.example', session)).toBe(false);
    expect(existsSync(file)).toBe(false);

    // A session an earlier version saved under the built-in key is not read, and not left on disk.
    writeFileSync(file, basic.encryptString(JSON.stringify({ origin: 'https://shop.example', session })));
    expect(await store.load('https://shop.example')).toBeNull();
    expect(existsSync(file)).toBe(false);

    // With a real keychain the store works as before.
    const secure = openSecureSessionStore(file, fakeKeychain(), 'linux');
    expect(await secure.save('https://shop.example', session)).toBe(true);
    expect(await secure.load('https://shop.example')).toEqual(session);
  });

  it('counts only libsecret and KWallet as a keychain on Linux; elsewhere whatever safeStorage uses', () => {
    const basic = fakeKeychain(true, 'basic_text');
    expect(hasOsKeychain(basic, 'linux')).toBe(false);
    expect(hasOsKeychain({ ...basic, getSelectedStorageBackend: undefined }, 'linux')).toBe(false);
    expect(hasOsKeychain(fakeKeychain(true, 'unknown'), 'linux')).toBe(false);
    expect(hasOsKeychain(fakeKeychain(true, 'kwallet6'), 'linux')).toBe(true);
    expect(hasOsKeychain(fakeKeychain(true, 'gnome_libsecret'), 'linux')).toBe(true);
    expect(hasOsKeychain(fakeKeychain(false), 'linux')).toBe(false);
    // macOS Keychain and Windows DPAPI: safeStorage has no other backend there.
    expect(hasOsKeychain(basic, 'darwin')).toBe(true);
    expect(hasOsKeychain(basic, 'win32')).toBe(true);
    expect(hasOsKeychain(fakeKeychain(false), 'win32')).toBe(false);
  });
});
