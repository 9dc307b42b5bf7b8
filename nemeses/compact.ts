// The compact nemesis (DB.maintenance): compact the key-value history at the
// newest revision under load, asked of a random live member. Watchers that
// resume below it are then canceled with the compacted revision (the watch
// checker excuses exactly the revisions below it), and readers of old
// revisions are refused. Proven when every live member refuses a read just
// below that revision as compacted: followers apply the compaction from
// the log, so they are polled for a few seconds.
import type { DockerClusterInfo } from '../clusters/index.ts';
import type { Completion, JsonValue } from '../history/index.ts';
import { errorText } from '../history/index.ts';
import { evidence, sleep, withEffect } from './effect.ts';
import type { Fault, FaultSpec } from './fault.ts';
import { liveMembers, maintenanceOf, nothingToUndo, pickLive } from './maintenance.ts';

const APPLY_WAIT_MS = 5_000;
const POLL_MS = 200;

export class CompactFault implements Fault {
  readonly kind = 'compact';

  async start(spec: FaultSpec, info: DockerClusterInfo): Promise<Completion> {
    const m = maintenanceOf(info);
    const live = await liveMembers(info);
    const node = pickLive(live, spec.seed);
    if (!node) return { type: 'fail', error: 'no member answers: nothing to compact' };
    const { revision } = await m.compact(info.cluster, node);
    const seen: Record<string, JsonValue> = {};
    const t0 = performance.now();
    for (;;) {
      await Promise.all(live.map(async (n) => {
        seen[n] = await m.isCompacted(info.cluster, n, revision).catch((e: unknown) => `no answer: ${errorText(e)}`);
      }));
      const behind = live.filter((n) => seen[n] !== true);
      if (behind.length === 0 || performance.now() - t0 > APPLY_WAIT_MS) {
        return withEffect(
          { fault: 'compact', nodes: [node], description: `history compacted at revision ${revision} (asked of ${node})`, revision },
          behind.length ? 'unverified' : 'took-effect',
          evidence(behind.length ? `${behind.join(' ')} not seen compacted at ${revision} within ${APPLY_WAIT_MS} ms` : `every live member refuses a read below ${revision} as compacted`, { revision, compactedAt: seen }),
        );
      }
      await sleep(POLL_MS);
    }
  }

  async stop(): Promise<Completion> {
    return nothingToUndo('compact');
  }

  forget(): void {}
}
