// The fault injector's worker: process 'nemesis', its own generator and
// random stream, independent of the client workers (a hung client request
// never delays a fault or a heal).
import type { OpSpec } from '../../generator/index.ts';
import type { HistoryRecorder } from '../../history/index.ts';
import type { Op } from '../../history/index.ts';
import type { ClusterInfo } from '../../clusters/index.ts';
import type { Completion } from '../../history/index.ts';
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
      await nemesis.healAll(cluster);
      return { type: 'ok', value: { fault: 'all', nodes: cluster.nodes } };
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
  }
}
