// Faults that need more nodes than the cluster has, said before anything
// starts (the cluster size is known from --nodes).
import { UserError } from '../history/index.ts';
import { MIN_NODES, type PartitionShape } from './grudge.ts';
import { FIGURE8_NODES } from './figure8.ts';
import { checkMemberNodes } from './member-quorum.ts';
import { checkRaftNodes, isRaftKind } from './raft-kinds.ts';
import type { FaultChoice } from './fault.ts';

export function checkNemesesForNodes(choices: readonly FaultChoice[], nodeCount: number): void {
  // Refuse only when no partition shape fits: with `partition` on 2 nodes, ring and bridge just fail when drawn.
  const shapes = choices.filter((c) => c.kind === 'partition').map((c) => c.variant as PartitionShape);
  if (shapes.length > 0 && shapes.every((s) => nodeCount < MIN_NODES[s])) {
    const need = Math.min(...shapes.map((s) => MIN_NODES[s]));
    throw new UserError(`partition-${shapes.join('/')} needs at least ${need} nodes, the cluster has ${nodeCount}`);
  }
  if (choices.some((c) => c.kind === 'figure8') && nodeCount !== FIGURE8_NODES) {
    throw new UserError(`figure8 plays the Raft paper's 5-server scenario: it needs --nodes ${FIGURE8_NODES}, the cluster has ${nodeCount}`);
  }
  for (const kind of new Set(choices.map((c) => c.kind))) if (isRaftKind(kind)) checkRaftNodes(kind, nodeCount);
  // A lone member has no follower to aim at, and etcd skips raftBeforeSave there (it syncs before applying).
  if (choices.some((c) => c.kind === 'failpoint') && nodeCount < 3) throw new UserError(`failpoint needs at least 3 nodes, the cluster has ${nodeCount}`, 'Run it with --nodes 3 or more.');
  checkMemberNodes(choices.filter((c) => c.kind === 'member').map((c) => c.variant), nodeCount);
}
