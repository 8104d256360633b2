/** Membership output: ASCII (one byte a pixel, rows end with a newline) and PBM bits (one bit a pixel). */

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

/**
 * Writes `rows` rows of `width` pixels as PBM bits (8 a byte, most significant first, 1 inside; each row padded to
 * a whole byte) into `target` from index `at`.
 *
 * @example writeBits(Int32Array.of(-1, 5, -1), 3, 1, bytes, 0) // bytes[0] = 0b10100000
 */
export function writeBits(counts: Int32Array, width: number, rows: number, target: Uint8Array, at: number): void {
  const rowBytes = Math.ceil(width / 8);
  for (let r = 0; r < rows; r++) {
    const row = r * width;
    for (let b = 0; b < rowBytes; b++) {
      let byte = 0;
      for (let k = 0; k < 8; k++) {
        const col = b * 8 + k;
        byte = (byte << 1) | (col < width && counts[row + col] === -1 ? 1 : 0);
      }
      target[at + r * rowBytes + b] = byte;
    }
  }
}
