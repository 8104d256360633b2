/** What a picture carries about how it was made: the spec, the software, and a command that makes it again. */
import type { RenderSpec } from '../model/spec.js';
import { pixelKind } from '../model/spec.js';
import { ENGINES } from '../model/task.js';
import { VERSION } from '../model/version.js';
import type { Region } from '../plane/viewport.js';
import { shellWord } from './escape.js';

const hex = ([r, g, b]: readonly number[]) => `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;

/**
 * The options that set the spec's view, written out exactly: its region, or its deep view's centre and width.
 *
 * @example viewOptions(createSpec()) // '--region=-2,1,-1,1'
 */
export function viewOptions(spec: RenderSpec): string {
  if (spec.view) return `--center=${spec.view.center.join(',')} --scale ${spec.view.width}`;
  const { xMin, xMax, yMin, yMax } = spec.region as Region;
  return `--region=${xMin},${xMax},${yMin},${yMax}`;
}

/**
 * A mandel-par command line that renders the same picture (the view written out exactly).
 *
 * @example reproduceCommand(createSpec()) // 'mandel-par --out ascii --width 140 --height 50 ...'
 */
export function reproduceCommand(spec: RenderSpec): string {
  const args = [`--out ${spec.output.format}`, `--width ${spec.width}`, `--height ${spec.height}`];
  args.push(`--max-iter ${spec.maxIter}`, viewOptions(spec));
  if (spec.julia) args.push(`--julia=${spec.julia[0]},${spec.julia[1]}`);
  if (spec.engine !== ENGINES[0]) args.push(`--engine ${spec.engine}`);
  if (pixelKind(spec.output.format) === 'colour') {
    const { palette, inside, cycle } = spec.colouring;
    args.push(`--palette "${palette.map(hex).join(',')}"`, `--inside "${hex(inside)}"`);
    args.push(`--cycle ${cycle}`, `--aa ${spec.aa}`);
    const { shading, light } = spec.colouring;
    if (shading !== undefined) args.push(`--colour ${shading}`);
    if (light !== undefined) args.push(`--light ${light.join(',')}`);
  }
  const output = spec.output;
  if ('compression' in output) args.push(`--compression ${output.compression}`);
  if ('quality' in output) args.push(`--quality ${output.quality}`);
  if ('tileSize' in output) args.push(`--tile-size ${output.tileSize}`, `--tile-format ${output.tileFormat}`);
  if ('baseUrl' in output && output.baseUrl !== undefined) args.push(`--base-url ${shellWord(output.baseUrl)}`);
  return `mandel-par ${args.join(' ')}`;
}

/**
 * What an image embeds (see ImageOptions): its creator, and as parameters the spec's fields, the software that made
 * it and the command that makes it again.
 */
export function pictureMetadata(spec: RenderSpec): { creator: string; parameters: Record<string, unknown> } {
  const creator = `mandel-par ${VERSION}`;
  return { creator, parameters: { software: creator, command: reproduceCommand(spec), ...spec } };
}
