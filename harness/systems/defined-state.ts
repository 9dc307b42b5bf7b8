// The divergence check's view of a defined system (workloads/divergence
// source.ts), from the definition's stateHash probe: each node answers with a
// hash of its replicated state and, when the definition names one, the index
// (log index, revision) the hash was taken at.
//   with index:    wait until every node reports the same index, then compare
//                  the hashes taken there;
//   without index: each node's hash once it holds still (two equal readings
//                  in a row), all compared at one nominal index 0.
import { delay, httpJson, fieldOf, type DockerClusterInfo, type StateHashProbe, type SystemDefinition } from '../../clusters/index.ts';
import type { StateReport } from '../../checkers/index.ts';
import type { StateSource } from '../../workloads/index.ts';

const POLL_MS = 200;

interface Reading {
  hash: string;
  index?: number;
}

/** One node's answer to the stateHash probe. */
async function readState(def: SystemDefinition, probe: StateHashProbe, info: DockerClusterInfo, node: string, deadline: number): Promise<Reading> {
  const answer = await httpJson(def, info.cluster, node, probe.http, Math.max(100, Math.min(2000, deadline - Date.now())));
  const hash = fieldOf(answer, probe.hash);
  if (hash === undefined || hash === null || typeof hash === 'object') throw new Error(`${node}: stateHash field ${probe.hash} is ${JSON.stringify(hash) ?? 'missing'} in ${JSON.stringify(answer).slice(0, 120)}`);
  if (probe.index === undefined) return { hash: String(hash) };
  const index = Number(fieldOf(answer, probe.index));
  if (!Number.isFinite(index)) throw new Error(`${node}: stateHash index field ${probe.index} is not a number in ${JSON.stringify(answer).slice(0, 120)}`);
  return { hash: String(hash), index };
}

/** Poll `read` until `done` accepts a reading or the deadline passes (then throw with the last reason). */
async function pollUntil<T>(deadline: number, read: () => Promise<T>, done: (v: T) => boolean | string): Promise<T> {
  let why = 'no reading';
  for (;;) {
    try {
      const v = await read();
      const verdict = done(v);
      if (verdict === true) return v;
      if (typeof verdict === 'string') why = verdict;
    } catch (err) {
      why = (err as Error).message;
    }
    if (Date.now() + POLL_MS >= deadline) throw new Error(why);
    await delay(POLL_MS);
  }
}

export function definedStateSource(def: SystemDefinition, probe: StateHashProbe, info: DockerClusterInfo): StateSource {
  const read = (node: string, deadline: number) => readState(def, probe, info, node, deadline);
  if (probe.index === undefined) {
    return {
      commonIndex: async () => 0,
      async report(node, _index, deadline): Promise<StateReport> {
        let previous: string | undefined;
        const steady = await pollUntil(deadline, () => read(node, deadline), (r) => {
          const same = r.hash === previous;
          previous = r.hash;
          return same || `${node}: hash still changing (last ${r.hash})`;
        });
        return { node, index: 0, hash: steady.hash };
      },
    };
  }
  return {
    commonIndex: (deadline) =>
      pollUntil(
        deadline,
        () => Promise.all(info.nodes.map(async (n) => ({ node: n, reading: await read(n, deadline).catch((e: Error) => e) }))),
        (all) => {
          const indexes = new Set(all.map((a) => (a.reading instanceof Error ? undefined : a.reading.index)));
          if (indexes.size === 1 && !indexes.has(undefined)) return true;
          return `nodes report no common index: ${all.map((a) => `${a.node} ${a.reading instanceof Error ? `(${a.reading.message})` : a.reading.index}`).join(', ')}`;
        },
      ).then((all) => (all[0].reading as Reading).index!),
    async report(node, index, deadline): Promise<StateReport> {
      const r = await pollUntil(deadline, () => read(node, deadline), (x) => x.index! >= index || `${node} at index ${x.index}, below ${index}`);
      return { node, index: r.index!, hash: r.hash };
    },
  };
}
