// Knobs of the Raft core. Times are milliseconds of the host's clock.
import { NO_BUGS, type Bugs } from '../bugs.ts';
import { NO_MUTANTS, type Mutants } from '../mutants.ts';
import type { NodeId } from './messages.ts';

export interface RaftConfig {
  id: NodeId;
  /** Every member, this node included. Membership is static. */
  members: readonly NodeId[];
  /** Base election timeout; each wait is drawn from [base, 2 * base). Also the check-quorum period and lease. */
  electionTimeout: number;
  heartbeatInterval: number;
  /** Most entries in one AppendEntries (bounds message size; also lets tests replicate one entry at a time). */
  maxEntriesPerAppend: number;
  /** Source of randomness for election timeouts: seeded in tests, Math.random in the server. */
  random: () => number;
  bugs: Bugs;
  /** The mutation suite's planted bugs (mutants.ts); none by default. */
  mutants: Mutants;
}

export type RaftOptions = Pick<RaftConfig, 'id' | 'members'> & Partial<RaftConfig>;

export function raftConfig(options: RaftOptions): RaftConfig {
  return {
    electionTimeout: 300,
    heartbeatInterval: 50,
    maxEntriesPerAppend: 256,
    random: Math.random,
    bugs: NO_BUGS,
    mutants: NO_MUTANTS,
    ...options,
  };
}
