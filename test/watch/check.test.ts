// The watch checker on synthetic histories: one valid run, then each rule
// broken on its own (a duplicated, missing or reordered event, a split txn,
// a bookmark ahead, a wrong prev_kv, a filter leak, a phantom).
import { describe, expect, it } from 'vitest';
import { checkWatch, type WatchDetails, type WatchItem, type WatchOptions, type WatchRule } from '../../checkers/index.ts';
import { checkerFromSpec } from '../../checkers/index.ts';
import type { History } from '../../history/index.ts';
import { ALL, GOOD, K0A, K0DEL, K1B, K1D, K2C, events, put, run, type Step } from '../../testkit/watch-history.ts';

function rules(h: History): WatchRule[] {
  const r = checkWatch(h);
  return (r.details as WatchDetails).violations.map((v) => v.rule);
}

describe('watch checker', () => {
  it('accepts a stream that is ordered, complete, atomic and true to the writes, across a resume', () => {
    const r = checkWatch(run(GOOD));
    expect(r.valid, r.summary).toBe(true);
    const d = r.details as WatchDetails;
    expect(d.eventsChecked).toBe(5);
    expect(d.watchers[0]).toMatchObject({ id: 'w0', from: 1, last: 5, starts: 2, progress: 2 });
  });

  it('is reachable by name through the registry', async () => {
    expect((await checkerFromSpec({ name: 'watch' }).check(run(GOOD), { nodes: [], workload: 'watch' })).valid).toBe(true);
  });

  it('is unknown when no watcher was delivered anything', () => {
    expect(checkWatch(run([])).valid).toBe('unknown');
  });

  it('unique: an event delivered twice (a resume from too early)', () => {
    const polls = [GOOD[0], [{ kind: 'start', from: 3, node: 'n2' } as WatchItem, events(3, K1B, K2C), events(4, K0DEL)], GOOD[2]];
    expect(rules(run(polls))).toEqual(expect.arrayContaining(['unique']));
  });

  it('reliable: a committed write in the watched range never delivered', () => {
    const polls = [GOOD[0], [GOOD[1][0]], GOOD[2]];
    const r = checkWatch(run(polls));
    expect(r.valid).toBe(false);
    const v = (r.details as WatchDetails).violations.find((x) => x.rule === 'reliable')!;
    expect(v).toMatchObject({ watcher: 'w0', revision: 4, key: 'watch/k0' });
    expect(v.explanation).toMatch(/missed the delete watch\/k0@4 of ok write op 4/);
  });

  it('reliable: no event owed outside the range, past the last revision told, or to a filter', () => {
    const sub: WatchOptions = { key: 'watch/k1', rangeEnd: 'watch/k2', start: 'first', filters: ['NODELETE'] };
    expect(checkWatch(run([[{ kind: 'start', from: 1, node: 'n1' }, events(3, put('watch/k1', 'b', 3))]], sub)).valid).toBe(true);
  });

  it('ordered: a later revision delivered before an earlier one', () => {
    const polls = [GOOD[0], [GOOD[1][0], events(5, K1D), events(4, K0DEL)]];
    expect(rules(run(polls))).toContain('ordered');
  });

  it('atomic: one txn split across two responses', () => {
    const polls = [[GOOD[0][0], events(2, K0A), events(3, K1B), events(3, K2C)], GOOD[1], GOOD[2]];
    expect(rules(run(polls))).toEqual(['atomic']);
  });

  it('bookmarkable: a progress notification ahead of an event delivered after it', () => {
    const polls = [[...GOOD[0].slice(0, 3), { kind: 'progress', revision: 4 } as WatchItem], GOOD[1], GOOD[2]];
    expect(rules(run(polls))).toEqual(['bookmarkable']);
  });

  it('reliable: a progress notification promises events that never come', () => {
    const polls = [[...GOOD[0].slice(0, 3), { kind: 'progress', revision: 4 } as WatchItem]];
    expect(rules(run(polls))).toEqual(['reliable']);
  });

  it('prev-kv: a prev_kv that is not the key\'s previous state', () => {
    const wrong = put('watch/k1', 'd', 5, 3, 2, { value: 'x', mod: 3, create: 3, version: 1 });
    expect(rules(run([GOOD[0], GOOD[1], [events(5, wrong)]]))).toEqual(['prev-kv']);
    const missing = put('watch/k1', 'd', 5, 3, 2);
    expect(rules(run([GOOD[0], GOOD[1], [events(5, missing)]]))).toEqual(['prev-kv']);
  });

  it('filter: a delete delivered to a NODELETE watcher, a key outside the range', () => {
    const noDelete: WatchOptions = { ...ALL, filters: ['NODELETE'] };
    expect(rules(run(GOOD, noDelete))).toEqual(['filter']);
    const narrow: WatchOptions = { key: 'watch/k0', rangeEnd: 'watch/k1', start: 'first' };
    expect(rules(run([[GOOD[0][0], events(2, K0A), events(3, K1B)]], narrow))).toEqual(['filter']);
  });

  it('value: a phantom write, a wrong value, a failed write seen', () => {
    const phantom = run([...GOOD, [events(6, put('watch/k3', 'zz', 6))]]);
    expect(rules(phantom)).toEqual(['value']);
    expect(checkWatch(phantom).summary).toMatch(/phantom: no write ever wrote "zz" to watch\/k3/);
    expect(rules(run([[GOOD[0][0], events(2, put('watch/k0', 'b', 2))]]))).toContain('value');
    const failed: Step[] = [['put', { puts: [{ key: 'watch/k3', value: 'f' }] }, 'fail']];
    expect(rules(run([...GOOD, [events(6, put('watch/k3', 'f', 6))]], ALL, failed))).toEqual(['value']);
  });

  it('value: an indeterminate write may show up, at one revision only', () => {
    const info: Step[] = [['put', { puts: [{ key: 'watch/k3', value: 'e' }] }, 'info', undefined, 2]];
    expect(checkWatch(run([...GOOD, [events(6, put('watch/k3', 'e', 6))]], ALL, info)).valid).toBe(true);
    // Not seen at all: nothing owed.
    expect(checkWatch(run(GOOD, ALL, info)).valid).toBe(true);
  });

  it('a watcher resumed after a compaction owes nothing below the compaction', () => {
    const polls = [[GOOD[0][0], events(2, K0A), { kind: 'canceled', reason: 'compacted', compactRevision: 5 } as WatchItem], [{ kind: 'start', from: 5, node: 'n2' } as WatchItem, events(5, put('watch/k1', 'd', 5, 3, 2, { value: 'b', mod: 3, create: 3, version: 1 }))]];
    expect(checkWatch(run(polls)).valid).toBe(true);
  });
});
