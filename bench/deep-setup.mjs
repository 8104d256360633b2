#!/usr/bin/env node
/**
 * A deep render's serial setup (the reference orbit, its survey and tables: src/engines/reference.ts) for several
 * views, each in a fresh process, cold as a command's is: this checkout against another built one, interleaved round
 * by round, CPU milliseconds of the setup alone (the module loading and WASM compile before it are not counted),
 * medians. BASE_DIR: a built checkout whose chooseReference takes a WASM instance (e258e84 or later).
 *
 * Usage: node bench/deep-setup.mjs BASE_DIR [REPS]
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SEAHORSE = ['-0.743643887037158704752191506114774', '0.131825904205311970493132056385139'];
const M8007 = [
  '-0.74364388703715870475219150611477977821525620794818128981688390181856073578379647863478782276214446187918642038936880299662817286545110520767960840151961612169600011410978855834453298496505671358565521',
  '0.13182590420531197049313205638514067897295227932891896620912767746551348173829833723473896418036763808191262395427428298644579017388714892904528969956399105812795657463829735478902461512624313210666268',
];
const P44 = [
  '-1.99500000000003321820860947216733713147259218682561978752770152011167987737134359132451613562828050206572977333749313525130601572545202941493961031769907482257803341856292266641046840603447607238602274',
  '0',
];
/** name, centre, view width, width x height, maxIter (the views of bench/deep-views.sh and the cusp of issue 18). */
const VIEWS = [
  ['seahorse 1e30', SEAHORSE, '3e-30', 640, 360, 100000],
  ['cusp 1e100', ['0.25', '0'], '3e-100', 640, 360, 10000],
  ['c = i 1e300', ['0', '1'], '3e-300', 640, 360, 10000],
  ['minibrot8007', M8007, '3e-32', 320, 180, 100000],
  ['minibrot44', P44, '1.2e-27', 640, 360, 100000],
];

/** In a child: the setup of one view, as JSON {cpu, wall, points}. */
async function child([dir, re, im, width, w, h, maxIter]) {
  const { chooseReference } = await import(`${dir}/dist/src/engines/reference.js`);
  const { compileWasmModule, instantiateWasm } = await import(`${dir}/dist/src/engines/wasm.js`);
  const { sampleGrid } = await import(`${dir}/dist/src/plane/view.js`);
  const wasm = await instantiateWasm(await compileWasmModule());
  const grid = sampleGrid({ view: { center: [re, im], width } }, Number(w), Number(h), 1);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const job = chooseReference(grid, Number(maxIter), wasm.engine('renderPerturb'), undefined, wasm);
  const used = process.cpuUsage(cpu);
  const wall = performance.now() - started;
  process.stdout.write(JSON.stringify({ cpu: (used.user + used.system) / 1000, wall, points: job.orbit.length / 2 }));
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function main([base, reps = '5']) {
  if (!base) {
    process.stderr.write('usage: node bench/deep-setup.mjs BASE_DIR [REPS]\n');
    process.exit(2);
  }
  const self = fileURLToPath(import.meta.url);
  const dirs = { base: resolve(base), this: resolve(self, '../..') };
  const times = new Map();
  for (let r = 0; r < Number(reps); r++) {
    for (const [name, [re, im], width, w, h, maxIter] of VIEWS) {
      for (const [which, dir] of Object.entries(dirs)) {
        const out = execFileSync(process.execPath, [self, '--child', dir, re, im, width, w, h, maxIter]);
        const key = `${name}\t${which}`;
        times.set(key, [...(times.get(key) ?? []), JSON.parse(String(out)).cpu]);
      }
    }
  }
  console.log(`${cpus()[0].model}, ${cpus().length} cores, Node ${process.version}; setup CPU ms, medians of ${reps}`);
  console.log(`${'view'.padEnd(16)} ${'base'.padStart(8)} ${'this'.padStart(8)} ${'ratio'.padStart(6)}`);
  for (const [name] of VIEWS) {
    const [b, t] = ['base', 'this'].map((which) => median(times.get(`${name}\t${which}`)));
    console.log(
      `${name.padEnd(16)} ${b.toFixed(1).padStart(8)} ${t.toFixed(1).padStart(8)} ${(b / t).toFixed(2).padStart(6)}`,
    );
  }
}

const args = process.argv.slice(2);
if (args[0] === '--child') await child(args.slice(1));
else await main(args);
