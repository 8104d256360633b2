/** Argument handling: the validators in-process (every rule), then the real CLI for exit status and stderr. */
import { afterAll, describe, expect, it } from 'vitest';
import { commandLine } from '../dist/src/cli/command-line.js';
import { resolveRenderCommand } from '../dist/src/cli/render-options.js';
import { createSpec, UsageError } from '../dist/src/index.js';
import { closeSharedRenderer, runCli, runMain } from './helpers.js';

afterAll(closeSharedRenderer);

async function parse(args: string[]) {
  return resolveRenderCommand(await commandLine(args, '0.0.0').parseAsync(), 6);
}

async function usageErrorOf(args: string[]): Promise<string> {
  const error = await parse(args).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(UsageError);
  return (error as UsageError).message;
}

describe('resolveRenderCommand', () => {
  it('fills in the classic defaults, threads from the available parallelism', async () => {
    expect(await parse([])).toEqual({
      spec: createSpec(), // the classic picture (spec.test.ts spells it out)
      threads: 6,
      threadsAsked: 6,
      bandRows: undefined,
      output: undefined,
      maxMemory: undefined,
      quiet: false,
      stats: false,
      dryRun: false,
      autoIter: false,
      autoCycle: false,
      canvas: 'auto',
      resume: false,
      shard: undefined,
    });
  });

  it('--cycle: auto, the default for colour pictures; a number given is kept', async () => {
    expect((await parse(['--out', 'png'])).autoCycle).toBe(true);
    expect((await parse(['--out', 'png', '--cycle', 'AUTO'])).autoCycle).toBe(true);
    const given = await parse(['--out', 'png', '--cycle', '300']);
    expect([given.autoCycle, given.spec.colouring.cycle]).toEqual([false, 300]);
    expect((await parse(['--out', 'npy'])).autoCycle).toBe(false);
  });

  it('takes whole numbers in exponent form, as users type them', async () => {
    expect(await parse(['--max-iter', '1e6', '--width', '4e3', '--height', '2.5e3'])).toMatchObject({
      spec: { maxIter: 1_000_000, width: 4000, height: 2500 },
    });
    expect(await usageErrorOf(['--max-iter', '1.5e0'])).toBe(
      '--max-iter: expected a whole number from 1 to 2147483647 (e.g. --max-iter 1000), but received "1.5e0"',
    );
  });

  it('starts no more workers than the cores, whatever --threads asks', async () => {
    expect(await parse(['--threads', '64'])).toMatchObject({ threads: 6, threadsAsked: 64 });
    expect(await parse(['--threads', '1024'])).toMatchObject({ threads: 6, threadsAsked: 1024 });
    expect(await parse(['--threads', '5'])).toMatchObject({ threads: 5, threadsAsked: 5 });
  });

  it('reads every option', async () => {
    const args = ['--out', 'png', '--threads', '3', '--width', '80', '--height', '40', '--max-iter', '500'];
    args.push('--center=-0.75,0.1', '--zoom', '100', '--band-rows', '5', '--engine', 'js', '--no-shortcuts');
    args.push('--palette', '#000000,#ffffff', '--inside', '102030', '--cycle', '12.5', '--aa', '3');
    args.push('--compression', '9', '--max-memory', '1.5G', '--quiet', '--stats', '-o', 'pic.png');
    expect(await parse(args)).toEqual({
      spec: {
        formula: 'mandelbrot',
        region: { xMin: -0.75 - 0.015, xMax: -0.75 + 0.015, yMin: 0.1 - 0.0075, yMax: 0.1 + 0.0075 },
        width: 80,
        height: 40,
        maxIter: 500,
        engine: 'js',
        shortcuts: false,
        aa: 3,
        colouring: {
          palette: [
            [0, 0, 0],
            [255, 255, 255],
          ],
          inside: [0x10, 0x20, 0x30],
          cycle: 12.5,
        },
        output: { format: 'png', compression: 9 },
      },
      threads: 3,
      threadsAsked: 3,
      bandRows: 5,
      output: 'pic.png',
      maxMemory: 1.5 * 2 ** 30,
      quiet: true,
      stats: true,
      dryRun: false,
      autoIter: false,
      autoCycle: false,
      canvas: 'auto',
      resume: false,
      shard: undefined,
    });
    expect((await parse(['--region=-1.5,0.5,-0.25,1e-1'])).spec.region).toEqual({
      xMin: -1.5,
      xMax: 0.5,
      yMin: -0.25,
      yMax: 0.1,
    });
  });

  const wholeNumberOptions = [
    ['threads', 1024],
    ['width', 1048576],
    ['height', 1048576],
    ['max-iter', 2147483647],
    ['band-rows', 1048576],
  ] as const;
  for (const [option, max] of wholeNumberOptions) {
    it.each(['0', '-3', '2.5', 'abc', '', '1e-3', '1.5e0', '0x10', String(max + 1)])(
      `rejects --${option} %j`,
      async (value) => {
        const message = await usageErrorOf([`--${option}=${value}`]);
        expect(message).toBe(
          `--${option}: expected a whole number from 1 to ${max} (e.g. ${exampleOf(option)}), but received ${JSON.stringify(value)}`,
        );
      },
    );
  }

  it.each([
    '1,-2,-1,1', // xMin >= xMax
    '-2,1,1,1', // yMin >= yMax
    '-2,1,-1', // three numbers
    '-2,1,-1,1,0', // five
    '-2,Infinity,-1,1',
    '-2,1,NaN,1',
    '-2,1,,1',
    'a,b,c,d',
    '',
    '-1e308,1e308,-1,1', // its width Infinity: NaN colours
    '0,5e-324,0,1', // a magnification of Infinity
  ])('rejects --region=%j', async (value) => {
    expect(await usageErrorOf([`--region=${value}`])).toBe(
      '--region: expected four finite numbers xMin,xMax,yMin,yMax with xMin < xMax and yMin < yMax, each span from 1e-300 to 1e300 ' +
        `(e.g. --region=-2,1,-1,1), but received ${JSON.stringify(value)}`,
    );
  });

  it.each([
    ['out', 'bmp', 'one of ascii, pbm, npy, png, jpeg, webp, avif, tiff, dzi, iiif (e.g. --out ascii)'],
    ['engine', 'gpu', 'one of wasm-simd, wasm, js, perturb (e.g. --engine wasm-simd)'],
  ])('rejects --%s %j, listing what is accepted', async (option, value, expected) => {
    expect(await usageErrorOf([`--${option}`, value])).toBe(
      `--${option}: expected ${expected}, but received "${value}"`,
    );
  });

  it("takes CSS's short hex colours, each digit twice (#f80 is #ff8800), in --palette and --inside", async () => {
    const colouring = async (...more: string[]) => (await parse(['--out', 'png', ...more])).spec.colouring;
    const short = await colouring('--palette', '#000,f80,#FFF', '--inside', '#123');
    expect([short.palette, short.inside]).toEqual([
      [
        [0, 0, 0],
        [255, 136, 0],
        [255, 255, 255],
      ],
      [17, 34, 51],
    ]);
    const long = await colouring('--palette', '#000000,ff8800,#ffffff', '--inside', '#112233');
    expect([long.palette, long.inside]).toEqual([short.palette, short.inside]);
    await expect(parse(['--out', 'png', '--inside', '#12'])).rejects.toThrow(
      '--inside: expected a hex colour, #rrggbb or #rgb (e.g. --inside "#000000"), but received "#12"',
    );
  });

  it('rejects an option given twice instead of silently keeping one', async () => {
    expect(await usageErrorOf(['--threads', '2', '--threads', '3'])).toBe(
      '--threads: given 2 times ("2", "3"); give it once',
    );
  });

  it('rejects unknown options and stray arguments, pointing to --help', async () => {
    expect(await usageErrorOf(['--glow', 'red'])).toMatch(/^Unknown argument.*glow.*run mandel-par --help/);
    expect(await usageErrorOf(['render-now'])).toMatch(/^Unknown argument.*render-now/);
  });
});

function exampleOf(option: string): string {
  return (
    { threads: '--threads 4', width: '--width 140', height: '--height 50', 'max-iter': '--max-iter 1000' }[option] ??
    '--band-rows 4'
  );
}

describe('the CLI on bad input', () => {
  it.each([
    [['--threads', '0'], /^mandel-par: --threads: expected a whole number from 1 to 1024 .*received "0"\n$/],
    [['--width', 'wide'], /^mandel-par: --width: .*received "wide"\n$/],
    [['--height', '-5'], /^mandel-par: --height: .*received "-5"\n$/],
    [['--max-iter', '1.5'], /^mandel-par: --max-iter: .*received "1.5"\n$/],
    [['--band-rows', 'x'], /^mandel-par: --band-rows: .*received "x"\n$/],
    [['--region=0,0,0,1'], /^mandel-par: --region: .*received "0,0,0,1"\n$/],
    [['--out', 'bmp'], /^mandel-par: --out: expected one of ascii, pbm, npy, png, .*received "bmp"\n$/],
    [['--engine', 'cuda'], /^mandel-par: --engine: expected one of wasm-simd, wasm, js, perturb .*received "cuda"\n$/],
    [['--frobnicate'], /^mandel-par: Unknown argument: frobnicate; run mandel-par --help.*\n$/],
    // A pyramid's tiles take their own format's setting only (these were accepted and ignored).
    [
      ['--out', 'dzi', '--quality', '50'],
      /^mandel-par: --quality: applies to pyramids of JPEG tiles only, not to --tile-format png\n$/,
    ],
    [
      ['--out', 'iiif', '--tile-format', 'jpeg', '--compression', '5'],
      /^mandel-par: --compression: applies to pyramids of PNG tiles only, not to --tile-format jpeg\n$/,
    ],
    // It said "Not enough non-option arguments: got 0, need at least 1".
    [['assemble'], /^mandel-par: assemble: give the parts folder to assemble \(mandel-par assemble OUTPUT\.parts\)\n$/],
    // The option took the folder as its value: it said "give the parts folder".
    [
      ['assemble', '--dry-run', 'x.parts'],
      /^mandel-par: Unknown argument: dry-run: --dry-run is an option of a render, not of assemble/,
    ],
    // A word after help that is no command (it printed the general help, exit 0).
    [['help', 'bogus'], /^mandel-par: Unknown argument: bogus; run mandel-par --help.*\n$/],
    // A render's option given to find: said so, not "did you mean -h?" (one letter is one edit from any other).
    [
      ['find', '--center=-1.75,0', '--zoom', '100', '-o', 'x.png'],
      /^mandel-par: Unknown argument: o: -o is an option of a render, not of find; run mandel-par find --help.*\n$/,
    ],
  ])('%j: one line on stderr, nothing on stdout, exit status 2', async (args, message) => {
    const run = await runMain(args);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\bat .*\.js:\d+/); // no stack trace
    expect(run.stdout).toBe('');
    expect(run.status).toBe(2);
  });

  it('quotes a value of 10005 characters by its ends (a 10001-digit --center filled the terminal)', async () => {
    const run = await runMain([`--center=0.${'1'.repeat(10001)},0`]);
    expect(run.stderr).toMatch(
      /^mandel-par: --center: expected .*, but received "0\.1{88}\.\.\.1{18},0" \(10005 characters\)\n$/,
    );
    expect(run.status).toBe(2);
  });

  it('--help lists every option with an example, exit status 0', async () => {
    const run = await runCli(['--help']);
    expect(run.status).toBe(0);
    for (const option of ['--threads', '--out', '--width', '--height', '--max-iter', '--region', '--band-rows']) {
      expect(run.stdout).toContain(option);
    }
    expect(run.stdout).toMatch(/--engine[\s\S]*-o, --output[\s\S]*Examples:[\s\S]*--threads 12 --out ascii/);
  });
});
