// The defrag nemesis (DB.maintenance): defragment a member's backend under
// load (variant one: a random live member; all: every live member, one after
// the other, as etcd's docs advise). A defragment rewrites the whole file and
// blocks the member's reads and writes meanwhile: the fault is that stall,
// and the copy-and-rename it does. Proven when the member answered the
// defragment and its file is then no larger than the bytes it had in use.
import type { DockerClusterInfo } from '../clusters/index.ts';
import type { Completion, JsonValue } from '../history/index.ts';
import { evidence, withEffect } from './effect.ts';
import type { Fault, FaultSpec } from './fault.ts';
import { liveMembers, maintenanceOf, nothingToUndo, pickLive } from './maintenance.ts';

export const DEFRAG_VARIANTS = ['one', 'all'] as const;

export class DefragFault implements Fault {
  readonly kind = 'defrag';

  async start(spec: FaultSpec, info: DockerClusterInfo): Promise<Completion> {
    const m = maintenanceOf(info);
    const live = await liveMembers(info);
    const one = pickLive(live, spec.seed);
    const nodes = spec.variant === 'all' ? live : one ? [one] : [];
    if (nodes.length === 0) return { type: 'fail', error: 'no member answers: nothing to defragment' };
    const sizes: Record<string, JsonValue> = {};
    const shrunk: string[] = [];
    const errors: string[] = [];
    for (const n of nodes) {
      try {
        const r = await m.defragment(info.cluster, n);
        sizes[n] = r;
        // Writes land between the status calls, so "no larger than in use before, plus slack" is the proof, not equality.
        if (r.sizeAfter <= Math.max(r.inUseBefore, r.sizeBefore)) shrunk.push(n);
      } catch (err) {
        errors.push(`${n}: ${(err as Error).message}`);
      }
    }
    const say = Object.entries(sizes).map(([n, r]) => {
      const s = r as { sizeBefore: number; sizeAfter: number; tookMs: number };
      return `${n} ${s.sizeBefore} -> ${s.sizeAfter} bytes in ${s.tookMs} ms`;
    });
    return withEffect(
      { fault: 'defrag', variant: spec.variant, nodes, description: `defragmented ${nodes.join(' ')}` },
      shrunk.length === nodes.length ? 'took-effect' : 'unverified',
      evidence(say.join('; ') || 'no member defragmented', { sizes }),
      errors,
    );
  }

  async stop(): Promise<Completion> {
    return nothingToUndo('defrag');
  }

  forget(): void {}
}
