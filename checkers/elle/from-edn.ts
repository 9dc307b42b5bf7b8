// Elle's EDN histories -> faultline ops. Pure: the caller reads and parses the
// file (history/formats/edn.ts turns :keywords into plain strings). Elle's
// examples may omit :process, :time, :f or :index; an op without a process is
// paired with the next completion that has none, and gets a process of its
// own, a negative number (no process order is invented).
import type { Op, OpType } from '../../history/index.ts';
import { toMicroOps } from './txns.ts';

const TYPES = new Set(['invoke', 'ok', 'fail', 'info']);

export function opsFromEdn(values: readonly unknown[]): Op[] {
  const ops: Op[] = [];
  let anonymous = 0;
  let openAnonymous: number | undefined;
  values.forEach((v, pos) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`value ${pos + 1} is not an op map`);
    const m = v as Record<string, unknown>;
    const type = String(m.type);
    if (!TYPES.has(type)) throw new Error(`value ${pos + 1}: :type must be invoke, ok, fail or info, got ${JSON.stringify(m.type)}`);
    let process = m.process as Op['process'] | undefined;
    if (process === undefined || process === null) {
      if (type === 'invoke') openAnonymous = process = -++anonymous;
      else {
        if (!openAnonymous) throw new Error(`value ${pos + 1}: a completion without :process and no open invoke without one`);
        process = openAnonymous;
        openAnonymous = undefined;
      }
    }
    const f = m.f === undefined || m.f === null ? 'txn' : String(m.f);
    const index = typeof m.index === 'number' ? m.index : pos;
    ops.push({
      index,
      time: typeof m.time === 'number' ? m.time : 0,
      process: process as Op['process'],
      type: type as OpType,
      f,
      value: f === 'txn' ? toMicroOps(m.value, `op ${index}`) : m.value,
      ...(m.error !== undefined ? { error: String(m.error) } : {}),
    });
  });
  return ops;
}
