// Where ops come from: a fixed op, a list, or a function of the context.
import { EXHAUSTED, emit, type GenContext, type Generator, type Next, type OpSpec } from './protocol.ts';

/** Calls `make` for every op; the stream ends when it returns undefined. */
export function fn(make: (ctx: GenContext) => OpSpec | undefined): Generator {
  let done = false;
  return {
    next(ctx) {
      if (done) return EXHAUSTED;
      const op = make(ctx);
      if (op === undefined) {
        done = true;
        return EXHAUSTED;
      }
      return emit(op);
    },
  };
}

/** The same op (or a freshly made one) forever. */
export function repeat(op: OpSpec | ((ctx: GenContext) => OpSpec)): Generator {
  return fn(typeof op === 'function' ? op : () => ({ ...op }));
}

/** These ops in order, each handed out once, to whichever worker asks. */
export function fromList(ops: readonly OpSpec[]): Generator {
  let i = 0;
  return fn(() => (i < ops.length ? { ...ops[i++] } : undefined));
}

/** A single op (or one made from the context when first asked). */
export function once(op: OpSpec | ((ctx: GenContext) => OpSpec)): Generator {
  let done = false;
  return {
    next(ctx) {
      if (done) return EXHAUSTED;
      done = true;
      return emit(typeof op === 'function' ? op(ctx) : { ...op });
    },
  };
}

/** Nothing at all (useful as a neutral element). */
export function empty(): Generator {
  return { next: (): Next => EXHAUSTED };
}
