/** `mandel-par assemble FOLDER`: writes the picture whose shards were rendered into a parts folder. */
import { stat } from 'node:fs/promises';
import { formatBytes } from '../errors.js';
import { assembleParts } from '../outputs/assemble.js';
import { printLine } from './print.js';
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
    const s = await stat(path);
    const what = s.isDirectory() ? 'a folder' : formatBytes(s.size);
    const seconds = (performance.now() / 1000).toFixed(2);
    printLine(`wrote ${path} (${what}, ${job.spec.width} x ${job.spec.height} pixels, ${seconds} s)`);
  } finally {
    interrupt.dispose();
  }
}
