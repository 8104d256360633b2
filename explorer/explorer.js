/**
 * The explorer page: the picture on a canvas, moved by mouse, wheel, keys and touch. A move redraws what is on
 * screen moved and scaled at once, then asks the server for the new view: a coarse picture (1/8 the size) first,
 * then 256-pixel rectangles of the full one, from the centre out, each drawn as it arrives. A newer move aborts
 * the older view's requests, which stops their renders on the server. The view lives in the URL.
 */
import {
  commandOf,
  difference,
  formatZoom,
  iterationsOf,
  pan,
  parseZoom,
  pixelSize,
  queryOf,
  videoCommandOf,
  viewFromQuery,
  zoomAt,
} from './view.js';

const TILE = 256;
const COARSE = 8;
/** A move starts its render once the moves have paused this long (a wheel turn is many events). */
const SETTLE_MS = 120;

const canvas = document.getElementById('picture');
const context = canvas.getContext('2d');
const $ = (id) => document.getElementById(id);

let view = viewFromQuery(location.search);
/** The view the canvas shows now (moved and scaled, or rendered). */
let displayed = null;
let work = null;
let settle = 0;
let width = 0;
let height = 0;
/** The cycle the picture on screen was coloured with (the server's choice when the view gives none). */
let shownCycle = null;
/**
 * The iterations the server chose for the last view refined without its own (`max-iter=auto`, as the CLI chooses
 * them), and for this view once chosen (null before).
 */
let shownMaxIter = null;
let chosenMaxIter = null;

/** For the browser test and the curious: each view's timings, and the first picture's time since navigation. */
const timings = [];
window.explorer = {
  timings,
  firstPictureMs: null,
  get view() {
    return view;
  },
  get chosenMaxIter() {
    return chosenMaxIter;
  },
};

function say(text, error = false) {
  $('state').textContent = text;
  $('state').classList.toggle('error', error);
}

function fitCanvas() {
  width = canvas.clientWidth;
  height = canvas.clientHeight;
  canvas.width = width;
  canvas.height = height;
}

/** The view with the cycle and iterations on screen, so that a command or a saved picture draws what is seen. */
const seen = () => ({ ...view, cycle: view.cycle ?? shownCycle, maxIter: view.maxIter ?? chosenMaxIter });

/** The picture's query for view `v` at `iterations` (a number, or `auto`) and `extra` (a size, a rectangle). */
const pictureUrl = (v, iterations, extra) => `render.png?${queryOf(v, { 'max-iter': iterations, ...extra })}`;

/** A picture, and the palette cycle and iterations the server rendered it with (its choices where asked). */
async function load(url, signal) {
  const response = await fetch(url, { signal });
  if (!response.ok) throw new Error((await response.text()).trim());
  const cycle = response.headers.get('Mandel-Par-Cycle');
  const maxIter = Number(response.headers.get('Mandel-Par-Max-Iter'));
  return { image: await createImageBitmap(await response.blob()), cycle, maxIter };
}

/** Redraws what the canvas showed at `from` where it lies in `to`: the instant answer to a move. */
function moveShown(from, to) {
  const copy = new OffscreenCanvas(width, height);
  copy.getContext('2d').drawImage(canvas, 0, 0);
  const scale = (to.zoom.m / from.zoom.m) * 10 ** (to.zoom.e - from.zoom.e);
  const step = pixelSize(to.zoom, width);
  const dx = difference(from.center[0], to.center[0], to.zoom.e) / step;
  const dy = -difference(from.center[1], to.center[1], to.zoom.e) / step;
  context.fillStyle = '#000';
  context.fillRect(0, 0, width, height);
  if (scale < 1e-4 || scale > 1e4 || Math.abs(dx) > 1e5 || Math.abs(dy) > 1e5) return;
  const w = width * scale;
  const h = height * scale;
  context.drawImage(copy, width / 2 + dx - w / 2, height / 2 + dy - h / 2, w, h);
}

function describe() {
  const iterations = view.maxIter ?? (chosenMaxIter === null ? 'auto' : `${chosenMaxIter} (auto)`);
  $('where').textContent = `centre ${view.center.join(', ')}  zoom ${formatZoom(view.zoom)}  iterations ${iterations}`;
  $('iterations').placeholder = chosenMaxIter === null ? 'auto' : `auto: ${chosenMaxIter}`;
  const w = Number($('save-width').value) || width;
  const h = Number($('save-height').value) || height;
  const shown = seen();
  $('save').href = pictureUrl(shown, shown.maxIter ?? 'auto', { width: w, height: h });
}

/** Renders the current view: coarse, then rectangles from the centre out. */
async function refine() {
  work?.abort();
  const controller = new AbortController();
  work = controller;
  const { signal } = controller;
  const target = view;
  const started = performance.now();
  const record = { query: queryOf(target), width, height, coarseMs: null, fullMs: null };
  try {
    const cw = Math.ceil(width / COARSE);
    const ch = Math.ceil(height / COARSE);
    // Coloured with the view's own cycle, else the last view's (the server's choice for this one comes with the
    // first full-size rectangle: a picture 1/8 the size would choose a longer one).
    const coarseCycle = target.cycle ?? shownCycle;
    const coarseSize = { width: cw, height: ch, ...(coarseCycle ? { cycle: coarseCycle } : {}) };
    // Its iterations likewise: the view's own, else the last view's choice (the server's for this one is a sample
    // of the full view, seconds at depth), else as many as the depth suggests.
    const coarseIterations = target.maxIter ?? shownMaxIter ?? iterationsOf(target);
    const coarse = await load(pictureUrl(target, coarseIterations, coarseSize), signal);
    if (signal.aborted) return;
    // Both span the view's width: the coarse one drawn that wide, centred, lies under the full one.
    const drawnHeight = (ch * width) / cw;
    context.imageSmoothingEnabled = true;
    context.drawImage(coarse.image, 0, (height - drawnHeight) / 2, width, drawnHeight);
    record.coarseMs = performance.now() - started;
    window.explorer.firstPictureMs ??= performance.now();
    const rects = [];
    for (let y = 0; y < height; y += TILE) {
      for (let x = 0; x < width; x += TILE) rects.push([x, y, Math.min(TILE, width - x), Math.min(TILE, height - y)]);
    }
    const far = ([x, y, w, h]) => Math.hypot(x + w / 2 - width / 2, y + h / 2 - height / 2);
    rects.sort((a, b) => far(a) - far(b));
    say('refining…');
    const tile = async ([x, y, w, h], iterations, colours) => {
      const rect = `${x},${y},${w},${h}`;
      const loaded = await load(pictureUrl(target, iterations, { width, height, ...colours, rect }), signal);
      if (!signal.aborted) context.drawImage(loaded.image, x, y);
      return loaded;
    };
    // The centre first, without a cycle or iterations unless the view has them: the server chooses the view's, as
    // the CLI would at this size (at the seahorse's 1e30, 7000 by depth drew black; the CLI's sample 64000), and
    // every other rectangle (and the copied command, and Save) takes them.
    const first = await tile(rects[0], target.maxIter ?? 'auto', {});
    // A newer view may have come while it decoded: its choices are not this one's.
    if (signal.aborted) return;
    shownCycle = target.cycle ?? first.cycle;
    if (target.maxIter === null) shownMaxIter = chosenMaxIter = first.maxIter;
    describe();
    const iterations = target.maxIter ?? chosenMaxIter;
    await Promise.all(rects.slice(1).map((r) => tile(r, iterations, target.cycle ? {} : { cycle: shownCycle })));
    record.fullMs = performance.now() - started;
    timings.push(record);
    say(`refined in ${(record.fullMs / 1000).toFixed(2)} s`);
  } catch (err) {
    if (!signal.aborted) say(err.message, true);
  } finally {
    if (work === controller) work = null;
  }
}

/** A new view: shown moved at once, in the URL, rendered once the moves pause (or `now`). */
function change(moved, now = false) {
  // The zoom as the URL holds it (six digits), so that a reload or a shared link shows this very view.
  const next = { ...moved, zoom: parseZoom(formatZoom(moved.zoom)) };
  if (displayed) moveShown(displayed, next);
  displayed = next;
  view = next;
  chosenMaxIter = null;
  history.replaceState(null, '', `?${queryOf(view)}`);
  describe();
  work?.abort();
  clearTimeout(settle);
  settle = setTimeout(refine, now ? 0 : SETTLE_MS);
}

canvas.addEventListener(
  'wheel',
  (e) => {
    e.preventDefault();
    const factor = Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.002));
    change(zoomAt(view, factor, e.offsetX - width / 2, e.offsetY - height / 2, width));
  },
  { passive: false },
);

canvas.addEventListener('dblclick', (e) => {
  change(zoomAt(view, e.shiftKey ? 0.5 : 2, e.offsetX - width / 2, e.offsetY - height / 2, width));
});

/** Pointers down now (mouse, pen, fingers), by id: one drags, two pinch. */
const pointers = new Map();
canvas.addEventListener('pointerdown', (e) => {
  canvas.setPointerCapture(e.pointerId);
  pointers.set(e.pointerId, { x: e.offsetX, y: e.offsetY });
  canvas.classList.add('dragging');
});
canvas.addEventListener('pointermove', (e) => {
  const last = pointers.get(e.pointerId);
  if (!last) return;
  const now = { x: e.offsetX, y: e.offsetY };
  const other = [...pointers].find(([id]) => id !== e.pointerId)?.[1];
  let next = view;
  if (other) {
    // Pinch: the midpoint follows the fingers, the view scales with their distance.
    const before = { x: (last.x + other.x) / 2, y: (last.y + other.y) / 2 };
    const after = { x: (now.x + other.x) / 2, y: (now.y + other.y) / 2 };
    const factor = Math.hypot(now.x - other.x, now.y - other.y) / Math.hypot(last.x - other.x, last.y - other.y);
    next = pan(next, after.x - before.x, after.y - before.y, width);
    if (Number.isFinite(factor) && factor > 0)
      next = zoomAt(next, factor, after.x - width / 2, after.y - height / 2, width);
  } else {
    next = pan(next, now.x - last.x, now.y - last.y, width);
  }
  pointers.set(e.pointerId, now);
  change(next);
});
for (const type of ['pointerup', 'pointercancel']) {
  canvas.addEventListener(type, (e) => {
    pointers.delete(e.pointerId);
    if (pointers.size === 0) canvas.classList.remove('dragging');
  });
}

window.addEventListener('keydown', (e) => {
  if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement) return;
  const moves = {
    ArrowLeft: () => pan(view, width / 8, 0, width),
    ArrowRight: () => pan(view, -width / 8, 0, width),
    ArrowUp: () => pan(view, 0, height / 8, width),
    ArrowDown: () => pan(view, 0, -height / 8, width),
    '+': () => zoomAt(view, 2, 0, 0, width),
    '=': () => zoomAt(view, 2, 0, 0, width),
    '-': () => zoomAt(view, 0.5, 0, 0, width),
  };
  if (!moves[e.key]) return;
  e.preventDefault();
  change(moves[e.key]());
});

$('iterations').addEventListener('change', (e) => {
  const n = Number(e.target.value);
  change({ ...view, maxIter: Number.isInteger(n) && n > 0 ? n : null });
});
$('palette').addEventListener('change', (e) => change({ ...view, palette: e.target.value || null }));
$('cycle').addEventListener('change', (e) => change({ ...view, cycle: e.target.value || null }));
$('colour').addEventListener('change', (e) => change({ ...view, colour: e.target.value || null }));
for (const id of ['save-width', 'save-height']) $(id).addEventListener('change', describe);
/** Copies a command line to the clipboard, or shows it where the clipboard is not allowed. */
async function copy(command) {
  try {
    await navigator.clipboard.writeText(command);
    say(`copied: ${command}`);
  } catch {
    say(command);
  }
}
$('copy').addEventListener('click', () => copy(commandOf(seen(), width, height)));
$('copy-video').addEventListener('click', () => {
  // A video zooms in from 1: at 1 or wider there is nothing to zoom into.
  if (view.zoom.e < 0 || (view.zoom.e === 0 && view.zoom.m <= 1))
    say('zoom in first: a video zooms from 1 into the view', true);
  else copy(videoCommandOf(view, width, height));
});
window.addEventListener('resize', () => {
  fitCanvas();
  displayed = null;
  change(view, true);
});

fitCanvas();
$('iterations').value = view.maxIter ?? '';
$('palette').value = view.palette ?? '';
$('cycle').value = view.cycle ?? '';
$('colour').value = view.colour ?? '';
change(view, true);
