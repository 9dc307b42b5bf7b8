// A sequential specification: what a single copy of the object would do.
// The linearizability checker asks it one question, "can this call, with this
// result, happen in this state, and what state follows?", and memoises the
// answer, so step may be slow-ish but must be pure.

/** One completed (or indeterminate) operation as a model sees it. */
export interface Call {
  /** The op's function, e.g. 'read', 'write', 'cas', 'put', 'acquire'. */
  f: string;
  /** The invoke's value (the argument). */
  input: unknown;
  /** The completion's value (the result); undefined when the op is indeterminate (:info). */
  output: unknown;
  /** True for :info / never-completed ops: the output is unknown, the op may or may not have happened. */
  indeterminate: boolean;
}

export interface Model<S = unknown> {
  /** Registry name, e.g. 'cas-register'. */
  readonly name: string;
  /** The state before any op. */
  init(): S;
  /**
   * The state after `call` in `state`, or undefined when the call (with its
   * result) is impossible in that state. Must not mutate `state`. A state
   * must never be undefined (use null).
   */
  step(state: S, call: Call): S | undefined;
  /**
   * Canonical identity of a state: two states are equal iff their keys are.
   * Serves as both hash and equality (the checker interns states by key).
   * Default: JSON.stringify.
   */
  key?(state: S): string | number;
  /**
   * A cheaper alternative to `key` for big states: a 32-bit hash plus an
   * equality test (both required together; they take precedence over `key`).
   * Equal states must hash alike.
   */
  hash?(state: S): number;
  equal?(a: S, b: S): boolean;
  /**
   * The partition an op belongs to (P-compositionality): ops of different
   * partitions never interact, so each partition is checked on its own.
   * Undefined: the model does not partition.
   */
  partition?(call: Call): string;
  /**
   * For a partitioned model whose partitions are independent copies of a
   * simpler model (Jepsen's independent keys): that model and how to turn a
   * call into its call. The checker then searches each partition with the
   * simpler, faster model.
   */
  perPartition?(): { model: Model; project(call: Call): Call };
  /**
   * Optional pruning for read-only calls: could `read`, refused in `state`,
   * become legal after some of the `pending()` calls (each at most once, in
   * any order; indeterminate ones included)? Return false only when certainly
   * not; true when unsure. Lets the search drop a dead configuration at once.
   * `pending` builds its list on demand: answer from `state` alone when you can.
   */
  reachable?(state: S, read: Call, pending: () => readonly Call[]): boolean;
  /**
   * For an indeterminate call whose effect depends on a result nobody saw (a
   * lost dequeue removed *some* element): the results it may have had, given
   * every call of its partition. The search then tries it as each of these,
   * at most one of them taking effect. Undefined: step handles it.
   */
  possibleOutputs?(call: Call, calls: readonly Call[]): unknown[] | undefined;
  /** True when the op can never change the state (a read): indeterminate ones are dropped before the search. */
  readOnly?(call: Call): boolean;
  /** Human text for an op, e.g. "cas 1->2", "read -> 3". */
  describeCall?(call: Call): string;
  /** Human text for a state, e.g. "3", "{x: 1}". */
  describeState?(state: S): string;
  /** Reject a malformed op early with a message naming the problem (else the step just refuses it). */
  validate?(call: Call): string | undefined;
}

/** Describe a call with the model's describer, or a generic "f input -> output". */
export function describeCall(model: Model, call: Call): string {
  if (model.describeCall) return model.describeCall(call);
  const out = call.indeterminate ? ' -> ?' : call.output === undefined || call.output === null ? '' : ` -> ${show(call.output)}`;
  return `${call.f} ${show(call.input)}${out}`;
}

export function describeState<S>(model: Model<S>, state: S): string {
  return model.describeState ? model.describeState(state) : show(state);
}

export function stateKey<S>(model: Model<S>, state: S): string | number {
  return model.key ? model.key(state) : JSON.stringify(state) ?? 'undefined';
}

/** Compact human text for a JSON-ish value: nil for null, [a b] for arrays. */
export function show(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  if (Array.isArray(v)) return `[${v.map(show).join(' ')}]`;
  if (typeof v === 'object') {
    return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k} ${show(x)}`).join(', ')}}`;
  }
  return String(v);
}
