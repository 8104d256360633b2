/**
 * Property-based tests (fast-check) of argument handling: any argument list renders or is refused cleanly, and a
 * view given as --center and --zoom lands where the API's spec of the same decimal view does.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { commandLine } from '../dist/src/cli/command-line.js';
import { resolveRenderCommand } from '../dist/src/cli/render-options.js';
import { checkMemory, createSpec, defaultPlan, UsageError } from '../dist/src/index.js';
import { regionOfView } from '../dist/src/plane/view.js';
import { closeSharedRenderer, runMain } from './helpers.js';

afterAll(closeSharedRenderer);

/** Fixed, so that CI is repeatable; set FC_SEED to explore other lists. */
const SEED = Number(process.env.FC_SEED ?? 20261130);

const NAMES = [
  '--threads',
  '--width',
  '--height',
  '--max-iter',
  '--region',
  '--center',
  '--zoom',
  '--scale',
  '--band-rows',
  '--engine',
  '--out',
  '--palette',
  '--inside',
  '--cycle',
  '--aa',
  '--compression',
  '--max-memory',
  '--quiet',
  '--stats',
  '--no-shortcuts',
  '-o',
  '--bogus',
  '-x',
];
const VALUES = fc.oneof(
  fc.constantFrom('0', '1', '2', '-1', '1.5', 'abc', '', '1e3', '3,4', '-2,1,-1,1', '-0.7,0.1', '#ff0000', 'grey'),
  fc.constantFrom('png', 'ascii', 'js', 'wasm', 'wasm-simd', '9', '17', '2G', '1K', 'NaN', 'Infinity', '1,2,3,4,5'),
  fc.integer({ min: -5, max: 40 }).map(String),
  fc.string({ maxLength: 6 }),
);

/** Argument lists: options with a value, options alone, and stray values, in any order. */
function argLists(names: string[]) {
  const item = fc.oneof(
    fc.tuple(fc.constantFrom(...names), VALUES),
    fc.constantFrom(...names).map((n) => [n]),
    VALUES.map((v) => [v]),
  );
  return fc.array(item, { maxLength: 6 }).map((items) => items.flat());
}

describe('argument handling, for random argument lists', () => {
  it('resolves to options or throws one UsageError of one line; nothing else', async () => {
    await fc.assert(
      fc.asyncProperty(argLists(NAMES), async (argv) => {
        try {
          const c = resolveRenderCommand(await commandLine(argv, '0.0.0').parseAsync(), 4);
          checkMemory(c.spec, c.threads, defaultPlan(c.spec, c.threads), c.maxMemory);
        } catch (err) {
          expect(err).toBeInstanceOf(UsageError);
          expect((err as Error).message).not.toMatch(/\n/);
          expect((err as Error).message.length).toBeGreaterThan(10);
        }
      }),
      { numRuns: 400, seed: SEED },
    );
  });

  it('the real CLI renders (exit status 0, quiet stderr) or exits 2 with one line; never a stack trace', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'mandel-par-props-'));
    // Sizes fixed and small so that every accepted list renders in a moment; the rest is random.
    const names = NAMES.filter((n) => !['--width', '--height', '--max-iter', '--aa', '--max-memory'].includes(n));
    await fc.assert(
      fc.asyncProperty(argLists(names), async (argv) => {
        const run = await runMain(['--width', '12', '--height', '8', '--max-iter', '40', ...argv], { cwd });
        expect(run.signal).toBeNull();
        expect([0, 2]).toContain(run.status);
        if (run.status !== 0) expect(run.stderr).toMatch(/^mandel-par: [^\n]+\n$/);
        else {
          // What a successful run may say: where the file went (not with --quiet) and --stats; nothing else.
          const wrote = argv.includes('-o') && !argv.includes('--quiet') ? 'mandel-par: wrote .*\\n' : '';
          const stats = argv.includes('--stats') ? 'render: .*\\n(encode and write: .*\\n)?total: .*\\n' : '';
          expect(run.stderr).toMatch(new RegExp(`^${wrote}${stats}$`));
        }
        expect(run.stderr).not.toMatch(/^\s+at /m);
      }),
      { numRuns: 25, seed: SEED },
    );
  });
});

/** 3 / zoom as an exact decimal (40 places past the point), by BigInt arithmetic: the view's width in the API. */
function widthOfZoom(zoom: string): string {
  const [whole, fraction = ''] = zoom.split('.');
  const scaled = (3n * 10n ** BigInt(fraction.length + 40)) / BigInt(whole + fraction);
  const digits = scaled.toString().padStart(41, '0');
  return `${digits.slice(0, -40)}.${digits.slice(-40)}`;
}

describe('one view, whatever the entry point', () => {
  it('--center c --zoom z and createSpec({ view: { center: c, width: 3/z } }) draw the same f64 region', async () => {
    const decimal = (min: number, max: number, places: number) =>
      fc.double({ min, max, noNaN: true }).map((v) => v.toFixed(places));
    await fc.assert(
      fc.asyncProperty(
        decimal(-2, 1, 17),
        decimal(-1, 1, 16),
        fc.integer({ min: 1, max: 10 ** 9 }),
        fc.integer({ min: 0, max: 8 }),
        async (re, im, mantissa, places) => {
          const zoom = (mantissa / 10 ** places).toFixed(places);
          const argv = ['--out', 'png', '--width', '64', '--height', '48', `--center=${re},${im}`, '--zoom', zoom];
          const cli = resolveRenderCommand(await commandLine(argv, '0.0.0').parseAsync(), 4).spec;
          const view = { center: [re, im] as [string, string], width: widthOfZoom(zoom) };
          const api = createSpec({ width: 64, height: 48, view, output: { format: 'png' } });
          expect(cli.engine).toBe(api.engine);
          if (api.engine === 'perturb') expect(cli.view).toEqual(api.view);
          else expect(cli.region).toEqual(regionOfView(api.view as typeof view, 64, 48));
        },
      ),
      { numRuns: 3000, seed: SEED },
    );
  });
});
