import { timingSafeEqual, createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import fp from 'fastify-plugin';
import client from 'prom-client';
import { CommonErrors } from './errors.ts';

export interface MetricsOptions {
  /** Serve /metrics on the main port to requests with `Authorization: Bearer <token>`. */
  token?: string | undefined;
  /** Serve /metrics without auth on this port, bound to 127.0.0.1 only (for a local agent or sidecar). */
  port?: number | undefined;
}

export interface Metrics {
  registry: client.Registry;
  /** Open socket.io connections on this instance (read from the realtime server at scrape time). */
  socketConnections: client.Gauge;
  /** The address of the localhost metrics server, once listening (tests). */
  localAddress(): { port: number } | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Metrics;
  }
}

interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
  max: number;
}

/** How long a scrape waits for a figure read from the database before leaving it out. */
export const DATABASE_COLLECT_TIMEOUT_MS = 2000;

/**
 * A figure read from the database at scrape time, or undefined when the database does not answer in time or
 * fails: the scrape then answers without it instead of failing whole. (A collector that threw made /metrics a 500
 * while the database was down: the pool, latency and process figures that explain an outage were lost with it.)
 */
export async function fromDatabase<T>(
  log: { warn(obj: object, msg: string): void },
  metric: string,
  read: () => Promise<T>,
  timeoutMs = DATABASE_COLLECT_TIMEOUT_MS,
): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  const reading = Promise.resolve().then(read);
  try {
    return await Promise.race([reading, late]);
  } catch (err) {
    reading.catch(() => {}); // still running after the timeout: its failure has no one to tell
    log.warn({ err, metric }, 'metric left out of the scrape: the database did not answer');
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

const sameSecret = (a: string, b: string) =>
  timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());

/**
 * Prometheus metrics: request latency per route pattern, database pools, job queue depth, sockets, and
 * Node's defaults. A registry per app instance, so tests can build several apps in one process.
 */
export const metricsPlugin = fp<MetricsOptions>(
  async (app, options) => {
    const registry = new client.Registry();
    client.collectDefaultMetrics({ register: registry, prefix: 'mcart_' });

    const requestDuration = new client.Histogram({
      name: 'mcart_http_request_duration_seconds',
      help: 'HTTP request latency by route pattern',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
    app.addHook('onResponse', async (request, reply) => {
      // The pattern (/api/admin/orders/:id), never the raw URL: bounded label values.
      const route = request.routeOptions.url ?? 'unmatched';
      if (route === '/metrics') return;
      requestDuration.observe(
        { method: request.method, route, status_code: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    });

    new client.Gauge({
      name: 'mcart_db_read_pool_connections',
      help: 'Read pool (pg) connections by state',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        if (!app.hasDecorator('readPool')) return;
        this.set({ state: 'total' }, app.readPool.totalCount);
        this.set({ state: 'idle' }, app.readPool.idleCount);
        this.set({ state: 'waiting' }, app.readPool.waitingCount);
      },
    });
    new client.Gauge({
      name: 'mcart_db_orm_pool_connections',
      help: 'ORM (knex) pool connections by state',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        if (!app.hasDecorator('orm')) return;
        const connection = app.orm.em.getDriver().getConnection() as unknown as {
          getKnex(): { client: { pool?: TarnPool } };
        };
        const pool = connection.getKnex().client.pool;
        if (!pool) return;
        this.set({ state: 'used' }, pool.numUsed());
        this.set({ state: 'idle' }, pool.numFree());
        this.set({ state: 'waiting' }, pool.numPendingAcquires());
      },
    });
    new client.Gauge({
      name: 'mcart_job_queue_depth',
      help: 'Jobs waiting per queue (pg-boss; the same on every instance)',
      labelNames: ['queue'],
      registers: [registry],
      async collect() {
        if (!app.hasDecorator('jobs')) return;
        const sizes = await fromDatabase(app.log, 'mcart_job_queue_depth', () => app.jobs.queueSizes());
        // Unknown now: left out rather than last scrape's figures shown as current.
        this.reset();
        for (const [queue, size] of Object.entries(sizes ?? {})) this.set({ queue }, size);
      },
    });
    const socketConnections = new client.Gauge({
      name: 'mcart_socket_connections',
      help: 'Open socket.io connections on this instance',
      registers: [registry],
      collect() {
        if (app.hasDecorator('realtime')) this.set(app.realtime.io.engine.clientsCount);
      },
    });

    let local: Server | undefined;
    app.decorate('metrics', {
      registry,
      socketConnections,
      localAddress: () => {
        const address = local?.address();
        return address && typeof address === 'object' ? { port: address.port } : undefined;
      },
    } satisfies Metrics);

    if (options.token) {
      const token = options.token;
      app.get(
        '/metrics',
        { schema: { hide: true }, config: { auth: 'public' }, logLevel: 'warn' },
        async (request, reply) => {
          const given = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
          if (!given || !sameSecret(given, token))
            throw CommonErrors.unauthorized('A metrics bearer token is required');
          return reply.type(registry.contentType).send(await registry.metrics());
        },
      );
    }

    if (options.port !== undefined) {
      const port = options.port;
      local = createServer((request, response) => {
        if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
          response.writeHead(404).end();
          return;
        }
        registry.metrics().then(
          (body) => response.writeHead(200, { 'content-type': registry.contentType }).end(body),
          (err: unknown) => {
            app.log.error({ err }, 'metrics collection failed');
            response.writeHead(500).end();
          },
        );
      });
      app.addHook('onReady', async () => {
        await new Promise<void>((resolve, reject) => {
          local!.once('error', reject);
          local!.listen(port, '127.0.0.1', () => resolve());
        });
      });
      app.addHook('onClose', async () => {
        await new Promise<void>((resolve) => (local!.listening ? local!.close(() => resolve()) : resolve()));
      });
    }
  },
  { name: 'mcart-metrics' },
);
