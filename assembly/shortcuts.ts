/**
 * Exact shortcuts: ways to know a pixel's result without iterating it to the end, used only where they cannot
 * change the result the plain loop gives.
 */

/**
 * Margin kept from the boundaries of the main cardioid and the period-2 bulb. A point passes only when its
 * attracting cycle's multiplier is at most about 1 - 4e-6 in size, so rounding errors (~1e-16 a step) are damped
 * long before they could move its orbit (which stays within |z| < 1.5) out to |z| = 2. Points in the thin shell
 * left out are iterated like any other (periodicity detection usually catches them).
 */
export const MARGIN: f64 = 1e-6;

/**
 * True when c lies inside the main cardioid or the period-2 bulb (by MARGIN): its orbit never escapes.
 * Cardioid: x < p - 2p^2 + 1/4 with p = |c - 1/4|; bulb: |c + 1| < 1/4. Both lie in -1.25 <= x <= 0.375,
 * |y| <= 0.65 (the cardioid reaches x = 3/8 at y = 0.2165 and y = 0.6495 at its top): points outside that box are
 * refused before the square root, which was the costliest part of setting up a sample at low iteration counts.
 */
export const BOX_LEFT: f64 = -1.25;
export const BOX_RIGHT: f64 = 0.375;
export const BOX_TOP: f64 = 0.65; // and -BOX_TOP at the bottom

// @ts-ignore: decorator
@inline
export function insideCardioidOrBulb(cx: f64, cy: f64): bool {
  if (cx > BOX_RIGHT || cx < BOX_LEFT || Math.abs(cy) > BOX_TOP) return false;
  const y2 = cy * cy;
  const xq = cx - 0.25;
  const p = Math.sqrt(xq * xq + y2);
  const x1 = cx + 1.0;
  return cx < p - 2.0 * p * p + 0.25 - MARGIN || x1 * x1 + y2 < (0.25 - MARGIN) * (0.25 - MARGIN);
}

/**
 * First gap between saved orbit points for periodicity detection (Brent): the orbit value is saved, then compared
 * bit for bit with each later one; a match means the f64 orbit has entered a cycle and never escapes. The gap
 * doubles after each save so cycles of any length are caught.
 */
export const FIRST_SAVE_GAP: i32 = 8;

/** Largest gap: keeps `i + gap` within i32 for any maxIter. */
export const MAX_SAVE_GAP: i32 = 1 << 29;
