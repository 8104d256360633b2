/** `mandel-par assemble FOLDER`: writes the picture whose shards were rendered into a parts folder. */
import { assembleParts } from '../outputs/assemble.js';
import { printLine } from './print.js';
import { writtenLine } from './render-command.js';
import { abortOnSignals } from './signals.js';

export interface AssembleCommand {
  folder: string;
  quiet: boolean;
}

/** Checks that every band is there, writes the picture where the render would have, and removes the folder. */
export async function runAssemble(c: AssembleCommand): Promise<void> {
  const interrupt = abortOnSignals(`; ${JSON.stringify(c.folder)} was left as it was`);
  try {
    const { path, job } = await assembleParts(c.folder, interrupt.signal);
    if (c.quiet) return;
    printLine(await writtenLine(path, job.spec));
  } finally {
    interrupt.dispose();
  }
}
