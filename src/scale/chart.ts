/**
 * The speedup chart: a Vega-Lite spec rendered to SVG in Node (no browser), and to PNG by sharp. Everything it draws
 * comes from the ScaleResult that results.json stores, so the chart can be redrawn from that file alone.
 */
import type { ScaleResult } from './experiment.js';

const CHART_WIDTH = 560;
const CHART_HEIGHT = 320;

type Layer = Record<string, unknown>;

const threadsAxis = (scale?: Layer) => ({
  field: 'threads',
  type: 'quantitative',
  title: 'threads',
  axis: { tickMinStep: 1, format: 'd' },
  ...(scale && { scale }),
});

function idealLayer(from: number, to: number, y: Layer): Layer {
  return {
    data: {
      values: [
        { threads: from, speedup: from },
        { threads: to, speedup: to },
      ],
    },
    mark: { type: 'line', strokeDash: [6, 4], color: '#888888' },
    encoding: { x: threadsAxis(), y },
  };
}

/** Measured points with their intervals, the core count marked and the oversubscribed threads shaded. */
function measuredPanel(result: ScaleResult): Layer {
  const weak = result.mode === 'weak';
  const y = {
    field: 'speedup',
    type: 'quantitative',
    title: weak
      ? 'scaled speedup (weak scaling)'
      : `speedup against ${result.baseThreads} thread${result.baseThreads === 1 ? '' : 's'}`,
  };
  const maxThreads = Math.max(...result.points.map((p) => p.threads));
  const values = result.points.map((p) => ({
    threads: p.threads,
    speedup: p.speedup,
    low: p.speedupInterval[0],
    high: p.speedupInterval[1],
    label: p.label,
  }));
  const colour = { field: 'label', type: 'nominal', title: 'schedule' };
  const over: Layer[] =
    maxThreads > result.cores
      ? [
          {
            data: { values: [{ from: result.cores, to: maxThreads, text: 'oversubscribed' }] },
            layer: [
              {
                mark: { type: 'rect', color: '#f0f0f0' },
                encoding: { x: { field: 'from', type: 'quantitative' }, x2: { field: 'to' } },
              },
              {
                mark: { type: 'text', align: 'right', baseline: 'top', dx: -4, dy: 4, color: '#666666', y: 0 },
                encoding: { x: { field: 'to', type: 'quantitative' }, text: { field: 'text' } },
              },
            ],
          },
        ]
      : [];
  return {
    title: 'measured on this machine (bars: 95% intervals)',
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    layer: [
      ...over,
      {
        data: { values: [{ threads: result.cores, text: `${result.cores} cores` }] },
        layer: [
          { mark: { type: 'rule', color: '#444444' }, encoding: { x: threadsAxis() } },
          {
            mark: { type: 'text', align: 'left', baseline: 'top', dx: 4, dy: 4, color: '#444444', y: 0 },
            encoding: { x: threadsAxis(), text: { field: 'text' } },
          },
        ],
      },
      idealLayer(Math.min(...result.points.map((p) => p.threads)), maxThreads, y),
      {
        data: { values },
        layer: [
          {
            mark: 'rule',
            encoding: { x: threadsAxis(), y: { ...y, field: 'low' }, y2: { field: 'high' }, color: colour },
          },
          { mark: { type: 'line', point: true }, encoding: { x: threadsAxis(), y, color: colour } },
        ],
      },
    ],
  };
}

/** Predicted speedups on machines with more cores, with the measured points they are checked against. */
function predictedPanel(result: ScaleResult): Layer | null {
  const { prediction } = result;
  if (!prediction) return null;
  const counts = prediction.points.map((p) => p.threads);
  const x = { ...threadsAxis({ type: 'log', base: 2 }), title: 'cores' };
  const y = {
    field: 'speedup',
    type: 'quantitative',
    title: 'speedup against one thread',
    scale: { type: 'log', base: 2 },
  };
  const colour = { field: 'label', type: 'nominal', title: 'schedule' };
  const measured = result.points
    .filter((p) => p.threads <= result.cores)
    .map((p) => ({ threads: p.threads, speedup: p.speedup, label: p.label }));
  return {
    title: 'predicted for N cores like these: a simulation, not measured (dots: measured here)',
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    layer: [
      { ...idealLayer(Math.min(...counts), Math.max(...counts), y), encoding: { x, y } },
      {
        data: { values: prediction.points.map((p) => ({ threads: p.threads, speedup: p.speedup, label: p.label })) },
        mark: { type: 'line', strokeDash: [3, 3], point: { shape: 'triangle' } },
        encoding: { x, y, color: colour },
      },
      { data: { values: measured }, mark: { type: 'circle', size: 60 }, encoding: { x, y, color: colour } },
    ],
  };
}

/** The whole chart: the measured panel, and the predicted one below it when there are predictions. */
export function speedupSpec(result: ScaleResult, title: string): Record<string, unknown> {
  const predicted = predictedPanel(result);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    background: 'white',
    vconcat: [measuredPanel(result), ...(predicted ? [predicted] : [])],
    resolve: { scale: { color: 'shared' } },
  };
}

/** Renders a Vega-Lite spec to SVG text (vega and vega-lite load only here: they are large). */
export async function renderSvg(spec: Record<string, unknown>): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(vegaLite.compile(spec as never).spec), { renderer: 'none' });
  return view.toSVG();
}
