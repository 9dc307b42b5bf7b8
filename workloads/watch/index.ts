// The watch workload (etcd only): writers put, txn and delete on a few keys;
// watchers keep watch streams on ranges of them (from revision 1 or the
// current one, with prev_kv, filters, progress notify) and resume on another
// member when a stream breaks. Checked by the watch checker (checkers/watch).
import { checkerFromSpec } from '../../checkers/index.ts';
import type { MakeClient, Workload } from '../workload.ts';
import type { ClusterInfo } from '../../clusters/index.ts';
import { watchGenerator, type WatchGeneratorOptions } from './generator.ts';

export { watchGenerator, WATCHER_PRESETS, WATCH_PREFIX, type WatchGeneratorOptions } from './generator.ts';
export { EtcdWatchClient, DEFAULT_WATCH_LIMITS, type WatchLimits } from './etcd-client.ts';
export { decodeWatchResponse, type RawWatchResponse } from './decode.ts';

/** The watch workload over a DB with etcd's watch API: `makeClient` is its watch client. */
export function watchWorkload<I extends ClusterInfo>(makeClient: MakeClient<I>, opts: WatchGeneratorOptions = {}): Workload<I> {
  return {
    name: 'watch',
    generator: () => watchGenerator(opts),
    client: (info) => makeClient(info, undefined),
    checkers: [checkerFromSpec({ name: 'history' }), checkerFromSpec({ name: 'watch' })],
  };
}
