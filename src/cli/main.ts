#!/usr/bin/env node
/** mandel-par's command line, a thin client of the core: parse, run the command, map errors to exit statuses. */
import { hideBin } from 'yargs/helpers';
import { InterruptedError, oneLine, RenderError, UsageError } from '../errors.js';
import { VERSION } from '../version.js';
import { commandLine } from './command-line.js';
import { runRender } from './render-command.js';
import { resolveRenderCommand } from './render-options.js';
import { runScaleCommand } from './scale-command.js';
import { resolveScaleOptions } from './scale-options.js';

const printLine = (line: string) => process.stderr.write(`mandel-par: ${oneLine(line)}\n`);

/** Runs the CLI on `argv` (without node and the script) and returns the exit status. */
export async function main(argv: string[]): Promise<number> {
  try {
    const raw = await commandLine(argv, VERSION).parseAsync();
    if (raw.help || raw.version) return 0;
    if (raw._[0] === 'scale') await runScaleCommand(resolveScaleOptions(raw), argv);
    else await runRender(resolveRenderCommand(raw), printLine);
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
  }
}

// A reader that goes away (`mandel-par | head`) is not a failure: stop quietly, as other command-line tools do.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
});
process.exitCode = await main(hideBin(process.argv));
