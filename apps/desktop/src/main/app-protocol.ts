import { extname, isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * Maps an `app://mcart/...` request to a file of the built renderer. Anything resolving outside
 * the renderer folder (`..`, encoded separators, absolute paths) is refused: the protocol handler
 * would otherwise serve any file the user can read.
 */
export function resolveAppAsset(rendererRoot: string, requestUrl: string): string | null {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(requestUrl).pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  const relativePath = pathname === '/' || pathname === '' ? 'index.html' : pathname.replace(/^\/+/, '');
  const root = resolve(rendererRoot);
  const target = resolve(root, relativePath);
  const rel = relative(root, target);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) return null;
  return target;
}

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};

export function mimeTypeOf(filePath: string): string {
  return MIME_TYPES[extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The renderer may talk to exactly one remote origin: the configured MCart server (REST and the
 * socket.io websocket). MUI injects styles at runtime, hence 'unsafe-inline' for styles only.
 */
export function contentSecurityPolicy(serverOrigin: string | null): string {
  const remote: string[] = [];
  if (serverOrigin) {
    const url = new URL(serverOrigin);
    remote.push(url.origin, `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}`);
  }
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob:${serverOrigin ? ` ${new URL(serverOrigin).origin}` : ''}`,
    "font-src 'self' data:",
    `connect-src 'self'${remote.length ? ` ${remote.join(' ')}` : ''}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}
