/** The part of the complex plane a picture shows, and how pixels map onto it. */

export interface Region {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

/** What a kernel needs to place a pixel: cx = xMin + col*stepX, cy = yMax - row*stepY. */
export interface PlaneMapping {
  xMin: number;
  stepX: number;
  yMax: number;
  stepY: number;
}

/**
 * Whether a region's numbers make a view: finite, xMin < xMax and yMin < yMax, each span from 1e-300 to 1e300 (a
 * region 2e308 wide had Infinity for its width and NaN for its colours; one 5e-324 wide, a magnification of Infinity;
 * narrower views are --center and --zoom's).
 */
export function regionFits(r: Region): boolean {
  const finite = [r.xMin, r.xMax, r.yMin, r.yMax].every((v) => Number.isFinite(v));
  const span = (low: number, high: number) => high - low >= 1e-300 && high - low <= 1e300;
  return finite && r.xMin < r.xMax && r.yMin < r.yMax && span(r.xMin, r.xMax) && span(r.yMin, r.yMax);
}

/** The original program's view: [-2, 1] x [-1, 1]. @example createSpec({ region: CLASSIC_REGION }) */
export const CLASSIC_REGION: Readonly<Region> = Object.freeze({ xMin: -2, xMax: 1, yMin: -1, yMax: 1 });

/** The classic view as a centre and a width (the view at zoom 1). */
export const CLASSIC_CENTER: readonly [number, number] = [-0.5, 0];
export const CLASSIC_SCALE = 3;

/**
 * Maps a W x H image onto a region. Each pixel is sampled at its top-left corner and the top row has the largest
 * imaginary part. The steps are computed once, here, so every engine multiplies by the very same f64 values.
 *
 * @example planeMapping(CLASSIC_REGION, 140, 50) // { xMin: -2, stepX: 3/140, yMax: 1, stepY: 0.04 }
 */
export function planeMapping(region: Region, width: number, height: number): PlaneMapping {
  return {
    xMin: region.xMin,
    stepX: (region.xMax - region.xMin) / width,
    yMax: region.yMax,
    stepY: (region.yMax - region.yMin) / height,
  };
}

/** The point a pixel samples, in the kernel's evaluation order. @example pixelToPoint(m, 0, 0) // [xMin, yMax] */
export function pixelToPoint(m: PlaneMapping, col: number, row: number): [cx: number, cy: number] {
  return [m.xMin + col * m.stepX, m.yMax - row * m.stepY];
}

/**
 * The region of a view given by its centre and its width in the plane (`scale`), for an image of W x H pixels
 * whose pixels are `pixelAspect` times as tall as they are wide (1 for square pixels).
 *
 * @example viewAround([-0.5, 0], 3, 3000, 2000) // { xMin: -2, xMax: 1, yMin: -1, yMax: 1 }
 */
export function viewAround(
  [re, im]: readonly [number, number],
  scale: number,
  width: number,
  height: number,
  pixelAspect = 1,
): Region {
  const halfHeight = (scale * pixelAspect * height) / width / 2;
  return { xMin: re - scale / 2, xMax: re + scale / 2, yMin: im - halfHeight, yMax: im + halfHeight };
}
