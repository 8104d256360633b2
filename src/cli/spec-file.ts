/**
 * A picture given whole: `--spec FILE.json` (the spec as the API's createSpec takes it, fields left out taking their
 * defaults; job.json and results.json hold whole ones)
 * or `--from IMAGE` (the spec a picture mandel-par wrote carries in its XMP). Read before the options are resolved,
 * which stay pure.
 */
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { RenderSpec, SpecInput } from '../core/spec.js';
import { createSpec, validateSpec } from '../core/spec.js';
import { invalidOption, noParameters } from '../errors.js';
import { parametersFromXmp } from '../outputs/images.js';
import type { RawArgs } from './parsers.js';
import { single } from './parsers.js';

export interface GivenSpec {
  spec: RenderSpec;
  option: 'spec' | 'from';
}

/** The spec that --spec or --from names, or undefined when neither is given. */
export async function loadGivenSpec(raw: RawArgs): Promise<GivenSpec | undefined> {
  const file = single(raw, 'spec');
  const image = single(raw, 'from');
  if (file !== undefined && image !== undefined) {
    throw invalidOption('from', image, 'nothing with --spec: each gives the whole picture', '--from pic.png');
  }
  if (file !== undefined) {
    const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
      throw invalidOption(
        'spec',
        file,
        `a JSON file of a render spec (${err.code ?? err.message})`,
        '--spec view.json',
      );
    });
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw invalidOption('spec', file, `a JSON file of a render spec (${(err as Error).message})`, '--spec view.json');
    }
    // As the API takes it: what is left out gets its default, and every field is checked.
    return { spec: createSpec(parsed as SpecInput), option: 'spec' };
  }
  if (image !== undefined) {
    const xmp = await sharp(image)
      .metadata()
      .then((m) => m.xmpAsString)
      .catch(() => {
        throw invalidOption(
          'from',
          image,
          'a picture that mandel-par wrote (PNG, JPEG, WebP, AVIF, TIFF)',
          '--from pic.png',
        );
      });
    if (xmp === undefined) throw noParameters();
    // The parameters are the spec's fields, with the software and the command that made it.
    const { software: _software, command: _command, ...spec } = parametersFromXmp(xmp) as Record<string, unknown>;
    return { spec: validateSpec(spec), option: 'from' };
  }
  return undefined;
}
