// Jepsen op maps (decoded from EDN or from a Jepsen log line) as faultline Ops.
// Keywords are already plain strings ('ok', 'read', 'nemesis').
//   - index defaults to the op's position, time to 0 when absent;
//   - process: an integer, or 'nemesis' (any other non-numeric process is kept as text);
//   - Porcupine's kv ops carry the key separately ({:key "3", :value "x"}): they
//     become Jepsen's independent-key form, value [key, value].
import type { Op, OpType } from '../op.ts';

const TYPES: ReadonlySet<string> = new Set(['invoke', 'ok', 'fail', 'info']);

/** Convert one decoded op map; returns a reason string when it is not an op. */
export function jepsenOp(m: unknown, position: number): Op | string {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return 'expected an op map {:process .. :type .. :f ..}';
  const o = m as Record<string, unknown>;
  const type = o.type;
  if (typeof type !== 'string' || !TYPES.has(type)) return `expected :type to be :invoke, :ok, :fail or :info, found ${JSON.stringify(type ?? null)}`;
  const process = o.process;
  if (typeof process !== 'number' && typeof process !== 'string') return `expected :process to be a number or :nemesis, found ${JSON.stringify(process ?? null)}`;
  const f = o.f;
  if (typeof f !== 'string') return `expected :f to be a keyword, found ${JSON.stringify(f ?? null)}`;
  const hasKey = Object.hasOwn(o, 'key') && process !== 'nemesis';
  const op: Op = {
    index: typeof o.index === 'number' ? o.index : position,
    time: typeof o.time === 'number' ? o.time : 0,
    process: process as Op['process'],
    type: type as OpType,
    f,
    value: hasKey ? [o.key, o.value ?? null] : (o.value ?? null),
  };
  if (typeof o.node === 'string') op.node = o.node;
  if (o.error !== undefined && o.error !== null) op.error = typeof o.error === 'string' ? o.error : JSON.stringify(o.error);
  return op;
}
