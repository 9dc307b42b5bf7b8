// Small builders for hand-written transactional histories.
import type { Op } from '../../history/op.ts';
import { checkElle, type ElleOptions } from '../../checkers/elle/index.ts';
import type { ElleDetails, MicroOp } from '../../checkers/elle/index.ts';

export interface T {
  value: MicroOp[];
  type?: 'ok' | 'fail' | 'info';
  process?: number;
}

/**
 * 'concurrent': every invoke first, then every completion (no real-time order);
 * 'sequential': each transaction completes before the next is invoked.
 */
export function history(txns: T[], shape: 'concurrent' | 'sequential' = 'concurrent'): Op[] {
  const events =
    shape === 'sequential'
      ? txns.map((_, i) => `i${i} c${i}`)
      : [...txns.map((_, i) => `i${i}`), ...txns.map((_, i) => `c${i}`)];
  return historyInOrder(txns, events.join(' '));
}

/**
 * Events in the order given: `i2` invokes txns[2], `c2` completes it (its
 * type, ok by default). For real-time orders the two shapes above cannot draw.
 */
export function historyInOrder(txns: T[], events: string): Op[] {
  const ops: Op[] = [];
  for (const e of events.trim().split(/\s+/)) {
    const m = /^([ic])(\d+)$/.exec(e);
    if (!m) throw new Error(`bad event ${e}`);
    const i = Number(m[2]);
    const t = txns[i];
    const type = m[1] === 'i' ? 'invoke' : (t.type ?? 'ok');
    ops.push({
      index: ops.length,
      time: ops.length,
      process: t.process ?? i,
      type,
      f: 'txn',
      value: type === 'invoke' ? t.value.map((mop) => (mop[0] === 'r' ? ['r', mop[1], null] : mop)) : t.value,
    });
  }
  return ops;
}

export function check(ops: Op[], opts: ElleOptions = {}) {
  const result = checkElle(ops, opts);
  return { result, details: result.details as ElleDetails };
}
