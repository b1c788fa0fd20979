// Builds the admin renderer once so `npm start` can serve it at /admin and the browser tests can open it.
// Runs after `npm install` (prepare) and before `npm start` / `npm test`; skips when the build is current.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const built = existsSync(new URL('../apps/desktop/dist/renderer/index.html', import.meta.url));
if (built && !process.argv.includes('--force')) process.exit(0);
if (!existsSync(new URL('../node_modules/vite', import.meta.url))) process.exit(0); // not installed yet
const result = spawnSync('npm', ['run', 'build', '-w', '@mcart/desktop'], { stdio: 'inherit' });
process.exit(result.status ?? 1);
