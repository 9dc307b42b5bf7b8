// Live status of a run. On a TTY: one line rewritten in place a few times a
// second. Otherwise (CI logs, pipes): a plain line every few seconds. It only
// reads RunStats; the run loop never waits on it.
import type { RunStats } from './stats.ts';

export interface StatusOptions {
  stream: NodeJS.WriteStream | NodeJS.WritableStream;
  /** Main-phase length, seconds. */
  timeLimit: number;
  clock: () => number;
  /** Force a mode; default: 'tty' when the stream is a TTY, else 'lines'. */
  mode?: 'tty' | 'lines';
  intervalMs?: number;
}

export interface StatusDisplay {
  stop(): void;
}

export function formatStatus(stats: RunStats, elapsedNs: number, timeLimit: number, opsPerSec: number): string {
  const elapsed = stats.phase === 'main' ? `${(elapsedNs / 1e9).toFixed(0)}/${timeLimit}s` : stats.phase;
  const faults = stats.activeFaults.size === 0 ? 'none' : [...stats.activeFaults].join(',');
  return `[${elapsed}] ${Math.round(opsPerSec)} ops/s | ok ${stats.ok} fail ${stats.fail} info ${stats.info} | faults: ${faults}`;
}

export function startStatus(stats: RunStats, o: StatusOptions): StatusDisplay {
  const tty = o.mode ? o.mode === 'tty' : (o.stream as NodeJS.WriteStream).isTTY === true;
  const interval = o.intervalMs ?? (tty ? 250 : 10_000);
  let lastDone = 0;
  let lastTime = o.clock();
  let lastLen = 0;
  const tick = (): void => {
    const now = o.clock();
    const done = stats.ok + stats.fail + stats.info;
    const rate = ((done - lastDone) * 1e9) / Math.max(1, now - lastTime);
    lastDone = done;
    lastTime = now;
    const line = formatStatus(stats, now - stats.mainStart, o.timeLimit, rate);
    if (tty) {
      o.stream.write(`\r${line}${' '.repeat(Math.max(0, lastLen - line.length))}`);
      lastLen = line.length;
    } else {
      o.stream.write(line + '\n');
    }
  };
  const timer = setInterval(tick, interval);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      tick();
      if (tty) o.stream.write('\n');
    },
  };
}
