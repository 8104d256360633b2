/** ASCII output: '*' for a pixel that never escaped, '-' for one that did; rows end with a newline. */

export const INSIDE = 0x2a; // '*'
export const OUTSIDE = 0x2d; // '-'
export const NEWLINE = 0x0a;

/** One byte a pixel, in the counts' order. @example countsToAscii(Int32Array.of(-1, 3)) // bytes of "*-" */
export function countsToAscii(counts: Int32Array): Uint8Array {
  const bytes = new Uint8Array(counts.length);
  for (let p = 0; p < counts.length; p++) bytes[p] = counts[p] === -1 ? INSIDE : OUTSIDE;
  return bytes;
}
