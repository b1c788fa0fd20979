import { describe, expect, it } from 'vitest';
import { FieldCipher } from './crypto.ts';

const key = (byte: number) => Buffer.alloc(32, byte).toString('base64');

describe('FieldCipher', () => {
  it('round-trips and never stores the clear text', () => {
    const cipher = new FieldCipher(`k1:${key(1)}`);
    const sealed = cipher.encrypt('+33 6 12 34 56 78');
    expect(sealed).not.toContain('12 34');
    expect(cipher.decrypt(sealed)).toBe('+33 6 12 34 56 78');
    expect(cipher.encrypt('same')).not.toBe(cipher.encrypt('same'));
  });

  it('decrypts values sealed with an older key after rotation', () => {
    const old = new FieldCipher(`k1:${key(1)}`);
    const sealed = old.encryptJson({ line1: '1 Rue de la Paix' });
    const rotated = new FieldCipher(`k2:${key(2)},k1:${key(1)}`);
    expect(rotated.decryptJson(sealed)).toEqual({ line1: '1 Rue de la Paix' });
    expect(rotated.needsRotation(sealed)).toBe(true);
    expect(rotated.needsRotation(rotated.encrypt('x'))).toBe(false);
  });

  it('refuses tampered values and bad key specs', () => {
    const cipher = new FieldCipher(`k1:${key(1)}`);
    const sealed = cipher.encrypt('secret');
    const tampered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
    expect(() => cipher.decrypt(tampered)).toThrow();
    expect(() => new FieldCipher('k1:short')).toThrow(/MCART_ENCRYPTION_KEYS/);
  });
});
