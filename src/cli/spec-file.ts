/**
 * A picture given whole: `--spec FILE.json` (the spec as the API's createSpec takes it, fields left out taking their
 * defaults; job.json and results.json hold whole ones)
 * or `--from IMAGE` (the spec a picture mandel-par wrote carries in its XMP). Read before the options are resolved,
 * which stay pure.
 */
import { readFile, stat } from 'node:fs/promises';
import { invalidOption, unreadableFile } from '../errors.js';
import type { RenderSpec, SpecInput } from '../model/spec.js';
import { createSpec, validateSpec } from '../model/spec.js';
import { parametersFromXmp } from '../outputs/images.js';
import { parseDecimal } from '../plane/decimal.js';
import type { RawArgs } from './parsers.js';
import { single } from './parsers.js';

/** A picture given whole, by a spec file or an image. */
export interface GivenSpec {
  spec: RenderSpec;
  option: 'spec' | 'from';
  location?: undefined;
}

/** A Kalles Fraktaler location (.kfr): the view and iterations only; size, colour and the rest stay the options'. */
export interface KfrLocation {
  option: 'from';
  location: {
    re: string;
    im: string;
    zoom: string;
    iterations: number | undefined;
    ignored: string[];
    /** KF's Rotate in degrees, where not 0: not applied (mandel-par draws unturned views). */
    rotate?: number;
  };
}

/** The keys of a .kfr that mandel-par maps; the others are named in a warning. */
const KFR_KEYS = ['Re', 'Im', 'Zoom', 'Iterations'];

/**
 * A .kfr file's location: `Key: value` lines (KF writes many; Re, Im, Zoom and Iterations are the location).
 *
 * @example readKfr('Re: -0.75\r\nIm: 0.1\r\nZoom: 1E20\r\nIterations: 5000\r\n') // re -0.75, im 0.1, ...
 */
export function readKfr(text: string, path: string): KfrLocation['location'] {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([A-Za-z][\w]*)\s*:\s*(.*?)\s*$/.exec(line);
    if (m) fields.set(m[1], m[2]);
  }
  const [re, im, zoom] = ['Re', 'Im', 'Zoom'].map((k) => fields.get(k));
  if (re === undefined || im === undefined || zoom === undefined) {
    const missing = ['Re', 'Im', 'Zoom'].filter((k) => !fields.has(k)).join(', ');
    const expected = `a Kalles Fraktaler location with Re, Im and Zoom (this one has no ${missing})`;
    throw invalidOption('from', path, expected, '--from location.kfr');
  }
  // The file's own values are named as the file has them (they would be checked as --center, --zoom, --max-iter).
  const wrong = (field: string, value: string, expected: string) =>
    invalidOption(
      'from',
      path,
      `a Kalles Fraktaler location whose ${field} is ${expected} (it has ${JSON.stringify(value)})`,
      '--from location.kfr',
    );
  for (const [field, value] of [
    ['Re', re],
    ['Im', im],
  ]) {
    if (!parseDecimal(value)) throw wrong(field, value, 'a decimal number');
  }
  const magnification = parseDecimal(zoom);
  if (!(magnification && magnification.mantissa > 0n)) throw wrong('Zoom', zoom, 'a positive decimal number');
  const iterationsText = fields.get('Iterations');
  const iterations = iterationsText === undefined ? undefined : Number(iterationsText);
  if (iterations !== undefined && !(Number.isInteger(iterations) && iterations >= 1)) {
    throw wrong('Iterations', iterationsText as string, 'a whole number of 1 or more');
  }
  const ignored = [...fields.keys()].filter((k) => !KFR_KEYS.includes(k));
  // A turned view is said apart from the colours: the picture comes out unturned.
  const rotate = Number(fields.get('Rotate') ?? 0);
  return { re, im, zoom, iterations, ignored, ...(rotate !== 0 && Number.isFinite(rotate) ? { rotate } : {}) };
}

/** The spec that --spec or --from names, or undefined when neither is given. */
export async function loadGivenSpec(raw: RawArgs): Promise<GivenSpec | KfrLocation | undefined> {
  const file = single(raw, 'spec');
  const image = single(raw, 'from');
  if (file !== undefined && image !== undefined) {
    throw invalidOption('from', image, 'nothing with --spec: each gives the whole picture', '--from pic.png');
  }
  if (file !== undefined) {
    const text = await readFile(file, 'utf8').catch((err: unknown) => {
      throw unreadableFile('spec', file, 'a JSON file of a render spec', '--spec view.json', err);
    });
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw invalidOption('spec', file, `a JSON file of a render spec (${(err as Error).message})`, '--spec view.json');
    }
    // A parts folder's job.json holds the spec with the job's own fields (--help says --spec takes it).
    const job = parsed as { spec?: unknown; bandRows?: unknown } | null;
    const given = job !== null && typeof job === 'object' && 'bandRows' in job ? job.spec : parsed;
    // As the API takes it: what is left out gets its default, and every field is checked.
    return { spec: createSpec(given as SpecInput), option: 'spec' };
  }
  if (image?.toLowerCase().endsWith('.kfr')) {
    const text = await readFile(image, 'latin1').catch((err: unknown) => {
      throw unreadableFile('from', image, 'a Kalles Fraktaler location file', '--from a.kfr', err);
    });
    return { option: 'from', location: readKfr(text, image) };
  }
  if (image !== undefined) {
    const picture = 'a picture that mandel-par wrote (PNG, JPEG, WebP, AVIF, TIFF)';
    // A file that is not there, or cannot be read, is said so (sharp's own message would not say which).
    await stat(image).catch((err: unknown) => {
      throw unreadableFile('from', image, picture, '--from pic.png', err);
    });
    // sharp loads only here: a render that is given no image pays nothing for it at start-up.
    const { default: sharp } = await import('sharp');
    const xmp = await sharp(image)
      .metadata()
      .then((m) => m.xmpAsString)
      .catch(() => {
        throw invalidOption('from', image, picture, '--from pic.png');
      });
    // A picture from elsewhere: said of --from and the file (the API's parametersFromXmp names no option).
    const noneIn = () =>
      invalidOption('from', image, `${picture}: this one holds no mandel-par parameters`, '--from pic.png');
    if (xmp === undefined) throw noneIn();
    const parameters = (() => {
      try {
        return parametersFromXmp(xmp);
      } catch {
        throw noneIn();
      }
    })();
    // The parameters are the spec's fields, with the software and the command that made it.
    const { software: _software, command: _command, ...spec } = parameters as Record<string, unknown>;
    return { spec: validateSpec(spec), option: 'from' };
  }
  return undefined;
}
