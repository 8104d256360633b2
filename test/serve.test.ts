/**
 * `mandel-par serve`'s HTTP API, in-process over loopback: pictures byte for byte the CLI's, rectangles pixel for
 * pixel the whole picture's, the CLI's messages as 400s, 404/405/413/431, ETags, a render stopped when its request
 * goes away, and a bounded load (64 concurrent tiles and a burst of cancelled ones). The command itself is tested
 * at the end: its first line, and a clean stop on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Renderer } from '../dist/src/render/renderer.js';
import type { ExplorerServer } from '../dist/src/serve/server.js';
import { createExplorerServer } from '../dist/src/serve/server.js';
import { CLI, runCli } from './helpers.js';

const SEA = '-0.743643887037158704752191506114774,0.131825904205311970493132056385139';
/** Near the Misiurewicz point M(4,1) (bench/README.md), to 45 digits: at 1e30 every sample escapes, in 60-3000 steps. */
const M41 = '-0.101096363845622161025785445738622565463805443,0.956286510809141500771096057729977435809833336';
/** A deep view (perturbation) and a shallow one (the direct kernel), as query and as CLI options. */
const DEEP = { center: M41, zoom: '1e30', 'max-iter': '3000', width: '160', height: '90' };
const SHALLOW = { center: '-0.745,0.11', zoom: '100', 'max-iter': '500', width: '200', height: '120', palette: 'fire' };

let renderer: Renderer;
let explorer: ExplorerServer;
let base: string;

beforeAll(async () => {
  renderer = await Renderer.create({ threads: 2 });
  explorer = createExplorerServer({ renderer, maxPixels: 1_000_000 });
  base = await explorer.listen(0, '127.0.0.1');
});

afterAll(async () => {
  await explorer?.close();
  await renderer?.close();
});

const query = (params: Record<string, string>) => new URLSearchParams(params).toString();
const get = (path: string, init?: RequestInit) => fetch(new URL(path, base), init);
const bytes = async (response: Response) => Buffer.from(await response.arrayBuffer());

/** The CLI's file for the same options. */
async function cliPicture(params: Record<string, string>, extension: string): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'mandel-par-serve-'));
  const file = join(dir, `picture.${extension}`);
  const options = Object.entries(params).map(([name, value]) => `--${name}=${value}`);
  const run = await runCli([...options, '--quiet', '-o', file]);
  expect(run.stderr).toBe('');
  return readFile(file);
}

describe('pictures', () => {
  it.each([
    ['deep', 'png', DEEP],
    ['shallow', 'png', SHALLOW],
    ['shallow', 'webp', SHALLOW],
  ])('the %s view as .%s: the bytes the CLI writes', async (_, extension, params) => {
    const response = await get(`/render.${extension}?${query(params)}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(`image/${extension}`);
    expect((await bytes(response)).equals(await cliPicture(params, extension))).toBe(true);
  });

  it('/render.tif is /render.tiff, as -o x.tif is -o x.tiff', async () => {
    const params = { ...SHALLOW, width: '48', height: '32' };
    const [tif, tiff] = await Promise.all([get(`/render.tif?${query(params)}`), get(`/render.tiff?${query(params)}`)]);
    expect(tif.status).toBe(200);
    expect(tif.headers.get('content-type')).toBe('image/tiff');
    expect((await bytes(tif)).equals(await bytes(tiff))).toBe(true);
  });

  it('a switch given bare (?distance) is read as --distance is: refused for a picture for what it is', async () => {
    // It was "distance: expected no value (it is a switch) ... but received """.
    const response = await get('/render.png?width=40&height=20&distance');
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/^distance: apply to NumPy data only/);
  });

  it('/render.txt: the CLI ASCII picture', async () => {
    const params = { width: '60', height: '20', 'max-iter': '1000' };
    const response = await get(`/render.txt?${query(params)}`);
    const cli = await runCli([...Object.entries(params).flatMap(([n, v]) => [`--${n}`, v])]);
    expect(await response.text()).toBe(cli.stdout);
  });

  it("max-iter=auto for a rectangle: the whole view's choice, said in a header, and its pixels there", async () => {
    // (It was refused: the explorer asked for iterations by depth alone, 7000 at 1e30, and drew the seahorse black.)
    const params = { ...DEEP, 'max-iter': 'auto' };
    const wholeResponse = await get(`/render.png?${query(params)}`);
    const chosen = wholeResponse.headers.get('mandel-par-max-iter');
    expect(Number(chosen)).toBeGreaterThan(0);
    const whole = await sharp(await bytes(wholeResponse))
      .extract({ left: 40, top: 30, width: 64, height: 48 })
      .raw()
      .toBuffer();
    const response = await get(`/render.png?${query({ ...params, rect: '40,30,64,48' })}`);
    expect(response.headers.get('mandel-par-max-iter')).toBe(chosen);
    expect(
      (
        await sharp(await bytes(response))
          .raw()
          .toBuffer()
      ).equals(whole),
    ).toBe(true);
  });

  it.each([
    ['deep', DEEP],
    ['shallow', SHALLOW],
  ] as const)('a rectangle of the %s view: the whole picture pixels there', async (_, params) => {
    const whole = await sharp(await bytes(await get(`/render.png?${query(params)}`)))
      .extract({ left: 40, top: 30, width: 64, height: 48 })
      .raw()
      .toBuffer();
    const response = await get(`/render.png?${query({ ...params, rect: '40,30,64,48' })}`);
    expect(response.status).toBe(200);
    const { data, info } = await sharp(await bytes(response))
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([64, 48]);
    expect(data.equals(whole)).toBe(true);
  });

  it('the cycle chosen for a view (auto) is one for its whole picture and every rectangle, said in a header', async () => {
    const noisy = { center: SEA, zoom: '1e30', 'max-iter': '64000', width: '160', height: '90' };
    const whole = await get(`/render.png?${query(noisy)}`);
    const cycle = whole.headers.get('mandel-par-cycle');
    expect(Number(cycle)).toBeGreaterThanOrEqual(1024);
    for (const rect of ['0,0,80,45', '80,45,80,45']) {
      const part = await get(`/render.png?${query({ ...noisy, rect })}`);
      expect(part.headers.get('mandel-par-cycle')).toBe(cycle);
    }
    const given = await get(`/render.png?${query({ ...noisy, cycle: '64', rect: '0,0,8,8' })}`);
    expect(given.headers.get('mandel-par-cycle')).toBe('64');
  });

  it('an answer is tagged: the same request with If-None-Match is 304, without a render', async () => {
    const path = `/render.png?${query({ ...SHALLOW, width: '64', height: '40' })}`;
    const first = await get(path);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^".+"$/);
    const rendered = explorer.status().rendered;
    const again = await get(path, { headers: { 'If-None-Match': etag ?? '' } });
    expect(again.status).toBe(304);
    // In a list, or weak: the same picture.
    const listed = await get(path, { headers: { 'If-None-Match': `"other", W/${etag}` } });
    expect(listed.status).toBe(304);
    const cached = await get(path);
    expect((await bytes(cached)).equals(await bytes(first))).toBe(true);
    expect(explorer.status().rendered).toBe(rendered);
  });
});

describe('refusals', () => {
  it.each([
    [
      'max-iter=abc',
      400,
      'max-iter: expected a whole number from 1 to 2147483647 (e.g. --max-iter 1000), but received "abc"',
    ],
    ['maxiter=5', 400, 'unknown parameter "maxiter" (did you mean max-iter?)'],
    ['output=/etc/passwd', 400, 'unknown parameter "output"'],
    ['center=1,2&center=3,4', 400, 'center: given 2 times'],
    ['zoom=-3', 400, 'zoom: expected'],
    [
      'width=100&height=100&rect=90,0,20,20',
      400,
      'rect: expected x,y,w,h: whole numbers, w and h at least 1, inside the 100 x 100 picture',
    ],
    [
      'width=2000&height=1000',
      413,
      'width, height: 2000 x 1000 is 2000000 pixels, more than this server renders at once (1000000',
    ],
  ])('/render.png?%s: %i, saying what is wrong', async (search, status, message) => {
    const response = await get(`/render.png?${search}`);
    expect(response.status).toBe(status);
    expect(await response.text()).toContain(message);
  });

  it('a rectangle of a larger picture is within the limit: its own size counts', async () => {
    const response = await get(`/render.png?${query({ width: '4000', height: '4000', rect: '0,0,64,64' })}`);
    expect(response.status).toBe(200);
  });

  it.each([
    '/..%2f..%2fetc/passwd',
    '/../../etc/passwd',
    '/explorer.js/..%2f..%2fpackage.json',
    '/%2e%2e/package.json',
    '/nothing',
  ])('%s: 404, nothing from the disk', async (path) => {
    // Sent as typed: fetch would normalise the dots away.
    const { status, body } = await raw('GET', path);
    expect(status).toBe(404);
    expect(body).toContain('no such page');
    expect(body).not.toContain('root:');
  });

  it('a request line that is no path: 400, not a failure of the server', async () => {
    const { status, body } = await raw('GET', 'http://[');
    expect(status).toBe(400);
    expect(body).toContain('not a path this server can read');
  });

  it('POST: 405 with Allow', async () => {
    const response = await get('/', { method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });

  it('a request head past 64 KiB: 431', async () => {
    const { status } = await raw('GET', `/render.png?center=${'1'.repeat(70_000)},0`);
    expect(status).toBe(431);
  });

  it('the page and its scripts are served', async () => {
    for (const [path, type] of [
      ['/', 'text/html'],
      ['/explorer.js', 'text/javascript'],
      ['/view.js', 'text/javascript'],
      ['/explorer.css', 'text/css'],
    ]) {
      const response = await get(path);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain(type);
    }
  });
});

/** A request sent with its path exactly as given. */
function raw(method: string, path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method, path }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const until = async (check: () => boolean, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return check();
};

describe('work follows the requests', () => {
  it('a request that goes away stops its render; the server goes on', async () => {
    const before = explorer.status().cancelled;
    const controller = new AbortController();
    const slow = { center: SEA, zoom: '1e30', 'max-iter': '100000', width: '640', height: '360' };
    const pending = get(`/render.png?${query(slow)}`, { signal: controller.signal }).catch((err: Error) => err);
    expect(await until(() => explorer.status().rendering === 1)).toBe(true);
    controller.abort();
    expect(await pending).toBeInstanceOf(Error);
    expect(await until(() => explorer.status().cancelled === before + 1 && explorer.status().rendering === 0)).toBe(
      true,
    );
    expect((await get(`/render.png?${query(SHALLOW)}`)).status).toBe(200);
  });

  it('64 tiles at once and 32 given up: each answered or cancelled, memory bounded, nothing left running', async () => {
    const view = { center: SEA, zoom: '1e30', 'max-iter': '2000', width: '2048', height: '1024' };
    const tiles = Array.from({ length: 64 }, (_, k) => `${(k % 8) * 256},${Math.floor(k / 8) * 128},256,128`);
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const watch = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    }, 10);
    const given = new AbortController();
    const answered = tiles.map((rect) => get(`/render.png?${query({ ...view, rect })}`).then((r) => r.status));
    const dropped = tiles
      .slice(0, 32)
      .map((rect) =>
        get(`/render.png?${query({ ...view, 'max-iter': '2001', rect })}`, { signal: given.signal }).catch(() => 0),
      );
    setTimeout(() => given.abort(), 50);
    const statuses = await Promise.all(answered);
    await Promise.all(dropped);
    clearInterval(watch);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(await until(() => explorer.status().rendering === 0 && explorer.status().waiting === 0)).toBe(true);
    // 64 tiles of 256 x 128 are 6 MB of pixels: a leak of pictures would pass this.
    expect(rssPeak - rssBefore).toBeLessThan(400 * 1024 * 1024);
  });
});

describe('mandel-par serve', () => {
  it('says where it listens first, serves, and stops cleanly on SIGTERM (exit 0)', async () => {
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--threads', '1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(await until(() => stderr.includes('\n'))).toBe(true);
    const [first] = stderr.split('\n');
    expect(first).toMatch(/^mandel-par: serving http:\/\/127\.0\.0\.1:\d+\/$/);
    const address = first.replace('mandel-par: serving ', '');
    expect((await fetch(new URL(`render.png?${query(SHALLOW)}`, address))).status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toContain('mandel-par: stopped by SIGTERM');
  });

  it('a port in use, or out of range: exit 2 with a message', async () => {
    const { port } = new URL(base);
    const busy = await runCli(['serve', '--port', port]);
    expect(busy.status).toBe(2);
    expect(busy.stderr).toContain(`--host, --port: cannot listen on "127.0.0.1:${port}": port ${port} is in use`);
    const range = await runCli(['serve', '--port', '70000']);
    expect(range.status).toBe(2);
    expect(range.stderr).toContain('--port: expected a whole number from 0 to 65535');
    // An empty host listened on every address ("serving http://[::]:8723/"), where the default is this machine only.
    const empty = await runCli(['serve', '--host', '']);
    expect(empty.stderr).toBe(
      'mandel-par: --host: expected an address or host name (e.g. --host 127.0.0.1), but received ""\n',
    );
    expect(empty.status).toBe(2);
  });
});
