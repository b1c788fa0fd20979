// Bundles the server's own code (apps/server/src, and the shared @mcart/* workspace packages) into one ES
// module, apps/server/dist/bundle/main.mjs, that plain `node` runs: no TypeScript loader in the running
// server (the loader thread and its caches cost ~50 MB of memory and slow the start). npm packages stay
// external, loaded from node_modules as usual. Takes about a second; `npm start` runs it every time.
// The bundle sits at the same depth as src/platform/, so paths resolved from import.meta.url there (the
// admin renderer) hold in both; files read next to a module are copied beside the bundle.
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const server = join(root, 'apps/server');
const outdir = join(server, 'dist/bundle');
const manifest = (path) => JSON.parse(readFileSync(path, 'utf8'));
const external = [
  ...Object.keys(manifest(join(server, 'package.json')).dependencies ?? {}),
  ...Object.keys(manifest(join(root, 'package.json')).dependencies ?? {}),
].filter((name) => !name.startsWith('@mcart/'));

await build({
  entryPoints: { main: join(server, 'src/main.ts') },
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: external.flatMap((name) => [name, `${name}/*`]),
  sourcemap: true,
  logLevel: 'warning',
  // Some CommonJS code inside the bundle may call require(); give ES modules one.
  banner: {
    js: "import { createRequire as __mcartRequire } from 'node:module'; const require = __mcartRequire(import.meta.url);",
  },
});
mkdirSync(outdir, { recursive: true });
copyFileSync(join(server, 'src/modules/identity/common-passwords.txt'), join(outdir, 'common-passwords.txt'));
