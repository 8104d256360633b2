/** Builds bench/native/mandel.c with the system C compiler, when there is one, and times it. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Region } from '../src/plane/viewport.js';
import { median } from '../src/scale/median.js';

const SOURCE = fileURLToPath(new URL('../../bench/native/mandel.c', import.meta.url));
let binary: string | null | undefined;

/** Path of the built reference, or null when no compiler is available. */
export function nativeBinary(): string | null {
  if (binary === undefined) {
    const out = join(mkdtempSync(join(tmpdir(), 'mandel-native-')), 'mandel');
    const built = spawnSync('cc', ['-O3', '-ffp-contract=off', '-o', out, SOURCE], { stdio: 'ignore' });
    binary = built.status === 0 ? out : null;
  }
  return binary;
}

export function nativeArgs(c: { region: Region; width: number; height: number; maxIter: number }): string[] {
  const { xMin, xMax, yMin, yMax } = c.region;
  return [c.width, c.height, c.maxIter, xMin, xMax, yMin, yMax].map(String);
}

/** Median whole-process time of the C reference on the case, as a benchmark row; null without a compiler. */
export function nativeReference(
  c: { region: Region; width: number; height: number; maxIter: number },
  repeat: number,
): { name: string; seconds: number } | null {
  const bin = nativeBinary();
  if (!bin) return null;
  const times: number[] = [];
  for (let k = 0; k < repeat; k++) {
    const started = performance.now();
    execFileSync(bin, nativeArgs(c));
    times.push((performance.now() - started) / 1000);
  }
  return { name: 'C scalar -O3 (process)', seconds: median(times) };
}
