import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';

export const RENDERER_DIR = fileURLToPath(new URL('../../../desktop/dist/renderer/', import.meta.url));

/** Serves the desktop app's renderer build at /admin, so a browser shows the same back-office. */
export const adminUiPlugin = fp<{ dir?: string }>(
  async (app, options) => {
    const root = options.dir ?? RENDERER_DIR;
    if (!existsSync(root)) {
      app.log.warn(
        { root },
        'admin UI not built: run `npm run build -w @mcart/desktop` to serve it at /admin',
      );
      return;
    }
    await app.register(fastifyStatic, {
      root,
      prefix: '/admin/',
      decorateReply: false,
      maxAge: '1h',
      index: 'index.html',
    });
    app.get('/admin', { schema: { hide: true }, config: { auth: 'public' } }, async (_request, reply) =>
      reply.redirect('/admin/'),
    );
    app.get('/', { schema: { hide: true }, config: { auth: 'public' } }, async (_request, reply) =>
      reply.redirect('/admin/'),
    );
  },
  { name: 'mcart-admin-ui' },
);
