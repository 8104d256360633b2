/** The experiment's results as a table for the terminal, and as CSV, JSON and charts in the output folder. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { MachineInfo } from '../machine.js';
import { machineLine } from '../machine.js';
import { writeAtomically } from '../outputs/files.js';
import { viewOptions } from '../outputs/provenance.js';
import { renderSvg, speedupSpec } from './chart.js';
import type { ScaleOptions, ScaleResult } from './experiment.js';

/** The CSV columns, in order (documented in docs/scaling.md). */
export const CSV_COLUMNS = [
  'schedule',
  'band_rows',
  'threads',
  'tasks',
  'repeats',
  'median_ms',
  'min_ms',
  'max_ms',
  'speedup',
  'efficiency',
  'load_balance',
  'image_sha256',
] as const;

const fixed = (value: number, digits: number) => value.toFixed(digits);

function toCsv(result: ScaleResult): string {
  const rows = result.points.map((p) =>
    [
      p.schedule,
      p.bandRows ?? '',
      p.threads,
      p.tasks,
      p.runsMs.length,
      fixed(p.medianMs, 2),
      fixed(p.minMs, 2),
      fixed(p.maxMs, 2),
      fixed(p.speedup, 3),
      fixed(p.efficiency, 3),
      fixed(p.loadBalance, 3),
      p.imageSha256,
    ].join(','),
  );
  return `${[CSV_COLUMNS.join(','), ...rows].join('\n')}\n`;
}

/** The table printed on stdout. */
export function toTable(result: ScaleResult, o: ScaleOptions, machine: MachineInfo): string {
  const head = ['schedule', 'threads', 'tasks', 'median s', 'min s', 'max s', 'speedup', 'efficiency', 'balance'];
  const rows = result.points.map((p) => [
    p.label,
    String(p.threads),
    String(p.tasks),
    fixed(p.medianMs / 1000, 3),
    fixed(p.minMs / 1000, 3),
    fixed(p.maxMs / 1000, 3),
    fixed(p.speedup, 2),
    `${fixed(p.efficiency * 100, 0)}%`,
    fixed(p.loadBalance, 2),
  ]);
  const widths = head.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k].length)));
  const line = (cells: string[]) =>
    cells.map((c, k) => (k === 0 ? c.padEnd(widths[k]) : c.padStart(widths[k]))).join('  ');
  const { width, height, maxIter, engine, shortcuts } = o.spec;
  return [
    `Scaling: ${width} x ${height}, max-iter ${maxIter}, ${viewOptions(o.spec).replace(/^--region=/, 'region ')}, engine ${engine}${shortcuts ? '' : ', no shortcuts'}; median of ${o.repeat} runs`,
    `Machine: ${machineLine(machine)}`,
    '',
    line(head),
    ...rows.map(line),
    '',
    `Pool start-up (first render less a typical one): ${result.startupMs.map((s) => `${s.threads} threads ${fixed(s.ms, 0)} ms`).join(', ')}`,
    `Amdahl serial fraction (fit on 1 < threads <= ${machine.cores}): ${result.serialFractions
      .map((s) => `${s.label} ${s.serialFraction === null ? 'n/a' : fixed(s.serialFraction, 3)}`)
      .join(', ')}`,
    '',
  ].join('\n');
}

export interface WrittenFiles {
  csv: string;
  json: string;
  svg: string;
  png: string;
}

/** Writes results.csv, results.json, speedup.svg and speedup.png into the output folder (each atomically). */
export async function writeReport(
  result: ScaleResult,
  o: ScaleOptions,
  machine: MachineInfo,
  command: string,
): Promise<WrittenFiles> {
  await mkdir(o.output, { recursive: true });
  const files: WrittenFiles = {
    csv: join(o.output, 'results.csv'),
    json: join(o.output, 'results.json'),
    svg: join(o.output, 'speedup.svg'),
    png: join(o.output, 'speedup.png'),
  };
  const title = `mandel-par scale: ${o.spec.width} x ${o.spec.height}, max-iter ${o.spec.maxIter}, ${machine.cpu}, ${machine.cores} cores`;
  const svg = await renderSvg(speedupSpec(result.points, title));
  const png = await sharp(Buffer.from(svg)).png().toBuffer({ resolveWithObject: true });
  const json = {
    command,
    machine,
    parameters: o,
    chart: { svg: 'speedup.svg', png: 'speedup.png', width: png.info.width, height: png.info.height },
    ...result,
  };
  await writeAtomically(files.csv, (temp) => writeFile(temp, toCsv(result)));
  await writeAtomically(files.json, (temp) => writeFile(temp, `${JSON.stringify(json, null, 2)}\n`));
  await writeAtomically(files.svg, (temp) => writeFile(temp, svg));
  await writeAtomically(files.png, (temp) => writeFile(temp, png.data));
  return files;
}
