import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { MCartModule } from '../module.ts';
import { listOf, listQuery, ProblemRef } from '../../platform/schemas.ts';
import { AuditService } from './audit.service.ts';
import type { AccessClaims } from '../../platform/auth.ts';
import { CommonErrors } from '../../platform/errors.ts';

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
      // Swapped bounds would answer an empty log: to an auditor, a period when nothing happened.
      if (filters.from && filters.to && Date.parse(filters.from) >= Date.parse(filters.to))
        throw CommonErrors.validation('to must be after from', {
          errors: [{ path: 'querystring/to', message: 'must be after from' }],
        });
      const { rows, total } = await new AuditService(request.em).list({ ...filters, page, perPage, order });
      return { data: rows.map((row) => ({ ...row, at: row.at.toISOString() })), total };
    },
  );
};

/**
 * The staff member whose token the request carried: the guard's (`request.staff`), or, when the guard refused the
 * request after checking the token (403: the role lacks the permission; 401: the session was ended), the verified
 * token's subject. A refused attempt is an entry of whoever made it, not an anonymous one.
 */
function actorOf(request: FastifyRequest): string | null {
  if (request.staff) return request.staff.id;
  const claims = (request as { user?: Partial<AccessClaims> }).user;
  return claims?.kind === 'staff' && typeof claims.sub === 'string' ? claims.sub : null;
}

/** At most this many field names of a body are recorded. */
const MAX_FIELDS = 40;

/**
 * The route's details, and for a write the names of the fields its JSON body carried (`fields`, never their values;
 * `version` left out): what a change touched, when the route records no more. Not for sign-in steps.
 */
function detailsOf(request: FastifyRequest): Record<string, unknown> | undefined {
  const body = request.body;
  // A sign-in's body holds credentials, not a change: its entry says what happened (staff.signed_in, ...).
  const changesSomething =
    WRITES.has(request.method) && !request.routeOptions.url?.startsWith('/api/admin/auth/');
  const fields =
    changesSomething && body && typeof body === 'object' && !Array.isArray(body)
      ? Object.keys(body)
          .filter((key) => key !== 'version')
          .slice(0, MAX_FIELDS)
          .map((key) => key.slice(0, 64))
      : [];
  const details = { ...(fields.length ? { fields } : {}), ...request.audit?.details };
  return Object.keys(details).length ? details : undefined;
}

/**
 * Every write through the admin API by a staff member is recorded before its answer leaves (so a client that
 * got the answer can find the entry): staff id, method, route pattern, params, status, ip, request id, the names
 * of the body's fields. Never bodies' values: a route that changes business figures records them from and to
 * (`changes`, platform/audit-changes.ts). A read is recorded when its route names it (`request.audit`: a backup downloaded). A request that
 * names no one (no valid staff token) is recorded only when its route names the event (a failed sign-in): anyone
 * could otherwise add rows to this table, which is never pruned, as fast as they can send requests.
 */
async function recordAdminWrite(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  const route = request.routeOptions.url;
  if (!route?.startsWith('/api/admin')) return;
  const named = request.audit?.action !== undefined;
  if (!WRITES.has(request.method) && !named) return;
  const staffId = request.audit?.staffId ?? actorOf(request);
  if (staffId === null && !named) return;
  try {
    await new AuditService(app.orm.em.fork()).record({
      staffId,
      action: request.audit?.action ?? `${request.method} ${route}`,
      method: request.method,
      route,
      params: request.params as Record<string, unknown>,
      status: reply.statusCode,
      ip: request.ip,
      requestId: request.id,
      details: detailsOf(request),
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
