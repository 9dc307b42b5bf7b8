// Porcupine's key-value model: get / put / append on string values, keys
// independent. Ops use the independent-keys convention, value [key, v]:
//   get    invoke [k, nil]  ok [k, value read]
//   put    invoke [k, v]    ok [k, v]
//   append invoke [k, v]    ok [k, v]   (the value becomes old + v)
// A key never written reads as "" (Porcupine's convention).
import { independent } from './independent.ts';
import type { Model } from './model.ts';

const stringValue: Model<string> = {
  name: 'string value',
  init: () => '',
  step(state, call) {
    switch (call.f) {
      case 'get':
        if (call.indeterminate) return state;
        return (call.output ?? '') === state ? state : undefined;
      case 'put':
        return String(call.input ?? '');
      case 'append':
        return state + String(call.input ?? '');
      default:
        return undefined;
    }
  },
  key: (s) => s,
  readOnly: (call) => call.f === 'get',
  validate: (call) => (['get', 'put', 'append'].includes(call.f) ? undefined : `kv has no operation '${call.f}' (expected get, put or append)`),
  describeCall(call) {
    if (call.f === 'get') return `get -> ${call.indeterminate ? '?' : JSON.stringify(call.output ?? '')}`;
    return `${call.f} ${JSON.stringify(call.input ?? '')}${call.indeterminate ? ' (indeterminate)' : ''}`;
  },
  describeState: (s) => JSON.stringify(s),
};

export function kvModel(): Model<Readonly<Record<string, string>>> {
  return independent(stringValue, 'kv');
}

