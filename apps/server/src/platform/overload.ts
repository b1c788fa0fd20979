import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyUnderPressureOptions } from '@fastify/under-pressure';
import type { Config } from '../config.ts';
import { defineError } from './errors.ts';

export const Overloaded = defineError('MCART_ERR_OVERLOADED', 503, 'The server is overloaded; retry shortly');

/** Routes that must answer even under pressure: liveness (a busy process is not a dead one) and metrics. */
const ALWAYS_ANSWERED = new Set(['/health', '/metrics']);

/**
 * @fastify/under-pressure: past the event-loop-delay / heap / RSS limits, new requests get a fast 503
 * problem with Retry-After instead of queueing into unbounded latency. /ready is NOT exempt: an
 * overloaded instance reports itself unready so the load balancer sends traffic elsewhere for a while.
 */
export function overloadOptions(overload: Config['overload']): FastifyUnderPressureOptions {
  // Returning a value makes under-pressure send it (its types say void): our error becomes problem+json.
  const pressureHandler = (request: FastifyRequest, reply: FastifyReply, type: string) => {
    if (ALWAYS_ANSWERED.has(request.routeOptions.url ?? '')) return undefined;
    request.log.warn({ type }, 'overloaded: refusing request');
    reply.header('retry-after', String(overload.retryAfterSeconds));
    return Overloaded(`Too much load (${type}); retry in ${overload.retryAfterSeconds} s`);
  };
  return {
    ...(overload.maxEventLoopDelayMs ? { maxEventLoopDelay: overload.maxEventLoopDelayMs } : {}),
    ...(overload.maxHeapUsedBytes ? { maxHeapUsedBytes: overload.maxHeapUsedBytes } : {}),
    ...(overload.maxRssBytes ? { maxRssBytes: overload.maxRssBytes } : {}),
    retryAfter: overload.retryAfterSeconds,
    exposeStatusRoute: false,
    pressureHandler: pressureHandler as unknown as FastifyUnderPressureOptions['pressureHandler'],
  };
}
