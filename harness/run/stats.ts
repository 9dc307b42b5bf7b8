// Live counters of a run: the run loop updates them, the status display and
// events read them. Cheap to update on every op (plain fields, no events).

export type RunPhase = 'setup' | 'main' | 'heal' | 'recover' | 'final' | 'check' | 'teardown' | 'done';

export class RunStats {
  phase: RunPhase = 'setup';
  /** ns (run clock) at which the main phase started. */
  mainStart = 0;
  invoked = 0;
  ok = 0;
  fail = 0;
  info = 0;
  readonly activeFaults = new Set<string>();

  count(type: 'ok' | 'fail' | 'info'): void {
    this[type]++;
  }

  /** Updates active faults from a completed nemesis op (start-X / stop-X / stop-all). */
  fault(f: string, type: 'ok' | 'fail' | 'info'): void {
    if (type === 'fail') return; // definitely not applied
    if (f === 'stop-all') this.activeFaults.clear();
    else if (f.startsWith('start-')) this.activeFaults.add(f.slice(6));
    else if (f.startsWith('stop-')) this.activeFaults.delete(f.slice(5));
  }
}

/** Low-rate events of a run (phases, faults, warnings); ops are in the history. */
export type RunEvent =
  | { type: 'phase'; phase: RunPhase }
  | { type: 'fault'; f: string; result: 'ok' | 'fail' | 'info'; error?: string }
  | { type: 'warning'; message: string }
  | { type: 'signal'; signal: NodeJS.Signals };
