import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const builtIndex = join(appDir, 'dist', 'renderer', 'index.html');

function newestChange(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestChange(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * The server serves apps/desktop/dist/renderer at /admin/. A browser test against a build older
 * than the sources would test yesterday's app, so rebuild when any renderer source is newer.
 */
export function ensureRendererBuild(): void {
  const sources = Math.max(
    newestChange(join(appDir, 'src', 'renderer')),
    newestChange(join(appDir, 'src', 'shared')),
    statSync(join(appDir, 'vite.renderer.config.ts')).mtimeMs,
    statSync(join(appDir, 'vite.shared.ts')).mtimeMs,
  );
  if (existsSync(builtIndex) && statSync(builtIndex).mtimeMs >= sources) return;
  // A separate process: inside vitest NODE_ENV is "test", which would produce React's development
  // build, and this folder is also what `npm start` serves.
  const viteBin = join(
    dirname(createRequire(join(appDir, 'package.json')).resolve('vite/package.json')),
    'bin',
    'vite.js',
  );
  execFileSync(
    process.execPath,
    [viteBin, 'build', '--config', 'vite.renderer.config.ts', '--logLevel', 'warn'],
    {
      cwd: appDir,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: 'inherit',
    },
  );
}
