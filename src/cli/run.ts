/** mandel-par's command line, a thin client of the renderer: parse, run the command, map errors to exit statuses. */
import { mark } from '../trace.js';

mark('main: command-line modules loaded');

import { InterruptedError, kfrNotRead, RenderError, UsageError } from '../errors.js';
import { VERSION } from '../model/version.js';
import type { Renderer } from '../render/renderer.js';
import { commandLine } from './command-line.js';
import type { RawArgs } from './parsers.js';
import { printLine } from './print.js';
import { runRender } from './render-command.js';
import { resolveRenderCommand } from './render-options.js';
import { loadGivenSpec } from './spec-file.js';

/** Where a render gets its renderer: started early (or on first use), and closed at the end. */
export interface Renderers {
  get(): Promise<Renderer>;
  close(): Promise<void>;
}

/**
 * The commands besides rendering, each loaded when it is run: a render does not pay for their modules (sharp, which
 * the scale charts and video frames use, took 90 ms of every start-up).
 */
const COMMANDS: Readonly<Record<string, (raw: RawArgs, argv: string[]) => Promise<void>>> = {
  scale: async (raw, argv) => {
    const [{ runScaleCommand }, { resolveScaleOptions }] = await Promise.all([
      import('./scale-command.js'),
      import('./scale-options.js'),
    ]);
    await runScaleCommand(resolveScaleOptions(raw), argv);
  },
  assemble: async (raw) => {
    const { runAssemble } = await import('./assemble-command.js');
    await runAssemble({ folder: String(raw.folder), quiet: raw.quiet === true });
  },
  serve: async (raw) => {
    const { resolveServeOptions, runServe } = await import('./serve-command.js');
    await runServe(resolveServeOptions(raw));
  },
  video: async (raw) => {
    const { resolveVideoOptions, runVideo } = await import('./video-command.js');
    await runVideo(resolveVideoOptions(raw));
  },
  find: async (raw) => {
    const { find, resolveFindOptions } = await import('./find-command.js');
    process.stdout.write(find(resolveFindOptions(raw)));
  },
};

/**
 * Runs the CLI on `argv` (without node and the script), rendering with `renderers`, and returns the exit status. The
 * renderer is closed before it returns.
 */
export async function main(argv: string[], renderers: Renderers): Promise<number> {
  try {
    const raw = await commandLine(argv, VERSION).parseAsync();
    mark('main: arguments parsed');
    if (raw.help || raw.version) return 0;
    const command = Object.hasOwn(COMMANDS, String(raw._[0])) ? COMMANDS[String(raw._[0])] : undefined;
    if (command) await command(raw, argv);
    else {
      const given = await loadGivenSpec(raw);
      const location = given?.location;
      if (location?.ignored.length) printLine(kfrNotRead(String(raw.from), location.ignored, location.rotate));
      await runRender(resolveRenderCommand(raw, undefined, given), await renderers.get());
    }
    return 0;
  } catch (err) {
    if (err instanceof UsageError || err instanceof RenderError || err instanceof InterruptedError) {
      printLine(err.message);
      // A failed task's own error, from its worker: the stack where it failed.
      const { cause } = err as { cause?: unknown };
      if (process.env.MANDEL_PAR_DEBUG && cause instanceof Error) process.stderr.write(`${cause.stack}\n`);
      return err.exitCode;
    }
    // A bug, not a user's mistake: one line unless MANDEL_PAR_DEBUG asks for the stack.
    if (process.env.MANDEL_PAR_DEBUG) process.stderr.write(`mandel-par: unexpected failure: ${(err as Error).stack}\n`);
    else printLine(`unexpected failure: ${String((err as Error)?.message ?? err)}`);
    return 1;
  } finally {
    await renderers.close();
  }
}
