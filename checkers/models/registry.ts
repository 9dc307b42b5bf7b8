// Every model by name: how `faultline check --model`, test.json and the
// linearizability workers (which rebuild their model in another thread) name one.
import type { Model } from './model.ts';
import { casRegisterModel, registerModel, type RegisterOptions } from './register.ts';
import { independent } from './independent.ts';
import { kvModel } from './kv.ts';
import { multiRegisterModel } from './multi-register.ts';
import { fifoQueueModel, setModel, unorderedQueueModel } from './collections.ts';
import { mutexModel } from './mutex.ts';

/** Options every registered model accepts (each uses what applies to it). */
export interface ModelOptions {
  /** Initial register value(s). */
  initial?: unknown;
  /** Meaning of a nil read: 'unknown' (Knossos, default) or 'absent' (Porcupine's etcd model). */
  nilRead?: RegisterOptions['nilRead'];
}

/** A model as data: its registry name and options (what crosses to a worker thread). */
export interface ModelSpec {
  /** Registry name, e.g. 'kv-cas-register'. */
  name: string;
  options?: ModelOptions;
}

interface ModelEntry {
  describe: string;
  make(options: ModelOptions): Model;
}

const registry: Record<string, ModelEntry> = {
  register: { describe: 'one register: read, write', make: (o) => registerModel(o) as Model },
  'cas-register': { describe: 'one register: read, write, cas [from to]', make: (o) => casRegisterModel(o) as Model },
  'kv-register': {
    describe: 'registers by key, values [key v]: read, write (partitioned by key)',
    make: (o) => independent(registerModel(o), 'kv-register') as Model,
  },
  'kv-cas-register': {
    describe: 'cas-registers by key, values [key v]: read, write, cas (partitioned by key)',
    make: (o) => independent(casRegisterModel(o), 'kv-cas-register') as Model,
  },
  kv: { describe: "Porcupine's kv: get, put, append on strings, values [key v] (partitioned by key)", make: () => kvModel() as Model },
  'multi-register': { describe: 'several registers per op: txn [[read|write k v] ...]', make: (o) => multiRegisterModel(o) as Model },
  set: { describe: 'a set: add v, read -> [elements]', make: () => setModel() as Model },
  queue: { describe: 'an unordered queue: enqueue v, dequeue -> v', make: () => unorderedQueueModel() as Model },
  'fifo-queue': { describe: 'a FIFO queue: enqueue v, dequeue -> v', make: () => fifoQueueModel() as Model },
  mutex: { describe: 'a lock: acquire, release', make: () => mutexModel() as Model },
};

/** Names of every registered model. */
export const modelNames: readonly string[] = Object.keys(registry);

export function modelDescription(name: string): string | undefined {
  return registry[name]?.describe;
}

/** A model by registry name, or undefined when there is none by that name. */
export function modelByName(name: string, options: ModelOptions = {}): Model | undefined {
  return registry[name]?.make(options);
}
