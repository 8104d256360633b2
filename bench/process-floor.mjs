#!/usr/bin/env node
/**
 * The least a render can cost as a Node process of this design: Node starts, one worker thread starts and posts a
 * message back, the process exits. Nothing is loaded or rendered; the arguments are ignored, so it can stand in for
 * mandel-par in the Fraktaler-3 bench, which then prints this floor against Fraktaler-3's whole frames:
 *
 *   MP="node bench/process-floor.mjs" ../shared/anchors/fraktaler-3/bench.sh 5
 *   MP="env FLOOR=bare node bench/process-floor.mjs" ../shared/anchors/fraktaler-3/bench.sh 5   (no worker: `node` alone)
 *
 * Where this floor's ratio is near or above 1, no Node renderer with worker threads can match Fraktaler-3 on that frame
 * (bench/README.md, issue 18).
 */
import { Worker } from 'node:worker_threads';

if (process.env.FLOOR !== 'bare') {
  const worker = new Worker("require('node:worker_threads').parentPort.postMessage('ready')", { eval: true });
  await new Promise((resolve) => worker.once('message', resolve));
  await worker.terminate();
}
