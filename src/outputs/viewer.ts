/**
 * The viewer page written beside a pyramid: one self-contained HTML file holding OpenSeadragon (copied from its npm
 * package, no CDN) and the pyramid's descriptor inline. Inline because a page opened from disk (file://) may not
 * fetch the .dzi or info.json, while it may load the tiles as images: so the page works from disk and from any
 * static web server alike.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { PyramidFormat } from '../model/spec.js';
import { escapeHtml, jsonForScript } from './escape.js';

/** OpenSeadragon's build folder, found through Node's resolution, wherever the package was installed. */
function openSeadragonFolder(): string {
  return dirname(createRequire(import.meta.url).resolve('openseadragon'));
}

/** The navigation buttons the viewer shows, as data: URLs (their files would be more loose files to copy). */
function navImages(folder: string): Record<string, Record<string, string>> {
  const states = { REST: 'rest', GROUP: 'grouphover', HOVER: 'hover', DOWN: 'pressed' };
  const buttons = { zoomIn: 'zoomin', zoomOut: 'zoomout', home: 'home', fullpage: 'fullpage' };
  const dataUrl = (file: string) =>
    `data:image/png;base64,${readFileSync(join(folder, 'images', file)).toString('base64')}`;
  return Object.fromEntries(
    Object.entries(buttons).map(([button, name]) => [
      button,
      Object.fromEntries(Object.entries(states).map(([state, suffix]) => [state, dataUrl(`${name}_${suffix}.png`)])),
    ]),
  );
}

/** What the page needs to know of the pyramid beside it. */
export interface PyramidLayout {
  format: PyramidFormat;
  /** The pyramid's name: `NAME.dzi` and `NAME_files/`, or the IIIF folder `NAME/`. */
  name: string;
  width: number;
  height: number;
  tileSize: number;
  /** The tiles' file extension. */
  tileExtension: 'png' | 'jpeg';
  /** For IIIF: the info.json that libvips wrote. */
  iiifInfo?: Record<string, unknown>;
  /** Shown as the page's title, and kept in it: how the picture was made. */
  title: string;
  command: string;
}

/** The tile source given to OpenSeadragon: the descriptor inline, with addresses relative to the page. */
function tileSource(p: PyramidLayout): string {
  if (p.format === 'iiif') {
    // IIIF ids are absolute addresses; the page's own address is known only when it runs.
    const tileFormat = p.tileExtension === 'png' ? 'png' : 'jpg';
    const id = `new URL(${jsonForScript(encodeURIComponent(p.name))}, location.href).href`;
    return `Object.assign(${jsonForScript({ ...p.iiifInfo, tileFormat })}, { id: ${id} })`;
  }
  const image = {
    xmlns: 'http://schemas.microsoft.com/deepzoom/2008',
    Url: `${encodeURIComponent(p.name)}_files/`,
    Format: p.tileExtension,
    Overlap: '0',
    TileSize: String(p.tileSize),
    Size: { Width: String(p.width), Height: String(p.height) },
  };
  return jsonForScript({ Image: image });
}

/** The viewer page for the pyramid `p`, as HTML text. */
export function viewerPage(p: PyramidLayout): string {
  const folder = openSeadragonFolder();
  const script = readFileSync(join(folder, 'openseadragon.min.js'), 'utf8');
  const license = readFileSync(join(folder, '..', '..', 'LICENSE.txt'), 'utf8');
  const options = {
    id: 'viewer',
    prefixUrl: '',
    navImages: navImages(folder),
    showNavigator: true,
    maxZoomPixelRatio: 4,
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${escapeHtml(p.command)}">
<title>${escapeHtml(p.title)}</title>
<style>html, body { margin: 0; height: 100%; background: #000; } #viewer { width: 100%; height: 100%; }</style>
</head>
<body>
<div id="viewer"></div>
<!-- OpenSeadragon, copied from its npm package.
${escapeHtml(license).replace(/--/g, '- -')}
-->
<script>${script.replace(/<\/script/gi, '<\\/script')}</script>
<script>
window.viewer = OpenSeadragon(Object.assign(${jsonForScript(options)}, { tileSources: ${tileSource(p)} }));
</script>
</body>
</html>
`;
}
