/**
 * The command after `-v` (cli/main.ts). For a render its first worker thread starts here, before the command-line
 * modules load: booting a worker (about 70 ms) then overlaps loading and parsing (about 80 ms) instead of following
 * them. More workers start only if the render needs them (render/feeder.ts); help, `scale`, `assemble`, `find`,
 * `serve` and `video` start none here. See bench/README.md for the start-up timeline.
 */
import { Renderer } from '../render/renderer.js';
import { mark } from '../trace.js';
import { MAX_THREADS } from './parsers.js';
import { printLine } from './print.js';

mark('main: renderer modules loaded');
const argv = process.argv.slice(2);

/** Words after which nothing renders here: help, or a command that makes its own pools or none. */
const NO_RENDER = new Set(['-h', '--help', 'help', 'scale', 'assemble', 'find', 'serve', 'video']);

let renderer: Promise<Renderer> | undefined;
const renderers = {
  get: () => {
    renderer ??= Renderer.create({ threads: MAX_THREADS, minThreads: 1, logger: { warn: printLine } });
    return renderer;
  },
  close: async () => {
    await renderer?.then((r) => r.close()).catch(() => {});
  },
};
// A failure is reported where the renderer is used, if it is.
if (!argv.some((word) => NO_RENDER.has(word))) renderers.get().catch(() => {});

// A reader that goes away (`mandel-par | head`) is not a failure: stop quietly, as other command-line tools do.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
});

const { main } = await import('./run.js');
process.exitCode = await main(argv, renderers);
mark('main: done');
