import { OUTCOME_NAMES } from './colors.ts';
import { formatDuration } from './format.ts';
import { state } from './view-state.ts';

/** One line about an op from the columns ("op #id" alone before they load). */
export function describeOp(id: number): string {
  const c = state.columns;
  if (c && id >= 0 && id < c.n) {
    const key = c.key[id] >= 0 ? ' key ' + c.keys[c.key[id]] : '';
    const proc = c.process[id] === -1 ? 'nemesis' : 'process ' + c.process[id];
    return 'op #' + id + ': ' + c.fNames[c.f[id]] + key + ', ' + proc + ', ' + OUTCOME_NAMES[c.type[id]] + ', ' + formatDuration(c.end[id] - c.start[id]) + ' at ' + formatDuration(c.start[id]);
  }
  return 'op #' + id;
}
