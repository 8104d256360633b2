/**
 * The explorer page in Debian's headless Chromium (puppeteer-core, installed by .ci/run; fails loudly without it),
 * against the server in this process: it loads and draws, the wheel zooms and the URL follows, a drag pans, keys
 * zoom, a URL at 1e30 draws exactly the server's picture of that view, and a reload keeps the view. The page's
 * own timings (first picture, a zoom step at 1e100 fully refined at 1280 x 720) are printed for the docs.
 */
import type { Browser, Page } from 'puppeteer-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Renderer } from '../dist/src/render/renderer.js';
import type { ExplorerServer } from '../dist/src/serve/server.js';
import { createExplorerServer } from '../dist/src/serve/server.js';
import { launchChromium } from './support/chromium.js';

const M41 = '-0.101096363845622161025785445738622565463805443,0.956286510809141500771096057729977435809833336';
const SEAHORSE = '-0.743643887037158704752191506114774,0.131825904205311970493132056385139';

let browser: Browser;
let renderer: Renderer;
let explorer: ExplorerServer;
let base: string;

beforeAll(async () => {
  renderer = await Renderer.create({ threads: 2 });
  explorer = createExplorerServer({ renderer, maxPixels: 4096 * 4096 });
  base = await explorer.listen(0, '127.0.0.1');
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await explorer?.close();
  await renderer?.close();
});

interface Timing {
  query: string;
  width: number;
  height: number;
  coarseMs: number | null;
  fullMs: number | null;
}
type Explorer = {
  timings: Timing[];
  firstPictureMs: number | null;
  view: { center: string[]; zoom: object };
  chosenMaxIter: number | null;
};
const state = (page: Page) =>
  page.evaluate(() => {
    const e = (window as unknown as { explorer: Explorer }).explorer;
    return { timings: e.timings, firstPictureMs: e.firstPictureMs, view: e.view, chosenMaxIter: e.chosenMaxIter };
  });

/** Waits until the page has fully refined `count` views. */
async function refined(page: Page, count: number): Promise<Timing> {
  await page.waitForFunction(
    (n: number) => (window as unknown as { explorer?: Explorer }).explorer?.timings.length === n,
    { timeout: 60_000 },
    count,
  );
  return (await state(page)).timings[count - 1];
}

/** The canvas's pixels as RGB. */
async function canvasPixels(page: Page): Promise<Buffer> {
  const rgba: number[] = await page.evaluate(() => {
    const c = document.getElementById('picture') as HTMLCanvasElement;
    return Array.from(c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? []);
  });
  return Buffer.from(rgba.filter((_, k) => k % 4 !== 3));
}

const spread = async (rgb: Buffer, width: number, height: number) =>
  Math.max(...(await sharp(rgb, { raw: { width, height, channels: 3 } }).stats()).channels.map((c) => c.stdev));

const query = (page: Page) => new URL(page.url()).searchParams;

describe('the explorer in headless Chromium', () => {
  it('loads and draws; wheel, drag and keys move the view and the URL follows; a reload keeps it', async () => {
    const page = await browser.newPage();
    await page.setViewport({ width: 640, height: 400 });
    await page.goto(base);
    await refined(page, 1);
    expect(await spread(await canvasPixels(page), 640, 400)).toBeGreaterThan(10);
    console.log(`explorer: first picture ${(await state(page)).firstPictureMs?.toFixed(0)} ms after navigation`);

    await page.mouse.move(400, 150);
    await page.mouse.wheel({ deltaY: -600 });
    await refined(page, 2);
    const zoom = Number(query(page).get('zoom'));
    expect(zoom).toBeGreaterThan(2);

    const before = query(page).get('center');
    await page.mouse.move(300, 200);
    await page.mouse.down();
    await page.mouse.move(200, 150, { steps: 5 });
    await page.mouse.up();
    await refined(page, 3);
    expect(query(page).get('center')).not.toBe(before);
    expect(Number(query(page).get('zoom'))).toBe(zoom);

    await page.keyboard.press('+');
    await refined(page, 4);
    expect(Number(query(page).get('zoom'))).toBeCloseTo(2 * zoom, 3);

    const url = page.url();
    const { view } = await state(page);
    await page.reload();
    await refined(page, 1);
    expect(page.url()).toBe(url);
    expect((await state(page)).view).toEqual(view);
    await page.close();
  }, 120_000);

  it('touch: two fingers spread apart zoom in about their midpoint, one finger pans', async () => {
    const page = await browser.newPage();
    await page.setViewport({ width: 640, height: 400, hasTouch: true });
    await page.goto(`${base}?center=-0.75,0.1&zoom=10&max-iter=500`);
    await refined(page, 1);
    const cdp = await page.createCDPSession();
    const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', points: [number, number][]) =>
      cdp.send('Input.dispatchTouchEvent', {
        type,
        touchPoints: points.map(([x, y], id) => ({ x, y, id })),
      });
    await touch('touchStart', [
      [300, 200],
      [340, 200],
    ]);
    for (const spread of [30, 50, 70, 80]) {
      await touch('touchMove', [
        [320 - spread, 200],
        [320 + spread, 200],
      ]);
    }
    await touch('touchEnd', []);
    await refined(page, 2);
    // The fingers went from 40 to 160 pixels apart: 4 times the zoom, about the canvas's centre.
    expect(Number(query(page).get('zoom'))).toBeCloseTo(40, 0);
    const [re, im] = (query(page).get('center') ?? '').split(',').map(Number);
    expect(re).toBeCloseTo(-0.75, 3);
    expect(im).toBeCloseTo(0.1, 3);
    await touch('touchStart', [[320, 200]]);
    await touch('touchMove', [[220, 200]]);
    await touch('touchEnd', []);
    await refined(page, 3);
    // 100 pixels left at zoom 40 (3/40 across 640 pixels): the centre moves right by 100 x 3/40/640.
    expect(Number((query(page).get('center') ?? '').split(',')[0]) - re).toBeCloseTo((100 * 3) / 40 / 640, 6);
    await page.close();
  }, 120_000);

  it('a URL at 1e30 draws, pixel for pixel, the picture the server renders for that view', async () => {
    const page = await browser.newPage();
    await page.setViewport({ width: 512, height: 320 });
    const view = `center=${M41}&zoom=1e30&max-iter=3000`;
    await page.goto(`${base}?${view}`);
    await refined(page, 1);
    const drawn = await canvasPixels(page);
    const png = Buffer.from(await (await fetch(`${base}render.png?${view}&width=512&height=320`)).arrayBuffer());
    const served = await sharp(png).raw().toBuffer();
    expect(await spread(drawn, 512, 320)).toBeGreaterThan(10);
    expect(drawn.equals(served)).toBe(true);
    await page.close();
  }, 120_000);

  it("a view without iterations gets the CLI's --max-iter auto, from the server, and draws its picture", async () => {
    // By depth alone the page asked for 7000 at the seahorse's 1e30, and drew it black.
    const page = await browser.newPage();
    await page.setViewport({ width: 384, height: 256 });
    const view = `center=${SEAHORSE}&zoom=1e30`;
    await page.goto(`${base}?${view}`);
    await refined(page, 1);
    const { chosenMaxIter } = await state(page);
    expect(chosenMaxIter).toBeGreaterThan(7000);
    expect(query(page).get('max-iter')).toBeNull(); // the URL keeps it auto
    // The whole view with max-iter=auto, as `mandel-par --max-iter auto` writes it: the same choice, the same pixels.
    const response = await fetch(`${base}render.png?${view}&max-iter=auto&width=384&height=256`);
    expect(Number(response.headers.get('Mandel-Par-Max-Iter'))).toBe(chosenMaxIter);
    const drawn = await canvasPixels(page);
    const served = await sharp(Buffer.from(await response.arrayBuffer()))
      .raw()
      .toBuffer();
    expect(drawn.equals(served)).toBe(true);
    expect(await spread(drawn, 384, 256)).toBeGreaterThan(10);
    await page.close();
  }, 120_000);

  it("Shading: the URL carries the choice and the page draws the server's shaded picture, pixel for pixel", async () => {
    const page = await browser.newPage();
    await page.setViewport({ width: 384, height: 256 });
    const view = `center=${M41}&zoom=1e30&max-iter=3000`;
    await page.goto(`${base}?${view}`);
    await refined(page, 1);
    const smooth = await canvasPixels(page);
    await page.select('#colour', 'blend');
    await refined(page, 2);
    expect(query(page).get('colour')).toBe('blend');
    const drawn = await canvasPixels(page);
    const png = Buffer.from(
      await (await fetch(`${base}render.png?${view}&colour=blend&width=384&height=256`)).arrayBuffer(),
    );
    expect(drawn.equals(await sharp(png).raw().toBuffer())).toBe(true);
    expect(drawn.equals(smooth)).toBe(false);
    await page.close();
  }, 120_000);

  it('times a zoom step at 1e100, 1280 x 720 (printed for the docs, not a pass mark)', async () => {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 720 });
    await page.goto(`${base}?center=${M41}&zoom=5e99&max-iter=10000`);
    const first = await refined(page, 1);
    await page.keyboard.press('+');
    const step = await refined(page, 2);
    expect(Number(query(page).get('zoom'))).toBe(1e100);
    console.log(
      `explorer: 1280 x 720 at 5e99 coarse ${first.coarseMs?.toFixed(0)} ms, full ${first.fullMs?.toFixed(0)} ms; ` +
        `zoom step to 1e100 coarse ${step.coarseMs?.toFixed(0)} ms, full ${step.fullMs?.toFixed(0)} ms`,
    );
    await page.close();
  }, 120_000);
});
