import fp from 'fastify-plugin';
import helmet from 'helmet';
import cors from '@fastify/cors';

export interface SecurityOptions {
  corsOrigins: string[];
  hsts: boolean;
}

/** Security headers (HSTS when served over TLS), a strict CSP that the admin UI and API docs work under, CORS by allow-list. */
export const securityPlugin = fp<SecurityOptions>(
  async (app, options) => {
    // One helmet middleware built at start-up: @fastify/helmet built a new one (parsing the CSP again) for
    // every request, 4% of a product-detail request's CPU.
    const securityHeaders = helmet({
      hsts: options.hsts ? { maxAge: 31_536_000, includeSubDomains: true } : false,
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // MUI (emotion) injects <style> elements at run time.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          // The admin served at /admin talks only to this origin, its live socket included ('self' covers the
          // same-origin ws:/wss: URL in CSP 3). The Electron app is not served by this policy.
          connectSrc: ["'self'"],
          fontSrc: ["'self'", 'data:'],
          // The admin previews label PDFs it fetched with the staff token as blob: URLs in a frame;
          // a blob: document inherits this policy, and Chrome's PDF viewer counts as an object.
          frameSrc: ["'self'", 'blob:'],
          objectSrc: ['blob:'],
          frameAncestors: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
        },
      },
      crossOriginEmbedderPolicy: false,
      // Framed by no site, this one included: the same as frame-ancestors 'none', for browsers without CSP 2.
      xFrameOptions: { action: 'deny' },
    });
    app.addHook('onRequest', (request, reply, done) =>
      securityHeaders(request.raw, reply.raw, (err) => done(err as Error | undefined)),
    );
    // API answers carry tokens and personal data: no cache keeps them unless a route says otherwise (the
    // catalogue does: public, revalidated with its ETag). Hooks of the routes' own plugins run after this one.
    app.addHook('onSend', async (request, reply, payload) => {
      if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control'))
        reply.header('cache-control', 'no-store');
      return payload;
    });
    await app.register(cors, {
      // Only configured origins; same-origin requests (the admin at /admin) need no CORS at all.
      origin: options.corsOrigins.length ? options.corsOrigins : false,
      credentials: false,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-Match', 'If-None-Match'],
      exposedHeaders: ['Idempotent-Replayed', 'Retry-After', 'ETag', 'Content-Disposition'],
      maxAge: 600,
    });
  },
  { name: 'mcart-security' },
);
