// Registers: a single value with read/write (register) and also compare-and-set
// (cas-register). Op conventions (Jepsen's):
//   read   invoke value nil,        ok value = the value read
//   write  invoke value v,          ok value v
//   cas    invoke value [from, to], ok value [from, to] (a failed cas is :fail, it did not happen)
//
// Two flavours of nil in a read, a model option because both are in use:
//   nilRead: 'unknown' (Knossos): a read returning nil carries no information, it matches any state;
//   nilRead: 'absent' (Porcupine's etcd model): nil means "no value yet", it matches only the nil state.
import { show, type Call, type Model } from './model.ts';

export interface RegisterOptions {
  /** The value before any write. Default null (nil). */
  initial?: unknown;
  /** Meaning of a read that returns nil; default 'unknown'. */
  nilRead?: 'unknown' | 'absent';
}

type Value = unknown;

/** Equality of register values by their JSON form (values are scalars or small arrays). */
export function valueKey(v: Value): string | number {
  return typeof v === 'number' ? v : JSON.stringify(v ?? null);
}

function sameValue(a: Value, b: Value): boolean {
  return a === b || valueKey(a) === valueKey(b);
}

function makeRegister(name: string, withCas: boolean, options: RegisterOptions): Model<Value> {
  const initial = options.initial ?? null;
  const nilIsUnknown = (options.nilRead ?? 'unknown') === 'unknown';
  return {
    name,
    init: () => initial,
    step(state, call) {
      switch (call.f) {
        case 'read':
          if (call.indeterminate) return state;
          if (call.output === null || call.output === undefined) return nilIsUnknown || state === null ? state : undefined;
          return sameValue(state, call.output) ? state : undefined;
        case 'write':
          return call.input ?? null;
        case 'cas': {
          if (!withCas) return undefined;
          const [from, to] = call.input as [Value, Value];
          return sameValue(state, from) ? to ?? null : undefined;
        }
        default:
          return undefined;
      }
    },
    key: valueKey,
    reachable(_state, read, pending) {
      // Only a write of the value read, or a cas to it, can make the register hold it.
      return pending().some(
        (c) => (c.f === 'write' && sameValue(c.input ?? null, read.output)) || (c.f === 'cas' && Array.isArray(c.input) && sameValue(c.input[1], read.output)),
      );
    },
    readOnly: (call) => call.f === 'read',
    validate(call) {
      if (call.f === 'read' || call.f === 'write') return undefined;
      if (call.f === 'cas' && withCas) {
        return Array.isArray(call.input) && call.input.length === 2 ? undefined : `cas expects [from to], got ${show(call.input)}`;
      }
      return `${name} has no operation '${call.f}' (expected ${withCas ? 'read, write or cas' : 'read or write'})`;
    },
    describeCall: describeRegisterCall,
    describeState: show,
  };
}

export function describeRegisterCall(call: Call): string {
  const tail = call.indeterminate ? ' (indeterminate)' : '';
  switch (call.f) {
    case 'read':
      return `read -> ${call.indeterminate ? '?' : show(call.output)}`;
    case 'cas': {
      const [from, to] = Array.isArray(call.input) ? call.input : [undefined, undefined];
      return `cas ${show(from)}->${show(to)}${tail}`;
    }
    default:
      return `${call.f} ${show(call.input)}${tail}`;
  }
}

export function registerModel(options: RegisterOptions = {}): Model<Value> {
  return makeRegister('register', false, options);
}

export function casRegisterModel(options: RegisterOptions = {}): Model<Value> {
  return makeRegister('cas-register', true, options);
}
