// Model states interned as small integers, with every transition computed at
// most once: the search works on integers only and calls model.step once per
// distinct (state, op) pair, however often it revisits them.
import { stateKey, type Call, type Model } from '../models/model.ts';

const UNKNOWN = -2;
/** Transition result for a call the model refuses. */
export const ILLEGAL = -1;

export class StateSpace<S = unknown> {
  readonly states: S[] = [];
  private readonly ids = new Map<string | number, number>();
  private readonly rows: Int32Array[] = [];

  constructor(
    private readonly model: Model<S>,
    private readonly calls: readonly Call[],
  ) {}

  /** Id of a state, interning it on first sight. */
  intern(state: S): number {
    const key = stateKey(this.model, state);
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.states.length;
      this.ids.set(key, id);
      this.states.push(state);
      this.rows.push(new Int32Array(this.calls.length).fill(UNKNOWN));
    }
    return id;
  }

  /** The state id after op `op` in state `state`, or ILLEGAL. */
  next(state: number, op: number): number {
    const row = this.rows[state];
    const known = row[op];
    if (known !== UNKNOWN) return known;
    const after = this.model.step(this.states[state], this.calls[op]);
    const id = after === undefined ? ILLEGAL : this.intern(after);
    row[op] = id;
    return id;
  }

  /** Bytes held by the transition rows (for the memory budget). */
  bytes(): number {
    return this.rows.length * this.calls.length * 4;
  }
}
