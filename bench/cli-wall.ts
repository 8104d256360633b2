/**
 * Whole-process wall time of the CLI, the way a user meets it (node start, worker start, render, output).
 * Cases run interleaved (a, b, c, a, b, c, ...) so background load hits them alike; the median is reported.
 *
 *   node dist/bench/cli-wall.js [--repeat N]
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { machineLine, median } from './machine.js';

const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));
const repeatAt = process.argv.indexOf('--repeat');
const repeat = repeatAt > 0 ? Number(process.argv[repeatAt + 1]) : 7;

const CASES: { name: string; args: string[] }[] = [
  { name: "node -e ''", args: [] },
  ...['wasm', 'js'].flatMap((engine) =>
    [1, 2].map((threads) => ({
      name: `mandel-par --threads ${threads} --engine ${engine}`,
      args: [CLI, '--threads', String(threads), '--engine', engine],
    })),
  ),
];

function timeOnce(args: string[]): number {
  const started = performance.now();
  const run = spawnSync(process.execPath, args.length ? args : ['-e', ''], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (run.status !== 0) throw new Error(`${args.join(' ')} exited with ${run.status}`);
  return (performance.now() - started) / 1000;
}

const times = CASES.map(() => [] as number[]);
for (let k = 0; k < repeat; k++) {
  for (const [i, c] of CASES.entries()) times[i].push(timeOnce(c.args));
}

console.log(`Default ASCII render (140 x 50, max-iter 100000), whole process, median of ${repeat}, interleaved`);
console.log(`Machine: ${machineLine()}`);
const base = median(times[1]);
for (const [i, c] of CASES.entries()) {
  const m = median(times[i]);
  const ratio = i === 0 ? '' : `  x${(base / m).toFixed(2)} vs wasm 1 thread`;
  console.log(`${c.name.padEnd(40)} ${m.toFixed(3)} s  (min ${Math.min(...times[i]).toFixed(3)})${ratio}`);
}
