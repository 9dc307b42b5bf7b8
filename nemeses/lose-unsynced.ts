// Power loss: kill -9 the DB on the target nodes, then tell each node's
// lose-unsynced filesystem (disk/lazyfs.py) to drop every byte and entry
// change not yet fsynced; the stop restarts the DB on what the disk kept.
// A plain kill loses only what the process held in memory; this loses what
// the kernel had not yet made durable, the way a machine losing power does.
//
// Evidence: per node, the killed pid (gone) and what the drop discarded
// (bytes, files, entries); the fault timeline shows it.
import type { DockerClusterInfo } from '../clusters/index.ts';
import { diskControlPath, diskMountTarget, dropUnsynced } from '../disk/index.ts';
import type { Completion } from '../history/index.ts';
import { targetNodes, type Fault, type FaultSpec, type NemesisDbTraits } from './fault.ts';
import { eachNode } from './effect.ts';
import { byNode, killDb, restartCompletion } from './process.ts';

/** Refuse before the run a DB whose data directory is unknown (the filesystem is mounted on its parent). */
export function assertLoseUnsyncedSupported(db: Pick<NemesisDbTraits, 'name' | 'dataDir'>): void {
  diskMountTarget(db.dataDir, db.name);
}

export class LoseUnsyncedFault implements Fault {
  readonly kind = 'lose-unsynced';
  private down = new Map<string, number | undefined>();

  async start(spec: FaultSpec, info: DockerClusterInfo): Promise<Completion> {
    const nodes = await targetNodes(spec, info);
    if (!nodes) return { type: 'fail', error: 'no leader to cut the power of' };
    for (const n of nodes) this.down.set(n, undefined);
    const { results, errors } = await eachNode(nodes, async (n) => {
      // The drop only once the process is gone: nothing may write while the undo log is replayed.
      const { pid } = await killDb(info, n);
      this.down.set(n, pid);
      const drop = await dropUnsynced(diskControlPath(info.cluster.runId, n));
      return {
        effect: 'took-effect' as const,
        seen: { pid, droppedBytes: drop.bytes, droppedFiles: drop.files, undoneEntries: drop.entries, filesChanged: drop.filesChanged.slice(0, 10), entriesUndone: drop.entriesUndone.slice(0, 10) },
      };
    });
    const total = [...results.values()].reduce((sum, r) => sum + r.seen.droppedBytes, 0);
    const value = {
      fault: 'lose-unsynced',
      nodes,
      description: `power loss on ${nodes.join(' ')} (${spec.variant}): kill -9 ${info.db.name}, ${total} unsynced bytes dropped`,
      variant: spec.variant,
      droppedBytes: total,
    };
    return byNode(value, results, errors, (n, s) => `${n}: pid ${s.pid} killed, dropped ${s.droppedBytes} bytes in ${s.droppedFiles} files, ${s.undoneEntries} entry changes undone`);
  }

  /** Power back: start the DB on what its disk kept, complete once it answers. */
  async stop(info: DockerClusterInfo): Promise<Completion> {
    const down = new Map(this.down);
    this.down.clear();
    return restartCompletion(info, 'lose-unsynced', down, (nodes) => `power back on ${nodes}: restarted ${info.db.name} on what its disk kept`);
  }

  forget(): void {
    this.down.clear();
  }
}
