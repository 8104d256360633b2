/** `mandel-par assemble FOLDER`: writes the picture (or video) whose shards were rendered into a parts folder. */
import { assembleParts } from '../outputs/assemble.js';
import { readSettings, writeVideo } from '../video/assemble.js';
import { readMap } from '../video/map.js';
import { printLine } from './print.js';
import { writtenLine } from './render-command.js';
import { abortOnSignals } from './signals.js';

export interface AssembleCommand {
  folder: string;
  quiet: boolean;
}

/**
 * Checks that every band is there, writes the picture where the render would have, and removes the folder; for a
 * video's folder, makes the video from its keyframes (kept, for other colours and timings).
 */
export async function runAssemble(c: AssembleCommand): Promise<void> {
  const interrupt = abortOnSignals(`; ${JSON.stringify(c.folder)} was left as it was`);
  try {
    const map = await readMap(c.folder);
    const settings = map && (await readSettings(c.folder));
    if (map && settings) {
      await writeVideo(c.folder, map, settings, interrupt.signal, () => {});
      if (!c.quiet)
        printLine(`wrote ${settings.output}: ${settings.timeline.frames} frames at ${settings.timeline.fps} fps`);
      return;
    }
    const { path, job } = await assembleParts(c.folder, interrupt.signal);
    if (c.quiet) return;
    printLine(await writtenLine(path, job.spec));
  } finally {
    interrupt.dispose();
  }
}
