// Knossos' multi-register: several registers read and written together in one
// op. Op convention (Knossos'): f 'txn', value a list of micro-ops
//   [['read', k, v], ['write', k, v], ...]
// with v nil in a read's invoke and the value read in its completion. Keys
// not yet written hold `initial` (default nil). A read of nil in a completion
// matches any value, as in Knossos.
import { show, type Call, type Model } from './model.ts';
import { valueKey } from './register.ts';

type State = Readonly<Record<string, unknown>>;
type Micro = [string, unknown, unknown];

export interface MultiRegisterOptions {
  initial?: unknown;
}

function micros(v: unknown): Micro[] | undefined {
  if (!Array.isArray(v) || !v.every((m) => Array.isArray(m) && m.length === 3)) return undefined;
  return v as Micro[];
}

export function multiRegisterModel(options: MultiRegisterOptions = {}): Model<State> {
  const initial = options.initial ?? null;
  const get = (s: State, k: string) => (Object.hasOwn(s, k) ? s[k] : initial);
  return {
    name: 'multi-register',
    init: () => ({}),
    step(state, call) {
      // The completion carries the values read; the invoke those written.
      const ops = micros(call.indeterminate ? call.input : call.output) ?? micros(call.input);
      if (!ops || call.f !== 'txn') return undefined;
      let next: Record<string, unknown> | undefined;
      for (const [f, key, v] of ops) {
        const k = String(key);
        const current = next ? get(next, k) : get(state, k);
        if (f === 'read') {
          if (call.indeterminate || v === null || v === undefined) continue;
          if (valueKey(current) !== valueKey(v)) return undefined;
        } else if (f === 'write') {
          next ??= { ...state };
          next[k] = v;
        } else return undefined;
      }
      return next ?? state;
    },
    key: (s) => Object.keys(s).sort().map((k) => `${JSON.stringify(k)}:${valueKey(s[k])}`).join(','),
    readOnly: (call) => (micros(call.input) ?? []).every(([f]) => f === 'read'),
    validate: (call) =>
      call.f === 'txn' && micros(call.input) ? undefined : `multi-register expects f txn with [[read|write key value] ...], got ${call.f} ${show(call.input)}`,
    describeCall(call: Call) {
      const ops = micros(call.indeterminate ? call.input : call.output) ?? [];
      const body = ops.map(([f, k, v]) => `${f === 'read' ? 'r' : 'w'} ${String(k)} ${show(v)}`).join(', ');
      return `txn [${body}]${call.indeterminate ? ' (indeterminate)' : ''}`;
    },
    describeState: (s) => {
      const keys = Object.keys(s).sort();
      return keys.length ? keys.map((k) => `${k}=${show(s[k])}`).join(' ') : `(all ${show(initial)})`;
    },
  };
}
