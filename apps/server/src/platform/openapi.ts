import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { ProblemDto } from './errors.ts';

/** The OpenAPI 3.1 document, generated from every route's TypeBox schemas, at /api/openapi.json; docs at /api/docs. */
export const openapiPlugin = fp<{ publicUrl: string }>(
  async (app, { publicUrl }) => {
    app.addSchema(ProblemDto);
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'MCart API',
          version: '1.0.0',
          description:
            'Store API (/api/store) for shoppers, admin API (/api/admin) for staff, webhooks (/api/webhooks). ' +
            'Errors are RFC 9457 application/problem+json with a stable `code`. Admin lists take ' +
            '`page`, `perPage`, `sort`, `order` (ASC|DESC) and filters, and answer `{ data, total }`.',
        },
        servers: [{ url: publicUrl }],
        components: {
          securitySchemes: {
            staffBearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
            customerBearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          },
        },
      },
      refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
      transformObject: (document) =>
        'openapiObject' in document ? problemResponses(document.openapiObject) : document.swaggerObject,
    });
    await app.register(swaggerUi, {
      routePrefix: '/api/docs',
      staticCSP: true,
      // The UI's own CSP (it replaces the server's on its pages) allows same-origin framing: framed by no site.
      transformStaticCSP: (header) => header.replace(/frame-ancestors [^;]*/, "frame-ancestors 'none'"),
    });
    app.get('/api/openapi.json', { schema: { hide: true }, config: { auth: 'public' } }, async () =>
      app.swagger(),
    );
  },
  { name: 'mcart-openapi' },
);

interface Operations {
  paths?: Record<
    string,
    Record<string, { responses?: Record<string, { content?: Record<string, unknown> }> }>
  >;
}

/**
 * Every error leaves the server as `application/problem+json` (errors.ts), whatever the route answers when it
 * succeeds (JSON, a PDF, a CSV): the document says so, so that clients generated from it read errors by it.
 */
export function problemResponses<T extends object>(document: T): T {
  for (const operations of Object.values((document as Operations).paths ?? {}))
    for (const operation of Object.values(operations))
      for (const [status, response] of Object.entries(operation?.responses ?? {})) {
        const media = Object.values(response.content ?? {})[0];
        if (media && /^[45]/.test(status)) response.content = { 'application/problem+json': media };
      }
  return document;
}
