// A DB's side of the divergence check: how to find the index every member
// must hash at, and how one member reports its state there.
import type { StateReport } from '../../checkers/index.ts';

export interface StateSource {
  /**
   * The index all members hash at: the leader's commit index (raftkv) or
   * revision (etcd) once the cluster is quiet. Asked once per run and shared
   * by every node's op, so all of them aim at the same point.
   */
  commonIndex(deadline: number): Promise<number>;
  /** This node's state at `index` (waiting until it has applied that far); throws if it cannot. */
  report(node: string, index: number, deadline: number): Promise<StateReport>;
}
