/** ASCII output: '*' for a pixel that never escaped, '-' for one that did, a newline after every row. */

const INSIDE = 0x2a; // '*'
const OUTSIDE = 0x2d; // '-'
const NEWLINE = 0x0a;

/** @example countsToAscii(Int32Array.of(-1, 3), 2, 1) // bytes of "*-\n" */
export function countsToAscii(counts: Int32Array, width: number, rowCount: number): Uint8Array {
  const bytes = new Uint8Array(rowCount * (width + 1));
  let p = 0;
  let q = 0;
  for (let r = 0; r < rowCount; r++) {
    for (let col = 0; col < width; col++) bytes[q++] = counts[p++] === -1 ? INSIDE : OUTSIDE;
    bytes[q++] = NEWLINE;
  }
  return bytes;
}
