import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprintOfPem, isPinnedCertificate, pinOriginOf, probeCertificate } from './certificates.ts';

// A real self-signed certificate, like the one the embedded server generates on first start.
const hasOpenssl = ['/usr/bin/openssl', '/usr/local/bin/openssl'].some((path) => existsSync(path));

describe.skipIf(!hasOpenssl)('certificate pinning', () => {
  let dir: string;
  let cert: string;
  let key: string;
  let server: Server;
  let origin: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mcart-cert-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=localhost',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    key = readFileSync(join(dir, 'key.pem'), 'utf8');
    server = createServer({ cert, key }, (socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the fingerprint the server presents without trusting it', async () => {
    const probe = await probeCertificate(origin);
    expect(probe).toMatchObject({
      origin,
      fingerprint: new X509Certificate(cert).fingerprint256,
      authorized: false,
    });
    expect(probe.subject).toBe('CN=localhost');
  });

  it('accepts the pinned certificate on its origin only', () => {
    const fingerprint = fingerprintOfPem(cert);
    expect(fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const trusted = { [origin]: fingerprint ?? '' };
    expect(isPinnedCertificate(trusted, `${origin}/api/admin/orders`, cert)).toBe(true);
    expect(isPinnedCertificate(trusted, 'https://other.example.com/api', cert)).toBe(false);
    // Another certificate's fingerprint: the first byte changed (to 00, or to FF when it is 00 already).
    const other = fingerprint!.replace(/^../, (byte) => (byte === '00' ? 'FF' : '00'));
    expect(isPinnedCertificate({ [origin]: other }, `${origin}/`, cert)).toBe(false);
    expect(isPinnedCertificate(trusted, `${origin}/`, 'not a certificate')).toBe(false);
  });

  it('accepts the pinned certificate for the live connection (wss://) to the same host and port', () => {
    const trusted = { [origin]: fingerprintOfPem(cert) ?? '' };
    const socketUrl = `${origin.replace(/^https:/, 'wss:')}/socket.io/?EIO=4&transport=websocket`;
    expect(isPinnedCertificate(trusted, socketUrl, cert)).toBe(true);
    // Same certificate, another port or host: not pinned.
    const port = Number(new URL(origin).port);
    expect(isPinnedCertificate(trusted, `wss://127.0.0.1:${port + 1}/socket.io/`, cert)).toBe(false);
    expect(isPinnedCertificate(trusted, `wss://localhost:${port}/socket.io/`, cert)).toBe(false);
  });
});

describe('pinOriginOf', () => {
  it('maps websocket URLs onto the https/http origin the pin is stored under', () => {
    expect(pinOriginOf('wss://192.168.1.10:8443/socket.io/?EIO=4&transport=websocket')).toBe(
      'https://192.168.1.10:8443',
    );
    expect(pinOriginOf('wss://shop.example/socket.io/')).toBe('https://shop.example');
    expect(pinOriginOf('wss://shop.example:443/socket.io/')).toBe('https://shop.example');
    expect(pinOriginOf('wss://[::1]:8443/socket.io/')).toBe('https://[::1]:8443');
    expect(pinOriginOf('ws://shop.example:8080/socket.io/')).toBe('http://shop.example:8080');
    expect(pinOriginOf('https://Shop.Example:8443/api/admin/orders')).toBe('https://shop.example:8443');
  });

  it('gives no pin origin to other schemes or to garbage', () => {
    expect(pinOriginOf('ftp://shop.example/')).toBeNull();
    expect(pinOriginOf('file:///etc/passwd')).toBeNull();
    expect(pinOriginOf('not a url')).toBeNull();
    expect(isPinnedCertificate({ 'https://shop.example': 'AA' }, 'not a url', 'x')).toBe(false);
  });
});
