// Jepsen's "independent keys": every op's value is a tuple [key, v] and the
// inner model applies to v, separately per key. This is how faultline's own
// register workloads write their ops:
//   read  invoke [k, nil]        ok [k, v]
//   write invoke [k, v]          ok [k, v]
//   cas   invoke [k, [from, to]] ok [k, [from, to]]
// The model partitions by key (P-compositionality). Its state is a map from
// key to the inner state, so the same model also works with partitioning off.
import { show, stateKey, type Call, type Model } from './model.ts';

type KeyedState<S> = Readonly<Record<string, S>>;

/** The partition key of a [key, v] value, as text. */
export function keyOf(value: unknown): string {
  const k = Array.isArray(value) ? value[0] : undefined;
  return typeof k === 'string' ? k : JSON.stringify(k ?? null);
}

function inner(call: Call): Call {
  const pick = (v: unknown) => (Array.isArray(v) ? v[1] : undefined);
  return { f: call.f, input: pick(call.input), output: call.indeterminate ? undefined : pick(call.output), indeterminate: call.indeterminate };
}

export function independent<S>(model: Model<S>, name = `independent ${model.name}`): Model<KeyedState<S>> {
  const init = model.init();
  return {
    name,
    init: () => ({}),
    step(state, call) {
      const k = keyOf(call.input);
      const current = Object.hasOwn(state, k) ? state[k] : init;
      const next = model.step(current, inner(call));
      if (next === undefined) return undefined;
      if (next === current) return state;
      return { ...state, [k]: next };
    },
    key(state) {
      const keys = Object.keys(state).sort();
      return keys.map((k) => `${JSON.stringify(k)}:${stateKey(model, state[k])}`).join(',');
    },
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
      const keys = Object.keys(state).sort();
      if (keys.length === 0) return `(every key ${model.describeState ? model.describeState(init) : show(init)})`;
      return keys.map((k) => `${k}=${model.describeState ? model.describeState(state[k]) : show(state[k])}`).join(' ');
    },
  };
}
