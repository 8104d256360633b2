/**
 * vitest's global setup: the whole run writes its temporary files into one folder of its own (TMPDIR, which Node's
 * os.tmpdir() and the CLI processes the tests start both read), removed when the run ends, so a run leaves nothing
 * in the machine's temporary folder.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const folder = mkdtempSync(join(tmpdir(), 'mandel-par-tests-'));
  // Readable by other users: the Slurm test's munge daemon runs as its own user beneath it.
  chmodSync(folder, 0o755);
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = folder;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(folder, { recursive: true, force: true });
  };
}
