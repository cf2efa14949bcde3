import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds dist/ once, before every run: the process tests start the compiled bot.
    globalSetup: ['test/build-dist.setup.ts'],
    testTimeout: 30_000,
  },
});
