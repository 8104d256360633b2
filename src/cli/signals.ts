/** Ctrl-C and SIGTERM as an AbortSignal, so a render stops cleanly instead of the process dying mid-write. */
import { InterruptedError } from '../errors.js';
import { removeTemporariesNow } from '../outputs/files.js';

/**
 * SIGINT and SIGTERM abort the returned signal (tasks stop, temporary files go, the pool is destroyed, exit status
 * 130 or 143); a second signal ends the process at once. `outputNote` says what became of the output.
 */
export function abortOnSignals(outputNote: string): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((name) => {
    const handler = () => {
      if (controller.signal.aborted) {
        // A second signal: stop now (an image being encoded would finish first otherwise), files removed.
        removeTemporariesNow();
        process.exit(name === 'SIGINT' ? 130 : 143);
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
