// Cycle explanations that read like a proof: name the transactions, give the
// reason for each edge, and close with the contradiction.
import { introduce } from './anomalies.ts';
import type { FoundCycle } from './cycles.ts';
import type { DataDependencies } from './dependencies.ts';
import { EDGE_KINDS, PROCESS, REALTIME, type Anomaly, type CycleStep, type Txn } from './types.ts';

export function explainCycle(cycle: FoundCycle, nodes: readonly Txn[], deps: DataDependencies): Omit<Anomaly, 'type'> {
  const txns = cycle.nodes.map((id) => nodes[id]);
  const { refs, names, text } = introduce(txns);
  const steps: CycleStep[] = cycle.nodes.map((id, i) => {
    const from = nodes[id];
    const to = nodes[cycle.nodes[(i + 1) % cycle.nodes.length]];
    const kind = EDGE_KINDS.find(([bit]) => bit === cycle.kinds[i])![1];
    const a = names.get(from)!, b = names.get(to)!;
    let why: string;
    let key, value;
    if (cycle.kinds[i] === PROCESS) why = `process ${String(from.process)} executed ${a} before ${b}`;
    else if (cycle.kinds[i] === REALTIME) why = `${a} completed (index ${from.completeIndex}) before ${b} was invoked (index ${to.invokeIndex})`;
    else {
      const ev = deps.explain(from, to, cycle.kinds[i], names);
      why = ev?.why ?? `of a ${kind} dependency`;
      key = ev?.key;
      value = ev?.value;
    }
    return { from: a, to: b, kind, ...(key !== undefined ? { key } : {}), ...(value !== undefined ? { value } : {}), why };
  });
  const claims = steps.map((s) => `${s.from} < ${s.to} because ${s.why}`);
  return { txns: refs, cycle: steps, explanation: `${text} ${claims.join('; ')}: a contradiction.` };
}
