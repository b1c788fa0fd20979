export type ServerUrlResult =
  { ok: true; origin: string } | { ok: false; reason: 'invalid' | 'protocol' | 'insecure' };

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Normalises what a user types as the server address to an origin. Plain http is refused except on
 * the loopback interface: staff tokens must never cross a network in clear text.
 */
export function parseServerUrl(input: string): ServerUrlResult {
  const trimmed = input.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`);
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: 'protocol' };
  if (url.username || url.password) return { ok: false, reason: 'invalid' };
  if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname)) return { ok: false, reason: 'insecure' };
  return { ok: true, origin: url.origin };
}
