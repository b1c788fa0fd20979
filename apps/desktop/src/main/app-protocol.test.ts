import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, mimeTypeOf, resolveAppAsset } from './app-protocol.ts';

const root = resolve('/opt/mcart/out/renderer');

describe('resolveAppAsset', () => {
  it('serves index.html for the root and files inside the renderer folder', () => {
    expect(resolveAppAsset(root, 'app://mcart/')).toBe(join(root, 'index.html'));
    expect(resolveAppAsset(root, 'app://mcart/assets/index-abc.js')).toBe(
      join(root, 'assets', 'index-abc.js'),
    );
  });

  it('refuses every way out of the renderer folder', () => {
    // The URL parser collapses plain and %2e dot segments at the root, so these stay inside.
    expect(resolveAppAsset(root, 'app://mcart/../../../etc/passwd')).toBe(join(root, 'etc', 'passwd'));
    expect(resolveAppAsset(root, 'app://mcart/assets/%2e%2e/%2e%2e/%2e%2e/secret')).toBe(
      join(root, 'secret'),
    );
    expect(resolveAppAsset(root, 'app://mcart/..%2f..%2fsecret')).toBeNull();
    expect(resolveAppAsset(root, 'app://mcart/a%00b')).toBeNull();
    expect(resolveAppAsset(root, 'not a url')).toBeNull();
  });
});

describe('mimeTypeOf', () => {
  it('knows the types a Vite build emits', () => {
    expect(mimeTypeOf('/x/index.html')).toBe('text/html; charset=utf-8');
    expect(mimeTypeOf('/x/a.JS')).toBe('text/javascript; charset=utf-8');
    expect(mimeTypeOf('/x/a.bin')).toBe('application/octet-stream');
  });
});

describe('contentSecurityPolicy', () => {
  it('lets the renderer reach only the configured server, over https and wss', () => {
    const csp = contentSecurityPolicy('https://shop.example.com:8443');
    expect(csp).toContain("connect-src 'self' https://shop.example.com:8443 wss://shop.example.com:8443");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
  });

  it('allows no remote origin before a server is configured', () => {
    expect(contentSecurityPolicy(null)).toContain("connect-src 'self';");
  });
});
