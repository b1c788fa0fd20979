import { defineConfig } from 'vitest/config';

/** One runner for the whole repository: each workspace is a vitest project. */
export default defineConfig({
  test: {
    projects: ['apps/*/vitest.config.ts', 'packages/*/vitest.config.ts'],
    reporters: ['default'],
  },
});
