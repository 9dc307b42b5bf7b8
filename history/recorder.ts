// Appends every invoke and completion to history.jsonl as it happens.
//
// Throughput vs crash safety: lines are batched within one event-loop turn
// and written with a single writeSync at the end of that turn (setImmediate),
// so a controller killed with SIGKILL loses at most the ops of the turn it
// was in. A batch is also written at once when it grows large, bounding both
// memory and loss when a busy turn never yields.
import fs from 'node:fs';
import type { History, Op, Process } from './op.ts';
import type { Completion } from './op.ts';
import type { Clock } from './clock.ts';

const MAX_BATCH = 2048;

export class HistoryRecorder {
  /** Every op so far, in index order (the checkers get this at the end). */
  readonly history: History = [];
  private batch: string[] = [];
  private flushScheduled = false;
  private fd: number | undefined;

  constructor(
    path: string,
    readonly clock: Clock,
  ) {
    this.fd = fs.openSync(path, 'a');
  }

  invoke(process: Process, f: string, value: unknown, node?: string): Op {
    const op: Op = { index: this.history.length, time: this.clock(), process, type: 'invoke', f, value };
    if (node !== undefined) op.node = node;
    this.append(op);
    return op;
  }

  /** Closes `invoke` with its completion; f, process and node are the invoke's. */
  complete(invoke: Op, c: Completion): Op {
    const op: Op = {
      index: this.history.length,
      time: this.clock(),
      process: invoke.process,
      type: c.type,
      f: invoke.f,
      value: c.value === undefined ? null : c.value,
    };
    if (invoke.node !== undefined) op.node = invoke.node;
    if (c.error !== undefined) op.error = c.error;
    this.append(op);
    return op;
  }

  private append(op: Op): void {
    this.history.push(op);
    this.batch.push(JSON.stringify(op) + '\n');
    if (this.batch.length >= MAX_BATCH) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(this.flushSoon);
    }
  }

  private flushSoon = (): void => {
    this.flushScheduled = false;
    this.flush();
  };

  /** Ops recorded but not yet written; the scheduler yields when this grows. */
  get unwritten(): number {
    return this.batch.length;
  }

  flush(): void {
    if (this.batch.length === 0 || this.fd === undefined) return;
    const buf = Buffer.from(this.batch.join(''));
    this.batch = [];
    let off = 0;
    while (off < buf.length) off += fs.writeSync(this.fd, buf, off);
  }

  close(): void {
    this.flush();
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}
