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

/** "rrggbb" or "#rrggbb" as [r, g, b]; undefined for anything else. @example colourFromHex('#ff8000') // [255, 128, 0] */
export function colourFromHex(text: string): [number, number, number] | undefined {
  const m = /^\s*#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})\s*$/i.exec(text);
  return m ? [Number.parseInt(m[1], 16), Number.parseInt(m[2], 16), Number.parseInt(m[3], 16)] : undefined;
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
