// The watch workload against real etcd 3.4.23 under partitions and kills:
// watchers lose their streams and resume on other members, and the watch
// checker finds every delivered event ordered, unique, atomic, gap-free and
// true to the writes.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { faultline } from '../support/cli.ts';
import type { WatchDetails } from '../../checkers/index.ts';

function runDirOf(store: string): string {
  const [test] = readdirSync(store).filter((d) => d !== 'latest');
  const [run] = readdirSync(join(store, test));
  return join(store, test, run);
}

describe('etcd watch workload', () => {
  it('20 s with partitions and kills: watchers resume, and every event checks out', async () => {
    const store = mkdtempSync(join(tmpdir(), 'faultline-watch-'));
    const r = await faultline(['test', '--db', 'etcd', '--workload', 'watch', '--nemesis', 'partition,kill', '--nodes', '3', '--time-limit', '20', '--nemesis-interval', '4s', '--seed', '11', '--store', store]);
    const results = JSON.parse(readFileSync(join(runDirOf(store), 'results.json'), 'utf8'));
    const watch = results.checkers.find((c: { checker: string }) => c.checker === 'watch');
    expect({ exit: r.exitCode, watch: watch.summary }, String(r.stdout) + String(r.stderr)).toMatchObject({ exit: 0 });
    expect(watch.valid).toBe(true);
    const d = watch.details as WatchDetails;
    expect(d.eventsChecked).toBeGreaterThan(100);
    expect(d.writes.ok).toBeGreaterThan(50);
    // Streams broke or rotated and were resumed. (Progress notifications come
    // only to a watcher idle for a whole interval: some runs have none.)
    expect(d.watchers.some((w) => w.starts > 1)).toBe(true);
  });
});
