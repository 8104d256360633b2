/** Ctrl-C and other stops as an AbortSignal, so a render stops cleanly instead of the process dying mid-write. */
import type { StopSignal } from '../errors.js';
import { InterruptedError, STOP_SIGNALS } from '../errors.js';
import { removeTemporariesNow } from '../outputs/files.js';

/**
 * SIGINT, SIGTERM, SIGHUP and SIGQUIT (STOP_SIGNALS) abort the returned signal (tasks stop, temporary files go, the
 * pool is destroyed, exit status 128 + the signal's number); a second signal ends the process at once. `outputNote`
 * says what became of the output.
 */
export function abortOnSignals(outputNote: string): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const handlers = (Object.keys(STOP_SIGNALS) as StopSignal[]).map((name) => {
    const handler = () => {
      if (controller.signal.aborted) {
        // A second signal: stop now (an image being encoded would finish first otherwise), files removed.
        removeTemporariesNow();
        process.exit(128 + STOP_SIGNALS[name]);
      }
      controller.abort(new InterruptedError(name, outputNote));
    };
    process.on(name, handler);
    return [name, handler] as const;
  });
  const dispose = () => {
    for (const [name, handler] of handlers) process.off(name, handler);
  };
  return { signal: controller.signal, dispose };
}
