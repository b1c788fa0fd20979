import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSecureSessionStore, type Encryptor } from './secure-session.ts';

// Stands in for safeStorage: reversible, and visibly not plain text.
const fakeKeychain = (available = true): Encryptor => ({
  isEncryptionAvailable: () => available,
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
});
