// The smallest story of a non-linearizable history: every reduction is sound
// (it never makes a linearizable history non-linearizable, by brute force),
// every step keeps the story non-linearizable, the corpus's invalid histories
// shrink, and a stale read shrinks to the write, the overwrite and the read.
import { describe, expect, it } from 'vitest';
import { checkLinearizability, describeLinearizabilityResult, shrinkCounterexample, withSmallestStory } from '../../checkers/linearizability/index.ts';
import { Refuter } from '../../checkers/linearizability/refuter.ts';
import { cutPoints, droppable, dropOps, historyOf, relaxable, relaxOps, restrictToKey, storyOf, truncateAt } from '../../checkers/linearizability/reductions.ts';
import { cutStep, dropStep, relaxStep } from '../../checkers/linearizability/shrink.ts';
import { casRegisterModel, fifoQueueModel, kvModel, modelByName, mutexModel, setModel, unorderedQueueModel, type Model } from '../../checkers/models/index.ts';
import { checkerFromSpec, explainResult } from '../../checkers/index.ts';
import type { LinearizabilityDetails } from '../../checkers/linearizability/index.ts';
import { counterexampleViews } from '../../reports/counterexample.ts';
import { readHistoryFile } from '../../history/formats/index.ts';
import type { History, Op } from '../../history/op.ts';
import { etcdCases, knossosCases, kvCases } from '../../testkit/corpus.ts';
import {
  bruteForceLinearizable,
  casRegisterWorkload,
  fifoQueueWorkload,
  generateHistory,
  kvWorkload,
  mutexWorkload,
  setWorkload,
  unorderedQueueWorkload,
  type Workload,
} from '../../testkit/linearizability-histories.ts';

const cases: [string, Workload<never>, () => Model][] = [
  ['cas-register', casRegisterWorkload as Workload<never>, () => casRegisterModel({ nilRead: 'absent' })],
  ['kv', kvWorkload as Workload<never>, kvModel],
  ['mutex', mutexWorkload as Workload<never>, mutexModel],
  ['set', setWorkload as Workload<never>, setModel],
  ['fifo-queue', fifoQueueWorkload as Workload<never>, fifoQueueModel],
  ['queue', unorderedQueueWorkload as Workload<never>, unorderedQueueModel],
];

/**
 * Small histories, real and spoiled, crashes included: many of them not
 * linearizable. Spoiled: random results, or (workloads without results to
 * spoil, the mutex) a failed op that claims it succeeded.
 */
function smallHistories(workload: Workload<never>, count: number): History[] {
  return Array.from({ length: count }, (_, i) => {
    const spoil = i % 2 === 0;
    const h = generateHistory(workload, (i + 1) * 7919, { ops: 3 + (i % 6), processes: 2 + (i % 3), infoRate: 0.2, randomResults: spoil });
    const failed = h.findIndex((o) => o.type === 'fail');
    return spoil && !workload.randomResult && failed >= 0 ? h.map((o, j) => (j === failed ? { ...o, type: 'ok' as const } : o)) : h;
  });
}

const testRefuter = (model: Model) => new Refuter(model, { maxChecks: Infinity, deadline: Infinity, stepsPerCheck: 1e7, maxMemoryBytes: 64 << 20 });

describe.each(cases)('%s: every reduction is sound (brute force)', (_name, workload, model) => {
  it('never turns a linearizable history into a non-linearizable one: cut, drop, relax, key', () => {
    let linearizable = 0;
    let tried = 0;
    for (const [i, h] of smallHistories(workload, 200).entries()) {
      const m = model();
      if (!bruteForceLinearizable(h, m)) continue;
      linearizable++;
      const story = storyOf(h);
      const reduced: [string, Op[]][] = [
        ...cutPoints(story).map((c) => [`cut at ${c}`, historyOf(truncateAt(story, m, c))] as [string, Op[]]),
        ...story.map((o) => [`drop op ${o.invoke.index}`, historyOf(dropOps(story, m, new Set([o.pos])))] as [string, Op[]]),
        ...story.map((o) => [`relax op ${o.invoke.index}`, historyOf(relaxOps(story, m, new Set([o.pos])))] as [string, Op[]]),
        ...['a', 'b'].map((k) => [`key ${k}`, historyOf(restrictToKey(story, m, k))] as [string, Op[]]),
      ];
      for (const [what, h2] of reduced) {
        tried++;
        expect(bruteForceLinearizable(h2, model()), `history ${i}, ${what}: ${JSON.stringify(h)}`).toBe(true);
      }
    }
    expect(linearizable).toBeGreaterThan(50);
    expect(tried).toBeGreaterThan(500);
  });

  it('a cut is monotone: once not linearizable, not linearizable at every later cut', () => {
    for (const h of smallHistories(workload, 200)) {
      const m = model();
      const story = storyOf(h);
      const verdicts = cutPoints(story).map((c) => bruteForceLinearizable(historyOf(truncateAt(story, m, c)), model()));
      const firstInvalid = verdicts.indexOf(false);
      if (firstInvalid >= 0) expect(verdicts.slice(firstInvalid), JSON.stringify(h)).not.toContain(true);
    }
  });

  it('each step keeps a non-linearizable history non-linearizable; the whole shrink ends proven and 1-minimal', () => {
    let invalid = 0;
    for (const [i, h] of smallHistories(workload, 200).entries()) {
      if (bruteForceLinearizable(h, model())) continue;
      invalid++;
      const m = model();
      const refuter = testRefuter(m);
      let story = storyOf(h);
      const cut = cutStep(story, m, refuter);
      if (cut) story = cut.story;
      expect(bruteForceLinearizable(historyOf(story), model()), `history ${i} after the cut`).toBe(false);
      story = dropStep(story, m, refuter).story;
      expect(bruteForceLinearizable(historyOf(story), model()), `history ${i} after drop-reads`).toBe(false);
      story = relaxStep(story, m, refuter).story;
      expect(bruteForceLinearizable(historyOf(story), model()), `history ${i} after relax-writes`).toBe(false);

      const shrunk = shrinkCounterexample(h, model())!;
      expect(shrunk, `history ${i}`).toBeDefined();
      expect(bruteForceLinearizable(shrunk.history, model())).toBe(false);
      expect(shrunk.minimized).toBe(true);
      // Nothing more could go: no op left can be dropped or relaxed, no earlier cut holds.
      const left = storyOf(shrunk.history);
      for (const o of left) {
        if (droppable(o, m)) expect(bruteForceLinearizable(historyOf(dropOps(left, m, new Set([o.pos]))), model()), `history ${i}: drop ${o.pos}`).toBe(true);
        if (relaxable(o, m)) expect(bruteForceLinearizable(historyOf(relaxOps(left, m, new Set([o.pos]))), model()), `history ${i}: relax ${o.pos}`).toBe(true);
      }
      for (const c of cutPoints(left).slice(0, -1)) expect(bruteForceLinearizable(historyOf(truncateAt(left, m, c)), model())).toBe(true);
    }
    expect(invalid).toBeGreaterThan(20);
  });
});

/** A kv-register history: [key, v] values, 0.1 s between records. */
function build(records: [process: number, type: Op['type'], f: string, value: unknown][]): Op[] {
  return records.map(([process, type, f, value], index) => ({ index, time: (index + 1) * 1e8, process, type, f, value }));
}

// x: write 1, then write 2 completes, then a read of x returns 1. Around them: reads,
// a failed cas, another key, and ops after the stale read.
const staleRead = build([
  [1, 'invoke', 'read', ['x', null]],
  [1, 'ok', 'read', ['x', null]],
  [0, 'invoke', 'write', ['x', 1]], // op 2
  [4, 'invoke', 'read', ['x', null]],
  [0, 'ok', 'write', ['x', 1]],
  [4, 'ok', 'read', ['x', 1]],
  [3, 'invoke', 'cas', ['x', [5, 6]]],
  [3, 'fail', 'cas', ['x', [5, 6]]],
  [2, 'invoke', 'write', ['y', 7]],
  [2, 'ok', 'write', ['y', 7]],
  [0, 'invoke', 'write', ['x', 2]], // op 10
  [1, 'invoke', 'read', ['x', null]],
  [0, 'ok', 'write', ['x', 2]],
  [1, 'ok', 'read', ['x', 2]],
  [2, 'invoke', 'read', ['x', null]], // op 14: the stale read
  [2, 'ok', 'read', ['x', 1]],
  [0, 'invoke', 'write', ['x', 3]],
  [0, 'ok', 'write', ['x', 3]],
  [1, 'invoke', 'read', ['x', null]],
  [1, 'ok', 'read', ['x', 3]],
  [2, 'invoke', 'read', ['y', null]],
  [2, 'ok', 'read', ['y', 7]],
]);

describe('a stale read', () => {
  const model = () => modelByName('kv-cas-register')!;

  it('shrinks to the write, the overwrite and the stale read', () => {
    const story = shrinkCounterexample(staleRead, model())!;
    expect(story.history.filter((o) => o.type === 'invoke').map((o) => o.index)).toEqual([2, 10, 14]);
    expect(story.history.map((o) => o.index)).toEqual([2, 4, 10, 12, 14, 15]);
    expect(story).toMatchObject({ originalOpCount: 11, opCount: 3, key: 'x', relaxed: [], minimized: true });
    expect(story.steps.map((s) => [s.step, s.before, s.after])).toEqual([
      ['key', 11, 9],
      ['truncate', 9, 7],
      ['drop-reads', 7, 3],
      ['relax-writes', 3, 3],
    ]);
    expect(story.explanation[0]).toBe('Keep key "x": its 9 ops alone cannot be ordered (keys are independent, so one key is proof enough); 2 ops of other keys left out.');
    expect(story.explanation[1]).toMatch(/^Cut at 1\.600 s, where op 14 \(x: read -> 1\) returned: the 7 ops called by then already have no order; 2 left out/);
    expect(story.explanation[2]).toBe('Dropped 3 reads and 1 failed op that the contradiction does not need.');
    expect(story.explanation).toContain('The 3 ops left cannot be linearized:');
    expect(story.explanation).toContain('  op 14 (process 2, 1.500–1.600 s): x: read -> 1');
    expect(story.explanation.join('\n')).toMatch(/op 14: read -> 1 \(process 2\): impossible when the state is 2/);
    expect(story.partition.counterexample!.blockingOp).toBe(14);
    // The story is a real history: checked on its own, it is not linearizable.
    expect(checkLinearizability(story.history, model()).valid).toBe(false);
    expect(JSON.parse(JSON.stringify(story))).toEqual(story);
  });

  it('an earlier write the contradiction does not need is relaxed, not dropped', () => {
    // A write of 0 before everything: the stale read does not need it to have happened.
    const withEarlyWrite = build([[5, 'invoke', 'write', ['x', 0]], [5, 'ok', 'write', ['x', 0]], ...staleRead.map((o) => [o.process, o.type, o.f, o.value] as [number, Op['type'], string, unknown])]);
    const story = shrinkCounterexample(withEarlyWrite, model())!;
    expect(story.opCount).toBe(4);
    expect(story.relaxed).toEqual([0]);
    expect(story.history[1]).toMatchObject({ index: 1, type: 'info' });
    expect(story.explanation).toContain('1 acknowledged op (write ×1) relaxed to "may have happened" (any time after the call, or never): the contradiction does not need their acknowledgements.');
    expect(bruteForceLinearizable(story.history, model())).toBe(false);
  });

  it('the linearizability checker carries the story, and `faultline check` prints it', async () => {
    const checker = checkerFromSpec({ name: 'linearizability', config: { model: 'kv-cas-register', workers: 0 } });
    const r = await checker.check(staleRead, { nodes: [], workload: '' });
    expect(r.valid).toBe(false);
    const lines = explainResult(r);
    expect(lines).toContain('Smallest story (3 of 11 ops):');
    expect(lines).toContain('    op 14 (process 2, 1.500–1.600 s): x: read -> 1');
    const off = await checkerFromSpec({ name: 'linearizability', config: { model: 'kv-cas-register', workers: 0, shrinkTimeoutMs: 0 } }).check(staleRead, { nodes: [], workload: '' });
    expect(explainResult(off).some((l) => l.startsWith('Smallest story'))).toBe(false);
  });

  it("the report's counterexample view tells it, naming the ops left", async () => {
    const r = await checkerFromSpec({ name: 'linearizability', config: { model: 'kv-cas-register', workers: 0 } }).check(staleRead, { nodes: [], workload: '' });
    const [view] = counterexampleViews([r], (i) => staleRead[i], (i) => 1000 + i);
    expect(view.smallest).toMatchObject({ opCount: 3, originalOpCount: 11, ops: [1002, 1010, 1014] });
    expect(view.smallest!.explanation).toEqual((r.details as LinearizabilityDetails).minimal!.explanation);
  });

  it('a valid history gets no story', () => {
    const valid = staleRead.slice(0, 14);
    const r = checkLinearizability(valid, model());
    expect(r.valid).toBe(true);
    expect(withSmallestStory(r, valid, model())).toBe(r);
    expect(describeLinearizabilityResult(r)).toEqual([]);
  });
});

describe('the corpus', () => {
  const invalid = [...etcdCases(), ...kvCases(), ...knossosCases()].filter((c) => !c.expected);

  it.each(invalid.map((c) => [c.name, c] as const))('%s shrinks to a smaller history that is still not linearizable', (_name, c) => {
    const history = readHistoryFile(c.file);
    const story = shrinkCounterexample(history, c.model())!;
    expect(story).toBeDefined();
    expect(story.opCount).toBeLessThan(story.originalOpCount);
    expect(checkLinearizability(story.history, c.model(), { timeoutMs: 30_000 }).valid).toBe(false);
    if (story.opCount <= 8) expect(bruteForceLinearizable(story.history, c.model())).toBe(false);
    // Every record is the original's, under its original index; only the relaxed ops' ok completions say info.
    for (const { invoke, completion } of storyOf(story.history)) {
      expect(invoke).toEqual(history[invoke.index]);
      if (!completion) continue;
      const original = history[completion.index];
      const relaxed = original.type === 'ok' && completion.type === 'info';
      expect(completion).toEqual(relaxed ? { ...original, type: 'info' } : original);
      expect(story.relaxed.includes(invoke.index)).toBe(relaxed);
    }
  });

  it('says so when the budget stops the shrinking early, and the story is still proven', () => {
    const c = invalid.find((x) => x.name.endsWith('etcd_000.log'))!;
    const story = shrinkCounterexample(readHistoryFile(c.file), c.model(), { maxChecks: 4 })!;
    expect(story.minimized).toBe(false);
    expect(story.checks).toBe(4);
    expect(story.explanation.some((l) => l.startsWith('Not fully minimized (budget): stopped after 4 searches'))).toBe(true);
    expect(checkLinearizability(story.history, c.model()).valid).toBe(false);
  });
});
