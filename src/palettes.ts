/** Colour palettes: named gradients, and gradients given as lists of hex colours. */
import { invalidOption } from './errors.js';

/** A cyclic gradient: colour stops as [r, g, b] (0-255), evenly spaced; the last blends back into the first. */
export type Palette = [number, number, number][];

const hex = (list: string): Palette => list.split(',').map(hexColour);

/** The named palettes (`--palette NAME`). */
export const PALETTES: Readonly<Record<string, Palette>> = {
  // Deep blue through white to gold: the look most Mandelbrot renderers made familiar.
  classic: hex('000764,206bcb,edffff,ffaa00,000200'),
  fire: hex('000000,5c0a00,c52b00,ff8a00,ffe066,fffbe6,ff8a00,5c0a00'),
  ocean: hex('001219,005f73,0a9396,94d2bd,e9d8a6,94d2bd,0a9396,005f73'),
  twilight: hex('1b1035,5a2a82,c23b75,f28f3b,f9e0a2,f28f3b,c23b75,5a2a82'),
  grey: hex('000000,ffffff'),
};

/** Parses "rrggbb" or "#rrggbb". */
function hexColour(text: string): [number, number, number] {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(text.trim());
  if (!m) throw new Error(`not a hex colour: ${text}`);
  return [Number.parseInt(m[1], 16), Number.parseInt(m[2], 16), Number.parseInt(m[3], 16)];
}

/**
 * `--palette`: a name from PALETTES, or two or more hex colours separated by commas.
 *
 * @example parsePalette('grey'); parsePalette('#000000,#ff8800,#ffffff')
 */
export function parsePalette(text: string): Palette {
  if (Object.hasOwn(PALETTES, text)) return PALETTES[text];
  const parts = text.split(',');
  if (parts.length >= 2 && parts.every((p) => /^\s*#?[0-9a-f]{6}\s*$/i.test(p))) return parts.map(hexColour);
  throw invalidOption(
    'palette',
    text,
    `one of ${Object.keys(PALETTES).join(', ')}, or two or more hex colours separated by commas`,
    '--palette "#000764,#edffff,#ffaa00"',
  );
}

/** `--inside`: one hex colour. */
export function parseInsideColour(text: string): [number, number, number] {
  if (/^\s*#?[0-9a-f]{6}\s*$/i.test(text)) return hexColour(text);
  throw invalidOption('inside', text, 'a hex colour', '--inside "#000000"');
}
