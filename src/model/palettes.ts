/** Colour palettes: named gradients, and gradients given as lists of hex colours. */

/** A cyclic gradient: colour stops as [r, g, b] (0-255), evenly spaced; the last blends back into the first. */
export type Palette = [number, number, number][];

const hex = (list: string): Palette => list.split(',').map((c) => colourFromHex(c) as [number, number, number]);

/** The named palettes (`--palette NAME`). @example createSpec({ colouring: { palette: PALETTES.fire } }) */
export const PALETTES: Readonly<Record<string, Palette>> = {
  // Deep blue through white to gold: the look most Mandelbrot renderers made familiar.
  classic: hex('000764,206bcb,edffff,ffaa00,000200'),
  fire: hex('000000,5c0a00,c52b00,ff8a00,ffe066,fffbe6,ff8a00,5c0a00'),
  ocean: hex('001219,005f73,0a9396,94d2bd,e9d8a6,94d2bd,0a9396,005f73'),
  twilight: hex('1b1035,5a2a82,c23b75,f28f3b,f9e0a2,f28f3b,c23b75,5a2a82'),
  grey: hex('000000,ffffff'),
};

/**
 * "rrggbb", "#rrggbb", or CSS's short "rgb", "#rgb" (each digit twice: #f80 is #ff8800) as [r, g, b]; undefined for
 * anything else. @example colourFromHex('#ff8000') // [255, 128, 0]
 */
export function colourFromHex(text: string): [number, number, number] | undefined {
  const m = /^\s*#?([0-9a-f]{6}|[0-9a-f]{3})\s*$/i.exec(text);
  if (!m) return undefined;
  const digits = m[1].length === 3 ? [...m[1]].map((d) => d + d).join('') : m[1];
  return [0, 2, 4].map((at) => Number.parseInt(digits.slice(at, at + 2), 16)) as [number, number, number];
}

/**
 * A palette name from PALETTES (in any case), or two or more hex colours separated by commas; undefined otherwise.
 *
 * @example paletteFrom('grey'); paletteFrom('#000000,#ff8800,#ffffff')
 */
export function paletteFrom(text: string): Palette | undefined {
  const name = text.trim().toLowerCase();
  if (Object.hasOwn(PALETTES, name)) return PALETTES[name];
  const colours = text.split(',').map(colourFromHex);
  return colours.length >= 2 && colours.every((c) => c !== undefined) ? (colours as Palette) : undefined;
}
