// Jepsen's "independent keys": every op's value is a tuple [key, v] and the
// inner model applies to v, separately per key. This is how faultline's own
// register workloads write their ops:
//   read  invoke [k, nil]        ok [k, v]
//   write invoke [k, v]          ok [k, v]
//   cas   invoke [k, [from, to]] ok [k, [from, to]]
// The model partitions by key (P-compositionality). Its state is a map from
// key to the inner state, so the same model also works with partitioning off.
import { show, stateKey, type Call, type Model } from './model.ts';

/** Inner state per key (keys never touched are absent: they hold the inner model's initial state). */
interface KeyedState<S> {
  readonly values: Readonly<Record<string, S>>;
  /** Sum of a hash per (key, inner state) pair: order-free and updated in O(1) per step. */
  readonly hash: number;
}

/** The partition key of a [key, v] value, as text. */
export function keyOf(value: unknown): string {
  const k = Array.isArray(value) ? value[0] : undefined;
  return typeof k === 'string' ? k : JSON.stringify(k ?? null);
}

function second(v: unknown): unknown {
  return Array.isArray(v) ? v[1] : undefined;
}

/** The call as the inner model sees it: v instead of [key, v]. */
function inner(call: Call): Call {
  return { f: call.f, input: second(call.input), output: call.indeterminate ? undefined : second(call.output), indeterminate: call.indeterminate };
}

/** FNV-1a over a string's UTF-16 units. */
function hashText(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

export function independent<S>(model: Model<S>, name = `independent ${model.name}`): Model<KeyedState<S>> {
  const init = model.init();
  const innerHash = model.hash && model.equal ? model.hash : (s: S) => hashText(String(stateKey(model, s)));
  const innerEqual = model.hash && model.equal ? model.equal : (a: S, b: S) => stateKey(model, a) === stateKey(model, b);
  const keyHashes = new Map<string, number>();
  const term = (k: string, s: S) => {
    let kh = keyHashes.get(k);
    if (kh === undefined) keyHashes.set(k, (kh = hashText(k)));
    return Math.imul(kh ^ innerHash(s), 0x9e3779b1);
  };
  const get = (state: KeyedState<S>, k: string) => (Object.hasOwn(state.values, k) ? state.values[k] : init);
  const EMPTY: KeyedState<S> = { values: {}, hash: 0 };
  return {
    name,
    init: () => EMPTY,
    step(state, call) {
      const k = keyOf(call.input);
      const had = Object.hasOwn(state.values, k);
      const current = had ? state.values[k] : init;
      const next = model.step(current, inner(call));
      if (next === undefined) return undefined;
      if (next === current) return state;
      const hash = (state.hash - (had ? term(k, current) : 0) + term(k, next)) | 0;
      return { values: { ...state.values, [k]: next }, hash };
    },
    hash: (state) => state.hash,
    equal(a, b) {
      const ka = Object.keys(a.values);
      if (ka.length !== Object.keys(b.values).length) return false;
      for (const k of ka) {
        const x = a.values[k];
        const y = b.values[k];
        // Unchanged keys share their inner state object: the cheap test first.
        if (x !== y && (!Object.hasOwn(b.values, k) || !innerEqual(x, y))) return false;
      }
      return true;
    },
    key(state) {
      const keys = Object.keys(state.values).sort();
      return keys.map((k) => `${JSON.stringify(k)}:${stateKey(model, state.values[k])}`).join(',');
    },
    reachable: model.reachable
      ? (state, read, pending) => {
          const k = keyOf(read.input);
          const sameKey = () => {
            const out: Call[] = [];
            for (const c of pending()) if (keyOf(c.input) === k) out.push(inner(c));
            return out;
          };
          return model.reachable!(get(state, k), inner(read), sameKey);
        }
      : undefined,
    partition: (call) => keyOf(call.input),
    perPartition: () => ({ model: model as Model, project: inner }),
    readOnly: model.readOnly ? (call) => model.readOnly!(inner(call)) : undefined,
    validate(call) {
      if (!Array.isArray(call.input) || call.input.length !== 2) return `${name} expects values [key, v], got ${show(call.input)}`;
      return model.validate?.(inner(call));
    },
    describeCall(call) {
      const c = inner(call);
      return `${keyOf(call.input)}: ${model.describeCall ? model.describeCall(c) : `${c.f} ${show(c.input)}`}`;
    },
    describeState(state) {
      const keys = Object.keys(state.values).sort();
      const d = (s: S) => (model.describeState ? model.describeState(s) : show(s));
      if (keys.length === 0) return `(every key ${d(init)})`;
      return keys.map((k) => `${k}=${d(state.values[k])}`).join(' ');
    },
  };
}
