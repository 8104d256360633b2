/** The first minute with the real CLI: help, version, formats from file names, what it says, suggestions, case. */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VERSION } from '../dist/src/model/version.js';
import { closeSharedRenderer, runCli, runMain } from './helpers.js';

afterAll(closeSharedRenderer);

const golden = await readFile(new URL('./golden/classic.txt', import.meta.url), 'latin1');
const { version } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
const dir = await mkdtemp(join(tmpdir(), 'mandel-par-first-'));
const SMALL = ['--width', '30', '--height', '20', '--max-iter', '50'];
const PNG_MAGIC = '89504e470d0a1a0a';

describe('help and version', () => {
  it('start no worker thread: -v before the renderer loads, help without a pool (a render does start one)', async () => {
    const env = { MANDEL_PAR_TRACE: '1' };
    const version = await runCli(['-v'], { env });
    expect(version.stdout).toBe(`${VERSION}\n`);
    expect(version.stderr).toBe(''); // not even the renderer's modules were loaded
    const help = await runCli(['help'], { env });
    expect(help.stderr).not.toMatch(/worker:/);
    const render = await runCli(['--width', '20', '--height', '5'], { env });
    expect(render.stderr).toMatch(/worker: ready/);
  });

  it('`help` prints the help and renders nothing, even with -o', async () => {
    const path = join(dir, 'help.txt');
    const run = await runCli(['help', '-o', path]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Renders the Mandelbrot set[\s\S]*Options:[\s\S]*--threads[\s\S]*Examples:/);
    expect(run.stdout).not.toContain('*****');
    expect(run.stderr).toBe('');
    expect(existsSync(path)).toBe(false);
  });

  it.each([[['scale', 'help']], [['--width', '10', '--height', '4', 'help']]])(
    '%j prints the help and runs nothing',
    async (args) => {
      const cwd = await mkdtemp(join(tmpdir(), 'mandel-par-help-'));
      const run = await runCli(args, { cwd });
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/Options:/);
      expect(run.stdout).not.toContain('*****');
      expect(existsSync(join(cwd, 'output'))).toBe(false);
    },
  );

  it('`help scale` prints the help of scale', async () => {
    const run = await runCli(['help', 'scale']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/--schedules[\s\S]*--repeat/);
  });

  it.each([['--version'], ['-v']])('%s prints the version', async (flag) => {
    const run = await runCli([flag]);
    expect(run).toMatchObject({ status: 0, stdout: `${version}\n`, stderr: '' });
  });

  it.each([80, 120])('wraps cleanly at %i columns: no line longer, each example on one line', async (columns) => {
    for (const args of [['--help'], ['scale', '--help']]) {
      const run = await runCli(args, { env: { COLUMNS: String(columns) } });
      const lines = run.stdout.split('\n');
      expect(lines.filter((line) => line.length > columns)).toEqual([]);
      const examples = lines.slice(lines.indexOf('Examples:') + 1).filter(Boolean);
      expect(examples.length).toBeGreaterThanOrEqual(2);
      for (const line of examples) expect(line).toMatch(/^ {2}mandel-par .* # \S.*$/);
    }
  });
});

describe('the format follows the file name', () => {
  it.each([
    ['pic.png', PNG_MAGIC],
    ['pic.PNG', PNG_MAGIC],
    ['pic.txt', golden],
    ['pic', golden],
  ])('-o %s', async (name, expected) => {
    const path = join(dir, name);
    const run = await runMain(['-o', path, ...(expected === golden ? [] : SMALL)]);
    expect(run.status).toBe(0);
    const bytes = await readFile(path);
    if (expected === golden) expect(bytes.toString('latin1')).toBe(golden);
    else expect(bytes.subarray(0, 8).toString('hex')).toBe(PNG_MAGIC);
  });

  it('takes a name without an extension as the format --out gives', async () => {
    const path = join(dir, 'no-extension');
    expect((await runMain(['--out', 'png', ...SMALL, '-o', path])).status).toBe(0);
    expect((await readFile(path)).subarray(0, 8).toString('hex')).toBe(PNG_MAGIC);
  });

  it.each([
    [['--out', 'png', '-o', 'x.txt'], /^mandel-par: --out, --output: --out png, but ".*x\.txt" names a file of ascii /],
    [
      ['--out', 'ascii', '-o', 'x.png'],
      /^mandel-par: --out, --output: --out ascii, but ".*x\.png" names a file of png /,
    ],
    [['-o', 'x.bmp'], /^mandel-par: --output: ".*x\.bmp" ends in "\.bmp", which names no format mandel-par writes /],
  ])('refuses %j with one line, exit status 2, and writes nothing', async (args, message) => {
    const path = join(dir, args[args.length - 1]);
    const run = await runMain([...args.slice(0, -1), path]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.split('\n')).toHaveLength(2);
    expect(existsSync(path)).toBe(false);
  });
});

describe('"-" is standard output', () => {
  it('for ASCII (the golden picture) and PBM; refused, in one line, for a file format', async () => {
    expect((await runMain(['-o', '-'])).stdout).toBe(golden);
    expect((await runMain(['--out', 'pbm', '-o', '-', '--width', '16', '--height', '2'])).stdout).toMatch(
      /^P4\n16 2\n/,
    );
    const run = await runMain(['--out', 'png', '-o', '-']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      'mandel-par: --output: expected a file path: only ascii and pbm go to standard output ("-") (e.g. -o pic.png), but received "-"\n',
    );
  });
});

describe('output paths that are not plain files', () => {
  it('writes through a symbolic link to its target, and leaves the link', async () => {
    const { lstat, symlink, writeFile } = await import('node:fs/promises');
    const target = join(dir, 'target.txt');
    const link = join(dir, 'link.txt');
    await writeFile(target, 'old');
    await symlink(target, link);
    const run = await runMain(['-o', link, '--quiet']);
    expect(run.status).toBe(0);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readFile(target, 'latin1')).toBe(golden);
  });

  it('writes into a device in place: /dev/null stays a device (an atomic rename would replace it, as root)', async () => {
    const { stat } = await import('node:fs/promises');
    const run = await runMain(['-o', '/dev/null', '--quiet']);
    expect(run.status).toBe(0);
    expect((await stat('/dev/null')).isCharacterDevice()).toBe(true);
  });
});

describe('what it says on stderr', () => {
  it('one line after writing a file: path, size, pixels, time', async () => {
    const path = join(dir, 'said.png');
    const run = await runMain(['-o', path, ...SMALL]);
    const { size } = await import('node:fs/promises').then((fs) => fs.stat(path));
    expect(size).toBeGreaterThan(100);
    expect(run.stderr).toMatch(
      new RegExp(
        `^mandel-par: wrote ${path.replace(/[.]/g, '\\.')} \\([\\d.]+ K?B, 30 x 20 pixels, \\d+\\.\\d\\d s\\)\\n$`,
      ),
    );
  });

  it('nothing after writing to standard output, or with --quiet', async () => {
    expect((await runMain(SMALL)).stderr).toBe('');
    expect((await runMain(['-o', join(dir, 'quiet.txt'), '--quiet'])).stderr).toBe('');
  });

  it('--quiet --stats: the statistics, and nothing else', async () => {
    const run = await runMain(['-o', join(dir, 'stats.txt'), '--quiet', '--stats']);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(
      /^render: .* wall, 13 tasks on \d threads?; worker time: .*\ninside: [\d.]+% of 7000 samples reached --max-iter 100000\ntotal: \d+\.\d\d s, \d+\.\d\d s since the process started\n$/,
    );
  });

  it('--stats on a deep view: also the reference orbit, its time and points, and where the iterations went', async () => {
    // c = i never escapes: its orbit runs to maxIter.
    const args = ['--center', '0,1', '--zoom', '1e40', '--max-iter', '3000', '--width', '40', '--height', '20'];
    const run = await runMain([...args, '-o', join(dir, 'deep.txt'), '--quiet', '--stats']);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/\nreference orbit: \d+\.\d\d s of the render's wall time \(3001 points\)\n/);
    // Every sample but the one at i escapes: each pays its steps, most of them in BLA runs.
    const amount = String.raw`[\d.]+(?: [kMG])?`;
    const line = String.raw`\niterations: ${amount}, ([\d.]+)% of them in ${amount} BLA runs, ${amount} stepped;`;
    const slow = ` samples recomputed: ${amount} in double-double, ${amount} in BigInt; proven inside: ${amount}, on the real axis: ${amount}`;
    const work = new RegExp(`${line}${slow}\\ninside: [\\d.]+% of 800 samples reached --max-iter 3000\\ntotal: `).exec(
      run.stderr,
    );
    expect(work, run.stderr).not.toBeNull();
    expect(Number(work?.[1])).toBeGreaterThan(50);
    // A PNG's colour cycle is chosen from a sample first, which computes the reference the render then reuses.
    const png = await runMain([...args, '-o', join(dir, 'deep.png'), '--quiet', '--stats']);
    expect(png.stderr).toMatch(
      /\nreference orbit: \d+\.\d\d s before the render, for a sample of it \(3001 points\)\n/,
    );
  });
});

describe('mistakes', () => {
  it.each([
    [['--widht', '800'], 'Unknown argument: widht (did you mean --width?)'],
    [['--treads', '4'], 'Unknown argument: treads (did you mean --threads?)'],
    [['--max-iters', '10'], 'Unknown argument: max-iters (did you mean --max-iter?)'],
    [['hepl'], 'Unknown argument: hepl (did you mean help?)'],
    [['sacle'], 'Unknown argument: sacle (did you mean scale?)'],
  ])('%j: a suggestion', async (args, message) => {
    const run = await runMain(args);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`mandel-par: ${message}; run mandel-par --help to see the accepted options\n`);
  });

  it('no suggestion when nothing is close', async () => {
    const run = await runMain(['--frobnicate']);
    expect(run.stderr).toBe(
      'mandel-par: Unknown argument: frobnicate; run mandel-par --help to see the accepted options\n',
    );
  });

  it('names are accepted in any case: --out PNG, --palette Fire, --engine WASM give the same bytes', async () => {
    const lower = join(dir, 'lower.png');
    const upper = join(dir, 'upper.png');
    await runMain(['--out', 'png', '--palette', 'fire', '--engine', 'wasm', '-o', lower, ...SMALL]);
    const run = await runMain(['--out', 'PNG', '--palette', 'Fire', '--engine', 'WASM', '-o', upper, ...SMALL]);
    expect(run.status).toBe(0);
    expect((await readFile(upper)).equals(await readFile(lower))).toBe(true);
  });
});

describe('the precision guard', () => {
  const seahorse = '--center=-0.743643887037151,0.131825904205330';
  const SEAHORSE_33 = '--center=-0.743643887037158704752191506114774,0.131825904205311970493132056385139';

  it('warns at magnification 1e14 when the direct kernel is forced, in one line, and still renders', async () => {
    const run = await runMain([seahorse, '--zoom', '1e14', '--max-iter', '500', '--engine', 'wasm-simd']);
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n')).toHaveLength(51);
    // ... and the flat picture it warned of is said to be uniform.
    expect(run.stderr).toMatch(
      /^mandel-par: warning: at magnification 1e14 f64 can no longer tell neighbouring pixels apart \(here it can up to about [\d.]+e13\): .*zoom out to [\d.]+e13 or less, or render fewer pixels\nmandel-par: warning: the picture is uniform: [^\n]*\n$/,
    );
  });

  it('says nothing at 1e9', async () => {
    const run = await runMain([SEAHORSE_33, '--zoom', '1e9', '--max-iter', '2000']);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/\*/); // the set's edge is in the picture
    expect(run.stdout).toMatch(/-/);
  });

  it('says when a picture came out uniform, and why it may have (the README first had such an example)', async () => {
    const run = await runMain([seahorse, '--zoom', '1e20', '--max-iter', '4000']);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`${'-'.repeat(140)}\n`.repeat(50));
    expect(run.stderr).toBe(
      'mandel-par: warning: the picture is uniform: every sample escaped: the view misses the set; the centre has ' +
        `${seahorse.split(',')[0].split('.')[1].length} decimals, and a view this narrow needs about 20\n`,
    );
    const inside = await runMain([seahorse, '--zoom', '1e9', '--max-iter', '500']);
    expect(inside.stderr).toBe(
      'mandel-par: warning: the picture is uniform: every sample reached --max-iter 500: the view is inside the set, ' +
        'or 500 iterations are too few to see its edge (--max-iter auto looks for enough)\n',
    );
  });
});
