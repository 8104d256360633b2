/**
 * The package as a user gets it: `npm pack`, installed into an empty project, its bin run and its API imported.
 * Runs against the build that `npm test` made; the install takes its dependencies from npm's cache or registry.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const golden = await readFile(new URL('./golden/classic.txt', import.meta.url), 'latin1');
const npm = (args: string[], cwd: string) =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

let project: string;
let files: string[];

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mandel-par-pack-'));
  const packed = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dir], ROOT));
  files = packed[0].files.map((f: { path: string }) => f.path);
  project = join(dir, 'project');
  await mkdir(project);
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'trial', version: '1.0.0', type: 'module' }));
  npm(['install', '--no-audit', '--no-fund', '--prefer-offline', join(dir, packed[0].filename)], project);
}, 300_000);

describe('the packed package', () => {
  it('holds what runs and nothing else: dist/, the built .wasm, the explorer page, README, LICENSE, CHANGELOG', () => {
    expect(files).toContain('build/mandel.wasm');
    for (const f of ['index.html', 'explorer.js', 'view.js', 'explorer.css']) expect(files).toContain(`explorer/${f}`);
    expect(files).toContain('dist/src/index.js');
    expect(files).toContain('dist/src/index.d.ts');
    expect(files).toContain('dist/src/cli/main.js');
    expect(files).toContain('dist/workers/render-worker.js');
    for (const f of ['LICENSE', 'CHANGELOG.md', 'README.md', 'package.json']) expect(files).toContain(f);
    const stray = files.filter(
      (f) =>
        !/^(dist\/(src|workers)\/.*\.(js|d\.ts)|build\/mandel\.wasm|explorer\/[a-z]+\.(html|js|css)|LICENSE|CHANGELOG\.md|README\.md|package\.json)$/.test(
          f,
        ),
    );
    expect(stray).toEqual([]);
    expect(files.some((f) => f.startsWith('dist/bench/') || f.endsWith('.map'))).toBe(false);
  });

  it('installs a mandel-par bin that prints the classic picture, byte for byte', async () => {
    expect(await readdir(join(project, 'node_modules', '.bin'))).toContain('mandel-par');
    const out = execFileSync(join(project, 'node_modules', '.bin', 'mandel-par'), ['--threads', '2'], {
      cwd: project,
      encoding: 'latin1',
    });
    expect(out).toBe(golden);
  });

  it('serves the explorer page from where it is installed', async () => {
    const child = spawn(
      join(project, 'node_modules', '.bin', 'mandel-par'),
      ['serve', '--port', '0', '--threads', '1'],
      {
        cwd: project,
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    try {
      const first = await new Promise<string>((resolve, reject) => {
        let stderr = '';
        child.stderr.setEncoding('utf8').on('data', (d) => {
          stderr += d;
          if (stderr.includes('\n')) resolve(stderr.split('\n')[0]);
        });
        child.on('close', () => reject(new Error(`serve ended: ${stderr}`)));
      });
      const page = await fetch(first.replace('mandel-par: serving ', ''));
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<script type="module" src="explorer.js">');
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('can be imported: the API renders the classic picture and a PNG', async () => {
    const script = [
      "import { renderAscii, renderPng, VERSION } from 'mandel-par';",
      'const text = await renderAscii({}, { threads: 2 });',
      'const png = await renderPng({ width: 32, height: 24, maxIter: 100 }, { threads: 1 });',
      "process.stdout.write(JSON.stringify({ text, png: png.subarray(1, 4).toString('latin1'), VERSION }));",
    ].join('\n');
    await writeFile(join(project, 'trial.mjs'), script);
    const result = JSON.parse(execFileSync(process.execPath, ['trial.mjs'], { cwd: project, encoding: 'utf8' }));
    expect(result.text).toBe(golden);
    expect(result.png).toBe('PNG');
    const { version } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'));
    expect(result.VERSION).toBe(version);
  });
});
