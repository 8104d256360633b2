/** The progress bar: drawn on a terminal, silent elsewhere and with --quiet. */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { startProgress } from '../dist/src/cli/progress.js';

function fakeStderr(isTTY: boolean) {
  const stream = Object.assign(new PassThrough(), {
    isTTY,
    columns: 100,
    cursorTo() {},
    clearLine() {},
    moveCursor() {},
  });
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  return { stream, text: () => text };
}

describe('startProgress', () => {
  it('on a terminal, shows bands done, the percentage and the time left', async () => {
    const err = fakeStderr(true);
    const progress = await startProgress(8, false, 0, err.stream as never);
    for (let k = 0; k < 4; k++) progress.tick();
    await new Promise((r) => setTimeout(r, 150)); // the bar redraws on a timer
    progress.stop();
    expect(err.text()).toMatch(/rendering .* 50% \| 4\/8 bands \| .* left/);
  });

  it('draws nothing when stderr is not a terminal, or with --quiet', async () => {
    for (const [isTTY, quiet] of [
      [false, false],
      [true, true],
    ]) {
      const err = fakeStderr(isTTY);
      const progress = await startProgress(8, quiet, 0, err.stream as never);
      progress.tick();
      progress.stop();
      await new Promise((r) => setTimeout(r, 50));
      expect(err.text()).toBe('');
    }
  });
});
