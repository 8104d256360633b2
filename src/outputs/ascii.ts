/** Membership output: ASCII (one byte a pixel, rows end with a newline) and PBM bits (one bit a pixel). */

export const INSIDE = 0x2a; // '*'
export const OUTSIDE = 0x2d; // '-'
export const NEWLINE = 0x0a;

/**
 * Writes one byte a pixel from PBM bits (`rows` rows of `width` pixels, each row padded to a whole byte, as
 * writeBits and the membership kernel make them) into `target` from index `at`.
 *
 * @example writeAscii(Uint8Array.of(0b10000000), 2, 1, bytes, 0) // bytes starts with "*-"
 */
export function writeAscii(bits: Uint8Array, width: number, rows: number, target: Uint8Array, at: number): void {
  const rowBytes = Math.ceil(width / 8);
  for (let r = 0; r < rows; r++) {
    for (let col = 0; col < width; col++) {
      const inside = (bits[r * rowBytes + (col >> 3)] >> (7 - (col & 7))) & 1;
      target[at + r * width + col] = inside ? INSIDE : OUTSIDE;
    }
  }
}

/**
 * Writes `rows` rows of `width` pixels as PBM bits (8 a byte, most significant first, 1 inside; each row padded to
 * a whole byte) into `target` from index `at`.
 *
 * @example writeBits(Int32Array.of(-1, 5, -1), 3, 1, bytes, 0) // bytes[0] = 0b10100000
 */
export function writeBits(counts: Int32Array, width: number, rows: number, target: Uint8Array, at: number): void {
  const rowBytes = Math.ceil(width / 8);
  const wholeBytes = width >> 3;
  for (let r = 0; r < rows; r++) {
    const row = r * width;
    const out = at + r * rowBytes;
    // Whole bytes unrolled (a 16000 x 16000 PBM is 256 M pixels: the loop's checks showed in the profile).
    for (let b = 0, p = row; b < wholeBytes; b++, p += 8) {
      target[out + b] =
        (counts[p] === -1 ? 128 : 0) |
        (counts[p + 1] === -1 ? 64 : 0) |
        (counts[p + 2] === -1 ? 32 : 0) |
        (counts[p + 3] === -1 ? 16 : 0) |
        (counts[p + 4] === -1 ? 8 : 0) |
        (counts[p + 5] === -1 ? 4 : 0) |
        (counts[p + 6] === -1 ? 2 : 0) |
        (counts[p + 7] === -1 ? 1 : 0);
    }
    if (wholeBytes < rowBytes) {
      let byte = 0;
      for (let col = wholeBytes * 8; col < width; col++) byte |= (counts[row + col] === -1 ? 1 : 0) << (7 - (col & 7));
      target[out + wholeBytes] = byte;
    }
  }
}
