// A lock, as Knossos models it: acquire succeeds only when free, release only
// when held (by anyone: the model does not track owners).
import type { Model } from './model.ts';

export function mutexModel(): Model<boolean> {
  return {
    name: 'mutex',
    init: () => false,
    step(held, call) {
      if (call.f === 'acquire') return held ? undefined : true;
      if (call.f === 'release') return held ? false : undefined;
      return undefined;
    },
    key: (held) => (held ? 1 : 0),
    validate: (call) => (call.f === 'acquire' || call.f === 'release' ? undefined : `mutex has no operation '${call.f}' (expected acquire or release)`),
    describeCall: (call) => `${call.f}${call.indeterminate ? ' (indeterminate)' : ''}`,
    describeState: (held) => (held ? 'held' : 'free'),
  };
}
