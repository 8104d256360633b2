/**
 * The speedup chart, drawn as SVG here (no charting library: vega and vega-lite were 28 MB of the install for this
 * one picture) and rasterised to PNG by sharp. Everything it draws comes from the ScaleResult that results.json
 * stores, so the chart can be redrawn from that file alone: speedupSpec(result, title) says what to draw,
 * renderSvg draws it.
 */
import { escapeHtml } from '../outputs/escape.js';
import { counted } from '../words.js';
import type { ScaleResult } from './experiment.js';

const PANEL_WIDTH = 560;
const PANEL_HEIGHT = 320;
const MARGIN = { left: 64, right: 170, top: 56, bottom: 48 };
const GAP = 40;
const COLOURS = ['#4c78a8', '#f58518', '#e45756', '#72b7b2', '#54a24b', '#eeca3b', '#b279a2', '#ff9da6', '#9d755d'];

interface Series {
  label: string;
  points: { threads: number; speedup: number; low?: number; high?: number }[];
  dashed?: boolean;
}

interface Panel {
  title: string;
  log: boolean;
  xTitle: string;
  yTitle: string;
  series: Series[];
  /** Measured points drawn as dots only (the prediction panel's check). */
  dots: Series[];
  ideal: [number, number];
  cores?: number;
  oversubscribed?: [number, number];
}

/** What the chart draws: a title, the schedules' colours, and one or two panels. */
export interface ChartSpec {
  title: string;
  labels: string[];
  panels: Panel[];
}

/** The measured panel and, when there are predictions, the predicted one: what to draw, from the result alone. */
export function speedupSpec(result: ScaleResult, title: string): ChartSpec {
  const labels = [...new Set(result.points.map((p) => p.label))];
  const maxThreads = Math.max(...result.points.map((p) => p.threads));
  const minThreads = Math.min(...result.points.map((p) => p.threads));
  const measured: Panel = {
    title: 'measured on this machine (bars: 95% intervals)',
    log: false,
    xTitle: 'threads',
    yTitle:
      result.mode === 'weak'
        ? 'scaled speedup (weak scaling)'
        : `speedup against ${counted(result.baseThreads, 'thread')}`,
    series: labels.map((label) => ({
      label,
      points: result.points
        .filter((p) => p.label === label)
        .map((p) => ({
          threads: p.threads,
          speedup: p.speedup,
          low: p.speedupInterval[0],
          high: p.speedupInterval[1],
        })),
    })),
    dots: [],
    ideal: [minThreads, maxThreads],
    cores: result.cores,
    ...(maxThreads > result.cores && { oversubscribed: [result.cores, maxThreads] as [number, number] }),
  };
  const { prediction } = result;
  if (!prediction) return { title, labels, panels: [measured] };
  const counts = prediction.points.map((p) => p.threads);
  const predicted: Panel = {
    title: 'predicted for N cores like these: a simulation, not measured (dots: measured here)',
    log: true,
    xTitle: 'cores',
    yTitle: 'speedup against one thread',
    series: labels.map((label) => ({
      label,
      dashed: true,
      points: prediction.points
        .filter((p) => p.label === label)
        .map((p) => ({ threads: p.threads, speedup: p.speedup })),
    })),
    dots: labels.map((label) => ({
      label,
      points: result.points
        .filter((p) => p.label === label && p.threads <= result.cores)
        .map((p) => ({ threads: p.threads, speedup: p.speedup })),
    })),
    ideal: [Math.min(...counts), Math.max(...counts)],
  };
  return { title, labels, panels: [measured, predicted] };
}

/** Ticks at 1, 2 or 5 times a power of ten, about six of them, covering [0, max]. */
function linearTicks(max: number): number[] {
  const raw = max / 6;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? power * 10;
  return Array.from({ length: Math.floor(max / step + 1e-9) + 1 }, (_, k) => Number((k * step).toPrecision(12)));
}

/** Powers of two covering [min, max]. */
function logTicks(min: number, max: number): number[] {
  const ticks: number[] = [];
  for (let v = 2 ** Math.floor(Math.log2(min)); v <= max * 1.0001; v *= 2) ticks.push(v);
  return ticks;
}

const number = (v: number) => String(Number(v.toFixed(2)));

function drawPanel(p: Panel, labels: string[], top: number): string[] {
  const all = [...p.series, ...p.dots].flatMap((s) => s.points);
  const yValues = [...all.flatMap((q) => [q.speedup, q.high ?? q.speedup]), p.ideal[1]];
  const xMax = Math.max(p.ideal[1], ...all.map((q) => q.threads));
  const xMin = p.log ? Math.min(p.ideal[0], ...all.map((q) => q.threads)) : 0;
  const yMax = Math.max(...yValues) * 1.05;
  const yMin = p.log ? Math.min(1, ...all.map((q) => q.speedup)) : 0;
  const xTicks = p.log ? logTicks(xMin, xMax) : linearTicks(xMax);
  const yTicks = p.log ? logTicks(yMin, yMax) : linearTicks(yMax);
  // A log axis starts at its first tick, a power of two at or below the least value (a tick of 0.25 under an axis
  // that began at 0.3 was drawn below the panel, over the axis' labels).
  const [x0, x1] = [
    p.log ? xTicks[0] : xMin,
    p.log ? xTicks[xTicks.length - 1] : Math.max(xMax, xTicks[xTicks.length - 1]),
  ];
  const [y0, y1] = [p.log ? yTicks[0] : yMin, Math.max(yMax, yTicks[yTicks.length - 1])];
  const scale = (v: number, a: number, b: number) => (p.log ? Math.log2(v / a) / Math.log2(b / a) : (v - a) / (b - a));
  const x = (v: number) => MARGIN.left + scale(v, x0, x1) * PANEL_WIDTH;
  const y = (v: number) => top + PANEL_HEIGHT - scale(v, y0, y1) * PANEL_HEIGHT;
  const colour = (label: string) => COLOURS[labels.indexOf(label) % COLOURS.length];
  const out: string[] = [];
  out.push(
    `<text x="${MARGIN.left + PANEL_WIDTH / 2}" y="${top - 10}" text-anchor="middle" font-weight="bold" font-size="13">${escapeHtml(p.title)}</text>`,
  );
  if (p.oversubscribed) {
    const [a, b] = p.oversubscribed;
    out.push(
      `<rect x="${x(a)}" y="${top}" width="${x(b) - x(a)}" height="${PANEL_HEIGHT}" fill="#f0f0f0"/>`,
      `<text x="${x(b) - 4}" y="${top + 14}" text-anchor="end" fill="#666666" font-size="11">oversubscribed</text>`,
    );
  }
  for (const t of xTicks) {
    out.push(
      `<line x1="${x(t)}" y1="${top}" x2="${x(t)}" y2="${top + PANEL_HEIGHT}" stroke="#dddddd"/>`,
      `<text x="${x(t)}" y="${top + PANEL_HEIGHT + 16}" text-anchor="middle" font-size="11">${number(t)}</text>`,
    );
  }
  for (const t of yTicks) {
    out.push(
      `<line x1="${MARGIN.left}" y1="${y(t)}" x2="${MARGIN.left + PANEL_WIDTH}" y2="${y(t)}" stroke="#dddddd"/>`,
      `<text x="${MARGIN.left - 6}" y="${y(t) + 4}" text-anchor="end" font-size="11">${number(t)}</text>`,
    );
  }
  out.push(
    `<rect x="${MARGIN.left}" y="${top}" width="${PANEL_WIDTH}" height="${PANEL_HEIGHT}" fill="none" stroke="#888888"/>`,
    `<text x="${MARGIN.left + PANEL_WIDTH / 2}" y="${top + PANEL_HEIGHT + 36}" text-anchor="middle" font-weight="bold" font-size="12">${escapeHtml(p.xTitle)}</text>`,
    `<text transform="translate(${MARGIN.left - 44},${top + PANEL_HEIGHT / 2}) rotate(-90)" text-anchor="middle" font-weight="bold" font-size="12">${escapeHtml(p.yTitle)}</text>`,
  );
  if (p.cores !== undefined) {
    // Its label on the side with room: past the panel's right edge it ran into the legend.
    const right = x(p.cores) > MARGIN.left + PANEL_WIDTH / 2;
    const label = right ? `x="${x(p.cores) - 4}" text-anchor="end"` : `x="${x(p.cores) + 4}"`;
    out.push(
      `<line x1="${x(p.cores)}" y1="${top}" x2="${x(p.cores)}" y2="${top + PANEL_HEIGHT}" stroke="#444444"/>`,
      `<text ${label} y="${top + 14}" fill="#444444" font-size="11">${counted(p.cores, 'core')}</text>`,
    );
  }
  const [i0, i1] = p.ideal;
  out.push(`<line x1="${x(i0)}" y1="${y(i0)}" x2="${x(i1)}" y2="${y(i1)}" stroke="#888888" stroke-dasharray="6,4"/>`);
  for (const s of p.series) {
    const c = colour(s.label);
    const path = s.points.map((q) => `${x(q.threads).toFixed(1)},${y(q.speedup).toFixed(1)}`).join(' ');
    out.push(
      `<polyline points="${path}" fill="none" stroke="${c}" stroke-width="2"${s.dashed ? ' stroke-dasharray="3,3"' : ''}/>`,
    );
    // Each series' interval bars a little apart from the others' at the same thread count (they hid each other).
    const apart = (labels.indexOf(s.label) - (labels.length - 1) / 2) * 3;
    for (const q of s.points) {
      if (q.low !== undefined && q.high !== undefined) {
        const bar = x(q.threads) + apart;
        out.push(`<line x1="${bar}" y1="${y(q.low)}" x2="${bar}" y2="${y(q.high)}" stroke="${c}" stroke-width="2"/>`);
      }
      out.push(
        s.dashed
          ? `<path d="M${x(q.threads)},${y(q.speedup) - 4}l4,7h-8z" fill="${c}"/>`
          : `<circle cx="${x(q.threads)}" cy="${y(q.speedup)}" r="3" fill="${c}"/>`,
      );
    }
  }
  for (const s of p.dots) {
    for (const q of s.points) {
      out.push(`<circle cx="${x(q.threads)}" cy="${y(q.speedup)}" r="5" fill="${colour(s.label)}" opacity="0.8"/>`);
    }
  }
  return out;
}

/** The chart as SVG text: the title, the panels stacked, the legend at the right. */
export async function renderSvg(spec: ChartSpec): Promise<string> {
  const width = MARGIN.left + PANEL_WIDTH + MARGIN.right;
  const panelStep = PANEL_HEIGHT + MARGIN.bottom + GAP;
  const height = MARGIN.top + spec.panels.length * panelStep;
  const legendX = MARGIN.left + PANEL_WIDTH + 20;
  const legend = spec.labels.flatMap((label, k) => [
    `<circle cx="${legendX + 6}" cy="${MARGIN.top + 24 + 18 * k}" r="5" fill="${COLOURS[k % COLOURS.length]}"/>`,
    `<text x="${legendX + 16}" y="${MARGIN.top + 28 + 18 * k}" font-size="11">${escapeHtml(label)}</text>`,
  ]);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="10" y="20" font-weight="bold" font-size="14">${escapeHtml(spec.title)}</text>`,
    `<text x="${legendX}" y="${MARGIN.top + 8}" font-weight="bold" font-size="12">schedule</text>`,
    ...legend,
    ...spec.panels.flatMap((p, k) => drawPanel(p, spec.labels, MARGIN.top + 10 + k * panelStep)),
    '</svg>',
    '',
  ].join('\n');
}
