#!/usr/bin/env node
// `npm run desktop`: build the Electron bundles and start the app.
//   npm run desktop              production build (out/), then Electron
//   npm run desktop -- --dev     electron-vite dev server with hot reload
// `npm install` never downloads Electron (the root package.json denies its postinstall), so the
// runtime is fetched here, once, the first time someone actually wants to run the app.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(join(appDir, 'package.json'));
const electronDir = dirname(require.resolve('electron/package.json'));
const electronVersion = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version;
const electronViteBin = join(
  dirname(require.resolve('electron-vite/package.json')),
  'bin',
  'electron-vite.js',
);
const devMode = process.argv.includes('--dev');

/** Path of the Electron executable, or null while the runtime is not downloaded. */
function electronExecutable() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const name =
      { win32: 'electron.exe', darwin: 'Electron.app/Contents/MacOS/Electron' }[process.platform] ??
      'electron';
    const overridden = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, name);
    return existsSync(overridden) ? overridden : null;
  }
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const executable = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(executable) ? executable : null;
}

function ensureElectron() {
  const existing = electronExecutable();
  if (existing) return existing;
  console.log(
    `Electron ${electronVersion} is not downloaded yet; downloading it once (node_modules/electron/install.js)...`,
  );
  const env = { ...process.env };
  // The variable may be set for `npm install`; here the download is exactly what we want.
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  const result = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
    cwd: electronDir,
    env,
    stdio: 'inherit',
  });
  const installed = result.status === 0 ? electronExecutable() : null;
  if (installed) return installed;
  console.error(`
MCart desktop needs the Electron ${electronVersion} runtime, and downloading it failed.

Do one of these, then run \`npm run desktop\` again:
  - allow internet access once (the download comes from github.com/electron/electron/releases);
  - point ELECTRON_MIRROR at a mirror you can reach, e.g.
      ELECTRON_MIRROR=https://npmmirror.com/mirrors/electron/ npm run desktop
    (or ELECTRON_CUSTOM_DIR / electron_config_cache for an internal mirror or a pre-filled cache);
  - or unpack an Electron ${electronVersion} build yourself and set ELECTRON_OVERRIDE_DIST_PATH to its folder.

The back-office also runs without Electron: start the server (npm start) and open https://localhost:8443/admin/ in a browser.`);
  process.exit(1);
}

function run(command, args, options = {}) {
  const child = spawn(command, args, { cwd: appDir, stdio: 'inherit', ...options });
  // Forward Ctrl+C and termination to the child so Electron shuts down cleanly.
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

const executable = ensureElectron();

// Chromium's sandbox cannot start as root on Linux (containers, CI); the renderer keeps its
// JavaScript-level isolation (contextIsolation, sandboxed preload) either way.
const chromiumArgs = process.platform === 'linux' && process.getuid?.() === 0 ? ['--no-sandbox'] : [];
if (chromiumArgs.length) console.warn('Running as root: starting Electron with --no-sandbox.');

const env = { ...process.env, ELECTRON_EXEC_PATH: executable };
if (devMode) {
  process.exit(
    await run(process.execPath, [electronViteBin, 'dev', ...(chromiumArgs.length ? ['--noSandbox'] : [])], {
      env,
    }),
  );
}
const buildStatus = await run(process.execPath, [electronViteBin, 'build'], { env });
if (buildStatus !== 0) process.exit(buildStatus);
process.exit(await run(executable, [...chromiumArgs, '.'], { env }));
