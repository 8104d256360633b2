/** Amdahl's law: the serial fraction that best explains measured speedups. */

/**
 * Least-squares fit of the serial fraction f in S(n) = 1 / (f + (1 - f) / n). Rewritten as
 * 1/S - 1/n = f (1 - 1/n), it is a line through the origin, so f = sum(x y) / sum(x^2) with x = 1 - 1/n and
 * y = 1/S - 1/n. Points with n = 1 carry no information and are skipped; null when none is left.
 *
 * @example serialFraction([{ threads: 2, speedup: 1.6 }, { threads: 4, speedup: 2.5 }]) // ~0.2
 */
export function serialFraction(points: { threads: number; speedup: number }[]): number | null {
  let sxy = 0;
  let sxx = 0;
  for (const { threads, speedup } of points) {
    if (threads <= 1) continue;
    const x = 1 - 1 / threads;
    sxy += x * (1 / speedup - 1 / threads);
    sxx += x * x;
  }
  return sxx === 0 ? null : sxy / sxx;
}

/** Speedup Amdahl's law predicts on n threads for serial fraction f. */
export function amdahlSpeedup(f: number, threads: number): number {
  return 1 / (f + (1 - f) / threads);
}
