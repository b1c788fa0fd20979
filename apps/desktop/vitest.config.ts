import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

// The browser tests run against the real server, which needs the server project's test
// PostgreSQL (embedded, or TEST_DATABASE_URL). Start it only when those tests will run.
const browserTestsRun = existsSync('/usr/bin/chromium') || process.env.CI === 'true';

export default defineProject({
  test: {
    name: 'desktop',
    root: fileURLToPath(new URL('.', import.meta.url)),
    environment: 'node',
    include: ['src/**/*.test.ts', 'e2e/**/*.test.ts'],
    globalSetup: browserTestsRun
      ? [fileURLToPath(new URL('../server/test/global-setup.ts', import.meta.url))]
      : [],
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
