import type { DesktopBridge } from '../shared/ipc.ts';

declare global {
  interface Window {
    /** Present only inside the Electron app (set by the preload script). */
    readonly mcart?: DesktopBridge;
  }
}

export interface ServerConnection {
  /** The desktop bridge when running inside Electron. */
  desktop: DesktopBridge | null;
  /** Configured server origin in Electron; null in the browser (same origin) or before setup. */
  origin: string | null;
  /** Prefix for every request: '' in the browser, the server origin in Electron. */
  baseUrl(): string;
}

/**
 * In the browser the renderer is served by the MCart server itself at /admin/, so the API is
 * same-origin. In Electron the page comes from app://mcart and the server address is a setting.
 */
export async function resolveConnection(
  bridge: DesktopBridge | undefined = window.mcart,
): Promise<ServerConnection> {
  if (!bridge) return { desktop: null, origin: null, baseUrl: () => '' };
  const settings = await bridge.getSettings();
  const origin = settings.serverUrl;
  return { desktop: bridge, origin, baseUrl: () => origin ?? '' };
}
