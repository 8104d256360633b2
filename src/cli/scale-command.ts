/** The scale command: run the experiment, print the table, write CSV, JSON and charts. */
import { compileWasmModule } from '../engines/wasm.js';
import { machineInfo } from '../machine.js';
import { shellCommand } from '../outputs/escape.js';
import { prepareOutputPath } from '../outputs/files.js';
import type { ScaleOptions } from '../scale/experiment.js';
import { printLine } from './print.js';

export async function runScaleCommand(o: ScaleOptions, argv: string[]): Promise<void> {
  // The experiment's modules (and the charting libraries) load only for `scale`: renders start faster.
  const [{ runScale }, { toTable, warnings, writeReport }] = await Promise.all([
    import('../scale/experiment.js'),
    import('../scale/report.js'),
  ]);
  await prepareOutputPath(`${o.output}/results.json`);
  const machine = machineInfo();
  const log = (line: string) => process.stderr.isTTY && process.stderr.write(`${line}\n`);
  const result = await runScale(o, await compileWasmModule(), machine.cores, log);
  process.stdout.write(toTable(result, o, machine));
  for (const line of warnings(result)) printLine(`warning: ${line}`);
  const files = await writeReport(result, o, machine, shellCommand(['mandel-par', ...argv]));
  process.stdout.write(`Wrote ${files.csv}, ${files.json}, ${files.svg}, ${files.png}\n`);
}
