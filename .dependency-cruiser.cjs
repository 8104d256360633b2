/**
 * The layers of mandel-par, checked by dependency-cruiser in CI (`npm run lint`). From the bottom:
 *
 *   base      src/errors.ts, src/trace.ts, src/machine.ts   messages, tracing, machine facts
 *   plane     src/plane/     the complex plane: f64 regions, decimals, exact grids, orbits, BLA tables
 *   model     src/model/     the spec, tasks, plans, tallies, colouring: leaf types and pure functions
 *   engines   src/engines/   the kernels' hosts: WASM, plain TS, perturbation setup, the exact fallback
 *   outputs   src/outputs/   destinations, files, encoders, pyramids, parts folders
 *   workers   workers/       the worker threads: engines and outputs, rectangle by rectangle
 *   render    src/render/    the Renderer, its pool and feeder, memory checks
 *   features  src/video/, src/scale/   zoom videos and scaling experiments, on the renderer
 *   top       src/cli/, src/serve/, src/index.ts   the command line, the explorer's server, the public API
 *
 * A module may import its own layer and the layers below it, never one above; and nothing is circular.
 */
const LAYERS = [
  ['base', '^src/(errors|trace|machine)\\.ts$'],
  ['plane', '^src/plane/'],
  ['model', '^src/model/'],
  ['engines', '^src/engines/'],
  ['outputs', '^src/outputs/'],
  ['workers', '^workers/'],
  ['render', '^src/render/'],
  ['features', '^src/(video|scale)/'],
  ['top', '^src/(cli|serve)/|^src/index\\.ts$'],
];

/** Layers beside each other, which may not import one another either. */
const SIDE_BY_SIDE = [['engines', 'outputs']];

const pathOf = (name) => LAYERS.find(([n]) => n === name)[1];
const upward = LAYERS.flatMap(([name, path], k) =>
  LAYERS.slice(k + 1)
    .filter(([above]) => !SIDE_BY_SIDE.some((pair) => pair.includes(name) && pair.includes(above)))
    .map(([above, abovePath]) => ({
      name: `${name}-not-to-${above}`,
      comment: `${name} (${path}) is below ${above}: see the layers at the top of .dependency-cruiser.cjs`,
      severity: 'error',
      from: { path },
      to: { path: abovePath },
    })),
);
const sideways = SIDE_BY_SIDE.flatMap(([a, b]) => [
  { name: `${a}-not-to-${b}`, severity: 'error', from: { path: pathOf(a) }, to: { path: pathOf(b) } },
  { name: `${b}-not-to-${a}`, severity: 'error', from: { path: pathOf(b) }, to: { path: pathOf(a) } },
]);

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    ...upward,
    ...sideways,
    {
      name: 'no-dev-dependencies-in-the-product',
      comment: 'what the package runs must be in dependencies, not devDependencies',
      severity: 'error',
      from: { path: '^(src|workers)/' },
      to: { dependencyTypes: ['npm-dev'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
