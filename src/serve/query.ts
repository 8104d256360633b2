/**
 * An HTTP request's query as the command line would have it: each parameter is the CLI option of the same name,
 * read by the same parser and checked by the same rules (cli/render-options.ts), so `/render.png?zoom=1e30&...` is
 * the picture `mandel-par -o x.png --zoom 1e30 ...` writes, and a bad value gets the CLI's message. Only options
 * that describe the picture are taken: nothing that names a file, a thread count or a way to run.
 */

import { commandLine } from '../cli/command-line.js';
import { PICTURE_OPTIONS, resolveRenderCommand } from '../cli/render-options.js';
import { closest } from '../cli/suggest.js';
import { invalidOption, unknownParameter } from '../errors.js';
import type { Rect } from '../model/plan.js';
import type { OutputFormat, RenderSpec } from '../model/spec.js';
import { VERSION } from '../model/version.js';

/** The picture's options a request may give, by their CLI names: all but the format, which the path gives. */
export const PICTURE_PARAMETERS = PICTURE_OPTIONS.filter((option) => option !== 'out');

/** The one parameter that is not a CLI option: the rectangle of the picture to render, `x,y,w,h` in pixels. */
export const RECT_PARAMETER = 'rect';

/** What a request asks for: the spec, and the part of it, when only a rectangle. */
export interface PictureRequest {
  spec: RenderSpec;
  rect: Rect | undefined;
  /** `max-iter=auto`: the spec's maxIter is to be chosen from a sample of the whole view, as the CLI does. */
  autoIter: boolean;
  /** `cycle=auto`, or no cycle (the CLI's default): the cycle is chosen from a sample of the view. */
  autoCycle: boolean;
}

/** The request's rectangle: four whole numbers within the picture. */
function parseRect(text: string, width: number, height: number): Rect {
  const parts = text.split(',').map((p) => p.trim());
  const [x, y, w, h] = parts.map(Number);
  const whole = parts.length === 4 && parts.every((p) => /^\d+$/.test(p));
  if (!whole || w < 1 || h < 1 || x + w > width || y + h > height) {
    throw invalidOption(
      RECT_PARAMETER,
      text,
      `x,y,w,h: whole numbers, w and h at least 1, inside the ${width} x ${height} picture`,
      `${RECT_PARAMETER}=0,0,256,256`,
    );
  }
  return { x, y, w, h };
}

/**
 * The picture a query asks for, in `format`. Unknown parameters are refused (with the closest known name), as the
 * CLI refuses unknown options.
 *
 * @example await pictureRequest(new URLSearchParams('zoom=1e30&center=-0.75,0.1'), 'png')
 */
export async function pictureRequest(query: URLSearchParams, format: OutputFormat): Promise<PictureRequest> {
  const known: readonly string[] = [...PICTURE_PARAMETERS, RECT_PARAMETER];
  const argv = ['--out', format];
  for (const [name, value] of query) {
    if (!known.includes(name)) throw unknownParameter(name, closest(name, known));
    // Glued to its name, so a value that starts with a minus sign is read as a value; a switch given bare
    // (`?distance`, `?distance=`) is on, as `--distance` is.
    if (name !== RECT_PARAMETER) argv.push(value === '' ? `--${name}` : `--${name}=${value}`);
  }
  const raw = await commandLine(argv, VERSION).parseAsync();
  const { spec, autoIter, autoCycle } = resolveRenderCommand(raw);
  const rects = query.getAll(RECT_PARAMETER);
  if (rects.length > 1) throw invalidOption(RECT_PARAMETER, rects, 'one rectangle', `${RECT_PARAMETER}=0,0,256,256`);
  const rect = rects.length === 1 ? parseRect(rects[0], spec.width, spec.height) : undefined;
  return { spec, rect, autoIter, autoCycle };
}
