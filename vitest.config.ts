import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Every temporary file of the run in one folder, removed at its end (test/support/temp-folder.ts).
    globalSetup: ['test/support/temp-folder.ts'],
    // Tests drive the built package (dist/, build/): `npm test` builds first.
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
