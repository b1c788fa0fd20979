import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';

const Status = Type.Object({ status: Type.String() });

/**
 * Liveness (the process answers) and readiness (database reachable and taking writes, migrations applied): a
 * primary that turned read-only (a failover onto a hot standby, `default_transaction_read_only`) answers 503,
 * so the balancer stops sending this instance writes that would all fail.
 */
export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/health',
    { schema: { tags: ['health'], response: { 200: Status } }, config: { auth: 'public' }, logLevel: 'warn' },
    async () => ({ status: 'ok' }),
  );
  app.get(
    '/ready',
    {
      schema: { tags: ['health'], response: { 200: Status, 503: Status } },
      config: { auth: 'public' },
      logLevel: 'warn',
    },
    async (_request, reply) => {
      if (await app.isDatabaseReady()) return { status: 'ready' };
      return reply.status(503).header('retry-after', '5').send({ status: 'unavailable' });
    },
  );
};
