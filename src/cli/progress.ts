/**
 * The progress bar on stderr (cli-progress): bands done (`done` of them before this run, when it continues one),
 * percentage and time left; only on a terminal.
 */
export interface Progress {
  tick(): void;
  stop(): void;
}

const SILENT: Progress = { tick() {}, stop() {} };

/** A bar on `stream` in `format`; cli-progress is loaded only here. */
async function newBar(stream: NodeJS.WriteStream, format: string) {
  const { default: cliProgress } = await import('cli-progress');
  const options = { stream, format, hideCursor: true, clearOnComplete: true, etaBuffer: 20 };
  return new cliProgress.SingleBar(options, cliProgress.Presets.shades_classic);
}

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
  const bar = await newBar(stream, 'rendering {bar} {percentage}% | {value}/{total} bands | {eta_formatted} left');
  bar.start(total, done);
  return {
    tick: () => bar.increment(),
    stop: () => bar.stop(),
  };
}

/** A bar over a video's two stages: keyframes rendered, then frames made and encoded. */
export interface StagedProgress {
  start(keys: number, frames: number): void;
  keyDone(): void;
  frameDone(): void;
  stop(): void;
}

const SILENT_STAGES: StagedProgress = { start() {}, keyDone() {}, frameDone() {}, stop() {} };

/**
 * The time left is what each stage's items have cost so far, times the items left; the frames' cost is known only
 * once they start, and until then the bar says so rather than guess ("+ frames").
 */
export async function startStagedProgress(quiet: boolean, stream = process.stderr): Promise<StagedProgress> {
  if (quiet || !stream.isTTY) return SILENT_STAGES;
  const bar = await newBar(stream, 'video {bar} {percentage}% | {stage} | {left} left');
  const stages = { keys: 0, frames: 0, keysDone: 0, framesDone: 0, keyMs: 0, frameMs: 0 };
  let last = performance.now();
  let started = false;
  const seconds = (ms: number) => (ms < 60_000 ? `${Math.ceil(ms / 1000)} s` : `${Math.ceil(ms / 60_000)} min`);
  const show = () => {
    const s = stages;
    const perKey = s.keysDone ? s.keyMs / s.keysDone : 0;
    const perFrame = s.framesDone ? s.frameMs / s.framesDone : 0;
    const keysLeft = (s.keys - s.keysDone) * perKey;
    const framesLeft = (s.frames - s.framesDone) * perFrame;
    const spent = s.keyMs + s.frameMs;
    const framesKnown = s.framesDone > 0 || s.frames === 0;
    const fraction = framesKnown ? spent / (spent + keysLeft + framesLeft || 1) : s.keysDone / (s.keys || 1) / 2;
    const stage = s.keysDone < s.keys ? `keyframe ${s.keysDone}/${s.keys}` : `frame ${s.framesDone}/${s.frames}`;
    const left =
      s.keysDone === 0 && s.keys > 0 ? '?' : `${seconds(keysLeft + framesLeft)}${framesKnown ? '' : ' + frames'}`;
    bar.update(Math.round(1000 * fraction), { stage, left });
  };
  const tick = (field: 'keyMs' | 'frameMs', count: 'keysDone' | 'framesDone') => {
    const now = performance.now();
    stages[field] += now - last;
    stages[count]++;
    last = now;
    show();
  };
  return {
    start(keys, frames) {
      Object.assign(stages, { keys, frames });
      bar.start(1000, 0, { stage: 'starting', left: '?' });
      started = true;
      last = performance.now();
      show();
    },
    keyDone: () => tick('keyMs', 'keysDone'),
    frameDone: () => tick('frameMs', 'framesDone'),
    stop: () => {
      if (started) bar.stop();
      started = false;
    },
  };
}
