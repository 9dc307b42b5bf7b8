// The nemesis protocol: how the run loop injects and heals faults.
import type { ClusterInfo } from '../clusters/index.ts';
import type { Generator } from '../generator/index.ts';
import type { Completion, FaultValue, Op } from '../history/index.ts';

/**
 * Injects faults. Ops follow the start-X / stop-X convention (history/op.ts);
 * invoke resolves to the completion whose value is a FaultValue.
 */
export interface Nemesis<I extends ClusterInfo = ClusterInfo> {
  name: string;
  setup?(cluster: I): Promise<void>;
  invoke(fault: Op, cluster: I): Promise<Completion>;
  /**
   * Heal every fault this nemesis may have caused. Must be safe to call at
   * any time, repeatedly. May resolve to the stop-all op's value, with the
   * heal's effect and evidence (effect no-effect: some node was not healed).
   */
  healAll(cluster: I): Promise<FaultValue | void>;
}

export interface NemesisPlan<I extends ClusterInfo = ClusterInfo> {
  /** Fault ops for the 'nemesis' worker; its own random stream. */
  generator(): Generator;
  nemesis: Nemesis<I>;
}
