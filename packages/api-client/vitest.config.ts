import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { name: 'api-client', root: new URL('.', import.meta.url).pathname, include: ['src/**/*.test.ts'] },
});
