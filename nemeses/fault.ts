// What each fault kind implements. The nemesis (nemesis.ts) routes
// start-<kind> / stop-<kind> ops to it; healAll heals every kind on every
// node at once and then tells each fault to forget what it did.
import type { DB, DockerClusterInfo } from '../clusters/index.ts';
import type { Completion } from '../history/index.ts';
import type { FaultValue } from '../history/index.ts';
import { Random } from '../generator/index.ts';
import { pickTargets, type Target } from './targets.ts';

/** Scenarios driven by the cluster's observed Raft state (raft-*.ts); `--nemesis raft` names them all. */
export const RAFT_KINDS = ['lagging-leader', 'uncommitted-cut', 'crash-after-vote', 'two-leaders', 'stale-restart', 'election-storm', 'deposed-leader'] as const;
export type RaftKind = (typeof RAFT_KINDS)[number];

export const FAULT_KINDS = ['partition', 'loss', 'kill', 'pause', 'clock', 'delay', 'figure8', ...RAFT_KINDS, 'failpoint', 'member', 'compact', 'defrag', 'lose-unsynced', 'corrupt'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** One thing a round can do: a fault kind and its variant (shape, target or clock mode). */
export interface FaultChoice {
  kind: FaultKind;
  variant: string;
}

/** What the nemeses need to know about a DB before its cluster exists. */
export type NemesisDbTraits = Pick<DB, 'name' | 'supportsClockFaults' | 'delayPeerMessages' | 'armFailpoint' | 'failpoints' | 'raftStatus' | 'leaderUnknown' | 'membership' | 'maintenance' | 'dataDir' | 'dataFiles'>;

/**
 * The value of a start-<kind> op, drawn by the schedule (schedule.ts) so the
 * same seed gives the same faults: the variant (shape, target, clock mode),
 * a seed for the choices made against the live cluster (which nodes), and
 * the magnitudes.
 */
export interface FaultSpec {
  variant: string;
  seed: number;
  /** loss: drop probability per packet; delay: share of outgoing peer batches held back. */
  probability?: number;
  /** delay: longest hold of one batch, ms. */
  maxDelayMs?: number;
  /** clock bump/strobe: how far the clock moves, ms (negative: backwards). */
  deltaMs?: number;
  /** clock strobe: how often the clock flips, ms. */
  periodMs?: number;
  /** clock skew: fake seconds per real second. */
  rate?: number;
  /** failpoint: which one to arm (etcd's gofail name); the variant says panic or sleep. */
  failpoint?: string;
  /** failpoint sleep: how long each pass holds the process, ms. */
  sleepMs?: number;
  /**
   * Tests only: break the fault on purpose, so its evidence must say
   * no-effect. 'unhooked-chain': a partition's (or loss's) drops go into a
   * chain INPUT never jumps to.
   */
  sabotage?: 'unhooked-chain';
}

export interface Fault {
  readonly kind: FaultKind;
  /** Apply the fault, then look whether it took effect: the completion's FaultValue carries effect and evidence (effect.ts). */
  start(spec: FaultSpec, info: DockerClusterInfo): Promise<Completion>;
  /** Undo what start did, and look whether the heal took effect. */
  stop(info: DockerClusterInfo): Promise<Completion>;
  /** Drop what it remembers (nodes hit, timers): healAll has just healed everything. */
  forget(): void;
}

export function ok(value: FaultValue): Completion {
  return { type: 'ok', value };
}

/** Run a shell script in a node; throw with its stderr when it fails. */
export async function sh(info: DockerClusterInfo, node: string, script: string): Promise<string> {
  const r = await info.cluster.exec(node, ['/bin/sh', '-c', script], { timeoutMs: 20_000 });
  if (r.exitCode !== 0) throw new Error(`${node}: script exited ${r.exitCode}: ${r.stderr.trim() || r.stdout.trim()}`);
  return r.stdout;
}

export const sortNodes = (nodes: Iterable<string>): string[] =>
  [...nodes].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));

/** The nodes a targeted fault (kill, pause, delay) hits; undefined when it targets the leader and there is none. */
export async function targetNodes(spec: FaultSpec, info: DockerClusterInfo): Promise<string[] | undefined> {
  const target = spec.variant as Target;
  const leader = target === 'leader' ? await info.db.leader(info.cluster) : undefined;
  if (target === 'leader' && leader === undefined) return undefined;
  return sortNodes(pickTargets(target, info.nodes, new Random(spec.seed), leader));
}
