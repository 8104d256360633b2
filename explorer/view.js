/**
 * The explorer's view, as pure functions (the page in explorer.js draws it; test/explorer-view.test.ts checks
 * them): a centre as decimal strings of any length, a zoom as mantissa and power of ten, the moves that change
 * them, and the view as a URL query and as a command line. Coordinates never pass through f64 whole: an offset of
 * a few pixels is a small f64 number, added to the centre in BigInt decimal arithmetic.
 */

/** The view is 3/zoom wide, as the command line's --zoom says. */
export const VIEW_WIDTH = 3;

/** Digits kept past a pixel's size when a move rounds the centre: far below any pixel, short enough for a URL. */
const GUARD_DIGITS = 17;

/** The view a page without a query shows: the command line's default picture. */
export const HOME = {
  center: ['-0.5', '0'],
  zoom: { m: 1, e: 0 },
  maxIter: null,
  palette: null,
  cycle: null,
  colour: null,
};

/** The shadings besides smooth colour (the CLI's --colour; null is smooth, the default). */
export const SHADINGS = ['distance', 'slope', 'blend'];

/**
 * "1e30", "2.5e100", "100" as { m, e }: zoom = m x 10^e with 1 <= m < 10; undefined when not a positive number.
 *
 * @example parseZoom('2.5e100') // { m: 2.5, e: 100 }
 */
export function parseZoom(text) {
  const value = parseDecimal(text);
  if (!value || value.digits <= 0n) return undefined;
  const digits = value.digits.toString();
  return { m: Number(`${digits[0]}.${digits.slice(1, 16) || '0'}`), e: digits.length - 1 - value.scale };
}

/** The zoom as the command line takes it, six significant digits: "2.5e100", "1e0". */
export function formatZoom({ m, e }) {
  const mantissa = Number(m.toPrecision(6));
  return mantissa >= 10 ? `1e${e + 1}` : `${mantissa}e${e}`;
}

/** A zoom times a factor, normalised. */
export function zoomBy({ m, e }, factor) {
  let mantissa = m * factor;
  let exponent = e;
  while (mantissa >= 10) {
    mantissa /= 10;
    exponent++;
  }
  while (mantissa < 1) {
    mantissa *= 10;
    exponent--;
  }
  return { m: mantissa, e: exponent };
}

/** A decimal string as digits x 10^-scale (BigInt digits), or undefined. */
export function parseDecimal(text) {
  const match = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?\s*$/i.exec(String(text));
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) return undefined;
  const [, sign, whole, fraction = '', exponent = '0'] = match;
  let digits = BigInt(`${whole}${fraction}` || '0');
  let scale = fraction.length - Number(exponent);
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { digits: sign === '-' ? -digits : digits, scale };
}

/** digits x 10^-scale as a plain decimal string, without trailing zeros: "-0.745", "0". */
export function formatDecimal({ digits, scale }) {
  const negative = digits < 0n;
  const text = (negative ? -digits : digits).toString().padStart(scale + 1, '0');
  const whole = text.slice(0, text.length - scale);
  const fraction = text.slice(text.length - scale).replace(/0+$/, '');
  const body = fraction ? `${whole}.${fraction}` : whole;
  return negative && body !== '0' ? `-${body}` : body;
}

/** `value` at `scale` digits after the point, rounded half away from zero. */
function rescale({ digits, scale }, to) {
  if (to >= scale) return digits * 10n ** BigInt(to - scale);
  const unit = 10n ** BigInt(scale - to);
  const half = unit / 2n;
  return digits < 0n ? -((-digits + half) / unit) : (digits + half) / unit;
}

/**
 * The decimal `text` plus `offset` x 10^-e, kept to GUARD_DIGITS digits past 10^-e (and no fewer than `text` had
 * up to there).
 *
 * @example addOffset('-0.5', 0.25, 0) // '-0.25'
 */
export function addOffset(text, offset, e) {
  const value = parseDecimal(text);
  const scale = Math.max(0, e + GUARD_DIGITS);
  // offset as a whole number of 10^-(e + 17), exact enough: an f64 has 16 digits.
  const units = BigInt(Math.round(offset * 1e17));
  const shifted = scale - e - 17 >= 0 ? units * 10n ** BigInt(scale - e - 17) : units / 10n ** BigInt(e + 17 - scale);
  return formatDecimal({ digits: rescale(value, scale) + shifted, scale });
}

/** (a - b) x 10^e as an f64: how far apart two coordinates are, in units of 10^-e. */
export function difference(a, b, e) {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  const scale = Math.max(x.scale, y.scale, e + GUARD_DIGITS);
  const diff = rescale(x, scale) - rescale(y, scale);
  // Cut to about 17 significant digits before Number(): Number of a 10000-digit BigInt would be Infinity.
  const cut = Math.max(0, diff.toString().replace('-', '').length - 17);
  return Number(diff / 10n ** BigInt(cut)) * 10 ** (cut - (scale - e));
}

/** One pixel's size in units of 10^-e, for a picture `width` pixels wide. */
export const pixelSize = (zoom, width) => VIEW_WIDTH / (zoom.m * width);

/**
 * The view moved by (dx, dy) pixels of a `width`-pixel picture: the picture follows the pointer, so the centre
 * moves the other way; screen y grows downwards, the imaginary axis upwards.
 */
export function pan(view, dx, dy, width) {
  const step = pixelSize(view.zoom, width);
  const { e } = view.zoom;
  return { ...view, center: [addOffset(view.center[0], -dx * step, e), addOffset(view.center[1], dy * step, e)] };
}

/** The view zoomed by `factor` about the pixel (px, py), counted from the picture's centre: that point stays put. */
export function zoomAt(view, factor, px, py, width) {
  const step = pixelSize(view.zoom, width);
  const { e } = view.zoom;
  const keep = 1 - 1 / factor;
  const center = [addOffset(view.center[0], px * step * keep, e), addOffset(view.center[1], -py * step * keep, e)];
  return { ...view, center, zoom: zoomBy(view.zoom, factor) };
}

/**
 * Iterations that grow with depth: 1000 at zoom 1, then 200 more per factor of 10 (21000 at 1e100). Only a first
 * guess, for a coarse picture before the server has chosen a view's (`max-iter=auto`, a sample of the view).
 */
export function autoIterations(zoom) {
  const depth = Math.max(0, zoom.e + Math.log10(zoom.m));
  return Math.round((1000 + 200 * depth) / 100) * 100;
}

/** The iterations the view renders with: its own, or as deep as it is. */
export const iterationsOf = (view) => view.maxIter ?? autoIterations(view.zoom);

/**
 * The view from a page's query (`?center=RE,IM&zoom=Z&max-iter=M&palette=P&cycle=C&colour=S`); what is missing is
 * HOME's.
 */
export function viewFromQuery(search) {
  const q = new URLSearchParams(search);
  const center = q.get('center')?.split(',');
  const valid = center?.length === 2 && center.every((c) => parseDecimal(c) !== undefined);
  const maxIter = Number(q.get('max-iter'));
  return {
    center: valid ? center.map((c) => c.trim()) : HOME.center,
    zoom: parseZoom(q.get('zoom') ?? '') ?? HOME.zoom,
    maxIter: Number.isInteger(maxIter) && maxIter > 0 ? maxIter : null,
    palette: q.get('palette') || null,
    // A number, or none (auto): anything else in a shared link is dropped, not carried into a command.
    cycle: Number(q.get('cycle')) > 0 ? String(Number(q.get('cycle'))) : null,
    colour: SHADINGS.includes(q.get('colour')) ? q.get('colour') : null,
  };
}

/** The view's query, in the command line's option names: the page's own URL, and the pictures' (with a size). */
export function queryOf(view, extra = {}) {
  const q = new URLSearchParams({ center: view.center.join(','), zoom: formatZoom(view.zoom) });
  if (view.maxIter !== null) q.set('max-iter', String(view.maxIter));
  if (view.palette) q.set('palette', view.palette);
  if (view.cycle) q.set('cycle', view.cycle);
  if (view.colour) q.set('colour', view.colour);
  for (const [name, value] of Object.entries(extra)) q.set(name, String(value));
  return q.toString().replaceAll('%2C', ',');
}

/** A word for a POSIX shell: as it is when it is safe so, else in single quotes. */
export function shellWord(text) {
  const word = String(text);
  return /^[\w.,:=+-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/**
 * The view's options for the command line, each value a shell word; iterations the view leaves to `auto` as
 * `--max-iter auto` (a still's default is 1000).
 */
function viewWords(view) {
  const words = [`--center=${shellWord(view.center.join(','))}`, '--zoom', formatZoom(view.zoom)];
  words.push('--max-iter', String(view.maxIter ?? 'auto'));
  if (view.palette) words.push('--palette', shellWord(view.palette));
  if (view.cycle) words.push('--cycle', shellWord(view.cycle));
  return words;
}

/** The command line that renders the view as a `width` x `height` PNG. */
export function commandOf(view, width, height) {
  const shading = view.colour ? ['--colour', shellWord(view.colour)] : [];
  return ['mandel-par', ...viewWords(view), ...shading, '--width', width, '--height', height, '-o', 'view.png'].join(
    ' ',
  );
}

/**
 * The command line that makes a zoom video from the whole set down into the view, at `width` x `height` (smooth
 * colour whatever the view's: a video's keyframes keep no derivatives, so `mandel-par video` takes no --colour).
 */
export function videoCommandOf(view, width, height) {
  const words = viewWords(view).map((word) => (word === '--zoom' ? '--zoom-to' : word));
  // Even sizes: H.264 and VP9 store colour at half resolution.
  const size = ['--width', width - (width % 2), '--height', height - (height % 2)];
  return ['mandel-par', 'video', ...words, ...size, '-o', 'zoom.mp4'].join(' ');
}
