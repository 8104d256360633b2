#!/usr/bin/env node
/**
 * The mandel-par command. Its first worker thread starts here, before the command-line modules load: booting a
 * worker (about 70 ms) then overlaps loading and parsing (about 80 ms) instead of following them. More workers
 * start only if the render needs them (core/feeder.ts). See bench/README.md for the start-up timeline.
 */
import { Renderer } from '../core/renderer.js';
import { mark } from '../trace.js';
import { MAX_THREADS } from './parsers.js';
import { printLine } from './print.js';

mark('main: renderer modules loaded');
const renderer = Renderer.create({ threads: MAX_THREADS, minThreads: 1, logger: { warn: printLine } });
renderer.catch(() => {}); // a failure is reported where the renderer is used, if it is

// A reader that goes away (`mandel-par | head`) is not a failure: stop quietly, as other command-line tools do.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
});

const { main } = await import('./run.js');
process.exitCode = await main(process.argv.slice(2), renderer);
mark('main: done');
