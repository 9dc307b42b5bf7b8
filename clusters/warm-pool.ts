// Clusters kept warm between runs of one process (explore's many short runs):
// creating five containers and their network costs ~3 s and removing them
// ~1 s of every run, more than a third of an 8 s run's overhead. A run that
// ends hands its cluster back instead (every DB process killed, each node's
// firewall flushed, its host folder emptied: clusters/docker/cluster.ts
// resetNode), and the next run of the same DB, image and size starts its DB
// fresh on those containers. close() removes them all; so does the first
// SIGINT/SIGTERM (clusters/cleanup.ts), and a run torn down by a signal is
// removed rather than handed back.
import { rmSync } from 'node:fs';
import { registerCleanup } from './cleanup.ts';
import type { RunningCluster } from './start.ts';

/** A cluster between runs: its containers and the host folder its nodes mount. */
export interface WarmCluster {
  running: RunningCluster;
  workDir: string;
}

export class WarmPool {
  private readonly idle = new Map<string, WarmCluster[]>();
  private readonly owned = new Set<WarmCluster>();
  private unregister?: () => void;
  /** Runs that took a warm cluster, and runs that had to create one. */
  readonly counts = { reused: 0, created: 0 };

  /** An idle cluster made for `key`, now the caller's; undefined when none. */
  take(key: string): WarmCluster | undefined {
    const warm = this.idle.get(key)?.pop();
    if (warm) this.counts.reused++;
    return warm;
  }

  /** A cluster created for a run: the pool removes it on close whatever happens to the run. */
  adopt(warm: WarmCluster): void {
    this.counts.created++;
    this.owned.add(warm);
    this.unregister ??= registerCleanup('warm clusters', () => this.close());
  }

  /** Back in the pool, reset by the caller, for the next run of `key`. */
  give(key: string, warm: WarmCluster): void {
    const list = this.idle.get(key) ?? [];
    list.push(warm);
    this.idle.set(key, list);
  }

  /** Remove one cluster for good (a reset that failed, a run torn down by a signal). */
  async discard(warm: WarmCluster): Promise<void> {
    this.owned.delete(warm);
    for (const list of this.idle.values()) list.splice(0, list.length, ...list.filter((w) => w !== warm));
    await warm.running.teardown();
    rmSync(warm.workDir, { recursive: true, force: true });
  }

  /** Remove every cluster the pool made, idle or not. */
  async close(): Promise<void> {
    const all = [...this.owned];
    this.idle.clear();
    this.unregister?.();
    this.unregister = undefined;
    await Promise.all(all.map((w) => this.discard(w)));
  }
}
