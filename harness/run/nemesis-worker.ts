// The fault injector's worker: process 'nemesis', its own generator and
// random stream, independent of the client workers (a hung client request
// never delays a fault or a heal).
import type { OpSpec } from '../../generator/index.ts';
import type { HistoryRecorder } from '../../history/index.ts';
import type { Op } from '../../history/index.ts';
import type { ClusterInfo } from '../../clusters/index.ts';
import type { Completion, FaultValue } from '../../history/index.ts';
import type { Nemesis } from '../../nemeses/index.ts';
import type { RunEvent, RunStats } from './stats.ts';
import { withTimeout } from '../../clusters/index.ts';
import { errorText } from '../../history/index.ts';

export interface NemesisWorkerOptions<I extends ClusterInfo> {
  nemesis: Nemesis<I>;
  cluster: I;
  recorder: HistoryRecorder;
  stats: RunStats;
  timeoutMs: number;
  emit: (e: RunEvent) => void;
}

export class NemesisWorker<I extends ClusterInfo> {
  constructor(private readonly o: NemesisWorkerOptions<I>) {}

  async execute(spec: OpSpec): Promise<void> {
    const { nemesis, cluster } = this.o;
    await this.perform(spec.f, spec.value ?? null, (op) => nemesis.invoke(op, cluster));
  }

  /**
   * Heals every fault, recorded as the op stop-all so reports close every
   * fault interval there.
   */
  async healAll(): Promise<void> {
    const { nemesis, cluster } = this.o;
    await this.perform('stop-all', null, async () => {
      const value: FaultValue = (await nemesis.healAll(cluster)) ?? { fault: 'all', nodes: cluster.nodes };
      // A heal that left something broken is not a clean end: info, with what is still wrong.
      if (value.effect === 'no-effect') return { type: 'info', value, error: value.evidence?.summary ?? 'the heal had no effect' };
      return { type: 'ok', value };
    });
  }

  private async perform(f: string, value: unknown, run: (op: Op) => Promise<Completion>): Promise<void> {
    const { recorder, stats, timeoutMs, emit } = this.o;
    const invoke = recorder.invoke('nemesis', f, value);
    let c: Completion;
    try {
      c = await withTimeout(run(invoke), timeoutMs, f);
    } catch (e) {
      c = { type: 'info', error: errorText(e) };
    }
    recorder.complete(invoke, c);
    stats.fault(f, c.type);
    emit({ type: 'fault', f, result: c.type, ...(c.error !== undefined ? { error: c.error } : {}) });
    // Say it now, not only in the verdict: a fault that did nothing makes the rest of the run mean less.
    const effect = (c.value as FaultValue | undefined)?.effect;
    if (effect === 'no-effect') emit({ type: 'warning', message: `${f} had no effect: ${(c.value as FaultValue).evidence?.summary ?? c.error ?? ''}` });
    else if (c.type === 'info' && effect === undefined) emit({ type: 'warning', message: `${f} may not have taken effect: ${c.error ?? 'no answer'}` });
  }
}
