// The checker protocol: what the run loop, `faultline check` and `analyze`
// call on a finished history. Checkers are pure: no I/O.
import type { History, RaftTrace } from '../history/index.ts';
import type { CheckResult } from './result.ts';

/** How test.json names a checker: enough for `faultline analyze` to rebuild it (checkers/registry.ts). */
export interface CheckerSpec {
  name: string;
  /** JSON-serialisable options, e.g. { model: 'cas-register' }. */
  config?: Record<string, unknown>;
}

/** A checker the run loop calls on the finished history. Pure: no I/O. */
export interface Checker {
  readonly name: string;
  /** Options that rebuild this checker by name (see CheckerSpec). */
  readonly config?: Record<string, unknown>;
  check(history: History, ctx: CheckContext): CheckResult | Promise<CheckResult>;
}

export interface CheckContext {
  nodes: string[];
  /** The workload's name, so a checker can pick a model. */
  workload: string;
  /** The members' own account of their Raft state, when the DB logs it (checkers/raft-protocol.ts). */
  raftTrace?: RaftTrace;
}
