/**
 * `mandel-par serve` under load, on loopback: the server as a user starts it (its own process), and a client that
 * keeps 64 tile requests in flight. Tiles are 256 x 256 rectangles of one large view, each a different one (no
 * cache hits), at a shallow view and at deep ones. Reports requests per second, p50 and p95 latency, and the
 * server's peak memory (VmHWM), then a burst of requests given up at once, checking the server answers after it.
 *
 *   npm run build && node dist/bench/serve-load.js [--tiles N]
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { machineLine } from '../src/machine.js';

const CLI = fileURLToPath(new URL('../src/bin/mandel-par.js', import.meta.url));
const tilesAt = process.argv.indexOf('--tiles');
const TILES = tilesAt > 0 ? Number(process.argv[tilesAt + 1]) : 256;
const IN_FLIGHT = 64;
const M41 = '-0.101096363845622161025785445738622565463805443,0.956286510809141500771096057729977435809833336';
const M41_DEEP =
  '-0.1010963638456221610257854457386225654638054428262534838769311776607808407404705842748212198105167790334045319085567411939715461442609,' +
  '0.9562865108091415007710960577299774358098333365105291700343143215005246590657167325269784107873398072043444724926469284366752406567465';

const VIEWS = [
  { name: 'shallow: seahorse valley, zoom 100, 1000 iterations', query: 'center=-0.745,0.11&zoom=100&max-iter=1000' },
  { name: 'deep: M(4,1) at 1e30, 3000 iterations', query: `center=${M41}&zoom=1e30&max-iter=3000` },
  { name: 'deep: M(4,1) at 1e99, 10000 iterations', query: `center=${M41_DEEP}&zoom=1e99&max-iter=10000` },
];

const peakKiB = (pid: number) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

const server = spawn(process.execPath, [CLI, 'serve', '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
const base = await new Promise<string>((resolve, reject) => {
  let stderr = '';
  server.stderr.setEncoding('utf8').on('data', (d) => {
    stderr += d;
    if (stderr.includes('\n')) resolve(stderr.split('\n')[0].replace('mandel-par: serving ', ''));
  });
  server.on('close', () => reject(new Error(stderr)));
});
const pid = server.pid as number;

console.log(`mandel-par serve under load: ${machineLine()}`);
console.log(`${TILES} tiles of 256 x 256 per view, ${IN_FLIGHT} in flight, server at ${base}`);
console.log('view | requests/s | p50 ms | p95 ms | peak server memory MiB');
const side = Math.ceil(Math.sqrt(TILES)) * 256;
for (const view of VIEWS) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const client = async () => {
    for (let k = next++; k < TILES; k = next++) {
      const rect = `${(k % (side / 256)) * 256},${Math.floor(k / (side / 256)) * 256},256,256`;
      const t = performance.now();
      const response = await fetch(`${base}render.png?${view.query}&width=${side}&height=${side}&rect=${rect}`);
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`tile ${rect}: ${response.status}`);
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, client));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(
    `${view.name} | ${(TILES / seconds).toFixed(1)} | ${percentile(latencies, 0.5).toFixed(0)} | ` +
      `${percentile(latencies, 0.95).toFixed(0)} | ${(peakKiB(pid) / 1024).toFixed(0)}`,
  );
}

// A burst given up at once: each request's render is dropped or stopped; the server then answers at once.
const burst = new AbortController();
const burstView = VIEWS[2].query.replace('max-iter=10000', 'max-iter=20000');
const given = Array.from({ length: 128 }, (_, k) => {
  const rect = `${(k % 16) * 256},${Math.floor(k / 16) * 256},256,256`;
  return fetch(`${base}render.png?${burstView}&width=4096&height=4096&rect=${rect}`, { signal: burst.signal }).catch(
    () => undefined,
  );
});
setTimeout(() => burst.abort(), 100);
await Promise.all(given);
const t = performance.now();
const after = await fetch(`${base}render.png?width=64&height=64`);
const status = await (await fetch(`${base}status`)).json();
console.log(
  `burst of 128 given up after 100 ms: then a 64 x 64 picture answered ${after.status} in ` +
    `${(performance.now() - t).toFixed(0)} ms; server status ${JSON.stringify(status)}; peak ${(peakKiB(pid) / 1024).toFixed(0)} MiB`,
);
server.kill('SIGTERM');
