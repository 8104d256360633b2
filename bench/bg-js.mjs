// The Computer Language Benchmarks Game "mandelbrot" workload in plain JavaScript (the rules are in
// bench/native/bg-rules.c), written the way the game's plain Node.js program is: node:worker_threads, two pixels per
// pass of the inner loop, no SIMD, no WASM. Rows come from a shared atomic counter (a dynamic queue), the bits go
// into a shared byte buffer, and the main thread writes the Netpbm P4 image to stdout.
//
// Usage: node bench/bg-js.mjs N [THREADS=2] > out.pbm
//
// Exactness: every pixel goes through the same double operations as bg-rules.c, in the same order
// (zi = 2 * zr * zi + ci, zr = zr*zr - zi*zi + cr, then zr*zr + zi*zi > 4 after each iteration; V8 fuses no
// multiply-adds). A pixel of the pair that escapes keeps being iterated while its partner has not (its value may
// become Infinity or NaN), but its "inside" flag is already cleared and never set again, so the bits are those
// of bg-rules.c (checked with cmp at N = 200 and 1000).
import { isMainThread, Worker, workerData } from 'node:worker_threads';

const ITER = 50;

function renderRows({ n, rows, counter }) {
  const rowBytes = (n + 7) >> 3;
  const crs = new Float64Array(rowBytes * 8);
  for (let x = 0; x < crs.length; x++) crs[x] = (2 * x) / n - 1.5;
  const bits = new Uint8Array(rows);
  const next = new Int32Array(counter);
  const lastMask = n % 8 ? (0xff << (8 - (n % 8))) & 0xff : 0xff;
  for (let y = Atomics.add(next, 0, 1); y < n; y = Atomics.add(next, 0, 1)) {
    const ci = (2 * y) / n - 1;
    const base = y * rowBytes;
    for (let b = 0; b < rowBytes; b++) {
      let byte = 0;
      for (let p = 0; p < 8; p += 2) {
        const cr0 = crs[b * 8 + p];
        const cr1 = crs[b * 8 + p + 1];
        let zr0 = 0;
        let zi0 = 0;
        let tr0 = 0;
        let ti0 = 0;
        let zr1 = 0;
        let zi1 = 0;
        let tr1 = 0;
        let ti1 = 0;
        let in0 = true;
        let in1 = true;
        let i = 0;
        do {
          zi0 = 2 * zr0 * zi0 + ci;
          zr0 = tr0 - ti0 + cr0;
          tr0 = zr0 * zr0;
          ti0 = zi0 * zi0;
          zi1 = 2 * zr1 * zi1 + ci;
          zr1 = tr1 - ti1 + cr1;
          tr1 = zr1 * zr1;
          ti1 = zi1 * zi1;
          if (tr0 + ti0 > 4) in0 = false;
          if (tr1 + ti1 > 4) in1 = false;
        } while (++i < ITER && (in0 || in1));
        byte = (byte << 2) | (in0 ? 2 : 0) | (in1 ? 1 : 0);
      }
      bits[base + b] = b === rowBytes - 1 ? byte & lastMask : byte;
    }
  }
}

if (isMainThread) {
  const n = Number(process.argv[2] ?? 200);
  const threads = Number(process.argv[3] ?? 2);
  if (!(Number.isInteger(n) && n > 0 && Number.isInteger(threads) && threads > 0)) {
    process.stderr.write('usage: node bench/bg-js.mjs N [THREADS]\n');
    process.exit(2);
  }
  const rowBytes = (n + 7) >> 3;
  const rows = new SharedArrayBuffer(rowBytes * n);
  const counter = new SharedArrayBuffer(4);
  const done = [];
  for (let t = 0; t < threads; t++) {
    const worker = new Worker(new URL(import.meta.url), { workerData: { n, rows, counter } });
    done.push(
      new Promise((resolve, reject) => {
        worker.on('error', reject);
        worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker exited with ${code}`))));
      }),
    );
  }
  await Promise.all(done);
  process.stdout.write(`P4\n${n} ${n}\n`);
  process.stdout.write(new Uint8Array(rows));
} else {
  renderRows(workerData);
}
