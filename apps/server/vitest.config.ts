import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'server',
    root: new URL('.', import.meta.url).pathname,
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    // One embedded PostgreSQL (or TEST_DATABASE_URL) and a migrated template for the whole run.
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 3,
    // Test files share their worker's modules (the app's graph is imported once per worker, not per file: a
    // quarter of the run). Each file still builds its own app on its own database; a file that fakes timers
    // or patches a module restores it in its own hooks.
    isolate: false,
    // Projects with different worker counts run as separate groups; the server's comes after the others.
    sequence: { groupOrder: 1 },
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
