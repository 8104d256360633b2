/**
 * Peak memory of a render, whole process: runs a command and samples /proc/PID/status of it and its child
 * processes every 0.2 s (the workers are threads of the process, so they are in its figures). RssAnon is the
 * memory a render really holds (heaps, buffers, WASM memories); RssFile counts pages of files it has mapped or
 * read, like a disk canvas, which the kernel can drop at will. This is how docs/distributed.md's figures were taken.
 *
 *   npm run build && node bench/peak-memory.mjs -- node dist/src/bin/mandel-par.js -o output/big.png \
 *     --width 65536 --height 65536 --max-iter 100 --canvas disk
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

const INTERVAL_MS = 200;
const command = process.argv.slice(process.argv.indexOf('--') + 1);
if (process.argv.indexOf('--') < 0 || command.length === 0) {
  console.error('usage: node bench/peak-memory.mjs -- COMMAND [ARGS...]');
  process.exit(2);
}

/** kB fields of /proc/PID/status; undefined once the process is gone. */
function status(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name) => Number(text.match(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm'))?.[1] ?? 0);
    return { anon: kb('RssAnon'), file: kb('RssFile'), shmem: kb('RssShmem') };
  } catch {
    return undefined;
  }
}

/** `pid` and every process below it. */
function tree(pid) {
  const parents = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The parent is the 4th field, after the name in parentheses (which may hold spaces).
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
    } catch {}
  }
  const found = [pid];
  for (let k = 0; k < found.length; k++) for (const [p, pp] of parents) if (pp === found[k]) found.push(p);
  return found;
}

const started = performance.now();
const child = spawn(command[0], command.slice(1), { stdio: 'inherit' });
const peak = { anon: 0, file: 0, shmem: 0 };
const timer = setInterval(() => {
  const sum = { anon: 0, file: 0, shmem: 0 };
  for (const pid of tree(child.pid)) {
    const s = status(pid);
    if (s) for (const key of Object.keys(sum)) sum[key] += s[key];
  }
  for (const key of Object.keys(peak)) peak[key] = Math.max(peak[key], sum[key]);
}, INTERVAL_MS);

child.on('exit', (code, signal) => {
  clearInterval(timer);
  const mb = (kb) => `${(kb / 1024).toFixed(0)} MB`;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.error(
    `Machine: ${cpus()[0]?.model.trim()}, ${cpus().length} cores, ${mb(totalmem() / 1024)}, Node ${process.version}`,
  );
  console.error(
    `${seconds} s, exit ${code ?? signal}; peak RssAnon ${mb(peak.anon)}, RssFile ${mb(peak.file)}, RssShmem ${mb(peak.shmem)} (sampled every ${INTERVAL_MS} ms)`,
  );
  process.exitCode = code ?? 1;
});
