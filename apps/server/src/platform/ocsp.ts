import { createHash, verify as verifySignature, X509Certificate, type KeyObject } from 'node:crypto';

/**
 * OCSP stapling (RFC 6960, RFC 6066 status_request): the server fetches a signed "this certificate is
 * good until <nextUpdate>" from its CA's OCSP responder, keeps it, and hands it to every client that
 * asks during the handshake ('OCSPRequest' event of Node's TLS server). Clients then need not ask the CA
 * themselves (privacy, latency, and no soft-fail when the responder is down).
 *
 * Only a certificate with an OCSP responder URL (Authority Information Access) and its issuer in the
 * chain file gets a stapler; the self-signed default has neither, and nothing happens.
 *
 * The DER handled here is a small fixed shape (one CertID out, one BasicOCSPResponse in), so it is read
 * and written by hand; signatures are checked with node:crypto. See docs/adr/0037.
 */

// ---------------------------------------------------------------- DER, the little we need

interface Der {
  tag: number;
  /** The whole element: tag, length and value. */
  raw: Buffer;
  value: Buffer;
}

function readDer(buf: Buffer, offset = 0): Der & { end: number } {
  if (offset + 2 > buf.length) throw new OcspError('truncated DER');
  const tag = buf[offset]!;
  let length = buf[offset + 1]!;
  let header = 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes < 1 || bytes > 4 || offset + 2 + bytes > buf.length) throw new OcspError('bad DER length');
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + buf[offset + 2 + i]!;
    header += bytes;
  }
  const end = offset + header + length;
  if (end > buf.length) throw new OcspError('truncated DER');
  return {
    tag,
    raw: buf.subarray(offset, end),
    value: buf.subarray(offset + header, end),
    end,
  };
}

function childrenOf(node: Der): Der[] {
  const out: Der[] = [];
  let offset = 0;
  while (offset < node.value.length) {
    const child = readDer(node.value, offset);
    out.push(child);
    offset = child.end;
  }
  return out;
}

function encodeDer(tag: number, ...parts: Buffer[]): Buffer {
  const value = Buffer.concat(parts);
  const n = value.length;
  let length: Buffer;
  if (n < 0x80) length = Buffer.from([n]);
  else {
    const bytes: number[] = [];
    for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
    length = Buffer.from([0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([Buffer.from([tag]), length, value]);
}

const SEQUENCE = 0x30;
const OCTET_STRING = 0x04;
const SHA1_ALGORITHM = Buffer.from('300906052b0e03021a0500', 'hex'); // { sha1, NULL }
const BASIC_RESPONSE_OID = Buffer.from('2b0601050507300101', 'hex'); // id-pkix-ocsp-basic
const OCSP_SIGNING_EKU = '1.3.6.1.5.5.7.3.9';

/** Signature algorithms of OCSP responses we can check (value of the OID) → digest for crypto.verify. */
const SIGNATURE_DIGESTS: Record<string, string | null> = {
  '2a864886f70d010105': 'sha1', // sha1WithRSAEncryption
  '2a864886f70d01010b': 'sha256', // sha256WithRSAEncryption
  '2a864886f70d01010c': 'sha384',
  '2a864886f70d01010d': 'sha512',
  '2a8648ce3d040302': 'sha256', // ecdsa-with-SHA256
  '2a8648ce3d040303': 'sha384',
  '2a8648ce3d040304': 'sha512',
  '2b6570': null, // Ed25519
};

function generalizedTime(node: Der): Date {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.\d+)?Z$/.exec(node.value.toString('latin1'));
  if (node.tag !== 0x18 || !match) throw new OcspError('bad GeneralizedTime');
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  return new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
}

// ---------------------------------------------------------------- certificates

export class OcspError extends Error {
  override name = 'OcspError';
}

/** tbsCertificate fields: serial number, issuer name and public key info, as DER. */
function certificateParts(cert: X509Certificate) {
  const tbs = childrenOf(childrenOf(readDer(cert.raw))[0]!);
  const first = tbs[0]!.tag === 0xa0 ? 1 : 0; // [0] version is optional
  return { serial: tbs[first]!, issuer: tbs[first + 2]!, spki: tbs[first + 5]! };
}

/** CertID (RFC 6960 §4.1.1) of `leaf`, with SHA-1 as every responder supports it. */
function certId(leaf: X509Certificate, issuer: X509Certificate): Buffer {
  const { serial, issuer: issuerName } = certificateParts(leaf);
  const issuerKeyBits = childrenOf(certificateParts(issuer).spki)[1]!.value.subarray(1); // skip unused-bits byte
  const sha1 = (data: Buffer) => createHash('sha1').update(data).digest();
  return encodeDer(
    SEQUENCE,
    SHA1_ALGORITHM,
    encodeDer(OCTET_STRING, sha1(issuerName.raw)),
    encodeDer(OCTET_STRING, sha1(issuerKeyBits)),
    serial.raw,
  );
}

/** The OCSP responder URL of a certificate's Authority Information Access, if any. */
export function ocspUrlOf(cert: X509Certificate): string | undefined {
  const match = /OCSP - URI:(\S+)/.exec(cert.infoAccess ?? '');
  return match?.[1];
}

/** The certificates of a PEM chain file, leaf first. */
export function parseChain(pem: string | Buffer): X509Certificate[] {
  const blocks = pem.toString().match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => new X509Certificate(block));
}

export function buildOcspRequest(leaf: X509Certificate, issuer: X509Certificate): Buffer {
  // OCSPRequest { tbsRequest { requestList { Request { reqCert } } } }, no nonce: a stapled response is shared.
  return encodeDer(
    SEQUENCE,
    encodeDer(SEQUENCE, encodeDer(SEQUENCE, encodeDer(SEQUENCE, certId(leaf, issuer)))),
  );
}

export interface OcspStatus {
  status: 'good' | 'revoked' | 'unknown';
  thisUpdate: Date;
  nextUpdate: Date | undefined;
}

/**
 * Reads an OCSP response for `leaf` and checks it as a client would: successful, signed by the issuer
 * or by a responder certificate the issuer delegated OCSP signing to, about this very certificate, and
 * current. Throws OcspError otherwise.
 */
export function checkOcspResponse(
  der: Buffer,
  leaf: X509Certificate,
  issuer: X509Certificate,
  now = new Date(),
): OcspStatus {
  const top = childrenOf(readDer(der));
  const status = top[0]?.value[0];
  if (top[0]?.tag !== 0x0a || status !== 0) throw new OcspError(`responder answered status ${status ?? '?'}`);
  const bytes = top[1] && top[1].tag === 0xa0 ? childrenOf(childrenOf(top[1])[0]!) : [];
  if (!bytes[0] || !bytes[0].value.equals(BASIC_RESPONSE_OID) || !bytes[1]) {
    throw new OcspError('not a basic OCSP response');
  }
  const [tbs, algorithm, signature, certs] = childrenOf(readDer(bytes[1].value));
  if (!tbs || !algorithm || !signature) throw new OcspError('incomplete OCSP response');

  // Signature: by the issuer itself, or by a certificate it issued for OCSP signing (sent in `certs`).
  const oid = childrenOf(algorithm)[0]!.value.toString('hex');
  if (!(oid in SIGNATURE_DIGESTS)) throw new OcspError(`unsupported signature algorithm ${oid}`);
  const signers: KeyObject[] = [issuer.publicKey];
  for (const node of certs && certs.tag === 0xa0 ? childrenOf(childrenOf(certs)[0]!) : []) {
    const responder = new X509Certificate(node.raw);
    if (
      responder.checkIssued(issuer) &&
      responder.verify(issuer.publicKey) &&
      (responder.keyUsage ?? []).includes(OCSP_SIGNING_EKU) &&
      new Date(responder.validTo) > now
    ) {
      signers.push(responder.publicKey);
    }
  }
  const signed = signers.some((key) =>
    verifySignature(SIGNATURE_DIGESTS[oid] ?? null, tbs.raw, key, signature.value.subarray(1)),
  );
  if (!signed) throw new OcspError('OCSP response signature does not verify against the issuer');

  const fields = childrenOf(tbs);
  const responses = fields.find((f) => f.tag === SEQUENCE);
  const expected = childrenOf(readDer(certId(leaf, issuer)));
  for (const single of responses ? childrenOf(responses) : []) {
    const parts = childrenOf(single);
    const id = childrenOf(parts[0]!);
    // Same issuer name hash, key hash and serial (the hash algorithm is the one we asked for).
    if (![1, 2, 3].every((i) => id[i]?.raw.equals(expected[i]!.raw))) continue;
    const state = parts[1]!.tag & 0x1f;
    const thisUpdate = generalizedTime(parts[2]!);
    const next = parts[3]?.tag === 0xa0 ? generalizedTime(childrenOf(parts[3])[0]!) : undefined;
    if (thisUpdate.getTime() > now.getTime() + 5 * 60_000)
      throw new OcspError('OCSP response from the future');
    if (next && next <= now) throw new OcspError('OCSP response expired');
    return {
      status: state === 0 ? 'good' : state === 1 ? 'revoked' : 'unknown',
      thisUpdate,
      nextUpdate: next,
    };
  }
  throw new OcspError('the OCSP response is not about this certificate');
}

// ---------------------------------------------------------------- the stapler

interface Log {
  info: (obj: object, msg: string) => void;
  warn: (obj: object, msg: string) => void;
}

/** Without nextUpdate a response is refreshed hourly; failures are retried sooner, then less often. */
const DEFAULT_REFRESH_MS = 3600_000;
const RETRY_MIN_MS = 60_000;

export class OcspStapler {
  private response: { der: Buffer; status: OcspStatus } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private stopped = false;

  private constructor(
    readonly url: string,
    private readonly leaf: X509Certificate,
    private readonly issuer: X509Certificate,
    private readonly log: Log,
    private readonly fetchImpl: typeof fetch,
  ) {}

  /** A stapler for the chain's leaf, or undefined when it names no OCSP responder or lacks its issuer. */
  static forChain(pem: string | Buffer, log: Log, fetchImpl: typeof fetch = fetch): OcspStapler | undefined {
    const [leaf, ...rest] = parseChain(pem);
    if (!leaf) return undefined;
    const url = ocspUrlOf(leaf);
    const issuer = rest.find((candidate) => leaf.checkIssued(candidate) && leaf.verify(candidate.publicKey));
    if (!url) return undefined;
    if (!issuer) {
      log.warn(
        { url },
        'OCSP stapling off: the certificate file lacks the issuer certificate (put the chain in it)',
      );
      return undefined;
    }
    return new OcspStapler(url, leaf, issuer, log, fetchImpl);
  }

  /** The response to staple now: only a current one (a client would refuse an expired response). */
  current(now = new Date()): Buffer | undefined {
    const next = this.response?.status.nextUpdate;
    if (!this.response || (next && next <= now)) return undefined;
    return this.response.der;
  }

  /** Node's 'OCSPRequest' listener: staples the cached response, or nothing. */
  readonly onOcspRequest = (
    _certificate: Buffer,
    _issuer: Buffer,
    callback: (err: Error | null, response?: Buffer) => void,
  ) => {
    const der = this.current();
    if (der) callback(null, der);
    else callback(null);
  };

  /** Fetches and checks a fresh response; keeps the previous one (while current) when that fails. */
  async refresh(): Promise<OcspStatus> {
    const response = await this.fetchImpl(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/ocsp-request', accept: 'application/ocsp-response' },
      body: new Uint8Array(buildOcspRequest(this.leaf, this.issuer)),
      signal: AbortSignal.timeout(15_000),
    });
    if (!response.ok) throw new OcspError(`OCSP responder answered HTTP ${response.status}`);
    const der = Buffer.from(await response.arrayBuffer());
    const status = checkOcspResponse(der, this.leaf, this.issuer);
    this.response = { der, status };
    if (status.status !== 'good')
      this.log.warn({ url: this.url, status: status.status }, 'OCSP: the certificate is not good');
    return status;
  }

  /**
   * When to fetch again: halfway to nextUpdate, so a responder outage of up to half the validity period
   * never leaves the server without a current response.
   */
  static nextRefreshIn(status: OcspStatus | undefined, now = new Date()): number {
    if (!status?.nextUpdate) return DEFAULT_REFRESH_MS;
    const left = status.nextUpdate.getTime() - now.getTime();
    return Math.max(RETRY_MIN_MS, left / 2);
  }

  /** Fetches now and keeps the response fresh until stop(); never throws (a failure only logs). */
  start(): Promise<void> {
    const tick = async () => {
      let delay: number;
      try {
        const status = await this.refresh();
        this.failures = 0;
        delay = OcspStapler.nextRefreshIn(status);
        this.log.info(
          { url: this.url, status: status.status, nextUpdate: status.nextUpdate },
          'OCSP response stapled',
        );
      } catch (err) {
        this.failures++;
        delay = Math.min(DEFAULT_REFRESH_MS, RETRY_MIN_MS * 2 ** (this.failures - 1));
        this.log.warn({ err, url: this.url, retryInMs: delay }, 'OCSP fetch failed');
      }
      if (this.stopped) return;
      this.timer = setTimeout(() => void tick(), delay);
      this.timer.unref();
    };
    return tick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }
}
