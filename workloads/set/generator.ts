// Ops for the set workload: adds of distinct integers 0, 1, 2 ... during the
// main phase (distinct, so a read names exactly which adds it saw), and one
// read of the whole set per worker once faults have healed.
import { fn, type Generator } from '../../generator/index.ts';
import { finalReads } from '../final-reads.ts';

export function setGenerator(): Generator {
  let next = 0;
  return fn(() => ({ f: 'add', value: next++ }));
}

/** Each worker reads once: at least one read through every node. */
export function setFinalGenerator(): Generator {
  return finalReads();
}
