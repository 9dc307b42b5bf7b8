// Seeded bugs of the Raft KV server. Each is off by default and switched on
// with `--bug NAME`; each reproduces a real failure class, so the harness has
// something true to catch. The core (raft/) reads the protocol ones, the
// server and storage read the I/O ones.
import { parseSwitches } from './switches.ts';

export const BUGS = {
  'stale-read': 'any node answers reads from its local state (like etcd serializable reads)',
  'lease-read':
    'the leader answers reads on a time lease, trusting its clock (clock jumps and stale ticks break it)',
  'no-fsync': 'writes are acknowledged while still buffered in memory; a kill loses them',
  'skip-fsync':
    'writes reach the filesystem at once but are never fsynced: a kill loses nothing, a power loss (--nemesis lose-unsynced) loses what the disk had not made durable',
  'no-checksum':
    'stored records are not checked against their checksums on load: a damaged log is cut at the first record that does not parse (forgetting acknowledged entries after it), and a flipped bit that still parses is applied as if written',
  'apply-index-race':
    'the applied index and the state it describes are persisted at different moments; a kill between them skips or re-applies entries',
  'no-prevote': 'no pre-vote and no check-quorum: a node cut off one way keeps forcing elections',
  'old-term-commit': 'the leader commits entries of earlier terms by counting replicas (Raft paper, figure 8)',
  'unsafe-snapshot': 'a follower installs a snapshot older than its applied state and keeps its applied index',
} as const;

export type BugName = keyof typeof BUGS;
export type Bugs = ReadonlySet<BugName>;

export const NO_BUGS: Bugs = new Set<BugName>();

export function isBugName(name: string): name is BugName {
  return Object.hasOwn(BUGS, name);
}

/** Parse bug names from the command line; throws on an unknown one, listing the known ones. */
export function parseBugs(names: readonly string[]): Bugs {
  return parseSwitches(BUGS, names, 'bug');
}
