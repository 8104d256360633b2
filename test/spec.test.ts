import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RenderSpec } from '../dist/src/index.js';
import {
  createSpec,
  ENGINES,
  PALETTES,
  specFromJson,
  specToJson,
  UsageError,
  validateSpec,
} from '../dist/src/index.js';

const colour = fc.tuple(
  fc.integer({ min: 0, max: 255 }),
  fc.integer({ min: 0, max: 255 }),
  fc.integer({ min: 0, max: 255 }),
);
const finite = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 });

/** An interval a region may span: from 1e-300 to 1e300 wide. */
const spans = ([a, b]: [number, number]) => a < b && b - a >= 1e-300 && b - a <= 1e300;

/** Random valid specs: every field, f64 coordinates of any bits. */
const specs: fc.Arbitrary<RenderSpec> = fc
  .record({
    x: fc.tuple(finite, finite).filter(spans),
    y: fc.tuple(finite, finite).filter(spans),
    width: fc.integer({ min: 1, max: 1 << 20 }),
    height: fc.integer({ min: 1, max: 1 << 20 }),
    maxIter: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
    engine: fc.constantFrom(...ENGINES),
    shortcuts: fc.boolean(),
    png: fc.boolean(),
    aa: fc.integer({ min: 1, max: 16 }),
    compression: fc.integer({ min: 0, max: 9 }),
    palette: fc.array(colour, { minLength: 2, maxLength: 8 }),
    inside: colour,
    cycle: fc.double({ min: 1e-3, max: 1e6, noNaN: true }),
  })
  .map((r) =>
    createSpec({
      region: { xMin: r.x[0], xMax: r.x[1], yMin: r.y[0], yMax: r.y[1] },
      width: r.width,
      height: r.height,
      maxIter: r.maxIter,
      engine: r.engine,
      shortcuts: r.shortcuts,
      aa: r.png ? r.aa : 1,
      colouring: { palette: r.palette, inside: r.inside, cycle: r.cycle },
      output: r.png ? { format: 'png', compression: r.compression } : { format: 'ascii' },
    }),
  );

describe('the render spec', () => {
  it('survives a JSON round trip unchanged, for random specs (fixed seed)', () => {
    fc.assert(
      fc.property(specs, (spec) => {
        expect(specFromJson(specToJson(spec))).toStrictEqual(spec);
        expect(specFromJson(JSON.stringify(JSON.parse(specToJson(spec))))).toStrictEqual(spec);
      }),
      { numRuns: 300, seed: 9 },
    );
  });

  it('keeps a deep view digit for digit through a JSON round trip, for random views (fixed seed)', () => {
    const digits = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 400 });
    const decimal = fc
      .tuple(fc.constantFrom('', '-'), digits, digits, fc.integer({ min: -3000, max: 3 }))
      .map(([sign, whole, fraction, exponent]) => `${sign}${whole}.${fraction}e${exponent}`);
    const width = fc
      .tuple(fc.integer({ min: 1, max: 999 }), fc.integer({ min: -9000, max: 0 }))
      .map(([m, e]) => `${m}e${e}`);
    fc.assert(
      fc.property(decimal, decimal, width, fc.boolean(), (re, im, w, png) => {
        const spec = createSpec({ view: { center: [re, im], width: w }, output: { format: png ? 'png' : 'ascii' } });
        expect(specFromJson(specToJson(spec))).toStrictEqual(spec);
        expect(specFromJson(specToJson(spec)).view).toEqual({ center: [re, im], width: w });
      }),
      { numRuns: 100, seed: 13 },
    );
  });

  it('fills in the classic picture by default', () => {
    expect(createSpec()).toEqual({
      formula: 'mandelbrot',
      region: { xMin: -2, xMax: 1, yMin: -1, yMax: 1 },
      width: 140,
      height: 50,
      maxIter: 100000,
      engine: 'wasm-simd',
      shortcuts: true,
      aa: 1,
      colouring: { palette: PALETTES.classic, inside: [0, 0, 0], cycle: 64 },
      output: { format: 'ascii' },
    });
    expect(createSpec({ output: { format: 'png' } })).toMatchObject({
      width: 3000,
      height: 2000,
      maxIter: 1000,
      output: { format: 'png', compression: 1 },
    });
  });

  it.each([
    [{ width: 0 }, 'spec.width: expected a whole number from 1 to 1048576, but received 0'],
    [{ maxIter: 1.5 }, 'spec.maxIter: expected a whole number from 1 to 2147483647, but received 1.5'],
    [{ engine: 'cuda' }, 'spec.engine: expected one of wasm-simd, wasm, js, perturb, but received "cuda"'],
    [
      { region: { xMin: 1, xMax: 0, yMin: 0, yMax: 1 } },
      'spec.region: expected finite xMin < xMax and yMin < yMax, each span from 1e-300 to 1e300, but received {"xMin":1,"xMax":0,"yMin":0,"yMax":1}',
    ],
    [{ aa: 2 }, 'spec.aa: expected a whole number from 1 to 1, but received 2'],
    [{ shortcuts: 'yes' }, 'spec.shortcuts: expected true or false, but received "yes"'],
    [
      { colouring: { palette: [[0, 0, 0]], inside: [0, 0, 0], cycle: 64 } },
      'spec.colouring.palette: expected two or more [r, g, b] colours, 0-255, or (to createSpec and --spec) a name among classic, fire, ocean, twilight, grey or hex colours, but received [[0,0,0]]',
    ],
    [
      { output: { format: 'bmp' } },
      'spec.output.format: expected one of ascii, pbm, npy, png, jpeg, webp, avif, tiff, dzi, iiif, but received "bmp"',
    ],
    [{ widht: 100 }, 'spec.widht: expected no such field'],
  ])('refuses %j, naming the field', (change, message) => {
    const error = (() => {
      try {
        validateSpec({ ...createSpec(), ...change });
      } catch (err) {
        return err;
      }
    })();
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message.startsWith(message)).toBe(true);
  });

  it('keeps a mistyped output setting for validation to refuse', () => {
    expect(() => createSpec({ output: { format: 'png', qualty: 5 } as never })).toThrow(
      'spec.output.qualty: expected no such setting for png, but received 5',
    );
  });

  it('refuses a view wider than f64 can hold the edges of (its picture came out inside), and narrower than 1e-10000', () => {
    for (const width of ['1e300', '1e-10001']) {
      expect(() => createSpec({ view: { center: ['-2', '0'], width } })).toThrow(
        /^spec\.view: expected .*, width from 1e-10000 to 1e299, but received/,
      );
    }
    expect(createSpec({ view: { center: ['-2', '0'], width: '9e299' } }).view?.width).toBe('9e299');
  });

  it('refuses text that is not JSON', () => {
    expect(() => specFromJson('{width:')).toThrow(/^spec: expected JSON/);
  });
});
