import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ConfigError } from '../config.ts';

/**
 * Field encryption for personal data at rest (phone numbers, addresses): AES-256-GCM, a fresh 96-bit IV per
 * value, the key id stored with the value so keys can be rotated. Format: `v1.<keyId>.<iv>.<tag>.<data>`
 * (base64url). Configured as `MCART_ENCRYPTION_KEYS=k2:<base64 32 bytes>,k1:<...>`: the first key encrypts,
 * every listed key decrypts.
 */
export class FieldCipher {
  private readonly keys = new Map<string, Buffer>();
  private readonly currentKeyId: string;

  constructor(spec: string) {
    for (const part of spec
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const [id, material] = part.split(':');
      const key = material ? Buffer.from(material, 'base64') : Buffer.alloc(0);
      if (!id || !/^[A-Za-z0-9_-]{1,16}$/.test(id) || key.length !== 32) {
        throw new ConfigError('MCART_ENCRYPTION_KEYS', 'must be keyId:base64(32 bytes)[,keyId:...]');
      }
      this.keys.set(id, key);
    }
    const first = this.keys.keys().next();
    if (first.done) throw new ConfigError('MCART_ENCRYPTION_KEYS', 'must hold at least one key');
    this.currentKeyId = first.value;
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId)!, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [
      'v1',
      this.currentKeyId,
      iv.toString('base64url'),
      tag.toString('base64url'),
      data.toString('base64url'),
    ].join('.');
  }

  decrypt(sealed: string): string {
    const [version, keyId, iv, tag, data] = sealed.split('.');
    const key = keyId ? this.keys.get(keyId) : undefined;
    if (version !== 'v1' || !key || !iv || !tag || data === undefined)
      throw new Error('Unreadable encrypted value');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }

  encryptJson(value: unknown): string {
    return this.encrypt(JSON.stringify(value));
  }

  decryptJson<T>(sealed: string): T {
    return JSON.parse(this.decrypt(sealed)) as T;
  }

  /** True when the value was sealed with an older key (re-encrypt it on the next write). */
  needsRotation(sealed: string): boolean {
    return sealed.split('.')[1] !== this.currentKeyId;
  }
}
