/**
 * How exact the perturbation engine is at a deep view: every sample's escape count from the engine as a render
 * computes it (the kernel with its fallback, one thread, in-process) against the plain loop in BigInt at the same
 * exact sample points (src/engines/exact.ts, exactEscape: no f64, no perturbation). Prints the fraction identical and
 * the samples that differ. The BigInt side takes microseconds a step: keep the sample count small.
 *
 *   npm run build && node dist/bench/deep-accuracy.js [--center=RE,IM] [--width W] [--size 32x24] [--max-iter N]
 *
 * The defaults are the published 1e31 seahorse-valley point of the toolchain notes: view width 4e-31, 32 x 24
 * samples, 70000 iterations (about 15 s here).
 */
import { exactEscape, withExactFallback } from '../src/engines/exact.js';
import { chooseReference } from '../src/engines/reference.js';
import { compileWasmModule, instantiateWasm } from '../src/engines/wasm.js';
import { sampleGrid } from '../src/plane/view.js';

/** `--name value` or `--name=value` (the latter for a negative centre). */
const option = (name: string, fallback: string) => {
  const joined = process.argv.find((a) => a.startsWith(`--${name}=`));
  if (joined) return joined.slice(name.length + 3);
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : fallback;
};
const [re, im] = option('center', '-0.743643887037158704752191506114774,0.131825904205311970493132056385139').split(
  ',',
);
const width = option('width', '4e-31');
const [w, h] = option('size', '32x24').split('x').map(Number);
const maxIter = Number(option('max-iter', '70000'));

const grid = sampleGrid({ view: { center: [re, im], width } }, w, h, 1);
const kernel = (await instantiateWasm(await compileWasmModule())).engine('renderPerturb');
let started = performance.now();
const perturb = chooseReference(grid, maxIter, kernel);
const job = { colStart: 0, width: w, rowStart: 0, rowCount: h, maxIter, perturb };
const counts = Int32Array.from(withExactFallback(kernel)(job).counts);
const fastMs = performance.now() - started;
started = performance.now();
const off: string[] = [];
for (let row = 0; row < h; row++) {
  for (let col = 0; col < w; col++) {
    const exact = exactEscape(grid, col, row, maxIter).count;
    const count = counts[row * w + col];
    if (count !== exact) off.push(`(${col}, ${row}): ${count} against ${exact}`);
  }
}
const exactMs = performance.now() - started;
const same = w * h - off.length;
console.log(
  `center ${re},${im}, width ${width}, ${w} x ${h} samples, max-iter ${maxIter}: ${same} of ${w * h} counts identical ` +
    `(${((100 * same) / (w * h)).toFixed(2)}%); perturbation ${fastMs.toFixed(0)} ms, BigInt ${(exactMs / 1000).toFixed(1)} s`,
);
for (const line of off) console.log(`  ${line}`);
