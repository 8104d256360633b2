/**
 * Image pyramids (`--out dzi`, `--out iiif`) through libvips' tiler, with a viewer page beside them. Everything is
 * written into a staging folder next to the output first and moved into place when complete; the entry that says
 * the pyramid is there (the .dzi descriptor; the IIIF folder) moves last, so nothing half-made is ever in view.
 */
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { formatBytes, outputFailed } from '../errors.js';
import type { OutputSpec, PyramidFormat } from '../model/spec.js';
import { counted } from '../words.js';
import { forgetTemporary, temporaryPath } from './files.js';
import type { ImageOptions, PixelSource } from './images.js';
import { loadPixels } from './images.js';
import { viewerPage } from './viewer.js';

type PyramidOutput = Extract<OutputSpec, { format: PyramidFormat }>;

/**
 * What a pyramid at `path` consists of, in the order they are put in place: for Deep Zoom `NAME.dzi` names
 * `NAME_files/` (tiles) and `NAME.html` (viewer) beside it; for IIIF, `path` is the folder `NAME/` (info.json and
 * tiles), with `NAME.html` beside it.
 *
 * @example pyramidEntries('out/poster.dzi', 'dzi') // ['poster_files', 'poster.html', 'poster.dzi']
 */
export function pyramidEntries(path: string, format: PyramidFormat): { name: string; entries: string[] } {
  const file = basename(path);
  if (format === 'iiif') return { name: file, entries: [`${file}.html`, file] };
  const name = extname(file) === '.dzi' ? file.slice(0, -4) : file;
  return { name, entries: [`${name}_files`, `${name}.html`, `${name}.dzi`] };
}

/**
 * A written pyramid's size in words: its tiles, and all its files. @example pyramidSize('out/p.dzi', 'dzi')
 * // "84 MB in 6279 tiles"
 */
export async function pyramidSize(path: string, format: PyramidFormat): Promise<string> {
  const { entries } = pyramidEntries(path, format);
  let bytes = 0;
  let tiles = 0;
  let tileBytes = 0;
  const walk = async (at: string, inTiles: boolean): Promise<void> => {
    const s = await stat(at);
    if (!s.isDirectory()) {
      bytes += s.size;
      if (inTiles && /\.(png|jpe?g)$/.test(at)) {
        tiles++;
        tileBytes += s.size;
      }
      return;
    }
    for (const name of await readdir(at)) await walk(join(at, name), true);
  };
  for (const entry of entries) await walk(join(dirname(path), entry), false);
  // The viewer page (OpenSeadragon in it) is most of a small pyramid: the tiles are said apart.
  return `${counted(tiles, 'tile')} of ${formatBytes(tileBytes)}, ${formatBytes(bytes)} with the viewer page`;
}

/** Moves `entry` from `staging` to `folder`; a folder already there is swapped out and removed afterwards. */
async function putInPlace(staging: string, folder: string, entry: string): Promise<void> {
  const target = join(folder, entry);
  const old = join(staging, `${entry}.old`);
  await rename(target, old).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
  await rename(join(staging, entry), target);
}

/**
 * libvips' properties file of a DZI pyramid without the time it was written, nor how the pixels were read (a canvas
 * on disk is read sequentially, and added `vips-sequential`): two renders of one spec, in memory or on disk, give the
 * same files (the tiles always were).
 */
async function undate(file: string): Promise<void> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  const sequential = /\n\s*<property>\s*<name>vips-sequential<\/name>[\s\S]*?<\/property>/;
  if (text !== undefined) await writeFile(file, text.replace(/ date="[^"]*"/, '').replace(sequential, ''));
}

/** The name libvips writes a pyramid under in the staging folder, before it is renamed. */
const STAGED = 'pyramid';

/**
 * The IIIF info.json that libvips wrote, with the pyramid's name as its id: absolute when the address it will be
 * served under is known (strict viewers refuse a relative id), else relative to info.json itself, `../NAME` (the page
 * beside it sets the id where it runs; `./NAME` named NAME/NAME). PNG tiles are said to be the format to ask for: a
 * level-0 service is otherwise asked for default.jpg, which it does not have.
 */
async function placeIiif(
  folder: string,
  name: string,
  baseUrl: string | undefined,
  tileFormat: string,
): Promise<Record<string, unknown>> {
  const path = join(folder, 'info.json');
  const info = JSON.parse(await readFile(path, 'utf8'));
  // A URI either way: the name as a path segment (a space, # or ? in it would end the path or start a fragment).
  const segment = encodeURIComponent(name);
  const id = baseUrl === undefined ? `../${segment}` : new URL(segment, baseUrl).href;
  const formats = tileFormat === 'png' ? { extraFormats: ['png'], preferredFormats: ['png'] } : {};
  const placed = { ...info, id, ...formats };
  await writeFile(path, `${JSON.stringify(placed, null, 2)}\n`);
  return placed;
}

/**
 * Writes the pyramid of `source` at `path` (see pyramidEntries), tiles as `output` says, and its viewer page.
 *
 * @example await writePyramid('out/poster.dzi', { canvas: 'poster.v' }, spec.output, { ...pictureMetadata(spec) })
 */
export async function writePyramid(path: string, source: PixelSource, output: PyramidOutput, o: ImageOptions) {
  const folder = dirname(path);
  const { name, entries } = pyramidEntries(path, output.format);
  const staging = temporaryPath(join(folder, name));
  try {
    await mkdir(staging);
    const image = await loadPixels(source);
    const tiles =
      output.tileFormat === 'png'
        ? image.png({ compressionLevel: output.compression })
        : image.jpeg({ quality: output.quality });
    const layout = output.format === 'dzi' ? 'dz' : 'iiif3';
    // libvips writes the name into info.json unescaped: it gets a plain one, and the real name is put in afterwards.
    const info = await tiles.tile({ size: output.tileSize, layout, id: '.' }).toFile(join(staging, STAGED));
    o.signal?.throwIfAborted();
    if (output.format === 'dzi') await undate(join(staging, `${STAGED}_files`, 'vips-properties.xml'));
    const iiifInfo =
      output.format === 'iiif'
        ? await placeIiif(join(staging, STAGED), name, output.baseUrl, output.tileFormat)
        : undefined;
    const suffixes = output.format === 'iiif' ? [''] : ['.dzi', '_files'];
    for (const suffix of suffixes) await rename(join(staging, `${STAGED}${suffix}`), join(staging, `${name}${suffix}`));
    const page = viewerPage({
      format: output.format,
      name,
      width: info.width,
      height: info.height,
      tileSize: output.tileSize,
      tileExtension: output.tileFormat,
      iiifInfo,
      title: `${name}: ${info.width} x ${info.height} (${o.creator})`,
      command: String((o.parameters as { command?: string }).command ?? o.creator),
    });
    await writeFile(join(staging, `${name}.html`), page);
    for (const entry of entries) await putInPlace(staging, folder, entry);
  } catch (err) {
    throw o.signal?.aborted ? o.signal.reason : outputFailed(path, err);
  } finally {
    await rm(staging, { recursive: true, force: true });
    forgetTemporary(staging);
  }
}
