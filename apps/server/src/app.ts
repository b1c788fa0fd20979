import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import rateLimit from '@fastify/rate-limit';
import underPressure from '@fastify/under-pressure';
import type { Config } from './config.ts';
import {
  errorForLog,
  frameworkErrors,
  refuseNulCharacters,
  registerErrorHandling,
} from './platform/errors.ts';
import { securityPlugin } from './platform/security.ts';
import { openapiPlugin } from './platform/openapi.ts';
import { databasePlugin, START_LOCK_KEY, withAdvisoryLock } from './platform/db.ts';
import { authPlugin } from './platform/auth.ts';
import { healthRoutes } from './platform/health.ts';
import { adminUiPlugin } from './platform/admin-ui.ts';
import { httpsOptions, watchCertificateFiles } from './platform/tls.ts';
import { OcspStapler } from './platform/ocsp.ts';
import { OutboxEventSchema } from './platform/outbox.entity.ts';
import { jobsPlugin } from './platform/jobs.ts';
import { outboxPlugin } from './platform/outbox.ts';
import { realtimePlugin } from './platform/realtime.ts';
import { FieldCipher } from './platform/crypto.ts';
import { modules } from './modules/index.ts';
import { metricsPlugin } from './platform/metrics.ts';
import { overloadOptions } from './platform/overload.ts';
import { sharedRateLimitOptions } from './platform/rate-limit-store.ts';
import { AJV_SERVER_OPTIONS, partAwareValidatorBuilder } from './platform/schemas.ts';

/** Configuration with everything main.ts resolves before the app is built (database, secrets, certificate). */
export interface AppConfig extends Config {
  database: Config['database'] & { url: string };
  /** testGatewayWebhook: absent only in tests that build the app directly (a random one is used then). */
  secrets: { jwt: string; encryptionKeys: string; testGatewayWebhook?: string };
  tlsFiles?: { certFile: string; keyFile: string };
  /** Overrides for tests: skip migrations (template already migrated), serve another renderer folder. */
  migrate?: boolean;
  adminUiDir?: string;
  /** How often the certificate files are checked for a renewal (tests shorten it). */
  tlsReloadIntervalMs?: number;
  /** Told once when the first start of an empty database created the owner account. */
  onOwnerCreated?: (owner: { email: string; generatedPassword?: string }) => void;
}

/** Every entity of every module, for the ORM (and the test template). */
export const allEntities = () => [OutboxEventSchema, ...modules.flatMap((module) => module.entities)];

declare module 'fastify' {
  interface FastifyInstance {
    /** Encrypts personal data at rest (AES-256-GCM, rotating keys). */
    cipher: FieldCipher;
    /** OCSP stapling of the configured certificate; null without TLS or without an OCSP responder URL. */
    ocsp: OcspStapler | null;
  }
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Query keys whose values a request log keeps: paging, sorting and state filters, which carry no personal
 * data. Every other key (a search `q`, an `email` filter, an OAuth callback's `code` and `state`, a `token`)
 * is logged by its name only, its value replaced.
 */
const LOGGED_QUERY_KEYS = new Set(['page', 'perPage', 'sort', 'order', 'status', 'limit', 'cursor']);
const LOGGABLE_KEY = /^[A-Za-z][A-Za-z0-9_.-]{0,31}$/;

/**
 * A request URL as the logs keep it: the path, and of the query only the values of `LOGGED_QUERY_KEYS`
 * (capped at 64 characters); other keys as `key=~`, and keys not shaped like a parameter name not at all.
 */
export function loggedUrl(url: string): string {
  const mark = url.indexOf('?');
  if (mark === -1) return url;
  const kept: string[] = [];
  for (const [key, value] of new URLSearchParams(url.slice(mark + 1))) {
    if (!LOGGABLE_KEY.test(key)) continue;
    kept.push(LOGGED_QUERY_KEYS.has(key) ? `${key}=${encodeURIComponent(value.slice(0, 64))}` : `${key}=~`);
  }
  return kept.length ? `${url.slice(0, mark)}?${kept.join('&')}` : url.slice(0, mark);
}

/** Fastify's request serializer for the logs, with `loggedUrl` in place of the URL as sent. */
function requestForLog(request: {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  socket?: { remoteAddress?: string; remotePort?: number } | null;
}) {
  return {
    method: request.method,
    url: request.url === undefined ? undefined : loggedUrl(request.url),
    host: request.host,
    remoteAddress: request.ip ?? request.socket?.remoteAddress,
    remotePort: request.socket?.remotePort,
  };
}

/**
 * Once the app closes (SIGTERM), a kept-alive connection ends after the request it carries: its answer says
 * `Connection: close`, and connections idle by then are closed as each answer goes out. Fastify's
 * `forceCloseConnections: 'idle'` closes only those idle at the moment close() starts; one busy then stayed
 * open for the keep-alive timeout (72 s), and close() waited for it. New requests on a closing server get
 * Fastify's 503 (`return503OnClosing`), itself with `Connection: close`.
 */
function endKeptAliveConnectionsOnClose(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  app.addHook('onResponse', async () => {
    // A response already being written when close() began went out without the header.
    if (closing) app.server.closeIdleConnections();
  });
}

/** What a graceful shutdown does (main.ts); a function of its steps so that it can be tested. */
export interface ShutdownSteps {
  /** app.close(): stop accepting connections, finish in-flight requests, run the onClose hooks. */
  closeApp: (signal: string) => Promise<void>;
  /** Stops the embedded PostgreSQL; undefined with DATABASE_URL. */
  stopDatabase?: (() => Promise<void>) | undefined;
  exit: (code: number) => void;
  log: (message: string, err?: unknown) => void;
  /** How long the drain may take before the process exits anyway (default SHUTDOWN_LIMIT_MS). */
  limitMs?: number;
  /** How long the embedded PostgreSQL may take to stop on that forced exit (default 10 s). */
  stopDatabaseLimitMs?: number;
}

/** The longest a graceful shutdown takes (docs/operations.md): past it, the process exits 1 regardless. */
export const SHUTDOWN_LIMIT_MS = 25_000;

/**
 * The SIGTERM/SIGINT handler: drains the app, stops the embedded PostgreSQL and exits 0; after `limitMs`
 * it exits 1 whatever still runs, with or without an embedded PostgreSQL (the guard used to be skipped
 * entirely without one: `embedded?.stop().finally(exit)`). A second signal during the drain is ignored.
 */
export function gracefulShutdown(steps: ShutdownSteps): (signal: string) => Promise<void> {
  const limitMs = steps.limitMs ?? SHUTDOWN_LIMIT_MS;
  /** Stops the embedded PostgreSQL if there is one; false when that failed. */
  const stopDatabase = async () => {
    try {
      await steps.stopDatabase?.();
      return true;
    } catch (err) {
      steps.log('Could not stop the embedded PostgreSQL', err);
      return false;
    }
  };
  let stopping = false;
  let overdue = false;
  return async (signal) => {
    if (stopping) return;
    stopping = true;
    const timer = setTimeout(() => {
      overdue = true;
      steps.log(`Shutdown took longer than ${limitMs / 1000} s; exiting.`);
      // The embedded PostgreSQL gets a bounded moment to stop (its 'exit' hook signals it in any case).
      const bound = new Promise<void>((resolve) => setTimeout(resolve, steps.stopDatabaseLimitMs ?? 10_000));
      void Promise.race([stopDatabase(), bound]).finally(() => steps.exit(1));
    }, limitMs);
    let closed = true;
    try {
      await steps.closeApp(signal);
    } catch (err) {
      steps.log('Error during shutdown', err);
      closed = false;
    }
    // Past the limit (during the drain or the database's stop) the timer exits, with 1.
    if (overdue) return;
    const stopped = await stopDatabase();
    if (overdue) return;
    clearTimeout(timer);
    steps.exit(closed && stopped ? 0 : 1);
  };
}

export async function buildApp(config: AppConfig): Promise<FastifyInstance> {
  const https = config.tls.enabled && config.tlsFiles ? httpsOptions(config.tlsFiles) : null;
  const app = Fastify({
    ...(https ? { https } : {}),
    logger: {
      level: config.logLevel,
      // Never log credentials or personal data: query strings carry them (searches by e-mail or name, the
      // OAuth callback's code, links' tokens), so a request is logged without them (`loggedUrl`).
      // Nor the values a database error inlines into its message (`errorForLog`).
      serializers: { req: requestForLog, err: errorForLog },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'req.headers["idempotency-key"]',
          'res.headers["set-cookie"]',
        ],
        censor: '[redacted]',
      },
    },
    requestIdHeader: 'x-request-id',
    genReqId: (request) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    // A hop count trusts that many proxies nearest to the server (Fastify's types take it as a function).
    trustProxy:
      typeof config.trustProxy === 'number'
        ? (
            (hops: number) => (_address: string, hop: number) =>
              hop < hops
          )(config.trustProxy)
        : config.trustProxy,
    bodyLimit: 1024 * 1024,
    // Slugs may be 200 characters (the default, 100, answered a long one's product page with a 414).
    routerOptions: { maxParamLength: 256 },
    frameworkErrors,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    ajv: AJV_SERVER_OPTIONS,
    // Bodies are validated with their declared types (no coercion); query strings, params and headers coerce.
    schemaController: { compilersFactory: { buildValidator: partAwareValidatorBuilder() } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  endKeptAliveConnectionsOnClose(app);

  // JSON only (multipart and raw webhook bodies are added by the routes that take them): anything else is a 415.
  app.removeContentTypeParser('text/plain');
  registerErrorHandling(app);
  refuseNulCharacters(app);
  await app.register(securityPlugin, { corsOrigins: config.corsOrigins, hsts: config.tls.enabled });
  await app.register(metricsPlugin, config.metrics);
  await app.register(underPressure, overloadOptions(config.overload));
  await app.register(
    rateLimit,
    await sharedRateLimitOptions(app, { databaseUrl: config.database.url, redisUrl: config.redisUrl }),
  );
  await app.register(openapiPlugin, { publicUrl: config.publicUrl });
  await app.register(databasePlugin, {
    url: config.database.url,
    readUrl: config.database.readUrl,
    poolMax: config.database.poolMax,
    statementTimeoutMs: config.database.statementTimeoutMs,
    connectTimeoutMs: config.database.connectTimeoutMs,
    acquireTimeoutMs: config.database.acquireTimeoutMs,
    entities: allEntities(),
    migrate: config.migrate ?? true,
  });
  await app.register(jobsPlugin, {
    url: config.database.url,
    enabled: config.jobs,
    connectTimeoutMs: config.database.connectTimeoutMs,
  });
  await app.register(outboxPlugin, {
    url: config.database.url,
    retentionHours: config.outboxRetentionHours,
    connectTimeoutMs: config.database.connectTimeoutMs,
  });
  await app.register(authPlugin, { secret: config.secrets.jwt });
  await app.register(realtimePlugin, { corsOrigins: config.corsOrigins, ...config.live });
  app.decorate('cipher', new FieldCipher(config.secrets.encryptionKeys));

  // OCSP stapling: fetched in the background (a slow CA must not delay the start), refreshed before it expires.
  let stapler: OcspStapler | undefined;
  const useChain = (chain: Buffer) => {
    if (stapler) {
      app.server.off('OCSPRequest', stapler.onOcspRequest);
      stapler.stop();
    }
    stapler = OcspStapler.forChain(chain, {
      info: (obj, msg) => app.log.info(obj, msg),
      warn: (obj, msg) => app.log.warn(obj, msg),
    });
    if (stapler) {
      app.server.on('OCSPRequest', stapler.onOcspRequest);
      void stapler.start();
    }
  };
  app.decorate('ocsp', { getter: () => stapler ?? null });
  if (config.tlsFiles && https) {
    const tlsFiles = config.tlsFiles;
    useChain(readFileSync(tlsFiles.certFile));
    // A renewed certificate is served without a restart (new handshakes; open connections keep theirs).
    const stopWatching = watchCertificateFiles(
      tlsFiles,
      (options) => {
        (app.server as unknown as { setSecureContext(options: object): void }).setSecureContext(options);
        useChain(options.cert as Buffer);
        app.log.info({ certFile: tlsFiles.certFile }, 'TLS certificate reloaded');
      },
      (err) =>
        app.log.warn(
          { err },
          'TLS certificate files changed but do not load; still serving the previous one',
        ),
      config.tlsReloadIntervalMs,
    );
    app.addHook('onClose', async () => {
      stopWatching();
      stapler?.stop();
    });
  }
  await app.register(healthRoutes);
  for (const module of modules) await module.register(app, config);
  await app.register(adminUiPlugin, config.adminUiDir ? { dir: config.adminUiDir } : {});

  await app.ready();
  // First-start work (owner account, demo data) runs under a lock: instances starting together take turns,
  // and each step sees what the previous instance created.
  await withAdvisoryLock(config.database.url, START_LOCK_KEY, async () => {
    for (const module of modules) await module.onReady?.(app, config);
  });
  return app;
}
