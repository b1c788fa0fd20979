import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import rateLimit from '@fastify/rate-limit';
import underPressure from '@fastify/under-pressure';
import type { Config } from './config.ts';
import { frameworkErrors, refuseNulCharacters, registerErrorHandling } from './platform/errors.ts';
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

export async function buildApp(config: AppConfig): Promise<FastifyInstance> {
  const https = config.tls.enabled && config.tlsFiles ? httpsOptions(config.tlsFiles) : null;
  const app = Fastify({
    ...(https ? { https } : {}),
    logger: {
      level: config.logLevel,
      // Never log credentials or personal data: query strings carry them (searches by e-mail or name, the
      // OAuth callback's code, links' tokens), so a request is logged without them (`loggedUrl`).
      serializers: { req: requestForLog },
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
