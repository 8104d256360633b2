/** PNG output end to end: the real CLI, real worker threads, sharp, files decoded back to pixels. */
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { escapeOf } from '../dist/src/engines/js.js';
import { createSpec, estimateMemory, PALETTES, parametersFromXmp, planBands, specFromJson } from '../dist/src/index.js';
import { paletteTable, smoothIteration, TABLE_SIZE, tableIndex } from '../dist/src/model/colouring.js';
import { paletteFrom } from '../dist/src/model/palettes.js';
import { viewAround } from '../dist/src/plane/viewport.js';
import { closeSharedRenderer, runMain } from './helpers.js';

afterAll(closeSharedRenderer);

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'mandel-par-png-'));
}

/** Renders through the CLI into a fresh folder; returns the path and the decoded RGB pixels. */
async function renderPng(args: string[]): Promise<{ path: string; pixels: Buffer; width: number; height: number }> {
  const path = join(await tempDir(), 'pic.png');
  const run = await runMain(['--out', 'png', ...args, '-o', path]);
  expect(run.stderr).toMatch(/^mandel-par: wrote .* pixels, [\d.]+ s\)\n$/);
  expect(run.status).toBe(0);
  const { data, info } = await sharp(path).raw().toBuffer({ resolveWithObject: true });
  expect(info.channels).toBe(3);
  return { path, pixels: data, width: info.width, height: info.height };
}

const SMALL = [
  '--width',
  '120',
  '--height',
  '80',
  '--max-iter',
  '300',
  '--center=-0.75,0.1',
  '--zoom',
  '8',
  '--aa',
  '2',
];

describe('decoded pixels do not depend on how the work is split', () => {
  it('are identical for --threads 1, 2, 8, --band-rows 1, 7, 64 and every engine', async () => {
    const reference = await renderPng([...SMALL, '--threads', '1', '--band-rows', '80']);
    expect(reference.width).toBe(120);
    expect(reference.height).toBe(80);
    const variants = [
      ['--threads', '2', '--band-rows', '1'],
      ['--threads', '2', '--band-rows', '7'],
      ['--threads', '8', '--band-rows', '7'],
      ['--threads', '8', '--band-rows', '64'],
      ['--threads', '3', '--engine', 'wasm'],
      ['--threads', '3', '--engine', 'js', '--no-shortcuts'],
    ];
    for (const variant of variants) {
      const { pixels } = await renderPng([...SMALL, ...variant]);
      expect(pixels.equals(reference.pixels), variant.join(' ')).toBe(true);
    }
  });
});

describe('smooth colouring', () => {
  it('gives the continuous count worked by hand: c = 0.5 escapes at n = 5, then three steps more', () => {
    const { count, norm } = escapeOf(0.5, 0, 100);
    expect(count).toBe(5);
    // z_5 = 3.1533355712890625 (|z| >= 2: the escape); z_6 = z_5^2 + 0.5 = 10.443525225156918, z_7 = 109.567...,
    // z_8 = 12005.475507550294: the kernels keep |z_8|^2.
    expect(norm).toBe(12005.475507550294 ** 2);
    // mu = n + 1 + 3 - log2(log2 |z_8|) = 9 - log2(13.5514...) = 5.2396294760...
    expect(smoothIteration(count, norm)).toBeCloseTo(5.239629476078015, 12);
  });

  it('colours that point from the palette table at mu / cycle (the workers compute mu in WASM)', async () => {
    // One pixel at c = 0.5 (the top-left corner of the region), grey palette, 64 iterations per cycle.
    const { pixels } = await renderPng([
      '--width',
      '1',
      '--height',
      '1',
      '--region=0.5,0.6,-0.1,0',
      '--max-iter',
      '100',
      '--palette',
      'grey',
    ]);
    const k = tableIndex(5.239629476078015, 64) * 3;
    const grey = Math.round(paletteTable(PALETTES.grey)[k]);
    expect(grey).toBe(42);
    expect([...pixels]).toEqual([grey, grey, grey]);
  });

  it('is continuous where the count steps: |z| = 2^8 three steps past escape n equals 2^16 past n + 1', () => {
    expect(smoothIteration(7, 2 ** 16)).toBeCloseTo(8, 12);
    expect(smoothIteration(8, 2 ** 32)).toBeCloseTo(8, 12);
  });

  it('maps positions in the cycle onto the palette table, wrapping around', () => {
    expect(tableIndex(0, 64)).toBe(0);
    expect(tableIndex(32, 64)).toBe(TABLE_SIZE / 2);
    expect(tableIndex(64 + 16, 64)).toBe(TABLE_SIZE / 4);
    const table = paletteTable(paletteFrom('#000000,#ff0000') ?? []);
    expect(Array.from(table.subarray(0, 3))).toEqual([0, 0, 0]);
    expect(Array.from(table.subarray((TABLE_SIZE / 2) * 3, (TABLE_SIZE / 2) * 3 + 3))).toEqual([255, 0, 0]);
  });

  it('leaves no flat bands: along a line through the halo, colours change where escape counts do not', async () => {
    // A thin strip outside the set, left of the main cardioid: counts rise slowly from left to right.
    const args = ['--width', '400', '--height', '2', '--region=-2.2,-1.45,0.2,0.21', '--max-iter', '200'];
    const { pixels } = await renderPng([...args, '--palette', 'grey', '--cycle', '16']);
    const line = Array.from({ length: 400 }, (_, x) => pixels.readUIntBE(x * 3, 3));
    const counts = Array.from({ length: 400 }, (_, x) => escapeOf(-2.2 + x * (0.75 / 400), 0.21, 200).count);
    const distinctCounts = new Set(counts).size;
    const distinctColours = new Set(line).size;
    expect(distinctCounts).toBeLessThan(20);
    expect(distinctColours).toBeGreaterThan(5 * distinctCounts);
  });
});

describe('seamless smooth colour', () => {
  it('in the halo, mu jumps no more where the count changes than where it does not', async () => {
    // Above the set (|Im c| >= 1.3): all halo, counts 2 to 9. NumPy output carries the kernels' mu per pixel.
    const path = join(await tempDir(), 'halo.npy');
    const width = 800;
    const height = 100;
    const run = await runMain([
      '--region=-2.5,1.5,1.3,2.0',
      '--width',
      '800',
      '--height',
      '100',
      '-o',
      path,
      '--quiet',
    ]);
    expect(run.status).toBe(0);
    const file = await readFile(path);
    const data = file.subarray(10 + file.readUInt16LE(8));
    expect(data.length).toBe(width * height * 8);
    let across = 0;
    let within = 0;
    let pairsAcross = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x + 1 < width; x++) {
        const p = (y * width + x) * 8;
        const q = p + 8;
        const jump = Math.abs(data.readFloatLE(p + 4) - data.readFloatLE(q + 4));
        if (data.readInt32LE(p) !== data.readInt32LE(q)) {
          across = Math.max(across, jump);
          pairsAcross++;
        } else within = Math.max(within, jump);
      }
    }
    expect(pairsAcross).toBeGreaterThan(150);
    // With the escape radius 2 the largest jump across a count change was 0.431 here, 90x the largest within a count
    // (0.0048); continued three steps past the escape, 0.0052 against 0.0073.
    expect(across).toBeLessThanOrEqual(within);
    expect(within).toBeLessThan(0.01);
  });
});

describe('colours', () => {
  it('paints the set in the --inside colour', async () => {
    const { pixels } = await renderPng([
      '--width',
      '9',
      '--height',
      '9',
      '--region=-0.3,0.15,-0.2,0.25',
      '--inside',
      '#12ab9f',
    ]);
    expect([...pixels.subarray(4 * 27 + 12, 4 * 27 + 15)]).toEqual([0x12, 0xab, 0x9f]); // pixel (4, 4): c = -0.1 + 0.05i
  });

  it.each(Object.keys(PALETTES))('renders with the %s palette', async (name) => {
    const { pixels } = await renderPng(['--width', '30', '--height', '20', '--max-iter', '100', '--palette', name]);
    expect(pixels.length).toBe(30 * 20 * 3);
  });

  it('takes a palette given as hex colours, and the palette changes the picture', async () => {
    const base = ['--width', '40', '--height', '30', '--max-iter', '100'];
    const custom = await renderPng([...base, '--palette', '#000000,#ff8800,#ffffff']);
    const classic = await renderPng(base);
    expect(custom.pixels.equals(classic.pixels)).toBe(false);
  });
});

describe('the PNG records how to make it again', () => {
  it('embeds the parameters and a command that reproduces the same pixels', async () => {
    const first = await renderPng([...SMALL, '--palette', 'ocean', '--cycle', '40']);
    const { xmpAsString } = await sharp(first.path).metadata();
    const parameters = parametersFromXmp(xmpAsString ?? '') as Record<string, unknown>;
    expect(parameters).toMatchObject({
      width: 120,
      height: 80,
      maxIter: 300,
      aa: 2,
      software: expect.stringMatching(/^mandel-par /),
    });
    // The spec itself, which renders the same picture through the API.
    const { software: _, command: __, ...spec } = parameters;
    expect(specFromJson(JSON.stringify(spec))).toMatchObject({
      width: 120,
      height: 80,
      aa: 2,
      colouring: { cycle: 40 },
    });
    const command = parameters.command as string;
    expect(command).toMatch(/^mandel-par --out png /);
    // Split like a shell would: the palette and inside colour are quoted.
    const args = [...command.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]).slice(1);
    const again = await renderPng(args.filter((a, k) => !(a === '--out' || args[k - 1] === '--out')));
    expect(again.pixels.equals(first.pixels)).toBe(true);
  });

  it('writes to output/mandel-WxH.png by default, creating the folder, leaving no temporary file', async () => {
    const cwd = await tempDir();
    const run = await runMain(['--out', 'png', '--width', '30', '--height', '20', '--max-iter', '50'], { cwd });
    expect(run.status).toBe(0);
    expect(await readdir(join(cwd, 'output'))).toEqual(['mandel-30x20.png']);
    const meta = await sharp(join(cwd, 'output', 'mandel-30x20.png')).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 30, 20]);
  });
});

describe('viewAround', () => {
  it.each([
    [[-0.5, 0], 3, 3000, 2000, 1, { xMin: -2, xMax: 1, yMin: -1, yMax: 1 }],
    [[0, 0], 2, 100, 100, 1, { xMin: -1, xMax: 1, yMin: -1, yMax: 1 }],
    [[1, 2], 4, 200, 100, 1, { xMin: -1, xMax: 3, yMin: 1, yMax: 3 }],
    [[0, 0], 2, 100, 50, 2, { xMin: -1, xMax: 1, yMin: -1, yMax: 1 }],
  ] as const)('centre %j, width %f, %i x %i, pixel aspect %f', (center, scale, w, h, aspect, region) => {
    expect(viewAround(center, scale, w, h, aspect)).toEqual(region);
  });
});

describe('bad PNG options', () => {
  it.each([
    [['--aa', '0'], /^mandel-par: --aa: expected a whole number from 1 to 16 \(e\.g\. --aa 3\), but received "0"\n$/],
    [
      ['--palette', 'rainbow'],
      /^mandel-par: --palette: expected one of classic, fire, ocean, twilight, grey, or two or more hex colours .*received "rainbow"\n$/,
    ],
    [['--palette', '#12345,#ffffff'], /^mandel-par: --palette: .*received "#12345,#ffffff"\n$/],
    [['--inside', 'black'], /^mandel-par: --inside: expected a hex colour, #rrggbb or #rgb .*received "black"\n$/],
    [['--zoom', '0'], /^mandel-par: --zoom: expected a positive number \(e\.g\. --zoom 100\), but received "0"\n$/],
    [['--center', '1'], /^mandel-par: --center: expected two decimal numbers re,im .*received "1"\n$/],
    [['--center', '1,2,3'], /^mandel-par: --center: .*received "1,2,3"\n$/],
    [['--cycle', '-5'], /^mandel-par: --cycle: expected a positive number, or auto .*received "-5"\n$/],
    [['--compression', '10'], /^mandel-par: --compression: expected a whole number from 0 to 9 .*received "10"\n$/],
    [
      ['--region=-2,1,-1,1', '--zoom', '4'],
      /^mandel-par: --region, --zoom: both set the view: give --region, or --center with --zoom or --scale\n$/,
    ],
    [
      ['--zoom', '2', '--scale', '1'],
      /^mandel-par: --zoom, --scale: both set the width of the view: give one of them\n$/,
    ],
    [
      ['--max-memory', 'lots'],
      /^mandel-par: --max-memory: expected a size such as 2G, 512M or 1000000 \(bytes\).*received "lots"\n$/,
    ],
  ])('%j: one line, exit status 2, nothing written', async (args, message) => {
    const cwd = await tempDir();
    const run = await runMain(['--out', 'png', ...args], { cwd });
    expect(run.stderr).toMatch(message);
    expect(run.status).toBe(2);
    expect(await readdir(cwd)).toEqual([]);
  });

  it('refuses colour options with ASCII or PBM output, and a PNG option with JPEG', async () => {
    const run = await runMain(['--palette', 'grey', '--aa', '2']);
    expect(run.stderr).toBe(
      'mandel-par: --palette, --aa: apply to colour pictures only (png, jpeg, webp, avif, tiff, dzi, iiif), not to --out ascii\n',
    );
    expect((await runMain(['--out', 'pbm', '--cycle', '9'])).stderr).toMatch(
      /^mandel-par: --cycle: .* not to --out pbm\n$/,
    );
    expect((await runMain(['--out', 'jpeg', '--compression', '9'])).stderr).toBe(
      'mandel-par: --compression: apply to PNG and pyramids of PNG tiles only, not to --out jpeg\n',
    );
    expect(run.status).toBe(2);
  });
});

describe('memory', () => {
  it('counts every worker: each adds its own memory and its task buffers to the estimate', () => {
    const spec = createSpec({ width: 3000, height: 2000, output: { format: 'png' } });
    const plan = planBands(3000, 2000, 10);
    const [two, eight] = [2, 8].map((threads) => estimateMemory(spec, threads, plan));
    expect(two.total).toBe(two.image + two.tasks + two.runtime);
    expect(eight.runtime - two.runtime).toBe(6 * (two.runtime - estimateMemory(spec, 1, plan).runtime));
    expect(eight.tasks).toBe(4 * two.tasks);
    expect(eight.image).toBe(two.image);
  });

  it('refuses a render over --max-memory at once, saying the size, the estimate and what to do', async () => {
    const cwd = await tempDir();
    const run = await runMain(
      ['--out', 'png', '--width', '3000', '--height', '2000', '--canvas', 'memory', '--max-memory', '100M'],
      { cwd },
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /^mandel-par: a 3000 x 2000 PNG needs about [\d.]+ MB \(image 18 MB, bands in the workers [\d.]+ MB, Node and its workers [\d.]+ MB\), more than the 105 MB allowed \(--max-memory\): use a smaller --width\/--height.*raise --max-memory\n$/,
    );
    expect(await readdir(cwd)).toEqual([]);
  });

  it("counts a deep render's reference orbit and its tables, in the main thread and every worker", async () => {
    const deep = (maxIter: number) =>
      createSpec({ view: { center: ['-0.75', '0.1'], width: '3e-32' }, width: 160, height: 90, maxIter });
    const plan = planBands(160, 90, 2);
    const shallow = estimateMemory(createSpec({ width: 160, height: 90, maxIter: 1000000 }), 2, plan);
    expect(shallow.reference).toBe(0);
    const [one, two] = [estimateMemory(deep(1000000), 1, plan), estimateMemory(deep(1000000), 2, plan)];
    // A 10^6-point orbit: about 300 MB on two threads (448 MB resident measured for the whole render).
    expect(two.reference).toBeGreaterThan(250e6);
    expect(two.reference - one.reference).toBe(one.reference - estimateMemory(deep(1000000), 0, plan).reference);
    expect(estimateMemory(deep(100000), 2, plan).reference).toBeLessThan(two.reference / 9);
    const run = await runMain([
      '--center=-0.75,0.1',
      '--scale',
      '3e-32',
      '--width',
      '160',
      '--height',
      '90',
      '--max-iter',
      '1000000',
      '--out',
      'npy',
      '--max-memory',
      '200M',
    ]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/the reference orbit and its tables [\d.]+ MB\), more than .*--max-iter/);
  });

  it('refuses an image larger than one buffer can hold, with the limit and what to do', async () => {
    const run = await runMain([
      '--out',
      'png',
      '--width',
      '100000',
      '--height',
      '100000',
      '--canvas',
      'memory',
      '--max-memory',
      '100T',
    ]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /^mandel-par: a 100000 x 100000 PNG needs about 30 GB .* one buffer can hold at most .*render it in tiles with --region.*\n$/,
    );
  });
});
