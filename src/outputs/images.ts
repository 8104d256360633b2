/**
 * Colour images through sharp (PNG, JPEG, WebP, AVIF, TIFF), with the render's parameters embedded (XMP) so that any
 * picture can be reproduced.
 */

import { invalidArgument, noParameters } from '../errors.js';
import type { OutputSpec } from '../model/spec.js';
import { createSpec } from '../model/spec.js';
import { escapeXmlText, unescapeXml } from './escape.js';
import { writeAtomically } from './files.js';

/**
 * An XMP packet whose description is `parameters` as JSON. Read it back with
 * `(await sharp(file).metadata()).xmpAsString`, or any tool that shows XMP (exiftool, identify -verbose).
 */
function xmpPacket(creator: string, parameters: unknown): string {
  return [
    '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">',
    `<xmp:CreatorTool>${escapeXmlText(creator)}</xmp:CreatorTool>`,
    `<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${escapeXmlText(JSON.stringify(parameters))}</rdf:li></rdf:Alt></dc:description>`,
    '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>',
  ].join('');
}

/**
 * The parameters embedded in an image's XMP (see ImageOptions.parameters).
 *
 * @example parametersFromXmp((await sharp('pic.png').metadata()).xmpAsString)
 */
export function parametersFromXmp(xmp: string): unknown {
  const m = /<rdf:li xml:lang="x-default">([^<]*)<\/rdf:li>/.exec(xmp);
  if (!m) throw noParameters();
  return JSON.parse(unescapeXml(m[1]));
}

export interface ImageOptions {
  creator: string;
  /** Embedded as JSON in the XMP description. */
  parameters: unknown;
  /** When it aborts during encoding, the file is not put in place. */
  signal?: AbortSignal;
}

/**
 * A picture to encode: its pixels in memory (RGB, 3 bytes a pixel, row-major; or NumPy data for writePicture), or a canvas file on disk (see outputs/canvas.ts),
 * which libvips reads in pieces as it encodes, so that memory stays flat.
 */
export type PixelSource = { pixels: Buffer; width: number; height: number } | { canvas: string };

/** A sharp pipeline over `source`. */
export async function loadPixels(source: PixelSource) {
  // Loaded here, not at start-up: libvips costs tens of milliseconds that an ASCII render need not pay.
  const { default: sharp } = await import('sharp');
  if ('canvas' in source) return sharp(source.canvas, { limitInputPixels: false });
  const { pixels, width, height } = source;
  return sharp(pixels, { raw: { width, height, channels: 3 }, limitInputPixels: false });
}

/** The sharp pipeline that encodes `source` as `output` (a single image, not a pyramid) says. */
async function encoder(source: PixelSource, output: OutputSpec, o: ImageOptions) {
  const image = await loadPixels(source);
  const encoded =
    output.format === 'png'
      ? image.png({ compressionLevel: output.compression })
      : output.format === 'jpeg'
        ? image.jpeg({ quality: output.quality })
        : output.format === 'webp'
          ? image.webp({ quality: output.quality })
          : output.format === 'avif'
            ? image.avif({ quality: output.quality })
            : image.tiff({ compression: 'deflate' });
  return encoded.withXmp(xmpPacket(o.creator, o.parameters));
}

/**
 * Encodes an RGB image (3 bytes a pixel, row-major) in memory, in a colour format (png, jpeg, webp, avif, tiff).
 *
 * @example await encodeImage(image.pixels, 800, 600, { format: 'webp', quality: 90 }, { creator, parameters })
 */
export async function encodeImage(
  rgb: Buffer,
  width: number,
  height: number,
  output: OutputSpec,
  o: ImageOptions,
): Promise<Buffer> {
  checkEncodeArguments(rgb, width, height, output, o);
  return (await encoder({ pixels: rgb, width, height }, output, o)).toBuffer();
}

/**
 * Refuses what encodeImage cannot encode with a UsageError naming the argument (they met a TypeError inside, or
 * libvips' "memory area too small" and sharp's own messages): the size, the bytes for it, the format and its settings
 * (as a spec's: createSpec checks them), and the options.
 */
function checkEncodeArguments(rgb: Buffer, width: number, height: number, output: OutputSpec, o: ImageOptions): void {
  const whole = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 1;
  if (!(whole(width) && whole(height))) {
    throw invalidArgument('encodeImage width, height', [width, height], 'whole numbers of pixels, 1 or more');
  }
  if (!(rgb instanceof Uint8Array && rgb.length === width * height * 3)) {
    const got = rgb instanceof Uint8Array ? `${rgb.length} bytes` : rgb;
    throw invalidArgument('encodeImage rgb', got, `${width * height * 3} bytes: 3 a pixel for ${width} x ${height}`);
  }
  const format = (output as { format?: unknown } | undefined)?.format;
  if (!(IMAGE_FORMATS as readonly unknown[]).includes(format)) {
    throw invalidArgument('encodeImage output.format', format, `one of ${IMAGE_FORMATS.join(', ')}`);
  }
  createSpec({ width, height, output });
  if (!(typeof o === 'object' && o !== null && typeof o.creator === 'string')) {
    throw invalidArgument('encodeImage options', o, '{ creator, parameters } (pictureMetadata(spec) gives them)');
  }
}

/** The formats encodeImage writes: the colour images of one file. */
const IMAGE_FORMATS = ['png', 'jpeg', 'webp', 'avif', 'tiff'] as const;

/** Encodes a picture to `path`, atomically. */
export async function writeImage(path: string, source: PixelSource, output: OutputSpec, o: ImageOptions) {
  await writeAtomically(path, async (temp) => void (await (await encoder(source, output, o)).toFile(temp)), o.signal);
}
