import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { CronExpressionParser } from 'cron-parser';
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_STATEMENT_TIMEOUT_MS } from './platform/pg-session.ts';
import { checkRegion } from './platform/regions.ts';
import { COUNTRY_CODE_MESSAGE, countryCode as assignedCountryCode } from './platform/countries.ts';

/**
 * One typed, validated configuration, read from the environment with defaults.
 * A wrong value stops start-up with a message naming the variable.
 */
export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  publicUrl: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  dataDir: string;
  database: {
    /** Undefined on the embedded default until main.ts has started embedded PostgreSQL. */
    url: string | undefined;
    readUrl: string | undefined;
    poolMax: number;
    /** PostgreSQL `statement_timeout` of the request pools, ms; 0 = none. */
    statementTimeoutMs: number;
    /** How long opening a connection may take before it fails, ms. */
    connectTimeoutMs: number;
    /** How long a request waits for a free connection of the ORM pool before it is answered 503, ms. */
    acquireTimeoutMs: number;
    embeddedPort: number;
  };
  tls: { enabled: boolean; certFile: string | undefined; keyFile: string | undefined };
  corsOrigins: string[];
  /** Secrets: from the environment, or generated into the data folder on the embedded default (main.ts). */
  secrets: { jwt: string | undefined; encryptionKeys: string | undefined };
  admin: { email: string | undefined; password: string | undefined };
  seed: boolean;
  store: { name: string; currency: string };
  /**
   * Trusted proxies (X-Forwarded-*): false, true (any), a hop count, or a comma-separated list of addresses,
   * CIDR ranges and the names loopback / linklocal / uniquelocal (Fastify's `trustProxy`).
   */
  trustProxy: boolean | number | string;
  /** Run background jobs (e-mail, reservation expiry, backups) in this instance. */
  jobs: boolean;
  /** Minutes a checkout reservation holds stock before an unpaid order releases it. */
  reservationTtlMinutes: number;
  /** Days an open (or merged) cart without an order is kept after its last change; then `cart.purge` deletes it. */
  cartRetentionDays: number;
  /**
   * Days after delivery a customer may ask for a return (ADR 0051); 0 turns customer return requests off
   * (staff still record returns on the order).
   */
  returnWindowDays: number;
  /** One store-wide tax rate in basis points (2000 = 20%); prices either include it or have it added. */
  tax: { rateBps: number; pricesIncludeTax: boolean };
  /** Hours an Idempotency-Key and its stored answer are kept (at least 24). */
  idempotencyRetentionHours: number;
  /** Live sync (socket.io): how often sessions are re-checked, how many missed events a reconnect replays. */
  live: { recheckSeconds: number; replayLimit: number };
  /** Hours outbox events are kept once every durable consumer has handled them (replay for live clients). */
  outboxRetentionHours: number;
  /** Branding and sender details for e-mails and shipping labels. */
  branding: {
    logoUrl: string | undefined;
    primaryColor: string;
    accentColor: string;
    address: StoreAddress;
    supportEmail: string | undefined;
    /** The store's tax (VAT, GST, EIN) number, printed on invoices and credit notes as the law usually asks. */
    taxId: string | undefined;
  };
  /** E-mail: SMTP in production; without SMTP_URL messages are written to <dataDir>/mailbox. */
  mail: {
    smtpUrl: string | undefined;
    from: string;
    /** First retry delay of a failed send job; doubles with each retry (pg-boss backoff). */
    retryDelaySeconds: number;
    /** Days a finished e-mail (sent, or failed for good) is kept; then `mail.purge` deletes it. */
    retentionDays: number;
  };
  shipping: {
    /** Built-in provider's UPU S10 service indicator (two letters) and origin country. */
    trackingPrefix: string;
    /** Tracking link template for the built-in provider: `{trackingNumber}` is replaced. */
    trackingUrl: string;
    /** Parcel weight (grams) when neither staff nor the variants give one; 0 makes staff give it. */
    defaultWeightGrams: number;
    /** Hosted shipping API (EasyPost-shaped): used instead of the built-in provider when the key is set. */
    easypost: { apiKey: string | undefined; baseUrl: string };
    /** Shared secrets for signed tracking webhooks, per provider name. */
    webhookSecrets: Record<string, string>;
  };
  /** Backups (platform/backup): schedule, destination, retention. */
  backup: BackupConfig;
  /** Product images (modules/catalog): the data folder, or an S3-compatible bucket when MEDIA_S3_BUCKET is set. */
  media: MediaConfig;
  /** Overload protection (@fastify/under-pressure): 503 + Retry-After past these limits; 0 turns one off. */
  overload: {
    maxEventLoopDelayMs: number;
    maxHeapUsedBytes: number;
    maxRssBytes: number;
    retryAfterSeconds: number;
  };
  /** Prometheus /metrics: a bearer token on the main port, and/or a separate port bound to 127.0.0.1. */
  metrics: { token: string | undefined; port: number | undefined };
  /** Redis for shared rate-limit counters; without it they live in PostgreSQL. */
  redisUrl: string | undefined;
  /** Sign-in protection and social login (modules/identity). */
  auth: AuthConfig;
  payments: PaymentsConfig;
}

export interface PaymentsConfig {
  /** The active gateway: the built-in test gateway (embedded default) or Stripe. */
  provider: 'test' | 'stripe';
  /** `automatic`: money is taken at checkout; `manual`: only authorized, captured later by the orders module. */
  capture: 'automatic' | 'manual';
  stripe: {
    secretKey: string | undefined;
    webhookSecret: string | undefined;
    /** Another Stripe API base (stripe-mock, tests); undefined = api.stripe.com. */
    apiUrl: string | undefined;
  };
  /** HMAC secret of the test gateway's webhooks; generated into the data folder's secrets when absent. */
  testGatewayWebhookSecret: string | undefined;
  /** A payment left in flight (pending, capturing) this long is reconciled with the gateway by a job. */
  reconcileAfterMinutes: number;
  /** Days a gateway event id is remembered (webhook de-duplication); then `payments.purge` deletes it. */
  webhookEventRetentionDays: number;
}

/** An S3-compatible bucket (AWS, MinIO, R2, B2...). */
export interface S3Config {
  bucket: string;
  endpoint: string | undefined;
  region: string;
  prefix: string;
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
  forcePathStyle: boolean;
}

export interface BackupConfig {
  /** Cron expression (UTC) for automatic backups, or null when turned off (BACKUP_CRON=off). */
  cron: string | null;
  /**
   * Cron expression (UTC) of the restore drill (platform/backup/drill.ts: the newest succeeded backup restored
   * into a scratch database and checked), or null when turned off (BACKUP_DRILL_CRON=off). Always set by
   * loadConfig; optional for callers that build a BackupConfig only for its storage.
   */
  drillCron?: string | null;
  /**
   * An empty database the drill restores into, wiped before and after (BACKUP_DRILL_DATABASE_URL); unset: a
   * scratch database `mcart_drill_<random>` created on DATABASE_URL's server and dropped after.
   */
  drillDatabaseUrl?: string | undefined;
  dir: string;
  keepDaily: number;
  keepWeekly: number;
  s3: S3Config | undefined;
}

export interface MediaConfig {
  /** Folder of stored images (originals and resized variants) when no bucket is configured. */
  dir: string;
  /** Largest accepted upload; bigger files are refused with 413. */
  maxUploadBytes: number;
  s3: S3Config | undefined;
}

export interface OAuthClientConfig {
  clientId: string;
  clientSecret: string;
}

export interface AuthConfig {
  /** Attempts per account (e-mail) and per client IP within one window, for login, registration and password reset. */
  accountLimit: number;
  ipLimit: number;
  limitWindowSeconds: number;
  /**
   * The longest a session (one refresh-token family) lasts from its sign-in, in seconds, however often it is
   * refreshed; then refresh answers 401 MCART_ERR_SESSION_EXPIRED and the person signs in again (ADR 0004).
   */
  sessionMaxSeconds: { staff: number; customer: number };
  oauth: {
    /** Where a finished social sign-in sends the browser with a one-time `code` (or an `error`). */
    returnUrl: string | undefined;
    facebook: OAuthClientConfig | undefined;
    twitter: OAuthClientConfig | undefined;
    oidc: (OAuthClientConfig & { issuer: string; name: string }) | undefined;
  };
}

export interface StoreAddress {
  name: string;
  line1: string;
  line2: string | undefined;
  city: string;
  postalCode: string;
  /** State or province; for US and CA its 2-letter code (platform/regions.ts). */
  region: string | undefined;
  country: string;
  phone: string | undefined;
}

/** Origin of the Electron renderer (apps/desktop/src/main/app-protocol.ts). */
export const DESKTOP_APP_ORIGIN = 'app://mcart';

/**
 * The default for `DATABASE_ACQUIRE_TIMEOUT_MS`: how long a request waits for a free connection of the ORM
 * pool before it is answered 503 (knex's own default was 60 s, a request held a minute by a stuck pool).
 */
export const DEFAULT_ACQUIRE_TIMEOUT_MS = 3000;

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`Invalid configuration: ${variable} ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** The shortest WEBHOOK_EVENT_RETENTION_DAYS accepted (see `webhookEventRetentionDays`). */
export const MIN_WEBHOOK_EVENT_RETENTION_DAYS = 7;

function str(env: Env, name: string, fallback: string): string;
function str(env: Env, name: string): string | undefined;
function str(env: Env, name: string, fallback?: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? fallback : value;
}

/** A tax number as tax offices write them: `FR 12 345678901`, `DE123456789`, `12-3456789`, `GB123 4567 89`. */
function taxId(env: Env, name: string): string | undefined {
  const value = str(env, name)?.replace(/\s+/g, ' ');
  if (value === undefined) return undefined;
  if (!/^[A-Za-z0-9][A-Za-z0-9 .\-/]{1,39}$/.test(value))
    throw new ConfigError(
      name,
      `must be 2-40 letters, digits, spaces, dots, dashes or slashes, got "${value}"`,
    );
  return value;
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = str(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max)
    throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

/**
 * WEBHOOK_EVENT_RETENTION_DAYS: a provider retries a webhook for days (Stripe: up to 3); an event id forgotten
 * before its last retry would be applied twice, so anything under a week is refused.
 */
function webhookEventRetentionDays(env: Env): number {
  const days = int(env, 'WEBHOOK_EVENT_RETENTION_DAYS', 30, 0, 3650);
  if (days < MIN_WEBHOOK_EVENT_RETENTION_DAYS) {
    throw new ConfigError(
      'WEBHOOK_EVENT_RETENTION_DAYS',
      `must be at least ${MIN_WEBHOOK_EVENT_RETENTION_DAYS} days, got ${days}: payment providers retry a webhook ` +
        'for days (Stripe up to 3), and an event forgotten before its last retry could be applied twice',
    );
  }
  return days;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = str(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['on', 'true', '1', 'yes'].includes(raw)) return true;
  if (['off', 'false', '0', 'no'].includes(raw)) return false;
  throw new ConfigError(name, `must be on or off, got "${raw}"`);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = str(env, name);
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function postgresUrl(env: Env, name: string): string | undefined {
  const raw = str(env, name);
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, 'must be a postgres:// URL');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(name, 'must be a postgres:// URL');
  }
  return raw;
}

function cron(env: Env, name: string, fallback: string): string | null {
  const raw = str(env, name, fallback);
  if (raw.toLowerCase() === 'off') return null;
  try {
    CronExpressionParser.parse(raw, { tz: 'UTC' });
  } catch {
    throw new ConfigError(name, `must be a cron expression such as "0 */6 * * *" (or off), got "${raw}"`);
  }
  if (raw.trim().split(/\s+/).length !== 5)
    throw new ConfigError(name, `must have five fields (minute hour day month weekday), got "${raw}"`);
  return raw;
}

/**
 * BACKUP_DRILL_DATABASE_URL: everything in it is dropped before and after each drill, so it must never be the
 * shop's own database (the drill checks that again against the server, for URLs that differ only in spelling).
 */
function drillDatabaseUrl(env: Env): string | undefined {
  const raw = postgresUrl(env, 'BACKUP_DRILL_DATABASE_URL');
  if (raw === undefined) return undefined;
  const shop = str(env, 'DATABASE_URL');
  if (shop !== undefined && sameDatabase(raw, shop))
    throw new ConfigError(
      'BACKUP_DRILL_DATABASE_URL',
      "names the shop's own database (DATABASE_URL); the restore drill wipes it: give it an empty database of its own",
    );
  return raw;
}

const sameDatabase = (a: string, b: string) => {
  const key = (raw: string) => {
    const url = new URL(raw);
    return `${url.hostname.toLowerCase()}:${url.port || '5432'}${decodeURIComponent(url.pathname)}`;
  };
  return key(a) === key(b);
};

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** TRUST_PROXY: on/off, a hop count, or the balancers' addresses (IPs, CIDR ranges, proxy-addr names). */
function trustProxy(env: Env): boolean | number | string {
  const raw = str(env, 'TRUST_PROXY');
  if (raw === undefined) return false;
  const lower = raw.toLowerCase();
  if (['true', 'on', 'yes'].includes(lower)) return true;
  if (['false', 'off', 'no'].includes(lower)) return false;
  if (/^\d+$/.test(raw)) return int(env, 'TRUST_PROXY', 0, 0, 100);
  const entries = raw.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    const [address, prefix, ...rest] = entry.split('/');
    const version = isIP(address ?? '');
    const validPrefix =
      prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= (version === 6 ? 128 : 32));
    if (!PROXY_NAMES.has(entry) && (!version || !validPrefix || rest.length)) {
      throw new ConfigError(
        'TRUST_PROXY',
        `must be true, false, a hop count, or proxy addresses (IP, CIDR, loopback, linklocal, uniquelocal), got "${entry}"`,
      );
    }
  }
  return entries.join(',');
}

function redisUrl(env: Env, name: string): string | undefined {
  const raw = str(env, name);
  if (raw === undefined) return undefined;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new Error();
  } catch {
    throw new ConfigError(name, 'must be a redis:// or rediss:// URL');
  }
  return raw;
}

function httpUrl(env: Env, name: string, fallback: string): string {
  const raw = str(env, name, fallback);
  try {
    const url = new URL(raw);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error();
  } catch {
    throw new ConfigError(name, `must be an http(s) URL, got "${raw}"`);
  }
  return raw.replace(/\/$/, '');
}

/**
 * CORS_ORIGINS: origins exactly as browsers send them (`https://shop.example.com`, with a port when not the
 * default). A trailing slash or a path would never match an `Origin` header, so the shop would fail in every
 * browser with nothing in the server's log: refused at start instead. `*` is refused too: the store API takes
 * bearer tokens, and naming the shop's origins is what keeps other sites' scripts out of it.
 */
function corsOrigins(env: Env): string[] {
  const entries = (str(env, 'CORS_ORIGINS') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return entries.map((entry) => {
    if (entry === '*') {
      throw new ConfigError('CORS_ORIGINS', 'must list the shop origins (https://shop.example.com), not "*"');
    }
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      throw new ConfigError('CORS_ORIGINS', `"${entry}" is not an origin such as https://shop.example.com`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new ConfigError('CORS_ORIGINS', `"${entry}" must be an http(s) origin`);
    }
    if (url.origin !== entry) {
      throw new ConfigError(
        'CORS_ORIGINS',
        `"${entry}" is not an origin (scheme, host and port only): browsers send "${url.origin}"`,
      );
    }
    return entry;
  });
}

/**
 * The store's own address (labels' sender, e-mail footer). Its region follows the checkout's rule (a US or
 * Canadian one is the 2-letter code); the demo default is Springfield, IL.
 */
function storeAddress(env: Env): StoreAddress {
  const country = countryCode(env, 'STORE_ADDRESS_COUNTRY', 'US');
  const demo = str(env, 'STORE_ADDRESS_COUNTRY') === undefined;
  const checked = checkRegion(country, str(env, 'STORE_ADDRESS_REGION', demo ? 'IL' : ''));
  if ('error' in checked) throw new ConfigError('STORE_ADDRESS_REGION', checked.error);
  return {
    name: str(env, 'STORE_ADDRESS_NAME', str(env, 'STORE_NAME', 'MCart Demo Store')),
    line1: str(env, 'STORE_ADDRESS_LINE1', '1 Market Street'),
    line2: str(env, 'STORE_ADDRESS_LINE2'),
    city: str(env, 'STORE_ADDRESS_CITY', 'Springfield'),
    postalCode: str(env, 'STORE_ADDRESS_POSTAL_CODE', '62701'),
    region: checked.region,
    country,
    phone: str(env, 'STORE_ADDRESS_PHONE'),
  };
}

function optionalHttpUrl(env: Env, name: string): string | undefined {
  return str(env, name) === undefined ? undefined : httpUrl(env, name, '');
}

function color(env: Env, name: string, fallback: string): string {
  const value = str(env, name, fallback);
  if (!/^#[0-9a-fA-F]{6}$/.test(value))
    throw new ConfigError(name, `must be a #rrggbb colour, got "${value}"`);
  return value;
}

function countryCode(env: Env, name: string, fallback: string): string {
  const value = str(env, name, fallback);
  const code = assignedCountryCode(value);
  if (!code) throw new ConfigError(name, `${COUNTRY_CODE_MESSAGE}, got "${value}"`);
  return code;
}

function smtpUrl(env: Env, name: string): string | undefined {
  const raw = str(env, name);
  if (raw === undefined) return undefined;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new Error();
  } catch {
    throw new ConfigError(name, 'must be an smtp:// or smtps:// URL');
  }
  return raw;
}

function trackingPrefix(env: Env): string {
  const value = str(env, 'SHIPPING_TRACKING_PREFIX', 'RR').toUpperCase();
  if (!/^[A-Z]{2}$/.test(value))
    throw new ConfigError('SHIPPING_TRACKING_PREFIX', `must be two letters, got "${value}"`);
  return value;
}

/** SHIPPING_WEBHOOK_SECRETS="builtin:secret1,easypost:secret2". */
function webhookSecrets(env: Env): Record<string, string> {
  const raw = str(env, 'SHIPPING_WEBHOOK_SECRETS');
  const secrets: Record<string, string> = {};
  if (raw === undefined) return secrets;
  for (const entry of raw.split(',')) {
    const index = entry.indexOf(':');
    const provider = entry.slice(0, index).trim();
    const secret = entry.slice(index + 1).trim();
    if (index < 1 || !/^[a-z0-9-]+$/.test(provider) || secret.length < 16) {
      throw new ConfigError(
        'SHIPPING_WEBHOOK_SECRETS',
        'must be provider:secret pairs (secret at least 16 characters), comma-separated',
      );
    }
    secrets[provider] = secret;
  }
  return secrets;
}

/** Both halves of a client registration, or neither (the provider is then hidden). */
function oauthClient(env: Env, prefix: string): OAuthClientConfig | undefined {
  const clientId = str(env, `${prefix}_CLIENT_ID`);
  const clientSecret = str(env, `${prefix}_CLIENT_SECRET`);
  if ((clientId === undefined) !== (clientSecret === undefined)) {
    throw new ConfigError(
      clientId ? `${prefix}_CLIENT_SECRET` : `${prefix}_CLIENT_ID`,
      `must be set together with ${prefix}_CLIENT_${clientId ? 'ID' : 'SECRET'}`,
    );
  }
  return clientId && clientSecret ? { clientId, clientSecret } : undefined;
}

function authConfig(env: Env): AuthConfig {
  const oidcClient = oauthClient(env, 'OIDC');
  const issuer = str(env, 'OIDC_ISSUER');
  if ((issuer === undefined) !== (oidcClient === undefined)) {
    throw new ConfigError(
      issuer ? 'OIDC_CLIENT_ID' : 'OIDC_ISSUER',
      'must be set together with the other OIDC variables',
    );
  }
  // Validated but kept exactly as given: OIDC compares issuers character for character (a trailing slash matters).
  if (issuer !== undefined) httpUrl(env, 'OIDC_ISSUER', issuer);
  return {
    accountLimit: int(env, 'AUTH_ACCOUNT_LIMIT', 10, 1, 100_000),
    ipLimit: int(env, 'AUTH_IP_LIMIT', 100, 1, 1_000_000),
    limitWindowSeconds: int(env, 'AUTH_LIMIT_WINDOW_SECONDS', 900, 1, 86_400),
    // ADR 0004: one working day for staff (OWASP ASVS level 2 asks 12 hours), a month for shoppers (level 1).
    sessionMaxSeconds: {
      staff: int(env, 'STAFF_SESSION_MAX_HOURS', 12, 1, 30 * 24) * 3600,
      customer: int(env, 'CUSTOMER_SESSION_MAX_DAYS', 30, 1, 365) * 86_400,
    },
    oauth: {
      returnUrl:
        str(env, 'OAUTH_RETURN_URL') === undefined ? undefined : httpUrl(env, 'OAUTH_RETURN_URL', ''),
      facebook: oauthClient(env, 'FACEBOOK'),
      twitter: oauthClient(env, 'TWITTER'),
      oidc:
        issuer && oidcClient
          ? { ...oidcClient, issuer, name: str(env, 'OIDC_NAME', 'OpenID Connect') }
          : undefined,
    },
  };
}

/** `<PREFIX>_S3_*` variables: a bucket when `<PREFIX>_S3_BUCKET` is set, else undefined. */
function s3Config(env: Env, prefix: 'BACKUP' | 'MEDIA', defaultKeyPrefix: string): S3Config | undefined {
  const bucket = str(env, `${prefix}_S3_BUCKET`);
  const endpoint = str(env, `${prefix}_S3_ENDPOINT`);
  if (endpoint !== undefined) httpUrl(env, `${prefix}_S3_ENDPOINT`, endpoint);
  const accessKeyId = str(env, `${prefix}_S3_ACCESS_KEY_ID`);
  const secretAccessKey = str(env, `${prefix}_S3_SECRET_ACCESS_KEY`);
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw new ConfigError(
      accessKeyId ? `${prefix}_S3_SECRET_ACCESS_KEY` : `${prefix}_S3_ACCESS_KEY_ID`,
      'must be set together with the other S3 credential',
    );
  }
  if (!bucket) return undefined;
  return {
    bucket,
    endpoint,
    region: str(env, `${prefix}_S3_REGION`, 'us-east-1'),
    prefix: str(env, `${prefix}_S3_PREFIX`, defaultKeyPrefix).replace(/^\/+/, ''),
    accessKeyId,
    secretAccessKey,
    forcePathStyle: flag(env, `${prefix}_S3_FORCE_PATH_STYLE`, endpoint !== undefined),
  };
}

export function loadConfig(env: Env = process.env): Config {
  const port = int(env, 'PORT', 8443, 1, 65535);
  const tlsEnabled = flag(env, 'TLS', true);
  const certFile = str(env, 'TLS_CERT_FILE');
  const keyFile = str(env, 'TLS_KEY_FILE');
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new ConfigError(
      certFile ? 'TLS_KEY_FILE' : 'TLS_CERT_FILE',
      'must be set together with the other TLS file',
    );
  }
  const nodeEnv = oneOf(env, 'NODE_ENV', ['development', 'production', 'test'] as const, 'development');
  const jwt = str(env, 'JWT_SECRET');
  if (jwt !== undefined && jwt.length < 32)
    throw new ConfigError('JWT_SECRET', 'must be at least 32 characters');
  const currency = str(env, 'STORE_CURRENCY', 'USD').toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency))
    throw new ConfigError('STORE_CURRENCY', 'must be an ISO 4217 code such as USD');
  const dataDir = resolve(str(env, 'MCART_DATA_DIR', '.mcart'));
  const metricsToken = str(env, 'METRICS_TOKEN');
  if (metricsToken !== undefined && metricsToken.length < 16)
    throw new ConfigError('METRICS_TOKEN', 'must be at least 16 characters');
  const metricsPortRaw = str(env, 'METRICS_PORT');
  const scheme = tlsEnabled ? 'https' : 'http';

  // The built-in test gateway takes payments without moving money: the right default for the embedded
  // store, a silent disaster in production. There it must be chosen explicitly (PAYMENT_PROVIDER=test).
  if (nodeEnv === 'production' && str(env, 'PAYMENT_PROVIDER') === undefined) {
    throw new ConfigError(
      'PAYMENT_PROVIDER',
      'must be set in production: "stripe", or "test" to take test payments only (no money moves)',
    );
  }
  const paymentProvider = oneOf(env, 'PAYMENT_PROVIDER', ['test', 'stripe'] as const, 'test');
  const stripeSecretKey = str(env, 'STRIPE_SECRET_KEY');
  const stripeWebhookSecret = str(env, 'STRIPE_WEBHOOK_SECRET');
  if (paymentProvider === 'stripe') {
    if (!stripeSecretKey)
      throw new ConfigError('STRIPE_SECRET_KEY', 'must be set when PAYMENT_PROVIDER=stripe');
    if (!stripeWebhookSecret)
      throw new ConfigError('STRIPE_WEBHOOK_SECRET', 'must be set when PAYMENT_PROVIDER=stripe');
  }
  const stripeApiRaw = str(env, 'STRIPE_API_URL');
  const testGatewaySecret = str(env, 'TEST_GATEWAY_WEBHOOK_SECRET');
  if (testGatewaySecret !== undefined && testGatewaySecret.length < 24) {
    throw new ConfigError('TEST_GATEWAY_WEBHOOK_SECRET', 'must be at least 24 characters');
  }

  return {
    env: nodeEnv,
    host: str(env, 'HOST', 'localhost'),
    port,
    publicUrl: httpUrl(env, 'PUBLIC_URL', `${scheme}://localhost:${port}`),
    logLevel: oneOf(
      env,
      'LOG_LEVEL',
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const,
      'info',
    ),
    dataDir,
    database: {
      url: postgresUrl(env, 'DATABASE_URL'),
      readUrl: postgresUrl(env, 'DATABASE_READ_URL'),
      poolMax: int(env, 'DATABASE_POOL_MAX', 10, 1, 200),
      statementTimeoutMs: int(
        env,
        'DATABASE_STATEMENT_TIMEOUT_MS',
        DEFAULT_STATEMENT_TIMEOUT_MS,
        0,
        3_600_000,
      ),
      connectTimeoutMs: int(env, 'DATABASE_CONNECT_TIMEOUT_MS', DEFAULT_CONNECT_TIMEOUT_MS, 100, 600_000),
      acquireTimeoutMs: int(env, 'DATABASE_ACQUIRE_TIMEOUT_MS', DEFAULT_ACQUIRE_TIMEOUT_MS, 100, 600_000),
      embeddedPort: int(env, 'MCART_EMBEDDED_PG_PORT', 54329, 1, 65535),
    },
    tls: { enabled: tlsEnabled, certFile, keyFile },
    // The desktop app's renderer runs at app://mcart (its own protocol): always allowed, no browser page can claim it.
    corsOrigins: [DESKTOP_APP_ORIGIN, ...corsOrigins(env)],
    secrets: { jwt, encryptionKeys: str(env, 'MCART_ENCRYPTION_KEYS') },
    admin: { email: str(env, 'MCART_ADMIN_EMAIL'), password: str(env, 'MCART_ADMIN_PASSWORD') },
    seed: flag(env, 'MCART_SEED', true),
    store: { name: str(env, 'STORE_NAME', 'MCart Demo Store'), currency },
    trustProxy: trustProxy(env),
    jobs: flag(env, 'MCART_JOBS', true),
    reservationTtlMinutes: int(env, 'RESERVATION_TTL_MINUTES', 30, 1, 7 * 24 * 60),
    cartRetentionDays: int(env, 'CART_RETENTION_DAYS', 90, 1, 3650),
    returnWindowDays: int(env, 'RETURN_WINDOW_DAYS', 30, 0, 3650),
    tax: {
      rateBps: int(env, 'TAX_RATE_BPS', 0, 0, 10_000),
      pricesIncludeTax: flag(env, 'PRICES_INCLUDE_TAX', false),
    },
    idempotencyRetentionHours: int(env, 'IDEMPOTENCY_RETENTION_HOURS', 24, 24, 24 * 365),
    live: {
      recheckSeconds: int(env, 'LIVE_SESSION_RECHECK_SECONDS', 30, 1, 3600),
      replayLimit: int(env, 'LIVE_REPLAY_LIMIT', 1000, 0, 100_000),
    },
    outboxRetentionHours: int(env, 'OUTBOX_RETENTION_HOURS', 168, 1, 24 * 365),
    branding: {
      logoUrl: optionalHttpUrl(env, 'STORE_LOGO_URL'),
      primaryColor: color(env, 'STORE_PRIMARY_COLOR', '#1f3a5f'),
      accentColor: color(env, 'STORE_ACCENT_COLOR', '#e07a1f'),
      address: storeAddress(env),
      supportEmail: str(env, 'STORE_SUPPORT_EMAIL'),
      taxId: taxId(env, 'STORE_TAX_ID'),
    },
    mail: {
      smtpUrl: smtpUrl(env, 'SMTP_URL'),
      from: str(env, 'MAIL_FROM', `${str(env, 'STORE_NAME', 'MCart Demo Store')} <no-reply@mcart.local>`),
      retryDelaySeconds: int(env, 'MAIL_RETRY_DELAY_SECONDS', 30, 1, 3600),
      retentionDays: int(env, 'MAIL_RETENTION_DAYS', 30, 1, 3650),
    },
    shipping: {
      trackingPrefix: trackingPrefix(env),
      trackingUrl: str(
        env,
        'SHIPPING_TRACKING_URL',
        `${httpUrl(env, 'PUBLIC_URL', `${scheme}://localhost:${port}`)}/track/{trackingNumber}`,
      ),
      defaultWeightGrams: int(env, 'SHIPPING_DEFAULT_WEIGHT_GRAMS', 500, 0, 70_000),
      easypost: {
        apiKey: str(env, 'EASYPOST_API_KEY'),
        baseUrl: httpUrl(env, 'EASYPOST_BASE_URL', 'https://api.easypost.com/v2'),
      },
      webhookSecrets: webhookSecrets(env),
    },
    backup: {
      cron: cron(env, 'BACKUP_CRON', '0 */6 * * *'),
      drillCron: cron(env, 'BACKUP_DRILL_CRON', '30 3 * * *'),
      drillDatabaseUrl: drillDatabaseUrl(env),
      dir: resolve(str(env, 'BACKUP_DIR', join(dataDir, 'backups'))),
      keepDaily: int(env, 'BACKUP_KEEP_DAILY', 7, 1, 366),
      keepWeekly: int(env, 'BACKUP_KEEP_WEEKLY', 4, 0, 520),
      s3: s3Config(env, 'BACKUP', 'mcart/'),
    },
    media: {
      dir: resolve(str(env, 'MEDIA_DIR', join(dataDir, 'media'))),
      maxUploadBytes: int(env, 'MEDIA_MAX_UPLOAD_MB', 10, 1, 200) * 1024 * 1024,
      s3: s3Config(env, 'MEDIA', 'mcart/media/'),
    },
    overload: {
      // Off by default in tests: a loaded CI machine stalls test workers for reasons no user would see.
      maxEventLoopDelayMs: int(
        env,
        'OVERLOAD_MAX_EVENT_LOOP_DELAY_MS',
        nodeEnv === 'test' ? 0 : 1000,
        0,
        60_000,
      ),
      maxHeapUsedBytes: int(env, 'OVERLOAD_MAX_HEAP_MB', 0, 0, 1_048_576) * 1024 * 1024,
      maxRssBytes: int(env, 'OVERLOAD_MAX_RSS_MB', 0, 0, 1_048_576) * 1024 * 1024,
      retryAfterSeconds: int(env, 'OVERLOAD_RETRY_AFTER_SECONDS', 10, 1, 3600),
    },
    metrics: {
      token: metricsToken,
      port: metricsPortRaw === undefined ? undefined : int(env, 'METRICS_PORT', 0, 1, 65535),
    },
    redisUrl: redisUrl(env, 'REDIS_URL'),
    auth: authConfig(env),
    payments: {
      provider: paymentProvider,
      capture:
        paymentProvider === 'stripe'
          ? oneOf(env, 'STRIPE_CAPTURE', ['automatic', 'manual'] as const, 'automatic')
          : 'automatic',
      stripe: {
        secretKey: stripeSecretKey,
        webhookSecret: stripeWebhookSecret,
        apiUrl: stripeApiRaw === undefined ? undefined : httpUrl(env, 'STRIPE_API_URL', stripeApiRaw),
      },
      testGatewayWebhookSecret: testGatewaySecret,
      reconcileAfterMinutes: int(env, 'PAYMENT_RECONCILE_AFTER_MINUTES', 10, 2, 1440),
      webhookEventRetentionDays: webhookEventRetentionDays(env),
    },
  };
}
