import type { IpcChannel, IpcInvokeMap } from '../shared/ipc.ts';

/**
 * The origin the app's own pages are served from. Packaged builds use the privileged `app://mcart`
 * scheme; `electron-vite dev` serves the renderer from a local Vite server instead.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'mcart';
export const PACKAGED_APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    // Custom schemes report the opaque origin "null"; rebuild it from scheme and host.
    return parsed.origin === 'null' ? `${parsed.protocol}//${parsed.host}` : parsed.origin;
  } catch {
    return null;
  }
}

/**
 * Every IPC handler calls this: a message is trusted only when it comes from a frame showing one of
 * our own pages. An iframe, a page navigated elsewhere or a devtools-injected frame gets nothing.
 */
export function isTrustedSender(frameUrl: string | undefined | null, appOrigin: string): boolean {
  if (!frameUrl) return false;
  return originOf(frameUrl) === appOrigin;
}

/** The main window may only ever show the app itself; links elsewhere are refused. */
export function isAppNavigation(targetUrl: string, appOrigin: string): boolean {
  return originOf(targetUrl) === appOrigin;
}

/**
 * `window.open` / `target="_blank"` (the carriers' "Track" links): the app never opens a window of its
 * own. A link from one of the app's pages to an `https:` address goes to the user's browser; anything
 * else (http, file:, custom schemes that launch programs, javascript:...) and any request from another
 * page is dropped.
 */
export function externalLinkTarget(
  targetUrl: string,
  openerUrl: string | undefined | null,
  appOrigin: string,
): string | null {
  if (!isTrustedSender(openerUrl, appOrigin)) return null;
  let url: URL;
  try {
    url = new URL(targetUrl);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || !url.hostname) return null;
  return url.href;
}

/**
 * The one permission the back-office uses: writing text to the clipboard (Copy on the recovery codes,
 * navigator.clipboard.writeText), which Chromium asks for as `clipboard-sanitized-write`. Granted to
 * the app's own pages only; everything else (camera, notifications, clipboard reads, geolocation...)
 * stays refused. `requestingUrl` is the requesting frame's URL or origin, as Electron reports it.
 */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

export function isPermissionAllowed(
  permission: string,
  requestingUrl: string | undefined | null,
  appOrigin: string,
): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isTrustedSender(requestingUrl, appOrigin);
}

export class IpcValidationError extends Error {
  constructor(readonly channel: string) {
    super(`Invalid arguments for ${channel}`);
    this.name = 'IpcValidationError';
  }
}

type Validators = { [C in IpcChannel]: (args: readonly unknown[]) => args is IpcInvokeMap[C]['args'] };

const isString = (value: unknown, max = 2048): value is string =>
  typeof value === 'string' && value.length <= max;

/** The renderer is untrusted input: arguments are checked by shape before a handler sees them. */
export const ipcArgumentValidators: Validators = {
  'app:info': (args): args is [] => args.length === 0,
  'settings:get': (args): args is [] => args.length === 0,
  'settings:set-server-url': (args): args is [string] => args.length === 1 && isString(args[0]),
  'settings:probe-certificate': (args): args is [string] => args.length === 1 && isString(args[0]),
  'session:load': (args): args is [] => args.length === 0,
  'session:clear': (args): args is [] => args.length === 0,
  'session:save': (args): args is [string, string] =>
    args.length === 2 && isString(args[0], 8192) && isString(args[1], 1024),
  'app:notify': (args): args is [string, string] =>
    args.length === 2 && isString(args[0], 200) && isString(args[1], 1000),
  'settings:trust-certificate': (args): args is [string, string] =>
    args.length === 2 && isString(args[0]) && isString(args[1], 200),
  'settings:set-desktop-notifications': (args): args is [boolean] =>
    args.length === 1 && typeof args[0] === 'boolean',
  'update:get-state': (args): args is [] => args.length === 0,
  'update:install': (args): args is [] => args.length === 0,
  'print:list-printers': (args): args is [] => args.length === 0,
  'print:get-label-printer': (args): args is [] => args.length === 0,
  'print:set-label-printer': (args): args is [string | null] =>
    args.length === 1 && (args[0] === null || (isString(args[0], 256) && args[0].length > 0)),
  'print:labels': (args): args is [Uint8Array, number] =>
    args.length === 2 &&
    args[0] instanceof Uint8Array &&
    Number.isInteger(args[1]) &&
    (args[1] as number) >= 1 &&
    (args[1] as number) <= 10,
};

export function validateIpcArguments<C extends IpcChannel>(
  channel: C,
  args: readonly unknown[],
): IpcInvokeMap[C]['args'] {
  const validate = ipcArgumentValidators[channel] as (
    args: readonly unknown[],
  ) => args is IpcInvokeMap[C]['args'];
  if (!validate(args)) throw new IpcValidationError(channel);
  return args;
}
