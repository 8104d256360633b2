/**
 * The Benchmarks Game's mandelbrot task in plain JavaScript, the way its Node.js program is written: worker
 * threads, two pixels per loop, rows taken from a shared atomic counter, the image in shared memory, P4 on stdout.
 * The baseline that bench/pbm-workload.mjs measures mandel-par's `--out pbm` against. Same rules and bytes as
 * bench/native/pbm-rules.c (the escape is tested after every step, as published).
 *
 *   node bench/pbm-js.mjs N [threads]
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

function renderRows({ n, image, counter }) {
  const rowBytes = (n + 7) >> 3;
  const bytes = new Uint8Array(image);
  const next = new Int32Array(counter);
  for (let y = Atomics.add(next, 0, 1); y < n; y = Atomics.add(next, 0, 1)) {
    const ci = (2.0 * y) / n - 1.0;
    for (let x = 0; x < n; x += 2) {
      const cr0 = (2.0 * x) / n - 1.5;
      const cr1 = (2.0 * (x + 1)) / n - 1.5;
      let zr0 = 0.0,
        zi0 = 0.0,
        tr0 = 0.0,
        ti0 = 0.0,
        in0 = 1;
      let zr1 = 0.0,
        zi1 = 0.0,
        tr1 = 0.0,
        ti1 = 0.0,
        in1 = 1;
      for (let i = 0; i < 50 && in0 | in1; i++) {
        zi0 = 2.0 * zr0 * zi0 + ci;
        zr0 = tr0 - ti0 + cr0;
        tr0 = zr0 * zr0;
        ti0 = zi0 * zi0;
        zi1 = 2.0 * zr1 * zi1 + ci;
        zr1 = tr1 - ti1 + cr1;
        tr1 = zr1 * zr1;
        ti1 = zi1 * zi1;
        if (tr0 + ti0 > 4.0) in0 = 0;
        if (tr1 + ti1 > 4.0) in1 = 0;
      }
      const at = y * rowBytes + (x >> 3);
      bytes[at] |= (in0 << (7 - (x & 7))) | (x + 1 < n ? in1 << (6 - (x & 7)) : 0);
    }
  }
}

if (isMainThread) {
  const n = Number(process.argv[2] ?? 16000);
  const threads = Number(process.argv[3] ?? 2);
  const image = new SharedArrayBuffer(((n + 7) >> 3) * n);
  const counter = new SharedArrayBuffer(4);
  const url = new URL(import.meta.url);
  await Promise.all(
    Array.from({ length: threads }, () => {
      const worker = new Worker(url, { workerData: { n, image, counter } });
      return new Promise((resolve, reject) => worker.on('exit', resolve).on('error', reject));
    }),
  );
  process.stdout.write(`P4\n${n} ${n}\n`);
  process.stdout.write(new Uint8Array(image));
} else {
  renderRows(workerData);
  parentPort?.close();
}
