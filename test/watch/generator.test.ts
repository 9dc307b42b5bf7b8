// The watch workload's schedule: even workers write unique values to the
// watch/ keys, odd workers watch with one fixed set of options each.
import { describe, expect, it } from 'vitest';
import { simulate } from '../../generator/index.ts';
import { watchGenerator, WATCHER_PRESETS } from '../../workloads/index.ts';
import type { WatchInvoke, WriteValue } from '../../checkers/index.ts';
import { workloadFor } from '../../workloads/index.ts';
import { etcdClients } from '../../harness/systems/etcd.ts';
import { raftkvClients } from '../../harness/systems/raftkv.ts';

describe('watch generator', () => {
  const ops = simulate(watchGenerator(), { seed: 5, workers: [0, 1, 2, 3, 4, 5], horizon: 2e9 });

  it('writes unique values and watches with one preset per watcher', () => {
    const writes = ops.filter((o) => o.f !== 'watch');
    expect(new Set(writes.map((o) => o.f))).toEqual(new Set(['put', 'txn', 'delete']));
    const values = writes.flatMap((o) => ((o.value as WriteValue).puts ?? []).map((p) => p.value));
    expect(new Set(values).size).toBe(values.length);
    expect(writes.every((o) => (o.worker as number) % 2 === 0)).toBe(true);
    const watchers = new Map(ops.filter((o) => o.f === 'watch').map((o) => [(o.value as WatchInvoke).watcher, (o.value as WatchInvoke).options]));
    expect([...watchers.keys()].sort()).toEqual(['w0', 'w1', 'w2']);
    expect(watchers.get('w1')).toEqual(WATCHER_PRESETS[1]);
  });

  it('is etcd only: another system refuses it by name', () => {
    expect(workloadFor('etcd', etcdClients({ timeoutMs: 1, readMode: 'linearizable' }), 'watch').name).toBe('watch');
    expect(() => workloadFor('raftkv', raftkvClients({ timeoutMs: 1 }), 'watch')).toThrow(/unknown --workload "watch" for --db raftkv/);
    expect(() => workloadFor('raftkv', raftkvClients({ timeoutMs: 1 }), 'watch')).toThrow(expect.objectContaining({ hint: expect.stringMatching(/needs etcd's watch API/) }));
  });
});
