import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { securityPlugin } from '../src/platform/security.ts';
import { useTestApp } from './app.ts';

const { app } = await useTestApp();

describe('security headers', () => {
  it('sends a strict CSP and the usual hardening headers on API answers and the admin page', async () => {
    for (const url of ['/api/store/products', '/health', '/admin/']) {
      const response = await app.inject({ method: 'GET', url });
      const csp = String(response.headers['content-security-policy']);
      expect(csp, url).toContain("default-src 'self'");
      expect(csp, url).toContain("script-src 'self'");
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(csp, url).toContain('object-src blob:');
      // The admin's live socket is same-origin: no ws:/wss: to any other host.
      expect(csp, url).toMatch(/(^|;)\s*connect-src 'self'\s*(;|$)/);
      expect(csp, url).not.toMatch(/\bwss?:/);
      expect(response.headers['x-content-type-options'], url).toBe('nosniff');
      expect(response.headers['x-frame-options'], url).toBe('DENY');
      expect(response.headers['referrer-policy'], url).toBe('no-referrer');
      expect(response.headers['cross-origin-opener-policy'], url).toBe('same-origin');
      expect(response.headers['x-powered-by'], url).toBeUndefined();
    }
  });

  it('lets no site frame the API docs, this one included (the docs UI sends its own CSP)', async () => {
    for (const url of ['/api/docs', '/api/docs/']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
      const csp = String(response.headers['content-security-policy']);
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(csp, url).not.toContain("frame-ancestors 'self'");
      expect(response.headers['x-frame-options'], url).toBe('DENY');
    }
  });

  it('lets no cache keep API answers unless the route allows it (the catalogue, revalidated)', async () => {
    for (const url of [
      '/api/store/payments/00000000-0000-4000-8000-000000000000',
      '/api/admin/orders',
      '/api/openapi.json',
    ]) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.headers['cache-control'], url).toBe('no-store');
    }
    expect((await app.inject('/api/store/products')).headers['cache-control']).toBe('public, no-cache');
  });

  it('adds HSTS for a year, sub-domains included, only when served over TLS', async () => {
    const answer = async (hsts: boolean) => {
      const server = Fastify();
      await server.register(securityPlugin, { corsOrigins: [], hsts });
      server.get('/', async () => ({ ok: true }));
      const response = await server.inject({ method: 'GET', url: '/' });
      await server.close();
      return response.headers['strict-transport-security'];
    };
    expect(await answer(true)).toBe('max-age=31536000; includeSubDomains');
    expect(await answer(false)).toBeUndefined();
  });
});
