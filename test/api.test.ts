/** The public API's surface is a decision: the package exports exactly the values docs/api.md lists. */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import * as api from '../dist/src/index.js';

const doc = await readFile(new URL('../docs/api.md', import.meta.url), 'utf8');

describe('the public API', () => {
  it('exports exactly the values docs/api.md lists, 30 of them', () => {
    const values = doc.slice(doc.indexOf('## Values'));
    const listed = [...values.matchAll(/`(\w+)`/g)].map((m) => m[1]);
    expect(Object.keys(api).sort()).toEqual([...new Set(listed)].sort());
    expect(Object.keys(api)).toHaveLength(30);
  });

  it('renderImage honours the spec format, and refuses one that is not an image', async () => {
    const spec = { width: 40, height: 30, maxIter: 100 };
    const jpeg = await api.renderImage({ ...spec, output: { format: 'jpeg' } });
    expect(jpeg.subarray(0, 3).toString('hex')).toBe('ffd8ff');
    const png = await api.renderImage(spec);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    await expect(api.renderImage({ ...spec, output: { format: 'ascii' } })).rejects.toThrow(
      /^spec\.output\.format: expected an image held in memory \(png, jpeg, webp, avif, tiff\)/,
    );
  });
});

describe('the public API on bad arguments: a UsageError naming what is wrong, never a crash or a hang', () => {
  it('Renderer.create refuses thread counts out of range before starting any worker', async () => {
    // 5000 exhausted the heap (a fatal error no program can catch); 0 and 'x' gave Piscina's own TypeError.
    for (const threads of [5000, 0, 'x', 2.5]) {
      await expect(api.Renderer.create({ threads: threads as number })).rejects.toThrow(
        new api.UsageError(
          `RendererOptions.threads: expected a whole number from 1 to 1024, but received ${JSON.stringify(threads)}`,
        ),
      );
    }
    await expect(api.Renderer.create({ idleMs: -1 })).rejects.toThrow(/^RendererOptions\.idleMs: expected/);
    // A mistyped option was dropped without a word.
    await expect(api.Renderer.create({ thread: 2 } as never)).rejects.toThrow(
      'RendererOptions.thread: expected no such option (threads, minThreads, idleMs, wasmModule, logger), but received 2',
    );
  });

  it('the plans refuse sizes that are not whole numbers of 1 or more (0 or -5 looped until the heap ran out)', () => {
    expect(() => api.planTiles(100, 100, 0)).toThrow(
      'planTiles size: expected a whole number of 1 or more, but received 0',
    );
    expect(() => api.planTiles(100, 100, -5)).toThrow(api.UsageError);
    expect(() => api.planBands(100, 100, '64' as unknown as number)).toThrow(
      'planBands bandRows: expected a whole number of 1 or more, but received "64"',
    );
  });

  it('a spec that is not an object, or an output that is not one', () => {
    expect(() => api.createSpec(null as never)).toThrow('spec: expected an object of spec fields, but received null');
    expect(() => api.createSpec('png' as never)).toThrow(api.UsageError);
    expect(() => api.createSpec({ output: 'png' } as never)).toThrow(
      `spec.output: expected an object, e.g. { format: 'png' }, but received "png"`,
    );
  });

  it('a picture held whole that cannot fit is refused before any work (it grew to 2 GB, or threw a RangeError)', async () => {
    await expect(api.renderAscii({ width: 1 << 20, height: 1 << 20 })).rejects.toThrow(
      /^renderAscii: expected a picture of at most \d+ characters with its newlines/,
    );
    await expect(api.renderImage({ width: 100000, height: 100000 })).rejects.toThrow(
      /^a 100000 x 100000 PNG needs about 30 GB .*, but one buffer can hold at most [\d.]+ GB: render it in rectangles \(renderRect/,
    );
  });

  it('a destination of no known format, and a renderer used after close()', async () => {
    const renderer = await api.Renderer.create({ threads: 1 });
    const spec = api.createSpec({ width: 16, height: 8, maxIter: 50 });
    await expect(renderer.render(spec, {} as never)).rejects.toThrow(
      /^RenderCall\.destination: expected a destination/,
    );
    await expect(
      api.renderRect(spec, { x: 0, y: 0, w: 8, h: 8 }, { format: 'bgr' as never, renderer }),
    ).rejects.toThrow(/^RenderCall\.destination: .*, but received "bgr"$/);
    expect(await api.renderAscii(spec, { renderer })).toBe(await api.renderAscii(spec));
    await renderer.close();
    await renderer.close(); // twice: nothing
    await expect(api.renderAscii(spec, { renderer })).rejects.toThrow(
      'Renderer: closed: create another to render again',
    );
  });

  it('a plan of another shape, or renderRect without a rectangle: UsageErrors (they were TypeErrors)', async () => {
    const spec = api.createSpec({ width: 60, height: 40, output: { format: 'png' } });
    const renderer = await api.Renderer.create({ threads: 1 });
    await expect(renderer.render(spec, { destination: api.pixelData(60, 40), plan: 'bands' as never })).rejects.toThrow(
      /^RenderCall\.plan: expected tasks: an array of arrays of \{ x, y, w, h \} rectangles, but received "bands"$/,
    );
    await expect(api.renderRect(spec, undefined as never, { renderer })).rejects.toThrow(
      /^plan: rectangle undefined is not a non-empty whole-pixel part of the 60 x 40 image$/,
    );
    await renderer.close();
  });

  it("a destination's size that is not whole pixels, or past one buffer, is a UsageError (RangeErrors, or taken)", () => {
    expect(() => api.rgbImage(-1, 10)).toThrow(/^rgbImage width, height: expected whole numbers of pixels, 1 or more/);
    expect(() => api.rgbImage('10' as never, 10)).toThrow(/^rgbImage width, height: expected whole numbers/);
    expect(() => api.asciiText(Number.NaN, 5, () => {})).toThrow(/^asciiText width, height: expected whole numbers/);
    expect(() => api.pixelData(50000, 50000)).toThrow(/^pixelData width, height: expected a picture of at most/);
    expect(api.rgbImage(100, 100).pixels.length).toBe(30000);
  });

  it('threads that are no number of them: minThreads past threads, a call of 0 threads (both were clamped silently)', async () => {
    await expect(api.Renderer.create({ threads: 1, minThreads: 4 })).rejects.toThrow(
      'RendererOptions.minThreads: expected at most threads (1), but received 4',
    );
    const renderer = await api.Renderer.create({ threads: 1 });
    const spec = api.createSpec({ width: 16, height: 8, maxIter: 50 });
    await expect(renderer.render(spec, { destination: api.asciiText(16, 8, () => {}), maxThreads: 0 })).rejects.toThrow(
      /^RenderCall\.maxThreads: expected a whole number of 1 or more/,
    );
    await renderer.close();
  });

  it("encodeImage's arguments are checked: the bytes for the size, the format and its settings, the options", async () => {
    // They met a TypeError inside, libvips' "memory area too small" or sharp's own message.
    const rgb = Buffer.alloc(40 * 30 * 3);
    const o = { creator: 'test', parameters: {} };
    await expect(api.encodeImage(rgb, 41, 30, { format: 'png', compression: 1 }, o)).rejects.toThrow(
      'encodeImage rgb: expected 3690 bytes: 3 a pixel for 41 x 30, but received "3600 bytes"',
    );
    await expect(api.encodeImage(rgb, 40, 30, { format: 'jpeg', quality: 101 }, o)).rejects.toThrow(
      /^spec\.output\.quality: expected a whole number from 1 to 100/,
    );
    await expect(api.encodeImage(rgb, 40, 30, { format: 'png', compression: 1 }, {} as never)).rejects.toThrow(
      /^encodeImage options: expected \{ creator, parameters \}/,
    );
    const png = await api.encodeImage(rgb, 40, 30, { format: 'png', compression: 1 }, o);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('a render the renderer is closed under says so (it said "band 2 ... failed: Terminating worker thread")', async () => {
    const renderer = await api.Renderer.create({ threads: 2 });
    const spec = api.createSpec({ width: 600, height: 400, maxIter: 20000, output: { format: 'png' } });
    const rendering = renderer.render(spec, { destination: api.pixelData(600, 400) });
    // Its rejection awaited from the start: it comes while close() runs.
    const refused = expect(rendering).rejects.toThrow(/^Renderer: closed while this render ran: it was stopped$/);
    await new Promise((r) => setTimeout(r, 50));
    await renderer.close();
    await refused;
  });
});
