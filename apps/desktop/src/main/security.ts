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
