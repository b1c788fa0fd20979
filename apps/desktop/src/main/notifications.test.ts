import { describe, expect, it } from 'vitest';
import { notifyOs, osNotificationOutcome, type NotificationHost } from './notifications.ts';

function host(overrides: Partial<Omit<NotificationHost, 'show'>> = {}) {
  const shown: [string, string][] = [];
  const value: NotificationHost = {
    enabled: () => true,
    supported: () => true,
    windowFocused: () => false,
    show: (title, body) => void shown.push([title, body]),
    ...overrides,
  };
  return { value, shown };
}

describe('OS notifications', () => {
  it('shows one when enabled and the window is in the background', () => {
    const { value, shown } = host();
    expect(notifyOs(value, 'MCart', 'New order MC-001001')).toBe(true);
    expect(shown).toEqual([['MCart', 'New order MC-001001']]);
  });

  it('stays quiet when turned off in settings, unsupported, or the window is focused (the in-app one shows)', () => {
    for (const [overrides, outcome] of [
      [{ enabled: () => false }, 'disabled'],
      [{ supported: () => false }, 'unsupported'],
      [{ windowFocused: () => true }, 'focused'],
    ] as const) {
      const { value, shown } = host(overrides);
      expect(osNotificationOutcome(value)).toBe(outcome);
      expect(notifyOs(value, 'MCart', 'Low stock')).toBe(false);
      expect(shown).toEqual([]);
    }
  });
});
