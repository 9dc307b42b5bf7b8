// Raft's own rules (checkers/raft-protocol.ts): which rules the members'
// logs were held to, what they showed, and each violation with its
// explanation. Built only when the run has a raft-protocol result.
import { el } from './dom.ts';
import { formatCount, verdictWord } from './format.ts';
import { model } from './model.ts';

interface Violation {
  rule: string;
  nodes: string[];
  term: number;
  explanation: string;
}

interface Details {
  violations?: Violation[];
  observed?: Record<string, number>;
  unsupported?: Record<string, string>;
}

export function raftRulesSection(): HTMLElement | null {
  const result = model.results.checkers.find((c) => c.checker === 'raft-protocol');
  if (!result) return null;
  const d = (result.details ?? {}) as Details;
  const violations = d.violations ?? [];
  const observed = Object.entries(d.observed ?? {});
  return el('section', { id: 'raft-rules' },
    el('h2', {}, "Raft's rules on the members' logs: " + verdictWord(result.valid)),
    el('p', {}, result.summary),
    violations.length
      ? el('table', { class: 'raft-violations' },
          el('tr', {}, el('th', {}, 'rule'), el('th', {}, 'term'), el('th', {}, 'members'), el('th', {}, 'why it is a violation')),
          violations.map((v) => el('tr', { class: 'raft-violation', 'data-rule': v.rule }, el('td', {}, el('code', {}, v.rule)), el('td', { class: 'num' }, String(v.term)), el('td', {}, v.nodes.join(' ')), el('td', {}, v.explanation))),
        )
      : null,
    observed.length ? el('p', { class: 'muted' }, 'Observed: ' + observed.map(([what, n]) => `${formatCount(n)} ${what}`).join(', ')) : null,
    Object.entries(d.unsupported ?? {}).map(([rule, why]) => el('p', { class: 'muted' }, el('code', {}, rule), ' not held: ' + why)),
  );
}
