import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { MCartModule } from '../module.ts';
import { listOf, listQuery, ProblemRef } from '../../platform/schemas.ts';
import { AuditService } from './audit.service.ts';

/** An admin route as registered: what the role-matrix test walks. */
export interface AdminRoute {
  method: string;
  url: string;
  auth: unknown;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route under /api/admin registered after the audit module (i.e. all modules' routes). */
    adminRoutes: AdminRoute[];
  }
  interface FastifyRequest {
    /** Set by a route to name its audit entry (e.g. `staff.role_changed`) or the actor of a sign-in. */
    audit?: { action?: string; staffId?: string; details?: Record<string, unknown> };
  }
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const AuditEntryDto = Type.Object(
  {
    id: Type.String(),
    at: Type.String({ format: 'date-time' }),
    staffId: Type.Union([Type.String(), Type.Null()]),
    action: Type.String(),
    method: Type.Union([Type.String(), Type.Null()]),
    route: Type.Union([Type.String(), Type.Null()]),
    params: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
    status: Type.Union([Type.Integer(), Type.Null()]),
    ip: Type.Union([Type.String(), Type.Null()]),
    requestId: Type.Union([Type.String(), Type.Null()]),
    details: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  },
  { $id: 'AuditEntryDto' },
);

const AuditListQuery = listQuery(
  {
    staffId: Type.Optional(Type.String({ format: 'uuid' })),
    action: Type.Optional(Type.String({ maxLength: 100 })),
    method: Type.Optional(Type.Union(['POST', 'PUT', 'PATCH', 'DELETE'].map((m) => Type.Literal(m)))),
    status: Type.Optional(Type.Integer({ minimum: 100, maximum: 599 })),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
  },
  ['at'] as const,
);

const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Read only on purpose: the log has no update or delete route.
  app.get(
    '/api/admin/audit',
    {
      schema: {
        tags: ['admin: audit'],
        summary: 'Who did what, when, from where (newest first by default)',
        security: [{ staffBearer: [] }],
        querystring: AuditListQuery,
        response: { 200: listOf(AuditEntryDto), 400: ProblemRef, 401: ProblemRef, 403: ProblemRef },
      },
      config: { auth: { permission: 'audit:read' } },
    },
    async (request) => {
      const { page = 1, perPage = 25, order = 'DESC', ...filters } = request.query;
      const { rows, total } = await new AuditService(request.em).list({ ...filters, page, perPage, order });
      return { data: rows.map((row) => ({ ...row, at: row.at.toISOString() })), total };
    },
  );
};

/**
 * Every write through the admin API is recorded before its answer leaves (so a client that got the answer
 * can find the entry): staff id, method, route pattern, params, status, ip, request id. Never bodies.
 */
async function recordAdminWrite(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  const route = request.routeOptions.url;
  if (!WRITES.has(request.method) || !route?.startsWith('/api/admin')) return;
  try {
    await new AuditService(app.orm.em.fork()).record({
      staffId: request.audit?.staffId ?? request.staff?.id ?? null,
      action: request.audit?.action ?? `${request.method} ${route}`,
      method: request.method,
      route,
      params: request.params as Record<string, unknown>,
      status: reply.statusCode,
      ip: request.ip,
      requestId: request.id,
      details: request.audit?.details,
    });
  } catch (err) {
    request.log.error({ err }, 'audit entry could not be written');
  }
}

export const auditModule: MCartModule = {
  name: 'audit',
  entities: [],
  async register(app) {
    // Listed first in modules/index.ts so that this sees every module's admin routes and its hook covers them.
    const adminRoutes: AdminRoute[] = [];
    app.decorate('adminRoutes', adminRoutes);
    app.addHook('onRoute', (route) => {
      if (!route.url.startsWith('/api/admin')) return;
      for (const method of [route.method].flat()) {
        if (method !== 'HEAD') adminRoutes.push({ method, url: route.url, auth: route.config?.auth });
      }
    });
    app.addHook('onSend', async (request, reply, payload) => {
      await recordAdminWrite(app, request, reply);
      return payload;
    });
    await app.register(auditRoutes);
  },
};
