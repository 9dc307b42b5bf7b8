// Several generators side by side on the same workers (Jepsen's `any`): each
// keeps its own timeline, and whichever has an op due first gets the free
// worker. Used to let fault schedules of different kinds overlap in time.
// Each member draws from a stream of its own (forked by position), so adding
// a member does not change the others' choices.
import { EXHAUSTED, waitUntil, type GenContext, type Generator, type Next } from './protocol.ts';
import type { Random } from './random.ts';

export function any(members: readonly Generator[]): Generator {
  const live = members.map((gen, i) => ({ gen, key: `any-${i}`, random: undefined as Random | undefined }));
  let start = 0;
  return {
    next(ctx: GenContext): Next {
      let until = Infinity;
      const exhausted = new Set<number>();
      let result: Next | undefined;
      // Start after the member that gave the last op: no member can starve the others.
      for (let k = 0; k < live.length && !result; k++) {
        const i = (start + k) % live.length;
        const m = live[i];
        m.random ??= ctx.random.fork(m.key);
        const r = m.gen.next({ ...ctx, random: m.random });
        if (r.kind === 'op') {
          result = r;
          start = i + 1;
        } else if (r.kind === 'wait') until = Math.min(until, r.until);
        else exhausted.add(i);
      }
      if (exhausted.size > 0) {
        const before = live.filter((_, i) => i < start && exhausted.has(i)).length;
        for (const i of [...exhausted].sort((a, b) => b - a)) live.splice(i, 1);
        start -= before;
      }
      if (live.length > 0) start %= live.length;
      if (result) return result;
      return live.length === 0 ? EXHAUSTED : waitUntil(until);
    },
  };
}
