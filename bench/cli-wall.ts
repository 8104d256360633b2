/**
 * Whole-process wall time of the CLI, the way a user meets it (node start, workers, render, output), against
 * an empty Node start and, when a C compiler is present, the same loop as scalar C (bench/native/mandel.c).
 * Cases run interleaved (a, b, c, a, b, c, ...) so background load hits them alike; medians are reported.
 *
 *   npm run bench:cli [-- --repeat N]
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { machineLine } from '../src/machine.js';
import { CLASSIC_REGION } from '../src/plane/viewport.js';
import { median } from '../src/scale/median.js';
import { nativeArgs, nativeBinary } from './native.js';

const CLI = fileURLToPath(new URL('../src/bin/mandel-par.js', import.meta.url));
const repeatAt = process.argv.indexOf('--repeat');
const repeat = repeatAt > 0 ? Number(process.argv[repeatAt + 1]) : 7;

interface Case {
  name: string;
  command: string[];
}

const node = (...args: string[]): string[] => [process.execPath, ...args];
const cli = (args: string): Case => ({ name: `mandel-par ${args}`, command: node(CLI, ...args.split(' ')) });

const BIG = { region: CLASSIC_REGION, width: 1920, height: 1080, maxIter: 3000 };
const native = nativeBinary();

const GROUPS: { title: string; base: number; cases: Case[] }[] = [
  {
    title: 'Start-up: the headline commands (140 x 50, max-iter 100000)',
    base: 0,
    cases: [
      { name: "node -e ''", command: node('-e', '') },
      cli('--out ascii'),
      cli('--threads 2 --out ascii'),
      cli('--threads 12 --out ascii'),
    ],
  },
  {
    title: 'Default ASCII picture (140 x 50, max-iter 100000)',
    base: 1,
    cases: [
      { name: "node -e ''", command: node('-e', '') },
      cli('--threads 1 --engine js --no-shortcuts'),
      cli('--threads 2 --engine js --no-shortcuts'),
      cli('--threads 1 --engine wasm --no-shortcuts'),
      cli('--threads 2 --engine wasm --no-shortcuts'),
      cli('--threads 1 --engine wasm-simd --no-shortcuts'),
      cli('--threads 2 --engine wasm-simd --no-shortcuts'),
      cli('--threads 2'),
    ],
  },
  {
    title: '1920 x 1080, max-iter 3000, ASCII, one thread, no shortcuts',
    base: 0,
    cases: [
      ...(native
        ? [{ name: 'C scalar, gcc -O3 -ffp-contract=off', command: [native, ...nativeArgs(BIG), 'ascii'] }]
        : []),
      cli('--threads 1 --no-shortcuts --out ascii --width 1920 --height 1080 --max-iter 3000'),
      cli('--threads 1 --no-shortcuts --engine js --out ascii --width 1920 --height 1080 --max-iter 3000'),
    ],
  },
];

function timeOnce(command: string[]): number {
  const started = performance.now();
  const run = spawnSync(command[0], command.slice(1), { stdio: ['ignore', 'ignore', 'inherit'] });
  if (run.status !== 0) throw new Error(`${command.join(' ')} exited with ${run.status}`);
  return (performance.now() - started) / 1000;
}

console.log(`Whole-process wall time, median of ${repeat} interleaved runs`);
console.log(`Machine: ${machineLine()}`);
for (const group of GROUPS) {
  const times = group.cases.map(() => [] as number[]);
  for (let k = 0; k < repeat; k++) {
    for (const [i, c] of group.cases.entries()) times[i].push(timeOnce(c.command));
  }
  const base = median(times[group.base]);
  console.log(`\n${group.title} (ratios: time of "${group.cases[group.base].name}" / time)`);
  for (const [i, c] of group.cases.entries()) {
    const m = median(times[i]);
    console.log(`  ${c.name.padEnd(92)} ${m.toFixed(3)} s  x${(base / m).toFixed(2)}`);
  }
  if (group === GROUPS[0]) {
    const [empty, defaults, two, twelve] = times.map(median);
    console.log(
      `  the default over node -e '': +${(defaults - empty).toFixed(3)} s (acceptance: at most +0.150, goal +0.100)`,
    );
    console.log(`  --threads 12 / --threads 2: ${(twelve / two).toFixed(2)} (acceptance: at most 1.10)`);
  }
}
