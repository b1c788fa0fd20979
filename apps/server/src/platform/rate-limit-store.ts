import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type {
  FastifyRateLimitOptions,
  FastifyRateLimitStore,
  RateLimitPluginOptions,
} from '@fastify/rate-limit';
import pg from 'pg';
import { clientOf } from './client-address.ts';

/**
 * Rate-limit counters shared by every instance: in Redis when REDIS_URL is set, otherwise in PostgreSQL
 * (an UNLOGGED table, one upsert per counted request). A process-local counter would let a client
 * multiply its allowance by the number of instances.
 */
export async function sharedRateLimitOptions(
  app: FastifyInstance,
  options: { databaseUrl: string; redisUrl?: string | undefined },
): Promise<RateLimitPluginOptions> {
  // Limiter trouble must not take the API down: requests pass uncounted while the store is unreachable.
  // Counted per client: an IPv4 address or an IPv6 /64 (clientOf), not per single IPv6 address.
  const common = {
    global: false,
    skipOnError: true,
    keyGenerator: (request: FastifyRequest) => clientOf(request.ip),
  } as const;
  if (options.redisUrl) {
    // Loaded only when Redis is configured.
    const { Redis } = await import('ioredis');
    const redis = new Redis(options.redisUrl, {
      connectTimeout: 1000,
      maxRetriesPerRequest: 1,
      lazyConnect: false,
    });
    redis.on('error', (err: Error) => app.log.warn({ err }, 'rate-limit redis error'));
    app.addHook('onClose', async () => {
      redis.disconnect();
    });
    return { ...common, redis, nameSpace: 'mcart-rl-' };
  }
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: 2,
    application_name: 'mcart-rate-limit',
  });
  pool.on('error', (err) => app.log.warn({ err }, 'idle rate-limit pool client failed'));
  app.addHook('onClose', async () => {
    await pool.end();
  });
  return { ...common, store: postgresStore(pool) };
}

const INCREMENT = `
  INSERT INTO rate_limit_counter AS c (key, hits, expires_at)
  VALUES ($1, 1, now() + make_interval(secs => $2::double precision / 1000))
  ON CONFLICT (key) DO UPDATE SET
    hits = CASE WHEN c.expires_at <= now() THEN 1 ELSE c.hits + 1 END,
    expires_at = CASE WHEN c.expires_at <= now() THEN excluded.expires_at ELSE c.expires_at END
  RETURNING hits, GREATEST(0, ceil(extract(epoch FROM c.expires_at - now()) * 1000))::int AS ttl`;

/** A fixed-window counter per key; expired rows are swept now and then by whichever instance counts. */
export function postgresStore(pool: pg.Pool) {
  let sinceSweep = 0;
  return class PostgresRateLimitStore implements FastifyRateLimitStore {
    private readonly prefix: string;

    constructor(_options?: FastifyRateLimitOptions, prefix = 'global:') {
      this.prefix = prefix;
    }

    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindow?: number,
    ): void {
      const windowMs = timeWindow ?? 60_000;
      pool.query<{ hits: number; ttl: number }>(INCREMENT, [this.prefix + key, windowMs]).then(
        ({ rows }) => {
          callback(null, { current: rows[0]!.hits, ttl: rows[0]!.ttl });
          if (++sinceSweep >= 500) {
            sinceSweep = 0;
            pool
              .query(`DELETE FROM rate_limit_counter WHERE expires_at < now() - interval '1 minute'`)
              .catch(() => {});
          }
        },
        (err: Error) => callback(err),
      );
    }

    child(routeOptions: RouteOptions & { path: string; prefix: string }): FastifyRateLimitStore {
      // One counter space per route, as the built-in stores do (the plugin passes the route as routeInfo).
      const route = (routeOptions as unknown as { routeInfo?: RouteOptions }).routeInfo ?? routeOptions;
      const method = [route.method ?? ''].flat().join(',');
      return new PostgresRateLimitStore(undefined, `${method} ${route.url ?? ''}:`);
    }
  };
}
