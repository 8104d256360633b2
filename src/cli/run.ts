/** mandel-par's command line, a thin client of the core: parse, run the command, map errors to exit statuses. */
import { mark } from '../trace.js';

mark('main: command-line modules loaded');

import { InterruptedError, kfrNotRead, RenderError, UsageError } from '../errors.js';
import { VERSION } from '../model/version.js';
import type { Renderer } from '../render/renderer.js';
import { runAssemble } from './assemble-command.js';
import { commandLine } from './command-line.js';
import { find, resolveFindOptions } from './find-command.js';
import { printLine } from './print.js';
import { runRender } from './render-command.js';
import { resolveRenderCommand } from './render-options.js';
import { runScaleCommand } from './scale-command.js';
import { resolveScaleOptions } from './scale-options.js';
import { resolveServeOptions, runServe } from './serve-command.js';
import { loadGivenSpec } from './spec-file.js';
import { resolveVideoOptions, runVideo } from './video-command.js';

/** Where a render gets its renderer: started early (or on first use), and closed at the end. */
export interface Renderers {
  get(): Promise<Renderer>;
  close(): Promise<void>;
}

/**
 * Runs the CLI on `argv` (without node and the script), rendering with `renderers`, and returns the exit status. The
 * renderer is closed before it returns.
 */
export async function main(argv: string[], renderers: Renderers): Promise<number> {
  try {
    const raw = await commandLine(argv, VERSION).parseAsync();
    mark('main: arguments parsed');
    if (raw.help || raw.version) return 0;
    if (raw._[0] === 'scale') await runScaleCommand(resolveScaleOptions(raw), argv);
    else if (raw._[0] === 'assemble') await runAssemble({ folder: String(raw.folder), quiet: raw.quiet === true });
    else if (raw._[0] === 'serve') await runServe(resolveServeOptions(raw));
    else if (raw._[0] === 'video') await runVideo(resolveVideoOptions(raw));
    else if (raw._[0] === 'find') process.stdout.write(find(resolveFindOptions(raw)));
    else {
      const given = await loadGivenSpec(raw);
      if (given?.location?.ignored.length) printLine(kfrNotRead(String(raw.from), given.location.ignored));
      await runRender(resolveRenderCommand(raw, undefined, given), await renderers.get());
    }
    return 0;
  } catch (err) {
    if (err instanceof UsageError || err instanceof RenderError || err instanceof InterruptedError) {
      printLine(err.message);
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
