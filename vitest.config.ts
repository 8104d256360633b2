import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests drive the built package (dist/, build/): `npm test` builds first.
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
