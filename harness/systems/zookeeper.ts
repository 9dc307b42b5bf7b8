// `faultline test --db zookeeper`: Apache ZooKeeper 3.8 in containers, built
// in as a row of the system table but described, like any user's system, by
// a definition file (clusters/zookeeper/zookeeper.yaml): the image, the start
// script, readiness and leader through the AdminServer, libfaketime. Its
// clients are the zookeeper protocol's (workloads/zookeeper), and its
// divergence check compares the members' znode trees.
import { fileURLToPath } from 'node:url';
import { loadDefinition } from '../../clusters/index.ts';
import { UserError } from '../../history/index.ts';
import { parseNemesisOption, RAFT_KINDS, resolveNemeses } from '../../nemeses/index.ts';
import { definedSystem } from './defined.ts';
import type { System } from './system.ts';

/** The definition `--db zookeeper` runs (the same file works with --system). */
export const ZOOKEEPER_DEFINITION = fileURLToPath(new URL('../../clusters/zookeeper/zookeeper.yaml', import.meta.url));

// Read when first used: every other command starts without parsing it.
let loaded: System | undefined;
const defined = (): System => (loaded ??= definedSystem(loadDefinition(ZOOKEEPER_DEFINITION)) as unknown as System);

/** The Raft-aware faults (nemeses/raft-*.ts) stage Raft's own states: ZAB has no terms or votes of that kind to drive. */
function refuseRaftKinds(nemesis: string): void {
  const raft = [...new Set(resolveNemeses(parseNemesisOption(nemesis)).map((c) => c.kind))].filter((k) => (RAFT_KINDS as readonly string[]).includes(k));
  if (raft.length === 0) return;
  throw new UserError(
    `--nemesis ${raft.join(',')} does not apply to zookeeper: ${raft.length > 1 ? 'these faults drive' : 'this fault drives'} Raft's own states (terms, votes, log indexes), ` +
      'and ZooKeeper replicates with ZAB (epochs and zxids, a leader elected by Fast Leader Election), which has none of them to watch',
    'Use partition, kill, pause, loss or clock against zookeeper.',
  );
}

export const zookeeperSystem: System = {
  name: 'zookeeper',
  describe: 'Apache ZooKeeper 3.8 (Debian zookeeper) in containers, from clusters/zookeeper/zookeeper.yaml',
  workloads: ['register', 'set', 'counter', 'lock'],
  db: (args) => defined().db!(args),
  test(args, nodes, seed) {
    refuseRaftKinds(args.nemesis);
    return defined().test(args, nodes, seed);
  },
};
