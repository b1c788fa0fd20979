import fp from 'fastify-plugin';
import jwt from '@fastify/jwt';
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { can, type Permission, type Role } from '../modules/identity/permissions.ts';
import { CommonErrors } from './errors.ts';

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
const ISSUER = 'mcart';
export const AUDIENCE = { staff: 'mcart:staff', customer: 'mcart:customer' } as const;

/** What an access token carries. `sid` is the refresh-token family, so a revoked session can be refused. */
export interface AccessClaims {
  sub: string;
  kind: 'staff' | 'customer';
  role?: Role;
  sid: string;
}

export type RouteAuth =
  /** Admin routes: a staff token with this permission (401 without a token, 403 without the permission). */
  | { permission: Permission }
  /** Store routes for a signed-in customer. */
  | 'customer'
  /** Store routes that work for guests and customers alike (the token is read when present). */
  | 'customer-optional'
  /** Open to anyone (login, webhooks verify their own signatures). */
  | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuth;
  }
  interface FastifyRequest {
    staff?: { id: string; role: Role; sid: string };
    customer?: { id: string; sid: string };
  }
  interface FastifyInstance {
    signAccessToken: (claims: AccessClaims) => string;
    /** Pluggable check that the session behind a token still stands (not revoked, account not disabled). */
    sessionGuard: { isActive: (claims: AccessClaims) => Promise<boolean> };
  }
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: AccessClaims;
    user: AccessClaims;
  }
}

function bearer(request: FastifyRequest): boolean {
  return /^Bearer\s+\S+/i.test(request.headers.authorization ?? '');
}

export const authPlugin = fp<{ secret: string }>(
  async (app, { secret }) => {
    await app.register(jwt, {
      secret,
      sign: { algorithm: 'HS256', iss: ISSUER, expiresIn: ACCESS_TOKEN_TTL_SECONDS },
      // Algorithm pinned: a token with alg "none" or an RS/ES algorithm is refused.
      verify: { algorithms: ['HS256'], allowedIss: ISSUER },
    });
    app.decorate('sessionGuard', { isActive: async () => true });
    app.decorate('signAccessToken', (claims: AccessClaims) =>
      app.jwt.sign(claims, { aud: AUDIENCE[claims.kind] }),
    );

    async function verify(request: FastifyRequest, kind: 'staff' | 'customer'): Promise<AccessClaims> {
      let claims: AccessClaims;
      try {
        claims = await request.jwtVerify<AccessClaims>({ allowedAud: AUDIENCE[kind] });
      } catch {
        throw CommonErrors.unauthorized('The access token is missing, invalid or expired');
      }
      if (claims.kind !== kind || !(await app.sessionGuard.isActive(claims))) {
        throw CommonErrors.unauthorized('The session has ended; sign in again');
      }
      return claims;
    }

    const staffGuard =
      (permission: Permission): onRequestHookHandler =>
      async (request: FastifyRequest, _reply: FastifyReply) => {
        if (!bearer(request)) throw CommonErrors.unauthorized('A staff access token is required');
        const claims = await verify(request, 'staff');
        if (!claims.role || !can(claims.role, permission)) {
          throw CommonErrors.forbidden(`Your role may not do this (needs ${permission})`);
        }
        request.staff = { id: claims.sub, role: claims.role, sid: claims.sid };
      };

    const customerGuard =
      (optional: boolean): onRequestHookHandler =>
      async (request: FastifyRequest) => {
        if (!bearer(request)) {
          if (optional) return;
          throw CommonErrors.unauthorized('Sign in to continue');
        }
        const claims = await verify(request, 'customer');
        request.customer = { id: claims.sub, sid: claims.sid };
      };

    // Every route under /api/admin must say which permission it needs: a forgotten one stops start-up.
    app.addHook('onRoute', (route) => {
      const auth = route.config?.auth;
      const url = route.url;
      if (url.startsWith('/api/admin') && auth === undefined) {
        throw new Error(`Admin route ${route.method} ${url} declares no permission (config.auth)`);
      }
      if (auth === undefined || auth === 'public') return;
      const guard =
        auth === 'customer'
          ? customerGuard(false)
          : auth === 'customer-optional'
            ? customerGuard(true)
            : staffGuard(auth.permission);
      const existing = route.onRequest;
      // Authenticate before the body is even read: an anonymous caller costs no parsing and learns nothing.
      route.onRequest = existing ? [guard, ...(Array.isArray(existing) ? existing : [existing])] : [guard];
    });
  },
  { name: 'mcart-auth' },
);
