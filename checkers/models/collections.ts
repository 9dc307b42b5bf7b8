// Collection models: a set (add / read), an unordered queue and a FIFO queue
// (enqueue / dequeue). States are sorted or ordered arrays of element keys
// (JSON text of each element), so equal collections have equal keys.
//   set:   add invoke v ok v;      read invoke nil ok [elements...]
//   queue: enqueue invoke v ok v;  dequeue invoke nil ok v (nil: the queue was empty)
import { show, type Model } from './model.ts';

type Elements = readonly string[];
const el = (v: unknown) => JSON.stringify(v ?? null);

function insertSorted(xs: Elements, x: string): Elements {
  let i = 0;
  while (i < xs.length && xs[i] < x) i++;
  return [...xs.slice(0, i), x, ...xs.slice(i)];
}

export function setModel(): Model<Elements> {
  return {
    name: 'set',
    init: () => [],
    step(state, call) {
      if (call.f === 'add') {
        const x = el(call.input);
        return state.includes(x) ? state : insertSorted(state, x);
      }
      if (call.f === 'read') {
        if (call.indeterminate) return state;
        if (!Array.isArray(call.output)) return undefined;
        const got = [...new Set(call.output.map(el))].sort();
        return got.length === state.length && got.every((x, i) => x === state[i]) ? state : undefined;
      }
      return undefined;
    },
    key: (s) => s.join(','),
    readOnly: (call) => call.f === 'read',
    validate: (call) => (call.f === 'add' || call.f === 'read' ? undefined : `set has no operation '${call.f}' (expected add or read)`),
    describeState: (s) => `#{${s.join(' ')}}`,
  };
}

function queue(name: string, fifo: boolean): Model<Elements> {
  return {
    name,
    init: () => [],
    step(state, call) {
      if (call.f === 'enqueue') return fifo ? [...state, el(call.input)] : insertSorted(state, el(call.input));
      if (call.f === 'dequeue') {
        if (call.indeterminate) {
          // FIFO: it removed the head, if it happened. (Unordered queues expand
          // a lost dequeue into one alternative per value: possibleOutputs.)
          return state.length ? state.slice(1) : state;
        }
        if (call.output === null || call.output === undefined) return state.length === 0 ? state : undefined;
        const x = el(call.output);
        const i = fifo ? (state[0] === x ? 0 : -1) : state.indexOf(x);
        return i < 0 ? undefined : [...state.slice(0, i), ...state.slice(i + 1)];
      }
      return undefined;
    },
    key: (s) => s.join(','),
    // A lost dequeue on an unordered queue removed some element: any value ever enqueued.
    possibleOutputs: fifo
      ? undefined
      : (call, calls) => (call.f === 'dequeue' ? [...new Map(calls.filter((c) => c.f === 'enqueue').map((c) => [el(c.input), c.input])).values()] : undefined),
    validate: (call) =>
      call.f === 'enqueue' || call.f === 'dequeue' ? undefined : `${name} has no operation '${call.f}' (expected enqueue or dequeue)`,
    describeState: (s) => `[${s.join(' ')}]`,
    describeCall: (call) =>
      call.f === 'dequeue' ? `dequeue -> ${call.indeterminate ? '?' : show(call.output)}` : `enqueue ${show(call.input)}${call.indeterminate ? ' (indeterminate)' : ''}`,
  };
}

export const unorderedQueueModel = (): Model<Elements> => queue('queue', false);
export const fifoQueueModel = (): Model<Elements> => queue('fifo-queue', true);
