// Which analysis a history needs: list-append or rw-register. Named by the
// caller, or read off the micro-ops when they decide it: an append means
// list-append, a write ('w') rw-register. Reads alone decide nothing (a read
// of nil, or of [1 2], fits both), and guessing wrong is not harmless: an
// rw-register read of 3 taken for a list-append read counts as the empty
// list, and a broken history passes. So a read-only history without a named
// workload is refused. A micro-op the chosen analysis does not know is
// refused by that analysis (foreignMicroOp).
import { UserError } from '../../history/index.ts';
import type { Txns } from './txns.ts';
import type { ElleWorkload, Txn } from './types.ts';

export const ELLE_WORKLOADS: readonly ElleWorkload[] = ['list-append', 'rw-register'];

export interface WorkloadChoice {
  workload: ElleWorkload;
  from: 'option' | 'micro-ops';
}

export function chooseWorkload(named: ElleWorkload | undefined, txns: Txns): WorkloadChoice {
  if (named !== undefined) {
    if (!ELLE_WORKLOADS.includes(named)) throw new UserError(`unknown elle workload '${String(named)}'; known: ${ELLE_WORKLOADS.join(', ')}`);
    return { workload: named, from: 'option' };
  }
  for (const list of [txns.nodes, txns.failed])
    for (const t of list)
      for (const m of t.mops) {
        if (m[0] === 'append') return { workload: 'list-append', from: 'micro-ops' };
        if (m[0] === 'w') return { workload: 'rw-register', from: 'micro-ops' };
      }
  throw new UserError(
    'elle: cannot tell the workload of this history: its transactions only read (no append, no w), and reads look alike in list-append and rw-register histories',
    'Name it: --workload list-append or --workload rw-register (config "workload").',
  );
}

/** A micro-op that belongs to the other workload: the history is mixed, or the named workload is wrong. */
export function foreignMicroOp(workload: ElleWorkload, t: Txn, what: string): UserError {
  const other = workload === 'list-append' ? 'rw-register' : 'list-append';
  return new UserError(
    `elle: op ${t.invokeIndex} (process ${String(t.process)}) has ${what}, which a ${workload} history cannot hold`,
    `If the history is ${other}, say so: --workload ${other} (config "workload").`,
  );
}
