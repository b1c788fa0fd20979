// Builds the admin renderer so `npm start` can serve it at /admin and the browser tests can open it.
// Runs after `npm install` (prepare) and before `npm start` / `npm test`; skips when the build is newer
// than every renderer source file.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const desktop = join(root, 'apps/desktop');
const output = join(desktop, 'dist/renderer/index.html');

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

if (!existsSync(join(root, 'node_modules/vite'))) process.exit(0); // dependencies not installed yet
const sources = ['src/renderer', 'src/shared', 'vite.renderer.config.ts', 'package.json']
  .map((path) => join(desktop, path))
  .concat(join(root, 'packages/api-client/src'))
  .filter(existsSync);
const upToDate = existsSync(output) && statSync(output).mtimeMs >= Math.max(...sources.map(newestMtime));
if (upToDate && !process.argv.includes('--force')) process.exit(0);
const result = spawnSync('npm', ['run', 'build', '-w', '@mcart/desktop'], { stdio: 'inherit', cwd: root });
process.exit(result.status ?? 1);
