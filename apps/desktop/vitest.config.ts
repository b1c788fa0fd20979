import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'desktop',
    root: new URL('.', import.meta.url).pathname,
    environment: 'node',
    include: ['src/**/*.test.ts', 'e2e/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
