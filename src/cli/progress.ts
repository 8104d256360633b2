/**
 * The progress bar on stderr (cli-progress): bands done (`done` of them before this run, when it continues one),
 * percentage and time left; only on a terminal.
 */
export interface Progress {
  tick(): void;
  stop(): void;
}

const SILENT: Progress = { tick() {}, stop() {} };

/**
 * A bar over `total` bands, shown when stderr is a terminal and not `quiet`; silent otherwise. cli-progress loads
 * only when a bar is drawn: the import costs every other run about 8 ms of start-up.
 */
export async function startProgress(
  total: number,
  quiet: boolean,
  done = 0,
  stream = process.stderr,
): Promise<Progress> {
  if (quiet || !stream.isTTY) return SILENT;
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: 'rendering {bar} {percentage}% | {value}/{total} bands | {eta_formatted} left',
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, done);
  return {
    tick: () => bar.increment(),
    stop: () => bar.stop(),
  };
}
