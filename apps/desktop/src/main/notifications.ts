/**
 * OS notifications for what the renderer's live alerts announce (new order, low stock). The in-app
 * notification always shows; the OS one is for a window that is not focused, and only when the user
 * left desktop notifications on in settings. Electron stays in index.ts behind `NotificationHost`.
 */
export interface NotificationHost {
  enabled(): boolean;
  supported(): boolean;
  windowFocused(): boolean;
  /** Shows it; a click brings the window back. */
  show(title: string, body: string): void;
}

export type NotifyOutcome = 'shown' | 'disabled' | 'unsupported' | 'focused';

export function osNotificationOutcome(host: Omit<NotificationHost, 'show'>): NotifyOutcome {
  if (!host.enabled()) return 'disabled';
  if (!host.supported()) return 'unsupported';
  if (host.windowFocused()) return 'focused';
  return 'shown';
}

/** Resolves whether an OS notification was shown. */
export function notifyOs(host: NotificationHost, title: string, body: string): boolean {
  if (osNotificationOutcome(host) !== 'shown') return false;
  host.show(title, body);
  return true;
}
