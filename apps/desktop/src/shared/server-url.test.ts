import { describe, expect, it } from 'vitest';
import { parseServerUrl } from './server-url.ts';

describe('parseServerUrl', () => {
  it('keeps only the origin of what the user typed', () => {
    expect(parseServerUrl(' https://shop.example.com:8443/admin/#/x ')).toEqual({
      ok: true,
      origin: 'https://shop.example.com:8443',
    });
  });

  it('assumes https when the scheme is omitted', () => {
    expect(parseServerUrl('localhost:8443')).toEqual({ ok: true, origin: 'https://localhost:8443' });
  });

  it('refuses plain http to another machine but allows it on loopback', () => {
    expect(parseServerUrl('http://shop.example.com')).toEqual({ ok: false, reason: 'insecure' });
    expect(parseServerUrl('http://127.0.0.1:3000')).toEqual({ ok: true, origin: 'http://127.0.0.1:3000' });
  });

  it('refuses other schemes, credentials and garbage', () => {
    expect(parseServerUrl('file:///etc/passwd')).toEqual({ ok: false, reason: 'protocol' });
    expect(parseServerUrl('https://user:pw@shop.example.com')).toEqual({ ok: false, reason: 'invalid' });
    expect(parseServerUrl('https://')).toEqual({ ok: false, reason: 'invalid' });
  });
});
