import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './app.ts';
import { checkOcspResponse, OcspStapler, parseChain } from '../src/platform/ocsp.ts';
import { ensureSelfSignedCertificate } from '../src/platform/tls.ts';

const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' }).toString();

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Resolves once the responder prints that it listens. (A probe connection would not do: this responder
 * serves one connection at a time and would sit waiting for the probe's request.)
 */
function listening(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ACCEPT')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`openssl ocsp exited (${code}): ${output}`)));
  });
}

/** One TLS handshake asking for a stapled OCSP response (status_request); answers what the server stapled. */
function stapledResponse(port: number, ca: string): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    let stapled: Buffer | null = null;
    const socket = tlsConnect({
      host: '127.0.0.1',
      port,
      servername: 'localhost',
      ca,
      requestOCSP: true,
    } as ConnectionOptions);
    socket.once('OCSPResponse', (response: Buffer | null) => {
      stapled = response && response.length ? response : null;
    });
    socket.once('secureConnect', () => {
      socket.end();
      resolve(stapled);
    });
    socket.once('error', reject);
  });
}

/** OpenSSL's own verdict on a response: "<cert>: good" and "Response verify OK". */
function opensslVerdict(dir: string, der: Buffer): string {
  const file = join(dir, `stapled-${Date.now()}.der`);
  writeFileSync(file, der);
  return execFileSync(
    'openssl',
    [
      'ocsp',
      '-respin',
      file,
      '-issuer',
      join(dir, 'ca.pem'),
      '-cert',
      join(dir, 'server.crt'),
      '-CAfile',
      join(dir, 'ca.pem'),
    ],
    { stdio: 'pipe', encoding: 'utf8' },
  );
}

/**
 * A throw-away CA made with the openssl CLI, a server certificate naming an OCSP responder in its AIA, and
 * that responder (`openssl ocsp -index`) as a child process on loopback.
 */
describe('OCSP stapling', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcart-ocsp-'));
  let responder: ChildProcess | undefined;
  let testApp: TestApp;
  let caPem = '';

  beforeAll(async () => {
    const port = await freePort();
    openssl(
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '30',
      '-subj',
      '/CN=MCart OCSP test CA',
      '-keyout',
      join(dir, 'ca.key'),
      '-out',
      join(dir, 'ca.pem'),
    );
    openssl(
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-subj',
      '/CN=localhost',
      '-keyout',
      join(dir, 'server.key'),
      '-out',
      join(dir, 'server.csr'),
    );
    writeFileSync(
      join(dir, 'ext.cnf'),
      `subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\n` +
        `extendedKeyUsage=serverAuth\nauthorityInfoAccess=OCSP;URI:http://127.0.0.1:${port}/\n`,
    );
    openssl(
      'x509',
      '-req',
      '-in',
      join(dir, 'server.csr'),
      '-CA',
      join(dir, 'ca.pem'),
      '-CAkey',
      join(dir, 'ca.key'),
      '-set_serial',
      '0x4d43415254',
      '-days',
      '20',
      '-extfile',
      join(dir, 'ext.cnf'),
      '-out',
      join(dir, 'server.crt'),
    );
    caPem = readFileSync(join(dir, 'ca.pem'), 'utf8');
    writeFileSync(join(dir, 'chain.crt'), readFileSync(join(dir, 'server.crt'), 'utf8') + caPem);
    // The responder's database: one valid certificate (V, expiry, no revocation, serial, file, subject).
    const cert = new X509Certificate(readFileSync(join(dir, 'server.crt')));
    const expiry = new Date(cert.validTo).toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
    writeFileSync(join(dir, 'index.txt'), `V\t${expiry}\t\t${cert.serialNumber}\tunknown\t/CN=localhost\n`);

    responder = spawn(
      'openssl',
      [
        'ocsp',
        '-index',
        join(dir, 'index.txt'),
        '-port',
        String(port),
        '-rsigner',
        join(dir, 'ca.pem'),
        '-rkey',
        join(dir, 'ca.key'),
        '-CA',
        join(dir, 'ca.pem'),
        '-nmin',
        '10',
        '-ignore_err',
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await listening(responder);

    testApp = await buildTestApp(
      { TLS: 'on' },
      { tlsFiles: { certFile: join(dir, 'chain.crt'), keyFile: join(dir, 'server.key') } },
    );
    await testApp.app.listen({ host: '127.0.0.1', port: 0 });
  }, 60_000);

  afterAll(async () => {
    await testApp?.close();
    responder?.kill('SIGTERM');
  });

  it('fetches a verified response from the CA and staples it in the handshake', async () => {
    const stapler = testApp.app.ocsp!;
    expect(stapler).not.toBeNull();
    // The server fetched one in the background as it started...
    await expect.poll(() => stapler.current(), { timeout: 20_000 }).toBeInstanceOf(Buffer);
    // ...and fetches again on demand.
    const status = await stapler.refresh();
    expect(status.status).toBe('good');
    // -nmin 10: the response is current for ten minutes, and is fetched again halfway.
    const left = status.nextUpdate!.getTime() - Date.now();
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(10 * 60_000 + 5_000);
    expect(OcspStapler.nextRefreshIn(status)).toBeLessThan(left);

    const { port } = testApp.app.server.address() as AddressInfo;
    const stapled = await stapledResponse(port, caPem);
    expect(stapled).not.toBeNull();
    const verdict = opensslVerdict(dir, stapled!);
    expect(verdict).toContain('server.crt: good');
  });

  it('refuses a response whose signature does not verify, or one about another certificate', async () => {
    const [leaf, issuer] = parseChain(readFileSync(join(dir, 'chain.crt')));
    const good = testApp.app.ocsp!.current()!;
    expect(checkOcspResponse(good, leaf!, issuer!).status).toBe('good');
    // Flip a byte of the signed part (inside the serial's hash of the response data).
    const tampered = Buffer.from(good);
    const at = tampered.indexOf(Buffer.from('4d43415254', 'hex'));
    expect(at).toBeGreaterThan(0);
    tampered[at + 4]! ^= 0x01;
    expect(() => checkOcspResponse(tampered, leaf!, issuer!)).toThrow(/signature does not verify/);
    // The CA certificate itself is not what the response speaks about.
    expect(() => checkOcspResponse(good, issuer!, issuer!)).toThrow(/not about this certificate/);
  });

  it('does nothing for the self-signed default certificate', async () => {
    const plain = await buildTestApp({ TLS: 'on' });
    try {
      expect(plain.app.ocsp).toBeNull();
      await plain.app.listen({ host: '127.0.0.1', port: 0 });
      const { port } = plain.app.server.address() as AddressInfo;
      const ca = readFileSync(plain.config.tlsFiles!.certFile, 'utf8');
      expect(await stapledResponse(port, ca)).toBeNull();
    } finally {
      await plain.close();
    }
  });
});

/** The SHA-256 fingerprint of the certificate a new handshake gets. */
function servedFingerprint(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({
      host: '127.0.0.1',
      port,
      servername: 'localhost',
      rejectUnauthorized: false,
    });
    socket.once('secureConnect', () => {
      const fingerprint = socket.getPeerX509Certificate()!.fingerprint256;
      socket.end();
      resolve(fingerprint);
    });
    socket.once('error', reject);
  });
}

describe('certificate renewal', () => {
  it('makes the generated certificate again when it is about to expire, and keeps it otherwise', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mcart-selfsigned-'));
    const first = await ensureSelfSignedCertificate(dataDir);
    const original = new X509Certificate(readFileSync(first.certFile));
    expect((await ensureSelfSignedCertificate(dataDir)).certFile).toBe(first.certFile);
    expect(new X509Certificate(readFileSync(first.certFile)).fingerprint256).toBe(original.fingerprint256);
    // One that expires tomorrow (a store started two years ago and never restarted since).
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-keyout',
      first.keyFile,
      '-out',
      first.certFile,
    );
    await ensureSelfSignedCertificate(dataDir);
    const renewed = new X509Certificate(readFileSync(first.certFile));
    expect(Date.parse(renewed.validTo) - Date.now()).toBeGreaterThan(365 * 86_400_000);
  });

  it('serves a renewed certificate without a restart, keeping the old one while the new pair does not load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcart-renew-'));
    const make = (name: string) => {
      openssl(
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        join(dir, `${name}.key`),
        '-out',
        join(dir, `${name}.crt`),
      );
      return new X509Certificate(readFileSync(join(dir, `${name}.crt`))).fingerprint256;
    };
    const before = make('old');
    const renewed = make('new');
    const certFile = join(dir, 'server.crt');
    const keyFile = join(dir, 'server.key');
    copyFileSync(join(dir, 'old.crt'), certFile);
    copyFileSync(join(dir, 'old.key'), keyFile);
    const server = await buildTestApp(
      { TLS: 'on' },
      { tlsFiles: { certFile, keyFile }, tlsReloadIntervalMs: 100 },
    );
    try {
      await server.app.listen({ host: '127.0.0.1', port: 0 });
      const { port } = server.app.server.address() as AddressInfo;
      expect(await servedFingerprint(port)).toBe(before);

      // Renewal half done (certificate written, key not yet): the pair does not load, the old one stays.
      copyFileSync(join(dir, 'new.crt'), certFile);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await servedFingerprint(port)).toBe(before);

      copyFileSync(join(dir, 'new.key'), keyFile);
      await expect.poll(() => servedFingerprint(port), { timeout: 5_000, interval: 100 }).toBe(renewed);
    } finally {
      await server.close();
    }
  });
});
