/**
 * The pyramid viewer in a real browser: Debian's headless Chromium, driven by puppeteer-core (installed by .ci/run;
 * this test fails, loudly, without it). The page must load tiles, draw a canvas that is not blank, and load deeper
 * tiles when zoomed in: from disk (file://) for Deep Zoom, and from a static web server for IIIF.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';
import { launchChromium } from './support/chromium.js';

const VIEW = ['--width', '2400', '--height', '1600', '--max-iter', '200', '--quiet'];

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/** Counts the tiles the viewer draws, by pyramid level, from OpenSeadragon's own events. */
async function watchTiles(page: Page): Promise<void> {
  await page.waitForFunction(() => (window as unknown as { viewer?: unknown }).viewer !== undefined);
  await page.evaluate(() => {
    const w = window as unknown as {
      viewer: { addHandler(e: string, f: (ev: { tile: { level: number } }) => void): void };
      levels: number[];
    };
    w.levels = [];
    w.viewer.addHandler('tile-loaded', (ev) => w.levels.push(ev.tile.level));
  });
}

const levels = (page: Page) => page.evaluate(() => (window as unknown as { levels: number[] }).levels);

/** The spread of grey levels over a screenshot: 0 for a blank page. */
async function spread(page: Page): Promise<number> {
  const stats = await sharp(await page.screenshot()).stats();
  return Math.max(...stats.channels.map((c) => c.stdev));
}

/** Loads tiles, draws something, zooms in and loads deeper tiles. */
async function exercise(page: Page, url: string): Promise<void> {
  await page.setViewport({ width: 800, height: 600 });
  await page.goto(url);
  await watchTiles(page);
  await page.waitForFunction(() => (window as unknown as { levels: number[] }).levels.length > 0, { timeout: 20_000 });
  await page.waitForFunction(
    () =>
      (window as unknown as { viewer: { world: { getItemAt(i: number): { getFullyLoaded(): boolean } } } }).viewer.world
        .getItemAt(0)
        ?.getFullyLoaded(),
    { timeout: 20_000 },
  );
  expect(await spread(page)).toBeGreaterThan(10);
  const before = Math.max(...(await levels(page)));
  await page.evaluate(() => {
    const v = (
      window as unknown as { viewer: { viewport: { zoomTo(z: number, p?: unknown, immediately?: boolean): void } } }
    ).viewer;
    v.viewport.zoomTo(8, undefined, true);
  });
  await page.waitForFunction(
    (level: number) => (window as unknown as { levels: number[] }).levels.some((l) => l > level),
    { timeout: 20_000 },
    before,
  );
  expect(Math.max(...(await levels(page)))).toBeGreaterThan(before);
}

describe('the pyramid viewer in headless Chromium', () => {
  it('Deep Zoom, opened from disk: tiles load, the picture is drawn, zooming loads deeper tiles', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mandel-par-viewer-'));
    expect((await runCli([...VIEW, '-o', join(dir, 'poster.dzi')])).status).toBe(0);
    const page = await browser.newPage();
    await exercise(page, pathToFileURL(join(dir, 'poster.html')).href);
    await page.close();
  }, 60_000);

  it('IIIF, from a static web server: the same', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mandel-par-viewer-'));
    expect((await runCli([...VIEW, '--out', 'iiif', '--tile-format', 'jpeg', '-o', join(dir, 'poster')])).status).toBe(
      0,
    );
    const types: Record<string, string> = { '.html': 'text/html', '.json': 'application/json', '.jpg': 'image/jpeg' };
    const requested: string[] = [];
    const server = createServer(async (req, res) => {
      const path = normalize(join(dir, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
      requested.push(path);
      const body = path.startsWith(dir) ? await readFile(path).catch(() => undefined) : undefined;
      res.writeHead(body ? 200 : 404, { 'content-type': types[extname(path)] ?? 'application/octet-stream' });
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const page = await browser.newPage();
      await exercise(page, `http://127.0.0.1:${port}/poster.html`);
      await page.close();
      expect(requested.some((p) => p.endsWith('default.jpg'))).toBe(true);
    } finally {
      server.close();
    }
  }, 60_000);
});
