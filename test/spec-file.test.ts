/** --spec FILE.json and --from IMAGE: a picture given whole renders byte for byte as its command line does. */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kfrZoom, resizedPicture } from '../dist/src/cli/render-options.js';
import { createSpec, parametersFromXmp } from '../dist/src/index.js';
import { closeSharedRenderer, runMain } from './helpers.js';

afterAll(closeSharedRenderer);

const SHALLOW = [
  '--center=-0.745,0.11',
  '--zoom',
  '100',
  '--width',
  '300',
  '--height',
  '200',
  '--palette',
  'fire',
  '--aa',
  '2',
];
const DEEP = ['--center=-0.743643887037158704752191506114774,0.131825904205311970493132056385139', '--zoom', '1e20'];
const DEEP_VIEW = [...DEEP, '--max-iter', '10000', '--width', '160', '--height', '90', '--palette', 'twilight'];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mandel-par-spec-'));
});

/** The spec an image carries, as the JSON a --spec file holds. */
async function specOf(image: string): Promise<string> {
  const { xmpAsString } = await sharp(image).metadata();
  const { software: _s, command: _c, ...spec } = parametersFromXmp(xmpAsString as string) as Record<string, unknown>;
  return JSON.stringify(spec, null, 2);
}

describe('a picture given whole', () => {
  it.each([
    ['shallow', SHALLOW],
    ['deep (perturbation)', DEEP_VIEW],
  ])('%s: --from the image and --spec its JSON give the same bytes as the command line', async (name, args) => {
    const first = join(dir, `${name}.png`);
    expect((await runMain([...args, '-o', first, '--quiet'])).stderr).toBe('');
    const again = join(dir, `${name}-from.png`);
    expect((await runMain(['--from', first, '-o', again, '--quiet'])).stderr).toBe('');
    expect((await readFile(again)).equals(await readFile(first))).toBe(true);
    const json = join(dir, `${name}.json`);
    await writeFile(json, await specOf(first));
    const fromJson = join(dir, `${name}-spec.png`);
    expect((await runMain(['--spec', json, '-o', fromJson, '--quiet'])).stderr).toBe('');
    expect((await readFile(fromJson)).equals(await readFile(first))).toBe(true);
  });

  it.each([
    [
      ['--palette', 'fire'],
      /^mandel-par: --spec, --palette: --spec gives the whole picture: leave out the options that describe it \(its size, --aa and --max-iter may be given\)\n$/,
    ],
    [['--no-shortcuts'], /^mandel-par: --spec, --no-shortcuts: --spec gives the whole picture/],
    [
      ['-o', 'x.txt'],
      /^mandel-par: --spec, --output: the picture is png, but "x\.txt" names ascii: give -o a name for png\n$/,
    ],
  ])('refuses %j beside --spec, in one line, exit 2', async (extra, message) => {
    const json = join(dir, 'shallow.json');
    await writeFile(json, await specOf(join(dir, 'shallow.png')));
    const run = await runMain(['--spec', json, ...extra]);
    expect(run.stderr).toMatch(message);
    expect(run.status).toBe(2);
  });

  it.each([
    ['shallow', SHALLOW],
    ['deep (perturbation)', DEEP_VIEW],
  ])(
    '%s: --from a preview with --width and --max-iter: the same view at that size, as the command line',
    async (name, args) => {
      // A poster of a preview (it was refused: "--from gives the whole picture").
      const preview = join(dir, `${name}.png`);
      const { width, height, colouring } = JSON.parse(await specOf(preview));
      const poster = join(dir, `${name}-poster.png`);
      const run = await runMain(['--from', preview, '--width', String(3 * width), '--max-iter', '700', '-o', poster]);
      expect(run.status).toBe(0);
      const sized = args.map((a, k) =>
        args[k - 1] === '--width' ? String(3 * width) : args[k - 1] === '--height' ? String(3 * height) : a,
      );
      const line = join(dir, `${name}-poster-line.png`);
      const same = [...sized.filter((a, k) => a !== '--max-iter' && args[k - 1] !== '--max-iter'), '--max-iter', '700'];
      expect((await runMain([...same, '--cycle', String(colouring.cycle), '-o', line, '--quiet'])).status).toBe(0);
      expect((await readFile(poster)).equals(await readFile(line))).toBe(true);
    },
  );

  it("a spec with no view draws the command line's default view at any shape (it stretched the classic region)", async () => {
    const json = join(dir, 'wide.json');
    await writeFile(json, JSON.stringify({ width: 600, height: 300, maxIter: 500, output: { format: 'png' } }));
    const fromSpec = join(dir, 'wide-spec.png');
    const line = join(dir, 'wide-line.png');
    expect((await runMain(['--spec', json, '-o', fromSpec, '--quiet'])).status).toBe(0);
    const same = ['--width', '600', '--height', '300', '--max-iter', '500', '--cycle', '64', '-o', line, '--quiet'];
    expect((await runMain(same)).status).toBe(0);
    expect((await readFile(fromSpec)).equals(await readFile(line))).toBe(true);
    expect(createSpec({ width: 600, height: 300, output: { format: 'png' } }).region).toEqual({
      xMin: -2,
      xMax: 1,
      yMin: -0.75,
      yMax: 0.75,
    });
    // The ASCII picture keeps the original program's region, whatever its size.
    expect(createSpec({ width: 80, height: 24 }).region).toEqual({ xMin: -2, xMax: 1, yMin: -1, yMax: 1 });
  });

  it("a region picture at a size of another shape keeps its pixels' shape: the y-span scales with it", () => {
    // A side rounded by one pixel (1201 x 601 from 600 x 300) re-cut the region to square pixels: y +-0.75.
    const given = createSpec({
      width: 600,
      height: 300,
      region: { xMin: -2, xMax: 1, yMin: -1, yMax: 1 },
      output: { format: 'png' },
    });
    const resized = resizedPicture(given, { width: 1201 });
    expect([resized.width, resized.height]).toEqual([1201, 601]);
    expect(resized.region?.yMax).toBeCloseTo((601 / 300) * (600 / 1201), 12);
    expect(resizedPicture(given, { width: 1200 }).region).toEqual(given.region);
  });

  it('takes a palette by name or hex list, as --palette does (it took only [r, g, b] arrays)', async () => {
    const json = join(dir, 'named.json');
    await writeFile(
      json,
      JSON.stringify({
        width: 60,
        height: 40,
        maxIter: 300,
        colouring: { palette: 'fire' },
        output: { format: 'png' },
      }),
    );
    const named = join(dir, 'named.png');
    const line = join(dir, 'named-line.png');
    expect((await runMain(['--spec', json, '-o', named, '--quiet'])).status).toBe(0);
    const same = ['--width', '60', '--height', '40', '--max-iter', '300', '--palette', 'fire', '--cycle', '64'];
    expect((await runMain([...same, '-o', line, '--quiet'])).status).toBe(0);
    expect((await readFile(named)).equals(await readFile(line))).toBe(true);
    expect(createSpec({ colouring: { palette: '#000000,#ffffff' } }).colouring.palette).toEqual([
      [0, 0, 0],
      [255, 255, 255],
    ]);
  });

  it('takes a spec with fields left out, as the API does: the rest are the defaults', async () => {
    const json = join(dir, 'small.json');
    const region = { xMin: -2, xMax: 1, yMin: -1, yMax: 1 };
    await writeFile(json, JSON.stringify({ width: 60, height: 20, region, output: { format: 'png' } }));
    const given = join(dir, 'small-spec.png');
    const line = join(dir, 'small-line.png');
    expect((await runMain(['--spec', json, '-o', given, '--quiet'])).status).toBe(0);
    expect(
      (await runMain(['--width', '60', '--height', '20', '--region=-2,1,-1,1', '-o', line, '--quiet'])).status,
    ).toBe(0);
    expect((await readFile(given)).equals(await readFile(line))).toBe(true);
  });

  it('a Kalles Fraktaler .kfr location: the view and iterations (unless --max-iter), the same bytes as the command line', async () => {
    const kfr = join(dir, 'seahorse.kfr');
    const [re, im] = DEEP[0].slice('--center='.length).split(',');
    await writeFile(
      kfr,
      `Re: ${re}\r\nIm: ${im}\r\nZoom: 1E20\r\nIterations: 10000\r\nColorMethod: 7\r\nSmooth: 1\r\n`,
    );
    const size = ['--width', '400', '--height', '300', '--quiet'];
    const fromKfr = join(dir, 'kfr.png');
    const run = await runMain(['--from', kfr, ...size, '-o', fromKfr]);
    expect(run.stderr).toBe(
      `mandel-par: warning: ${kfr}: only Re, Im, Zoom and Iterations are read; not mapped: ColorMethod, Smooth ` +
        "(colour and size are this command's options)\n",
    );
    // KF's zoom 1E20 shows a view 4e-20 high: 400 x 300 pixels, 5.333e-20 wide, mandel-par's --zoom 5.625e19.
    expect(kfrZoom('1E20', 400, 300, 1)).toBe('0.5625e20');
    const line = join(dir, 'kfr-line.png');
    expect((await runMain([DEEP[0], '--zoom', '5.625e19', '--max-iter', '10000', ...size, '-o', line])).status).toBe(0);
    expect((await readFile(fromKfr)).equals(await readFile(line))).toBe(true);
    const clash = await runMain(['--from', kfr, '--zoom', '3']);
    expect(clash.stderr).toMatch(/\nmandel-par: --from, --zoom: the \.kfr location gives the view\n$/);
    expect(clash.status).toBe(2);
    // A turned location is said so; a missing key is named (it said only "with Re, Im and Zoom").
    const turned = join(dir, 'turned.kfr');
    await writeFile(turned, `Re: ${re}\r\nIm: ${im}\r\nZoom: 1E20\r\nRotate: 30\r\n`);
    const turnedRun = await runMain(['--from', turned, ...size, '-o', join(dir, 'turned.png')]);
    expect(turnedRun.stderr).toContain('; its Rotate 30 is not applied: the picture comes out unturned\n');
    const partial = join(dir, 'partial.kfr');
    await writeFile(partial, `Re: ${re}\r\nZoom: 1E20\r\n`);
    const partialRun = await runMain(['--from', partial, ...size, '-o', join(dir, 'partial.png')]);
    expect(partialRun.stderr).toMatch(/with Re, Im and Zoom \(this one has no Im\)/);
    expect(partialRun.status).toBe(2);
    // --max-iter raises (or lowers) the location's iterations, as Kalles Fraktaler users do (it was refused).
    const raised = join(dir, 'kfr-raised.png');
    expect((await runMain(['--from', kfr, ...size, '--max-iter', '20000', '-o', raised])).status).toBe(0);
    const raisedLine = join(dir, 'kfr-raised-line.png');
    const same = [DEEP[0], '--zoom', '5.625e19', '--max-iter', '20000', ...size, '-o', raisedLine];
    expect((await runMain(same)).status).toBe(0);
    expect((await readFile(raised)).equals(await readFile(raisedLine))).toBe(true);
  });

  it("takes a parts folder's job.json, as --help says: its spec", async () => {
    const spec = createSpec({ width: 30, height: 12, maxIter: 300 });
    const job = join(dir, 'job.json');
    await writeFile(job, JSON.stringify({ spec, bandRows: 4, shards: 1, output: 'x.txt' }));
    const plainSpec = join(dir, 'plain-spec.json');
    await writeFile(plainSpec, JSON.stringify(spec));
    const fromJob = await runMain(['--spec', job]);
    expect(fromJob.status).toBe(0);
    expect(fromJob.stdout).toBe((await runMain(['--spec', plainSpec])).stdout);
    expect(fromJob.stdout.split('\n')).toHaveLength(13);
  });

  it('refuses what is not a spec: no file, not JSON, a wrong field, an image without parameters, both options', async () => {
    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{"width": 0}');
    const nothing = join(dir, 'null.json');
    await writeFile(nothing, 'null');
    const badRe = join(dir, 'bad-re.kfr');
    await writeFile(badRe, 'Re: abc\r\nIm: 1\r\nZoom: 1E20\r\n');
    const noIterations = join(dir, 'no-iterations.kfr');
    await writeFile(noIterations, 'Re: -0.5\r\nIm: 0\r\nZoom: 1E2\r\nIterations: 0\r\n');
    const plain = join(dir, 'plain.png');
    await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } })
      .png()
      .toFile(plain);
    const cases: [string[], RegExp][] = [
      [
        ['--spec', join(dir, 'none.json')],
        /^mandel-par: --spec: expected a JSON file of a render spec: no such file or folder \(ENOENT\)/,
      ],
      [['--spec', bad], /^mandel-par: spec\.width: expected .*, but received 0\n$/],
      // It was "unexpected failure: Cannot read properties of null", exit 1.
      [['--spec', nothing], /^mandel-par: spec: expected an object of spec fields, but received null\n$/],
      [['--from', plain], /^mandel-par: --from: expected .*: this one holds no mandel-par parameters .*plain\.png"\n$/],
      [
        ['--from', join(dir, 'none.png')],
        /^mandel-par: --from: expected a picture that mandel-par wrote \(PNG, JPEG, WebP, AVIF, TIFF\): no such file or folder \(ENOENT\)/,
      ],
      [['--spec', bad, '--from', plain], /^mandel-par: --from: expected nothing with --spec/],
      // The file's fields by their names (they were checked as --center "abc,1" and --max-iter "0").
      [
        ['--from', badRe],
        /^mandel-par: --from: expected a Kalles Fraktaler location whose Re is a decimal number \(it has "abc"\)/,
      ],
      [
        ['--from', noIterations],
        /^mandel-par: --from: .* whose Iterations is a whole number of 1 or more \(it has "0"\)/,
      ],
    ];
    for (const [args, message] of cases) {
      const run = await runMain(args);
      expect(run.stderr, args.join(' ')).toMatch(message);
      expect(run.status).toBe(2);
    }
  });
});

describe('--max-iter auto', () => {
  it.each([
    ['the seahorse at 1e20', [...DEEP, '--width', '160', '--height', '90'], 16000],
    ['seahorse valley at 200', ['--center=-0.7453,0.1127', '--zoom', '200', '--width', '300', '--height', '200'], 1000],
  ])(
    '%s: grows until the edge resolves, says so, and renders what that --max-iter renders',
    async (name, view, atLeast) => {
      const auto = join(dir, `auto-${name}.png`);
      const run = await runMain([...view, '--max-iter', 'auto', '-o', auto]);
      const chosen = Number(
        /^mandel-par: --max-iter auto: (\d+) \(tried 1000[\d, ]*; of a sample [\d.]+% inside, [\d.]+% escaped in its second half\)$/m.exec(
          run.stderr,
        )?.[1],
      );
      expect(chosen, run.stderr).toBeGreaterThanOrEqual(atLeast);
      expect(run.stderr).not.toMatch(/uniform/);
      const { xmpAsString } = await sharp(auto).metadata();
      expect((parametersFromXmp(xmpAsString as string) as { maxIter: number }).maxIter).toBe(chosen);
      const fixed = join(dir, `fixed-${name}.png`);
      expect((await runMain([...view, '--max-iter', String(chosen), '-o', fixed, '--quiet'])).status).toBe(0);
      expect((await readFile(auto)).equals(await readFile(fixed))).toBe(true);
    },
  );
});
