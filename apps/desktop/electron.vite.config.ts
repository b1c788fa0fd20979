import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import { rendererChunking, rendererPlugins } from './vite.shared.ts';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  main: {
    // Bundle everything: the package ships out/ only, no node_modules (see electron-builder.yml).
    build: {
      outDir: here('./out/main'),
      lib: { entry: here('./src/main/index.ts') },
      externalizeDeps: false,
    },
  },
  preload: {
    build: {
      outDir: here('./out/preload'),
      externalizeDeps: false,
      lib: { entry: here('./src/preload/index.ts') },
      // Sandboxed renderers can only run CommonJS preload scripts, while this package is ESM.
      rolldownOptions: { output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    root: here('./src/renderer'),
    plugins: rendererPlugins(),
    build: {
      outDir: here('./out/renderer'),
      chunkSizeWarningLimit: 1500,
      rolldownOptions: { ...rendererChunking, input: here('./src/renderer/index.html') },
    },
  },
});
