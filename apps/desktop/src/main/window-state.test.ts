import { describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW_SIZE, restoreWindowBounds } from './window-state.ts';

const laptop = { x: 0, y: 0, width: 1440, height: 900 };
const externalRight = { x: 1440, y: 0, width: 2560, height: 1440 };

describe('restoreWindowBounds', () => {
  it('opens at the default size, centred by Electron, the first time', () => {
    expect(restoreWindowBounds(null, [laptop])).toEqual({ bounds: DEFAULT_WINDOW_SIZE, maximized: false });
  });

  it('restores the saved position when it is still on a screen', () => {
    const saved = { x: 1600, y: 100, width: 1800, height: 1000, maximized: true };
    expect(restoreWindowBounds(saved, [laptop, externalRight])).toEqual({
      bounds: { x: 1600, y: 100, width: 1800, height: 1000 },
      maximized: true,
    });
  });

  it('recentres a window whose monitor was unplugged, shrinking it to fit', () => {
    const saved = { x: 1600, y: 100, width: 1800, height: 1000, maximized: false };
    expect(restoreWindowBounds(saved, [laptop])).toEqual({
      bounds: { width: 1440, height: 900 },
      maximized: false,
    });
  });

  it('never restores below the minimum usable size', () => {
    const saved = { x: 10, y: 10, width: 200, height: 100, maximized: false };
    expect(restoreWindowBounds(saved, [laptop]).bounds).toEqual({ x: 10, y: 10, width: 800, height: 560 });
  });
});
