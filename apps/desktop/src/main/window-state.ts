export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState extends Rectangle {
  maximized: boolean;
}

export const DEFAULT_WINDOW_SIZE = { width: 1280, height: 800 } as const;
export const MIN_WINDOW_SIZE = { width: 800, height: 560 } as const;

/**
 * Where to open the main window. A saved position is reused only if the window would still be
 * reachable (a monitor may have been unplugged since): at least its title strip must lie on one of
 * the current work areas, otherwise the window is centred on the primary display.
 */
export function restoreWindowBounds(
  saved: WindowState | null,
  workAreas: readonly Rectangle[],
): { bounds: Partial<Rectangle> & { width: number; height: number }; maximized: boolean } {
  const primary = workAreas[0];
  const fit = (size: number, min: number, max: number | undefined): number =>
    Math.round(Math.max(min, max === undefined ? size : Math.min(size, max)));
  if (!saved) {
    return {
      bounds: {
        width: fit(DEFAULT_WINDOW_SIZE.width, MIN_WINDOW_SIZE.width, primary?.width),
        height: fit(DEFAULT_WINDOW_SIZE.height, MIN_WINDOW_SIZE.height, primary?.height),
      },
      maximized: false,
    };
  }
  const titleStrip: Rectangle = { x: saved.x, y: saved.y, width: saved.width, height: 32 };
  const visible = workAreas.find((area) => overlap(titleStrip, area) >= 64 * 16);
  if (!visible) {
    return {
      bounds: {
        width: fit(saved.width, MIN_WINDOW_SIZE.width, primary?.width),
        height: fit(saved.height, MIN_WINDOW_SIZE.height, primary?.height),
      },
      maximized: saved.maximized,
    };
  }
  return {
    bounds: {
      x: Math.round(saved.x),
      y: Math.round(saved.y),
      width: fit(saved.width, MIN_WINDOW_SIZE.width, visible.width),
      height: fit(saved.height, MIN_WINDOW_SIZE.height, visible.height),
    },
    maximized: saved.maximized,
  };
}

function overlap(a: Rectangle, b: Rectangle): number {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return width > 0 && height > 0 ? width * height : 0;
}
