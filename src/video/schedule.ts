/**
 * A zoom video's timeline, as pure functions. The zoom is exponential (an equal factor per second), optionally
 * eased in and out; the map it is assembled from is a chain of keyframes, each a still twice the video's size at
 * twice the zoom of the one before (keyframe k at zoom-from x 2^k). A frame at zoom z is resampled from the
 * keyframe at or below it: z / 2^k lies in [1, 2), so the keyframe has 1 to 2 samples per frame pixel across, never
 * fewer (no blur), and a frame at a keyframe's zoom is its 2 x 2 average, the still with `--aa 2`.
 */
import { parseDecimal } from '../plane/decimal.js';

/** Keyframes are this many times the video's size along each axis. */
export const KEY_SCALE = 2;

/** log2 of a positive decimal string's value, in f64 (the zooms go to 1e10000, past f64's range). */
export function log2OfDecimal(text: string): number {
  const d = parseDecimal(text);
  if (!d || d.mantissa <= 0n) return Number.NaN;
  const digits = d.mantissa.toString();
  // The leading 17 digits carry all an f64 can; the rest is the power of ten.
  const lead = Number(`${digits.slice(0, 17)}e-${Math.min(17, digits.length) - 1}`);
  return Math.log2(lead) + (d.exponent + digits.length - 1) * Math.log2(10);
}

/** The decimal zoom of keyframe k: zoom-from x 2^k, exactly (a decimal times a power of two is a decimal). */
export function keyZoom(zoomFrom: string, k: number): string {
  const d = parseDecimal(zoomFrom);
  if (!d) throw new Error(`not a decimal: ${zoomFrom}`);
  const mantissa = d.mantissa * 2n ** BigInt(k);
  return d.exponent === 0 ? String(mantissa) : `${mantissa}e${d.exponent}`;
}

/** How many keyframes a zoom over `octaves` (log2 of zoom-to over zoom-from) needs: 0 .. floor(octaves). */
export function keyCount(octaves: number): number {
  // A ratio that is a power of two only to f64's rounding still ends on its own keyframe.
  return Math.floor(octaves + 1e-9) + 1;
}

/**
 * Where frame n of `frames` lies along the zoom, from 0 (zoom-from) to 1 (zoom-to), in log-zoom: steady, or with
 * the speed ramped linearly from 0 over the first and last `ease` seconds of `duration`. The first frame is at
 * 0 and the last at 1 exactly.
 *
 * @example progressAt(0, 300, 10, 0) // 0
 */
export function progressAt(n: number, frames: number, duration: number, ease: number): number {
  if (frames <= 1) return 0;
  const t = (n / (frames - 1)) * duration;
  const e = Math.min(ease, duration / 2);
  if (e <= 0) return t / duration;
  // Speed 1 in the middle; the distance covered by time t, over the whole distance.
  const covered = (x: number) => {
    if (x < e) return (x * x) / (2 * e);
    if (x > duration - e) return duration - e - (duration - x) ** 2 / (2 * e);
    return x - e / 2;
  };
  return covered(t) / covered(duration);
}

/** A frame's place in the map: its keyframe, and how many keyframe pixels one frame pixel spans (in (1, 2]). */
export interface FrameSource {
  key: number;
  span: number;
}

/** The keyframe and span of the frame at progress u of a zoom over `octaves` (log2 of zoom-to over zoom-from). */
export function frameSource(u: number, octaves: number, keys: number): FrameSource {
  const depth = u * octaves;
  // A frame exactly at a keyframe's zoom is drawn from it (span 2); rounding must not push it to the one below.
  const key = Math.min(keys - 1, Math.max(0, Math.floor(depth + 1e-9)));
  return { key, span: KEY_SCALE * 2 ** (key - depth) };
}
