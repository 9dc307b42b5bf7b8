// What the compact and defrag nemeses share: only a DB with storage
// maintenance (etcd) takes them, a live member is asked, and their stop has
// nothing to undo (each is one operation, done in start).
import type { DockerClusterInfo } from '../clusters/index.ts';
import { Random } from '../generator/index.ts';
import { UserError, type Completion } from '../history/index.ts';
import { evidence } from './effect.ts';
import type { NemesisDbTraits } from './fault.ts';

export function assertMaintenanceSupported(kind: 'compact' | 'defrag', db: Pick<NemesisDbTraits, 'name' | 'maintenance'>): void {
  if (!db.maintenance) throw new UserError(`${kind} unsupported for ${db.name}: it has no ${kind === 'compact' ? 'history compaction' : 'backend defragmentation'}`, `Use --db etcd for the ${kind} nemesis.`);
}

export function maintenanceOf(info: DockerClusterInfo) {
  if (!info.db.maintenance) throw new Error(`${info.db.name} has no storage maintenance`);
  return info.db.maintenance;
}

/** Members answering right now, in node order. */
export async function liveMembers(info: DockerClusterInfo): Promise<string[]> {
  return (await info.db.status(info.cluster)).filter((s) => s.up).map((s) => s.node);
}

export const pickLive = (live: readonly string[], seed: number): string | undefined => (live.length ? new Random(seed).pick(live) : undefined);

/** The stop of a one-shot operation: nothing stays in force, so nothing to heal. */
export function nothingToUndo(fault: string): Completion {
  return { type: 'ok', value: { fault, nodes: [], description: `${fault} is one operation, done at start: nothing to undo`, effect: 'unverified', evidence: evidence('nothing to undo') } };
}
