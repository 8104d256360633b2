/** ASCII output: '*' for a pixel that never escaped, '-' for one that did; rows end with a newline. */

export const INSIDE = 0x2a; // '*'
export const OUTSIDE = 0x2d; // '-'
export const NEWLINE = 0x0a;

/**
 * Writes one byte a pixel, in the counts' order, into `target` from index `at`.
 *
 * @example writeAscii(Int32Array.of(-1, 3), bytes, 0) // bytes starts with "*-"
 */
export function writeAscii(counts: Int32Array, target: Uint8Array, at: number): void {
  for (let p = 0; p < counts.length; p++) target[at + p] = counts[p] === -1 ? INSIDE : OUTSIDE;
}
