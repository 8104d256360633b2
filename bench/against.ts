/**
 * The deep views of issue 18 rendered by this checkout and by another built one (0.3.0, say), in this process, one
 * worker thread each, through the public API (`Renderer`, `createSpec`, `pixelData`) that both have: a render's whole
 * cost (reference orbit, BLA tables, kernel, fallbacks), without Node's start or the command line. Rounds interleave
 * the builds; each round starts a fresh renderer (a renderer keeps its last reference) whose worker has started
 * before the timing. The pixels (count and smooth value) of the two are compared.
 *
 *   npm run bench -- --deep --against BASE_DIR [--repeat N]
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as current from '../src/index.js';
import { median } from '../src/scale/median.js';

type Api = typeof current;

/** The period-8007 minibrot that holds the seahorse point, at its nucleus (Newton, 200 digits; bench/deep-views.sh). */
const M8007: [string, string] = [
  '-0.74364388703715870475219150611477977821525620794818128981688390181856073578379647863478782276214446187918642038936880299662817286545110520767960840151961612169600011410978855834453298496505671358565521',
  '0.13182590420531197049313205638514067897295227932891896620912767746551348173829833723473896418036763808191262395427428298644579017388714892904528969956399105812795657463829735478902461512624313210666268',
];

/** Issue 18's minibrot seen whole at 10^5 and 10^6 iterations, and its needle. */
const VIEWS = [
  { name: 'minibrot 320x180, 1e5 it', width: 320, height: 180, maxIter: 100000, center: M8007, view: '3e-32' },
  { name: 'minibrot 160x90, 1e6 it', width: 160, height: 90, maxIter: 1000000, center: M8007, view: '3e-32' },
  {
    name: 'needle 960x540, 5000 it',
    width: 960,
    height: 540,
    maxIter: 5000,
    center: ['-1.99999999999999999999', '0'] as [string, string],
    view: '3e-18',
  },
];

/** One deep render on a fresh one-thread renderer of `api`: its seconds and its pixels (8 bytes each). */
async function renderOnce(api: Api, v: (typeof VIEWS)[number]): Promise<{ seconds: number; pixels: Buffer }> {
  const renderer = await api.Renderer.create({ threads: 1 });
  try {
    // The worker starts here, outside the timing.
    await api.renderAscii({ width: 8, height: 4, maxIter: 10 }, { renderer });
    const spec = api.createSpec({
      width: v.width,
      height: v.height,
      maxIter: v.maxIter,
      view: { center: v.center, width: v.view },
      output: { format: 'npy' },
    });
    const data = api.pixelData(v.width, v.height);
    const started = performance.now();
    await renderer.render(spec, { destination: data });
    return { seconds: (performance.now() - started) / 1000, pixels: data.pixels };
  } finally {
    await renderer.close();
  }
}

/** Samples whose counts differ (the first 4 bytes of each 8). */
function countsDiffer(a: Buffer, b: Buffer): number {
  let n = 0;
  for (let p = 0; p < a.length; p += 8) if (a.readInt32LE(p) !== b.readInt32LE(p)) n++;
  return n;
}

/** Prints each view's seconds in both builds, the ratio, and whether their pixels agree. */
export async function againstBuild(dir: string, rounds: number): Promise<void> {
  const base = (await import(pathToFileURL(resolve(dir, 'dist/src/index.js')).href)) as Api;
  console.log(
    `Deep views of issue 18, one worker thread, in-process (reference, tables, kernel, fallbacks), medians of ${rounds}` +
      ` interleaved rounds: ${dir} against this checkout`,
  );
  for (const v of VIEWS) {
    const times: [number[], number[]] = [[], []];
    let pixels: Buffer[] = [];
    for (let k = 0; k < rounds; k++) {
      pixels = [];
      for (const [i, api] of [base, current].entries()) {
        const r = await renderOnce(api, v);
        times[i].push(r.seconds);
        pixels.push(r.pixels);
      }
    }
    const [old, now] = times.map(median);
    const same = pixels[0].equals(pixels[1])
      ? 'same pixels'
      : `${countsDiffer(pixels[0], pixels[1])} counts differ (see bench/README.md)`;
    console.log(
      `  ${v.name.padEnd(26)} ${old.toFixed(3).padStart(7)} s -> ${now.toFixed(3).padStart(6)} s  ` +
        `x${(old / now).toFixed(1)} faster; ${same}`,
    );
  }
  console.log();
}
