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
