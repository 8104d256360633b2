import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Suites left out of the quick loop (`npx vitest run`): they drive outside programs (Chromium, ffmpeg, Slurm), pack
 * the package, or render posters and whole experiments. `npm test` (and so CI) runs them too, with `--mode full`.
 */
const SLOW = ['posters', 'faults', 'package', 'viewer', 'explorer', 'video', 'slurm', 'scale'];

export default defineConfig(({ mode }) => ({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: mode === 'full' ? [] : SLOW.map((name) => `test/${name}.test.ts`),
    // vitest's default leaves a core free, so one file at a time on 2 cores; the quick suites wait on child processes
    // and worker start-ups often enough that two files at once take 49 s there instead of 66. The full run keeps the
    // default: its posters, faults and videos are steadier with a core to spare.
    ...(mode === 'full' ? {} : { maxWorkers: Math.max(2, availableParallelism() - 1) }),
    // Tests drive the built package (dist/, build/): the first setup builds it again when a source is newer, so a
    // run never tests stale code; the second gives the run one temporary folder of its own.
    globalSetup: ['test/support/fresh-build.ts', 'test/support/temp-folder.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
}));
