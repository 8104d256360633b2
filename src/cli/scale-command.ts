/** The scale command: run the experiment, print the table, write CSV, JSON and charts. */
import { rmdirSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { compileWasmModule } from '../engines/wasm.js';
import type { StopSignal } from '../errors.js';
import { InterruptedError, STOP_SIGNALS } from '../errors.js';
import { machineInfo } from '../machine.js';
import { shellCommand } from '../outputs/escape.js';
import { prepareOutputPath, removeTemporariesNow } from '../outputs/files.js';
import type { ScaleOptions } from '../scale/experiment.js';
import { printLine } from './print.js';

export async function runScaleCommand(o: ScaleOptions, argv: string[]): Promise<void> {
  // The experiment's modules (and the charting libraries) load only for `scale`: renders start faster.
  const [{ runScale }, { toTable, warnings, writeReport }] = await Promise.all([
    import('../scale/experiment.js'),
    import('../scale/report.js'),
  ]);
  const made = (await stat(o.output).catch(() => undefined)) === undefined;
  await prepareOutputPath(`${o.output}/results.json`);
  // Ctrl-C or another stop (STOP_SIGNALS) mid-experiment: its results are written only at its end, so nothing is lost but the time; the
  // folder made for them goes (it was left empty), and the stop is said, as a render's is.
  const stop = (name: StopSignal) => {
    removeTemporariesNow();
    if (made) {
      try {
        rmdirSync(o.output); // only while empty
      } catch {}
    }
    const err = new InterruptedError(name, '; nothing was written', 'the experiment');
    process.stderr.write(`mandel-par: ${err.message}\n`);
    process.exit(err.exitCode);
  };
  const handlers = (Object.keys(STOP_SIGNALS) as StopSignal[]).map((name) => [name, () => stop(name)] as const);
  for (const [name, handler] of handlers) process.once(name, handler);
  try {
    const machine = machineInfo();
    const log = (line: string) => process.stderr.isTTY && process.stderr.write(`${line}\n`);
    const result = await runScale(o, await compileWasmModule(), machine.cores, log);
    process.stdout.write(toTable(result, o, machine));
    for (const line of warnings(result)) printLine(`warning: ${line}`);
    const files = await writeReport(result, o, machine, shellCommand(['mandel-par', ...argv]));
    process.stdout.write(`Wrote ${files.csv}, ${files.json}, ${files.svg}, ${files.png}\n`);
  } finally {
    for (const [name, handler] of handlers) process.off(name, handler);
  }
}
