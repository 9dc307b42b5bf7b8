// Unknown outcomes ('info') for simulated histories. The simulated store
// (testkit/elle-sim.ts) answers every transaction with ok or fail, but a real
// client often cannot tell (a timeout, a lost connection) and Jepsen records
// 'info': the transaction may or may not have taken effect. Derived here from
// what the store really did, so the truth is known:
//   - an ok reported as info: it took effect, its writes are visible;
//   - a fail reported as info: it did not, its writes stay invisible;
//   - a lost request: an extra transaction that never reached the store,
//     invoked and never answered (or answered info), writing fresh values nobody reads.
import type { Op } from '../../history/op.ts';
import { Random } from '../../generator/index.ts';

type Mop = [string, unknown, unknown];

export function withUnknownOutcomes(ops: readonly Op[], seed: number, rate = 0.15): Op[] {
  const rnd = new Random(seed);
  const invokeOf = new Map<unknown, Op>();
  const keys = new Set<unknown>();
  let writeKind = 'append';
  const out: Op[] = [];
  let lost = 0;
  for (const op of ops) {
    const mops = op.value as Mop[];
    if (op.type === 'invoke') {
      invokeOf.set(op.process, op);
      for (const m of mops) {
        keys.add(m[1]);
        if (m[0] !== 'r') writeKind = m[0];
      }
    }
    if (rnd.float() < rate / 4) out.push(...lostRequest(rnd, ++lost, [...keys], writeKind));
    // The client did not hear back: the invoke's own value, reads unknown.
    if (op.type !== 'invoke' && rnd.float() < rate) out.push({ ...op, type: 'info', value: invokeOf.get(op.process)!.value });
    else out.push(op);
  }
  return out.map((op, index) => ({ ...op, index, time: index * 1000 }));
}

/** A transaction the store never saw: fresh values to known keys; half of them get an info answer. */
function lostRequest(rnd: Random, n: number, keys: unknown[], writeKind: string): Op[] {
  if (keys.length === 0) return [];
  const process = 10_000 + n;
  const value: Mop[] = [[writeKind, keys[rnd.int(keys.length)], 1_000_000 + n]];
  const invoke: Op = { index: 0, time: 0, process, type: 'invoke', f: 'txn', value };
  return rnd.float() < 0.5 ? [invoke] : [invoke, { ...invoke, type: 'info' }];
}

/** Info transactions whose writes some committed read saw, and those nobody saw. */
export function infoVisibility(ops: readonly Op[]): { visible: number; invisible: number } {
  const seen = new Set<string>();
  for (const op of ops) {
    if (op.type !== 'ok') continue;
    for (const [f, k, v] of op.value as Mop[]) {
      if (f !== 'r' || v === null) continue;
      for (const x of Array.isArray(v) ? v : [v]) seen.add(`${String(k)} ${String(x)}`);
    }
  }
  let visible = 0, invisible = 0;
  for (const op of ops) {
    if (op.type !== 'info') continue;
    const writes = (op.value as Mop[]).filter(([f]) => f !== 'r');
    if (writes.length === 0) continue;
    if (writes.some(([, k, v]) => seen.has(`${String(k)} ${String(v)}`))) visible++;
    else invisible++;
  }
  return { visible, invisible };
}
