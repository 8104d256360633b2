/** The experiment's results as a table for the terminal, and as CSV, JSON and charts in the output folder. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { MachineInfo } from '../machine.js';
import { machineLine } from '../machine.js';
import type { RenderSpec } from '../model/spec.js';
import { writeAtomically } from '../outputs/files.js';
import { viewOptions } from '../outputs/provenance.js';
import { counted } from '../words.js';
import { renderSvg, speedupSpec } from './chart.js';
import type { ScaleOptions, ScalePoint, ScaleResult } from './experiment.js';
import { MIN_RUNS_TO_COMPARE, TOO_SHORT_MS } from './experiment.js';
import { BOOTSTRAP } from './interval.js';
import type { Snapshot } from './load.js';
import { isBusy, loadLine } from './load.js';

/** The CSV columns, in order (documented in docs/scaling.md). */
export const CSV_COLUMNS = [
  'schedule',
  'band_rows',
  'threads',
  'width',
  'height',
  'tasks',
  'repeats',
  'median_ms',
  'min_ms',
  'max_ms',
  'speedup',
  'speedup_low',
  'speedup_high',
  'efficiency',
  'load_balance',
  'work_inflation',
  'others_cores',
  'steal',
  'busy',
  'oversubscribed',
  'image_sha256',
] as const;

const fixed = (value: number | null, digits: number) => (value === null ? '' : value.toFixed(digits));

function toCsv(result: ScaleResult): string {
  const rows = result.points.map((p) =>
    [
      p.schedule,
      p.bandRows ?? '',
      p.threads,
      p.width,
      p.height,
      p.tasks,
      p.runsMs.length,
      fixed(p.medianMs, 2),
      fixed(p.minMs, 2),
      fixed(p.maxMs, 2),
      fixed(p.speedup, 3),
      fixed(p.speedupInterval[0], 3),
      fixed(p.speedupInterval[1], 3),
      fixed(p.efficiency, 3),
      fixed(p.loadBalance, 3),
      fixed(p.workInflation, 3),
      fixed(p.load.othersCores, 3),
      fixed(p.load.stealShare, 3),
      p.busy,
      p.oversubscribed,
      p.imageSha256,
    ].join(','),
  );
  return `${[CSV_COLUMNS.join(','), ...rows].join('\n')}\n`;
}

/** Columns padded to their widest cell, the first left-aligned. */
function columns(head: string[], rows: string[][]): string[] {
  const widths = head.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, k) => (k === 0 ? c.padEnd(widths[k]) : c.padStart(widths[k])))
      .join('  ')
      .trimEnd();
  return [head, ...rows].map(line);
}

function note(p: ScalePoint): string {
  const notes = [...(p.oversubscribed ? ['oversubscribed'] : []), ...(p.busy ? [`busy: ${loadLine(p.load)}`] : [])];
  return notes.join('; ');
}

function snapshotLine(s: Snapshot): string {
  return `${loadLine(s)}, load average ${s.loadAverage.map((x) => x.toFixed(2)).join(' ')}`;
}

/** Others' load over the points' runs, as a range. */
function duringLine(points: ScalePoint[]): string {
  const others = points.map((p) => p.load.othersCores);
  if (others.some((x) => x === null)) return 'not reported on this platform';
  const steal = points.map((p) => (p.load.stealShare ?? 0) * 100);
  const range = (values: number[], digits: number) =>
    `${Math.min(...values).toFixed(digits)}-${Math.max(...values).toFixed(digits)}`;
  return `others ${range(others as number[], 2)} cores, steal ${range(steal, 0)}% over the points`;
}

function pointsTable(result: ScaleResult): string[] {
  const weak = result.mode === 'weak';
  const head = [
    'schedule',
    'threads',
    ...(weak ? ['picture'] : []),
    'tasks',
    'median s',
    'min s',
    'max s',
    weak ? 'scaled speedup' : 'speedup',
    '95% interval',
    'efficiency',
    'balance',
    'work',
    'note',
  ];
  const rows = result.points.map((p) => [
    p.label,
    String(p.threads),
    ...(weak ? [`${p.width} x ${p.height}`] : []),
    String(p.tasks),
    fixed(p.medianMs / 1000, 3),
    fixed(p.minMs / 1000, 3),
    fixed(p.maxMs / 1000, 3),
    fixed(p.speedup, 2),
    `${fixed(p.speedupInterval[0], 2)}-${fixed(p.speedupInterval[1], 2)}`,
    `${fixed(p.efficiency * 100, 0)}%`,
    fixed(p.loadBalance, 2),
    fixed(p.workInflation, 2),
    note(p),
  ]);
  return columns(head, rows);
}

function predictionTable(result: ScaleResult): string[] {
  const { prediction } = result;
  if (!prediction) return [];
  const counts = [...new Set(prediction.points.map((p) => p.threads))];
  const labels = [...new Set(prediction.points.map((p) => p.label))];
  const measured = (label: string, threads: number) =>
    result.points.find((p) => p.label === label && p.threads === threads);
  const rows = labels.map((label) => [
    label,
    ...counts.map((threads) => {
      const p = prediction.points.find((x) => x.label === label && x.threads === threads);
      const m = measured(label, threads);
      return `${fixed(p?.speedup ?? null, 2)}${m && threads <= result.cores ? ` (${fixed(m.speedup, 2)})` : ''}`;
    }),
  ]);
  const { model } = prediction;
  return [
    `Predicted speedup on N cores like these (simulated from per-row costs measured at 1 thread; not measured;` +
      ` measured speedups in brackets):`,
    ...columns(['schedule', ...counts.map(String)], rows),
    `Model: ${fixed(model.taskFixedMs, 3)} ms per task in the worker, ${fixed(model.dispatchMs, 3)} ms in the pool,` +
      ` ${fixed(model.mainMs, 3)} ms on the main thread; ${fixed(model.renderFixedMs, 1)} ms per render;` +
      ` up to ${prediction.depth} tasks held per worker`,
    `Not modelled: cores slowing each other down (the work column: all workers' time per pixel over one thread's;` +
      ` here ${inflation(result)}) and other load.`,
  ];
}

/** The work inflation measured on this machine's cores, as a range over the schedules. */
function inflation(result: ScaleResult): string {
  const counts = [...new Set(result.points.map((p) => p.threads))].filter(
    (t) => t > result.baseThreads && t <= result.cores,
  );
  if (counts.length === 0) return 'not measured, no count above the base within the cores';
  return counts
    .map((threads) => {
      const values = result.points.filter((p) => p.threads === threads).map((p) => p.workInflation);
      return `${fixed(Math.min(...values), 2)}-${fixed(Math.max(...values), 2)} at ${counted(threads, 'thread')}`;
    })
    .join(', ');
}

function pictureLine(result: ScaleResult, spec: RenderSpec, repeat: number): string {
  const { width, height, maxIter, engine, shortcuts } = spec;
  const size = result.calibration
    ? `${width} x ${height} (calibrated: one render at 1 thread took ${fixed(result.calibration.ms / 1000, 2)} s, target ${fixed(result.calibration.targetMs / 1000, 2)} s)`
    : `${width} x ${height}`;
  const mode = result.mode === 'weak' ? 'weak scaling, pixels grow with the threads' : 'strong scaling';
  const view = viewOptions(spec).replace(/^--region=/, 'region ');
  return (
    `Scaling (${mode}): ${size}, max-iter ${maxIter}, ${view}, engine ${engine}${shortcuts ? '' : ', no shortcuts'};` +
    ` median of ${repeat} runs, ${BOOTSTRAP.level * 100}% bootstrap intervals`
  );
}

/** The table printed on stdout. */
export function toTable(result: ScaleResult, o: ScaleOptions, machine: MachineInfo): string {
  const spec = o.specAt(result.width, result.height);
  return [
    pictureLine(result, spec, o.repeat),
    `Machine: ${machineLine(machine)}`,
    `Load before: ${snapshotLine(result.load.before)}; during: ${duringLine(result.points)}; after: ${snapshotLine(result.load.after)}`,
    '',
    ...pointsTable(result),
    '',
    ...result.comparisons
      .filter((c) => c.tied.length + c.slower.length > 0)
      .map((c) =>
        c.decided
          ? `At ${counted(c.threads, 'thread')}: fastest ${c.best}; not told apart from it: ` +
            `${c.tied.join(', ') || 'none'}; slower beyond the noise: ${c.slower.join(', ') || 'none'}`
          : `At ${counted(c.threads, 'thread')}: fastest ${c.best} (fewer than ` +
            `${MIN_RUNS_TO_COMPARE} runs a point: no schedule is called slower)`,
      ),
    ...(result.prediction ? ['', ...predictionTable(result)] : []),
    '',
    `Pool start-up (first render less a typical one): ${result.startupMs.map((s) => `${counted(s.threads, 'thread')} ${fixed(s.ms, 0)} ms`).join(', ')}`,
    `Amdahl serial fraction (fit on 1 < threads <= ${machine.cores}): ${result.serialFractions
      .map((s) => `${s.label} ${s.serialFraction === null ? 'n/a' : fixed(s.serialFraction, 3)}`)
      .join(', ')}`,
    '',
  ].join('\n');
}

/** What the reader should know before trusting the figures: one line each. */
export function warnings(result: ScaleResult): string[] {
  const base = result.points.filter((p) => p.threads === result.baseThreads);
  const shortest = Math.min(...base.map((p) => p.medianMs));
  const busy = result.points.filter((p) => p.busy);
  const calibration = result.calibration;
  return [
    ...(calibration && isBusy(calibration.load)
      ? [
          `calibration ran on a busy machine (${loadLine(calibration.load)}): the picture may be smaller than --target-seconds asks`,
        ]
      : []),
    ...(result.calibration === null && shortest < TOO_SHORT_MS
      ? [
          `one render takes ${fixed(shortest / 1000, 3)} s at ${counted(result.baseThreads, 'thread')}: ` +
            'too short to share among threads (pool overheads and timer noise dominate); leave out --width and ' +
            '--height to calibrate the size to --target-seconds',
        ]
      : []),
    ...(busy.length > 0
      ? [
          `${busy.length} of ${counted(result.points.length, 'point')} ${busy.length === 1 ? 'was' : 'were'} measured while other processes used the machine ` +
            '(marked busy): rerun on a quiet machine, or with --quiet-machine 60',
        ]
      : []),
  ];
}

export interface WrittenFiles {
  csv: string;
  json: string;
  svg: string;
  png: string;
}

/** The chart's title: the picture and the machine. */
export function chartTitle(result: ScaleResult, maxIter: number, machine: MachineInfo): string {
  const mode = result.mode === 'weak' ? 'weak scaling from ' : '';
  return `mandel-par scale: ${mode}${result.width} x ${result.height}, max-iter ${maxIter}, ${machine.cpu}, ${machine.cores} cores`;
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
  const spec = o.specAt(result.width, result.height);
  const title = chartTitle(result, spec.maxIter, machine);
  const svg = await renderSvg(speedupSpec(result, title));
  const png = await sharp(Buffer.from(svg)).png().toBuffer({ resolveWithObject: true });
  const json = {
    command,
    machine,
    parameters: { ...o, spec },
    bootstrap: BOOTSTRAP,
    chart: { svg: 'speedup.svg', png: 'speedup.png', title, width: png.info.width, height: png.info.height },
    ...result,
  };
  await writeAtomically(files.csv, (temp) => writeFile(temp, toCsv(result)));
  await writeAtomically(files.json, (temp) => writeFile(temp, `${JSON.stringify(json, null, 2)}\n`));
  await writeAtomically(files.svg, (temp) => writeFile(temp, svg));
  await writeAtomically(files.png, (temp) => writeFile(temp, png.data));
  return files;
}
