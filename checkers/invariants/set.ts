// The set invariant (Jepsen's set checker, with set-full's "once seen, never
// gone"). Ops: { f: 'add', value: e } with every e distinct, and
// { f: 'read', value: null } whose ok completion holds every element read.
//
// An element is *known present* from the moment an ok add of it completed,
// or an ok read showed it, whichever came first. Then:
//   lost       - an ok read that began after e was known present does not show e;
//   unexpected - a read shows e, but no add of e was ever attempted, or its add
//                definitely failed;
//   an info add (outcome unknown) may be present or absent: the final read
//   (the last ok read) tells which, reported as recovered / absent.
// Valid iff nothing is lost and nothing unexpected; unknown if no read completed.
import type { History } from '../../history/index.ts';
import type { CheckResult } from '../result.ts';
import { MAX_EXAMPLES, clientPairs, completedAt, outcome, type OpPair } from './pairs.ts';

export type SetElement = string | number;

export interface LostElement {
  element: SetElement;
  /** History index of the add's invoke. */
  addIndex: number;
  /** History index from which the element had to be visible, and why. */
  knownSince: number;
  knownBecause: 'ok add' | 'read';
  /** The first read that began after knownSince and did not show it. */
  missingFrom: number;
}

export interface UnexpectedElement {
  element: SetElement;
  readIndex: number;
  why: 'never added' | 'add failed';
  addIndex?: number;
}

export interface SetDetails {
  attempted: number;
  ok: number;
  fail: number;
  info: number;
  reads: number;
  /** History index of the final (last completed ok) read. */
  finalRead?: number;
  lost: number;
  recoveredInfo: number;
  absentInfo: number;
  unexpected: number;
  lostExamples: LostElement[];
  unexpectedExamples: UnexpectedElement[];
}

export function checkSet(history: History): CheckResult {
  const pairs = clientPairs(history, 'set');
  if (!Array.isArray(pairs)) return pairs;
  const adds = new Map<SetElement, OpPair>();
  const reads: Array<{ pair: OpPair; elements: Set<SetElement> }> = [];
  for (const p of pairs) {
    if (p.invoke.f === 'add') adds.set(p.invoke.value as SetElement, p);
    else if (p.invoke.f === 'read' && outcome(p) === 'ok') reads.push({ pair: p, elements: new Set(p.completion!.value as SetElement[]) });
  }

  // When each element became known present.
  const known = new Map<SetElement, { since: number; because: LostElement['knownBecause'] }>();
  for (const [e, p] of adds) if (outcome(p) === 'ok') known.set(e, { since: completedAt(p), because: 'ok add' });
  for (const r of reads) {
    const at = completedAt(r.pair);
    for (const e of r.elements) {
      const k = known.get(e);
      if (k === undefined || at < k.since) known.set(e, { since: at, because: 'read' });
    }
  }

  const lost = new Map<SetElement, LostElement>();
  const unexpected: UnexpectedElement[] = [];
  const byKnown = [...known].sort((a, b) => a[1].since - b[1].since);
  for (const r of [...reads].sort((a, b) => a.pair.invoke.index - b.pair.invoke.index)) {
    const begin = r.pair.invoke.index;
    for (const [e, k] of byKnown) {
      if (k.since >= begin) break;
      if (!r.elements.has(e) && !lost.has(e))
        lost.set(e, { element: e, addIndex: adds.get(e)?.invoke.index ?? -1, knownSince: k.since, knownBecause: k.because, missingFrom: r.pair.completion!.index });
    }
    for (const e of r.elements) {
      const add = adds.get(e);
      if (!add) unexpected.push({ element: e, readIndex: r.pair.completion!.index, why: 'never added' });
      else if (outcome(add) === 'fail') unexpected.push({ element: e, readIndex: r.pair.completion!.index, why: 'add failed', addIndex: add.invoke.index });
    }
  }
  const unexpectedElements = new Set(unexpected.map((u) => u.element));

  const final = reads.reduce<(typeof reads)[number] | undefined>((last, r) => (!last || completedAt(r.pair) > completedAt(last.pair) ? r : last), undefined);
  const count = (o: 'ok' | 'fail' | 'info') => [...adds.values()].filter((p) => outcome(p) === o).length;
  const infoAdds = [...adds].filter(([, p]) => outcome(p) === 'info').map(([e]) => e);
  const recoveredInfo = final ? infoAdds.filter((e) => final.elements.has(e)).length : 0;
  const details: SetDetails = {
    attempted: adds.size,
    ok: count('ok'),
    fail: count('fail'),
    info: infoAdds.length,
    reads: reads.length,
    ...(final ? { finalRead: final.pair.completion!.index } : {}),
    lost: lost.size,
    recoveredInfo,
    absentInfo: final ? infoAdds.length - recoveredInfo : 0,
    unexpected: unexpectedElements.size,
    lostExamples: [...lost.values()].slice(0, MAX_EXAMPLES),
    unexpectedExamples: unexpected.slice(0, MAX_EXAMPLES),
  };

  if (lost.size || unexpected.length) {
    const parts: string[] = [];
    if (lost.size) {
      const l = details.lostExamples[0];
      parts.push(`lost ${lost.size} element(s), e.g. ${l.element}: known present since op ${l.knownSince} (${l.knownBecause}), missing from the read at op ${l.missingFrom}`);
    }
    if (unexpected.length) {
      const u = unexpected[0];
      parts.push(`${unexpectedElements.size} unexpected element(s), e.g. ${u.element} in the read at op ${u.readIndex}: ${u.why}`);
    }
    return { checker: 'set', valid: false, summary: parts.join('; '), details };
  }
  if (!final) return { checker: 'set', valid: 'unknown', summary: `no read completed: nothing to compare ${adds.size} adds against`, details };
  return {
    checker: 'set',
    valid: true,
    summary: `all ${details.ok} ok adds present in ${reads.length} read(s); info adds: ${recoveredInfo} recovered, ${details.absentInfo} absent; ${details.fail} failed adds absent`,
    details,
  };
}
