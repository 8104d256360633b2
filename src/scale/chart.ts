/** The speedup chart: a Vega-Lite spec rendered to SVG in Node (no browser), and to PNG by sharp. */
import type { ScalePoint } from './experiment.js';

const CHART_WIDTH = 560;
const CHART_HEIGHT = 360;

/** Speedup against threads, a line per schedule, with the ideal (speedup = threads) dashed. */
export function speedupSpec(points: ScalePoint[], title: string): Record<string, unknown> {
  const maxThreads = Math.max(...points.map((p) => p.threads));
  const ideal = [
    { threads: 1, speedup: 1, label: 'ideal' },
    { threads: maxThreads, speedup: maxThreads, label: 'ideal' },
  ];
  const x = { field: 'threads', type: 'quantitative', title: 'threads', axis: { tickMinStep: 1, format: 'd' } };
  const y = { field: 'speedup', type: 'quantitative', title: 'speedup against one thread' };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    background: 'white',
    layer: [
      {
        data: { values: ideal },
        mark: { type: 'line', strokeDash: [6, 4], color: '#888888' },
        encoding: { x, y },
      },
      {
        data: { values: points.map((p) => ({ threads: p.threads, speedup: p.speedup, label: p.label })) },
        mark: { type: 'line', point: true },
        encoding: { x, y, color: { field: 'label', type: 'nominal', title: 'schedule' } },
      },
    ],
  };
}

/** Renders a Vega-Lite spec to SVG text (vega and vega-lite load only here: they are large). */
export async function renderSvg(spec: Record<string, unknown>): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(vegaLite.compile(spec as never).spec), { renderer: 'none' });
  return view.toSVG();
}
