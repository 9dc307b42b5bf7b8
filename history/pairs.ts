// Pairs each invoke with its completion. As in Jepsen, a completion belongs
// to the last open invoke of the same process; a process has at most one op
// open at a time. An invoke with no completion stays open (its completion is
// `undefined`), like an info: it may take effect at any later time.
import type { History, Op, Process } from './op.ts';

export interface OpPair {
  invoke: Op;
  completion: Op | undefined;
}

export class PairingError extends Error {}

export function pairOps(history: History): OpPair[] {
  const pairs: OpPair[] = [];
  const open = new Map<Process, OpPair>();
  for (const op of history) {
    if (op.type === 'invoke') {
      const prior = open.get(op.process);
      if (prior) throw new PairingError(`op ${op.index}: process ${op.process} invoked while op ${prior.invoke.index} is still open`);
      const pair: OpPair = { invoke: op, completion: undefined };
      pairs.push(pair);
      open.set(op.process, pair);
    } else {
      const pair = open.get(op.process);
      if (!pair) throw new PairingError(`op ${op.index}: ${op.type} for process ${op.process}, which has no open invoke`);
      pair.completion = op;
      open.delete(op.process);
    }
  }
  return pairs;
}
