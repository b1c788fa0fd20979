import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { rendererChunking, rendererPlugins } from './vite.shared.ts';

// The browser build of the back-office: the server serves dist/renderer at https://<host>/admin/.
export default defineConfig({
  root: fileURLToPath(new URL('./src/renderer', import.meta.url)),
  base: '/admin/',
  plugins: rendererPlugins(),
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: rendererChunking,
  },
  server: {
    // `npm run dev -w @mcart/desktop` proxies the API to a locally running server.
    proxy: {
      '/api': {
        target: process.env.MCART_SERVER_URL ?? 'https://localhost:8443',
        secure: false,
        changeOrigin: true,
      },
      '/health': {
        target: process.env.MCART_SERVER_URL ?? 'https://localhost:8443',
        secure: false,
        changeOrigin: true,
      },
      '/ready': {
        target: process.env.MCART_SERVER_URL ?? 'https://localhost:8443',
        secure: false,
        changeOrigin: true,
      },
      '/socket.io': {
        target: process.env.MCART_SERVER_URL ?? 'https://localhost:8443',
        secure: false,
        ws: true,
        changeOrigin: true,
      },
    },
  },
});
