import { X509Certificate } from 'node:crypto';
import { connect, type PeerCertificate } from 'node:tls';
import type { CertificateProbe } from '../shared/ipc.ts';
import { parseServerUrl } from '../shared/server-url.ts';

/** SHA-256 fingerprint of a PEM certificate, in the `AB:CD:...` form users compare with OpenSSL. */
export function fingerprintOfPem(pem: string): string | null {
  try {
    return new X509Certificate(pem).fingerprint256;
  } catch {
    return null;
  }
}

/** WebSocket schemes share the TLS endpoint (and so the pin) of their http counterpart. */
const PIN_SCHEME: Readonly<Record<string, string>> = {
  'https:': 'https:',
  'http:': 'http:',
  'wss:': 'https:',
  'ws:': 'http:',
};

/**
 * The key a request's certificate is pinned under: the `https://host:port` origin the user trusted.
 * The live connection (socket.io) reaches the same server as `wss://host:port/socket.io/...`, so
 * `wss:` maps to `https:` and `ws:` to `http:`, host and port unchanged (default ports stay default:
 * 443 for both wss and https). Other schemes have no pin.
 */
export function pinOriginOf(requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  const scheme = PIN_SCHEME[url.protocol];
  if (!scheme || !url.host) return null;
  return `${scheme}//${url.host}`;
}

/**
 * Decides Chromium's `certificate-error` for a request: only an origin the user pinned, and only
 * with exactly the pinned certificate. Everything else keeps Chromium's refusal.
 */
export function isPinnedCertificate(
  trusted: Readonly<Record<string, string>>,
  requestUrl: string,
  certificatePem: string,
): boolean {
  const origin = pinOriginOf(requestUrl);
  if (!origin) return false;
  const pinned = trusted[origin];
  if (!pinned) return false;
  return fingerprintOfPem(certificatePem) === pinned;
}

/**
 * Connects once to read the certificate the server presents, so the user can compare its
 * fingerprint with the one the server printed at start before trusting it. No request is sent.
 */
export function probeCertificate(input: string, timeoutMs = 5000): Promise<CertificateProbe> {
  const parsed = parseServerUrl(input);
  if (!parsed.ok) return Promise.reject(new Error(`Invalid server address (${parsed.reason})`));
  const url = new URL(parsed.origin);
  if (url.protocol !== 'https:') return Promise.reject(new Error('Only https servers present a certificate'));
  const port = Number(url.port || 443);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolvePromise, reject) => {
    const socket = connect({
      host,
      port,
      servername: /^[\d.]+$|:/.test(host) ? undefined : host,
      // We only read the certificate here; trust is decided by the user's pin, not by this socket.
      rejectUnauthorized: false,
      timeout: timeoutMs,
    });
    const fail = (error: Error): void => {
      socket.destroy();
      reject(error);
    };
    socket.once('timeout', () => fail(new Error('Timed out connecting to the server')));
    socket.once('error', fail);
    socket.once('secureConnect', () => {
      const certificate: PeerCertificate = socket.getPeerCertificate();
      socket.end();
      if (!certificate.fingerprint256) {
        reject(new Error('The server presented no certificate'));
        return;
      }
      resolvePromise({
        origin: parsed.origin,
        fingerprint: certificate.fingerprint256,
        subject: formatName(certificate.subject),
        issuer: formatName(certificate.issuer),
        validTo: new Date(certificate.valid_to).toISOString(),
        authorized: socket.authorized,
      });
    });
  });
}

function formatName(name: PeerCertificate['subject'] | undefined): string {
  if (!name) return '';
  return Object.entries(name)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : String(value)}`)
    .join(', ');
}
