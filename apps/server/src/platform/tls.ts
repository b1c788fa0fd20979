import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants, X509Certificate } from 'node:crypto';
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import { generate } from 'selfsigned';

export interface TlsFiles {
  certFile?: string | undefined;
  keyFile?: string | undefined;
}

/**
 * Forward-secret AEAD suites only (TLS 1.2); TLS 1.3 suites are all forward secret and set by Node.
 * Matches Mozilla's "intermediate" profile.
 */
const TLS12_CIPHERS = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

/** Generates a self-signed certificate for localhost once and keeps it in the data folder. */
export async function ensureSelfSignedCertificate(
  dataDir: string,
): Promise<{ certFile: string; keyFile: string }> {
  const dir = join(dataDir, 'tls');
  const certFile = join(dir, 'localhost.crt');
  const keyFile = join(dir, 'localhost.key');
  // Kept until 30 days before it expires, then made again (a store running for years would otherwise start
  // failing every handshake on the day it expires). The new one has a new fingerprint to trust.
  if (existsSync(certFile) && existsSync(keyFile) && !expiresWithin(certFile, 30))
    return { certFile, keyFile };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const notAfterDate = new Date();
  notAfterDate.setFullYear(notAfterDate.getFullYear() + 2);
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  writeFileSync(keyFile, pems.private, { mode: 0o600 });
  writeFileSync(certFile, pems.cert, { mode: 0o644 });
  return { certFile, keyFile };
}

function expiresWithin(certFile: string, days: number): boolean {
  try {
    const validTo = new X509Certificate(readFileSync(certFile)).validTo;
    return Date.parse(validTo) - Date.now() < days * 86_400_000;
  } catch {
    return true; // unreadable: make a new one
  }
}

/** How often the certificate files are checked for a renewal (certbot, cert-manager, ...). */
export const CERTIFICATE_CHECK_INTERVAL_MS = 60_000;

/**
 * Watches the certificate and key files and hands over new TLS options when they change, so a renewed
 * certificate (a 90-day one renewed by certbot or cert-manager) is served without a restart; until now the
 * files were read once at start, and the old certificate was served until it expired. A pair that does not
 * load (the key not written yet, a key of another certificate) is retried at the next check, the current
 * one staying in use.
 */
export function watchCertificateFiles(
  files: { certFile: string; keyFile: string },
  onChange: (options: ReturnType<typeof httpsOptions>) => void,
  onError: (err: unknown) => void,
  intervalMs = CERTIFICATE_CHECK_INTERVAL_MS,
): () => void {
  const stamp = () =>
    [files.certFile, files.keyFile]
      .map((file) => {
        const { mtimeMs, size, ino } = statSync(file);
        return `${ino}:${mtimeMs}:${size}`;
      })
      .join('|');
  let seen = stamp();
  const timer = setInterval(() => {
    try {
      const now = stamp();
      if (now === seen) return;
      const options = httpsOptions(files);
      createSecureContext(options); // throws on a key that does not match the certificate
      seen = now;
      onChange(options);
    } catch (err) {
      onError(err);
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

export function httpsOptions(files: { certFile: string; keyFile: string }): SecureContextOptions & {
  honorCipherOrder: boolean;
} {
  return {
    cert: readFileSync(files.certFile),
    key: readFileSync(files.keyFile),
    minVersion: 'TLSv1.2',
    ciphers: TLS12_CIPHERS,
    honorCipherOrder: true,
    // No renegotiation, no compression (CRIME), no session tickets with a never-rotated key.
    secureOptions:
      constants.SSL_OP_NO_RENEGOTIATION | constants.SSL_OP_NO_COMPRESSION | constants.SSL_OP_NO_TICKET,
  };
}
