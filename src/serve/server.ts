/**
 * `mandel-par serve`'s HTTP server, on Node's own http module: a handful of routes need no framework, and nothing
 * is installed for them. It renders through one long-lived Renderer (warm workers, reference orbits kept), answers
 * pictures exactly as the command line makes them (serve/query.ts), keeps recent answers (serve/cache.ts) under
 * ETags, and stops a render whose request went away.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { autoCycle } from '../cli/auto-cycle.js';
import { autoIterations } from '../cli/auto-iterations.js';
import { pictureTooLarge, RenderError, UsageError, unknownPath } from '../errors.js';
import { renderAscii, renderImage, renderRect } from '../index.js';
import type { OutputFormat, RenderSpec } from '../model/spec.js';
import { VERSION } from '../model/version.js';
import { encodeImage } from '../outputs/images.js';
import { pictureMetadata } from '../outputs/provenance.js';
import type { Renderer } from '../render/renderer.js';
import { ByteCache } from './cache.js';
import { Gate } from './gate.js';
import type { PictureRequest } from './query.js';
import { pictureRequest } from './query.js';

/** The picture routes, /render.EXT, and what each answers. */
const PICTURES: Record<string, { format: OutputFormat; type: string }> = {
  '/render.png': { format: 'png', type: 'image/png' },
  '/render.jpg': { format: 'jpeg', type: 'image/jpeg' },
  '/render.jpeg': { format: 'jpeg', type: 'image/jpeg' },
  '/render.webp': { format: 'webp', type: 'image/webp' },
  '/render.avif': { format: 'avif', type: 'image/avif' },
  '/render.tiff': { format: 'tiff', type: 'image/tiff' },
  '/render.tif': { format: 'tiff', type: 'image/tiff' },
  '/render.txt': { format: 'ascii', type: 'text/plain; charset=us-ascii' },
};

/** The explorer page's files (explorer/ in the package), by the path they are served at. */
const PAGE_FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/explorer.js': { file: 'explorer.js', type: 'text/javascript; charset=utf-8' },
  '/view.js': { file: 'view.js', type: 'text/javascript; charset=utf-8' },
  '/explorer.css': { file: 'explorer.css', type: 'text/css; charset=utf-8' },
};

/** Same depth below the package's root from dist/src/serve/ and from the bundle in dist/src/bin/. */
const PAGE_FOLDER = new URL('../../../explorer/', import.meta.url);

/** Views whose `auto` choices (iterations, cycle) the server keeps. */
const KEPT_CHOICES = 64;

/**
 * A view's `auto` choice, made once and kept by `key` (the view's spec, no rectangle), so that the rectangles of one
 * view, asked side by side, wait for the same sample and agree. Not stopped with the request that started it.
 */
/**
 * `choice` for a request that may go away: it is left waiting no longer (its gate slot is freed at once; a view
 * zoomed past quickly in the explorer held one for each abandoned view's sample, seconds at depth), while the choice
 * goes on for the view's other requests.
 */
function awaitedUnless(choice: Promise<number>, signal: AbortSignal): Promise<number> {
  signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    const gone = () => reject(signal.reason);
    signal.addEventListener('abort', gone, { once: true });
    choice.then(resolve, reject).finally(() => signal.removeEventListener('abort', gone));
  });
}

function keptChoice(kept: Map<string, Promise<number>>, key: string, choose: () => Promise<number>): Promise<number> {
  let choice = kept.get(key);
  if (!choice) {
    choice = choose();
    choice.catch(() => kept.delete(key));
    kept.set(key, choice);
    for (const old of kept.keys()) if (kept.size > KEPT_CHOICES) kept.delete(old);
  }
  return choice;
}

/** Longest request head accepted (Node answers 431 past it): two 10000-digit coordinates and the rest. */
export const MAX_HEADER_BYTES = 64 * 1024;

export interface ServeOptions {
  renderer: Renderer;
  /** Largest picture, or rectangle, rendered for one request (413 past it). */
  maxPixels: number;
  /** Bytes of answers kept in memory [default: 64 MiB]. */
  cacheBytes?: number;
  /** Where failures that are the server's own go (a render that failed for a reason not the request's). */
  log?(message: string): void;
}

/** What the server has done, for `/status` (the load test reads it). */
export interface ServerStatus {
  version: string;
  threads: number;
  rendering: number;
  waiting: number;
  rendered: number;
  cancelled: number;
  cached: { entries: number; bytes: number };
}

export interface ExplorerServer {
  readonly server: Server;
  /** Listens; resolves with the address to print. */
  listen(port: number, host: string): Promise<string>;
  status(): ServerStatus;
  /** Stops listening, aborts every render in flight, closes the connections (the renderer stays the caller's). */
  close(): Promise<void>;
}

/** An answer that is not a picture: the status and a one-line message. */
class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The CLI's message with the parameter's name as the query spells it ("max-iter: ...", not "--max-iter: ..."). */
function asParameterMessage(message: string): string {
  const colon = message.indexOf(': ');
  if (colon < 0) return message;
  return message.slice(0, colon).replace(/(^|, )--/g, '$1') + message.slice(colon);
}

/** Whether an If-None-Match header names `etag` (in a list, or weakly: a picture has no weaker version). */
function matches(header: string | undefined, etag: string): boolean {
  return header?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag) ?? false;
}

/** The key an answer is kept and tagged under: the version, the spec, the rectangle, what is chosen `auto`. */
function answerKey(request: PictureRequest): string {
  const bigints = (_: string, v: unknown) => (typeof v === 'bigint' ? String(v) : v);
  return JSON.stringify([VERSION, request.spec, request.rect, request.autoIter, request.autoCycle], bigints);
}

export function createExplorerServer(o: ServeOptions): ExplorerServer {
  const { renderer } = o;
  const page = Object.fromEntries(
    Object.entries(PAGE_FILES).map(([path, f]) => [path, readFileSync(new URL(f.file, PAGE_FOLDER))]),
  );
  const cache = new ByteCache<{ body: Buffer; cycle: number; maxIter: number }>(
    o.cacheBytes ?? 64 * 1024 * 1024,
    (a) => a.body.length,
  );
  const cycles = new Map<string, Promise<number>>();
  const iterations = new Map<string, Promise<number>>();
  const gate = new Gate(2 * renderer.threads);
  const inFlight = new Set<AbortController>();
  let rendered = 0;
  let cancelled = 0;

  const status = (): ServerStatus => ({
    version: VERSION,
    threads: renderer.threads,
    rendering: gate.running,
    waiting: gate.waiting,
    rendered,
    cancelled,
    cached: { entries: cache.size, bytes: cache.bytes },
  });

  /**
   * The spec the CLI would render: `auto` iterations and cycle chosen as it chooses them, of the whole view, once a
   * view (keptChoice), so that its rectangles and its whole picture agree.
   */
  async function resolved(request: PictureRequest, signal: AbortSignal): Promise<RenderSpec> {
    let spec: RenderSpec = request.spec;
    if (request.autoIter) {
      // The counts decide it, not the colours.
      const { colouring: _colouring, ...counted } = request.spec;
      const key = JSON.stringify([VERSION, counted]);
      const choice = keptChoice(iterations, key, () =>
        autoIterations(renderer, request.spec).then((auto) => auto.maxIter),
      );
      spec = { ...spec, maxIter: await awaitedUnless(choice, signal) };
    }
    if (!request.autoCycle) return spec;
    const key = answerKey({ ...request, spec, rect: undefined });
    const choice = keptChoice(cycles, key, () => autoCycle(renderer, spec).then((auto) => auto.cycle));
    return { ...spec, colouring: { ...spec.colouring, cycle: await awaitedUnless(choice, signal) } };
  }

  /** The picture's bytes: the CLI's for a whole picture, the same pixels encoded alone for a rectangle. */
  async function render(spec: RenderSpec, rect: PictureRequest['rect'], signal: AbortSignal): Promise<Buffer> {
    const call = { renderer, signal };
    if (spec.output.format === 'ascii') return Buffer.from(await renderAscii(spec, call), 'latin1');
    if (!rect) return renderImage(spec, call);
    const rgb = await renderRect(spec, rect, call);
    const metadata = pictureMetadata(spec);
    return encodeImage(Buffer.from(rgb), rect.w, rect.h, spec.output, {
      ...metadata,
      parameters: { ...metadata.parameters, rect },
    });
  }

  async function answerPicture(req: IncomingMessage, res: ServerResponse, url: URL, type: string): Promise<void> {
    const controller = new AbortController();
    // The client went away before its answer: stop the render (queued tasks dropped, running ones abandoned).
    // Watched from the start, so a client gone while its query was read costs nothing either.
    const gone = () => {
      if (!res.writableFinished) controller.abort(new Refusal(499, 'the request went away'));
    };
    res.on('close', gone);
    inFlight.add(controller);
    try {
      await answerWatched(req, res, url, type, controller.signal);
    } catch (err) {
      if (controller.signal.aborted) {
        cancelled++;
        throw controller.signal.reason;
      }
      throw err;
    } finally {
      inFlight.delete(controller);
      res.off('close', gone);
    }
  }

  async function answerWatched(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    type: string,
    signal: AbortSignal,
  ): Promise<void> {
    let request: PictureRequest;
    try {
      request = await pictureRequest(url.searchParams, PICTURES[url.pathname].format);
    } catch (err) {
      if (err instanceof UsageError) throw new Refusal(400, asParameterMessage(err.message));
      throw err;
    }
    const { spec, rect } = request;
    const w = rect?.w ?? spec.width;
    const h = rect?.h ?? spec.height;
    // Samples, not pixels: --aa 16 is 256 a pixel.
    const samples = w * h * (spec.output.format === 'ascii' ? 1 : spec.aa * spec.aa);
    if (samples > o.maxPixels) throw new Refusal(413, pictureTooLarge(w, h, spec.aa, o.maxPixels).message);
    const key = answerKey(request);
    const etag = `"${createHash('sha1').update(key).digest('base64url')}"`;
    const headers = { 'Content-Type': type, ETag: etag, 'Cache-Control': 'no-cache' };
    if (matches(req.headers['if-none-match'], etag)) {
      res.writeHead(304, headers).end();
      return;
    }
    let answer = cache.get(key);
    if (!answer) {
      signal.throwIfAborted();
      const started = performance.now();
      answer = await gate.run(async () => {
        const spec = await resolved(request, signal);
        return { body: await render(spec, request.rect, signal), cycle: spec.colouring.cycle, maxIter: spec.maxIter };
      }, signal);
      rendered++;
      cache.set(key, answer);
      Object.assign(headers, { 'Server-Timing': `render;dur=${(performance.now() - started).toFixed(1)}` });
    }
    const { body, cycle, maxIter } = answer;
    // The cycle it was coloured with and its iterations: the explorer renders a view's rectangles with one of each.
    const chosen = { 'Mandel-Par-Cycle': String(cycle), 'Mandel-Par-Max-Iter': String(maxIter) };
    res.writeHead(200, { ...headers, ...chosen, 'Content-Length': body.length });
    res.end(body);
  }

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      throw new Refusal(400, `not a path this server can read: ${JSON.stringify(req.url)}`);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      throw new Refusal(405, `${req.method}: this server answers GET and HEAD only`);
    }
    const file = PAGE_FILES[url.pathname];
    if (file) {
      res.writeHead(200, { 'Content-Type': file.type, 'Content-Length': page[url.pathname].length });
      res.end(page[url.pathname]);
    } else if (url.pathname === '/status') {
      const body = Buffer.from(`${JSON.stringify(status())}\n`);
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(body);
    } else if (PICTURES[url.pathname]) {
      await answerPicture(req, res, url, PICTURES[url.pathname].type);
    } else {
      const paths = [...Object.keys(PAGE_FILES), '/status', '/render.png (.jpg, .webp, .avif, .tiff, .tif, .txt)'];
      throw new Refusal(404, unknownPath(url.pathname, paths).message);
    }
  }

  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
    answer(req, res).catch((err: unknown) => {
      if (res.destroyed || res.writableEnded) return;
      const refusal =
        err instanceof Refusal
          ? err
          : err instanceof RenderError
            ? new Refusal(500, err.message)
            : new Refusal(500, `unexpected failure: ${String((err as Error)?.message ?? err)}`);
      // The server's own failures are logged; a request that went away or a server stopping is no failure.
      if (refusal.status === 500) o.log?.(refusal.message);
      const body = Buffer.from(`${refusal.message}\n`);
      res.writeHead(refusal.status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': body.length });
      res.end(body);
    });
  });

  return {
    server,
    status,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const { address, port: bound } = server.address() as AddressInfo;
          resolve(`http://${address.includes(':') ? `[${address}]` : address}:${bound}/`);
        });
      }),
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const controller of inFlight) controller.abort(new Refusal(503, 'the server is stopping'));
      server.closeAllConnections();
      await closed;
    },
  };
}
