// Random choice between generators for every op (Jepsen's `mix`), e.g.
// mix([reads, writes, cases]). An exhausted member drops out; the mix ends
// when all have.
import { EXHAUSTED, type Generator } from './protocol.ts';

export function mix(members: readonly Generator[]): Generator {
  const live = [...members];
  return {
    next(ctx) {
      while (live.length > 0) {
        const i = ctx.random.int(live.length);
        const r = live[i].next(ctx);
        if (r.kind !== 'exhausted') return r;
        live.splice(i, 1);
      }
      return EXHAUSTED;
    },
  };
}
