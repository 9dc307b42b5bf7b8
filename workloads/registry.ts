// Every workload by name, each a factory of one shape: the system's client
// for it, then the workload's options. A system says which workloads it
// supports by giving a client for each (harness/systems); nothing here knows
// any system.
import { UserError } from '../history/index.ts';
import type { ClusterInfo } from '../clusters/index.ts';
import type { MakeClient, Workload } from './workload.ts';
import { registerWorkload } from './register/index.ts';
import { setWorkload } from './set/index.ts';
import { bankWorkload } from './bank/index.ts';
import { counterWorkload } from './counter/index.ts';
import { appendWorkload } from './append/index.ts';
import { wrRegisterWorkload } from './wr-register/index.ts';
import { lockWorkload } from './lock/index.ts';
import { watchWorkload } from './watch/index.ts';

export const WORKLOADS = {
  register: registerWorkload,
  set: setWorkload,
  bank: bankWorkload,
  counter: counterWorkload,
  append: appendWorkload,
  'wr-register': wrRegisterWorkload,
  lock: lockWorkload,
  watch: watchWorkload,
} as const;

export type WorkloadName = keyof typeof WORKLOADS;

/**
 * The workloads whose clients read while faults hold (set reads only at the
 * end, after healing; lock and watch check other things): a fault whose
 * window is a stale read is seen only by these.
 */
const READ_DURING_RUN: ReadonlySet<string> = new Set<WorkloadName>(['register', 'wr-register', 'append', 'bank', 'counter']);

export const readsDuringRun = (name: string): boolean => READ_DURING_RUN.has(name);

/** What workload W hands the system's client (the second argument of its MakeClient). */
export type ClientParams<W extends WorkloadName> = Parameters<Parameters<(typeof WORKLOADS)[W]>[0]>[1];

/** A system's clients, one per workload it supports. */
export type ClientTable<I extends ClusterInfo> = { [W in WorkloadName]?: MakeClient<I, ClientParams<W>> };

/** Workload `name` over a system's clients; a workload the system has no client for is a user error. */
export function workloadFor<I extends ClusterInfo>(system: string, clients: ClientTable<I>, name: string, options: object = {}): Workload<I> {
  const makeClient = Object.hasOwn(clients, name) ? clients[name as WorkloadName] : undefined;
  if (!makeClient) {
    const hint = name === 'watch' ? "The watch workload needs etcd's watch API: use --db etcd." : undefined;
    throw new UserError(`unknown --workload ${JSON.stringify(name)} for --db ${system}; known: ${Object.keys(clients).join(', ')}`, hint);
  }
  // The table pairs each workload with a client of its own params; the names match by construction.
  const factory = WORKLOADS[name as WorkloadName] as unknown as (makeClient: MakeClient<I, unknown>, options: object) => Workload<I>;
  return factory(makeClient as MakeClient<I, unknown>, options);
}
