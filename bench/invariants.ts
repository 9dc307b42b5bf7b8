// npm run bench:invariants: how fast the set, bank and counter checkers judge
// large synthetic histories (valid ones: the checker walks everything).
// 10 processes run in lock-step windows: all invoke, then all complete, so
// every op overlaps 9 others. Prints ops checked per second, best of 3.
import { checkBank, checkCounter, checkSet } from '../checkers/invariants/index.ts';
import type { CheckResult } from '../checkers/result.ts';
import type { History, Op } from '../history/op.ts';

const PROCESSES = 10;

class Builder {
  readonly ops: History = [];
  push(process: number, type: Op['type'], f: string, value: unknown): void {
    this.ops.push({ index: this.ops.length, time: this.ops.length, process, type, f, value });
  }
  /** One window: every process invokes `make(p).f`, then each completes with `complete(p)`. */
  window(make: (p: number) => { f: string; value: unknown }, complete: (p: number) => { type: Op['type']; value: unknown }): void {
    const fs = Array.from({ length: PROCESSES }, (_, p) => make(p));
    fs.forEach((o, p) => this.push(p, 'invoke', o.f, o.value));
    fs.forEach((o, p) => {
      const c = complete(p);
      this.push(p, c.type, o.f, c.value);
    });
  }
}

function setHistory(adds: number, reads: number): History {
  const b = new Builder();
  const present: number[] = [];
  let next = 0;
  while (next < adds) {
    b.window(
      () => ({ f: 'add', value: next++ }),
      (p) => {
        const e = next - PROCESSES + p;
        // Every 50th add is info, half of those applied; every 97th fails.
        if (e % 97 === 0) return { type: 'fail', value: e };
        if (e % 50 === 0) {
          if (e % 100 === 0) present.push(e);
          return { type: 'info', value: e };
        }
        present.push(e);
        return { type: 'ok', value: e };
      },
    );
  }
  // Final reads by fresh processes (the info ones retired theirs).
  for (let r = 0; r < reads; r++) {
    b.push(PROCESSES + r, 'invoke', 'read', null);
    b.push(PROCESSES + r, 'ok', 'read', present);
  }
  return b.ops;
}

function counterHistory(windows: number): History {
  const b = new Builder();
  let value = 0;
  for (let w = 0; w < windows; w++) {
    const isAdd = (p: number) => (p + w) % 2 === 0;
    b.window(
      (p) => (isAdd(p) ? { f: 'add', value: 1 + (p % 3) } : { f: 'read', value: null }),
      (p) => {
        if (isAdd(p)) {
          value += 1 + (p % 3);
          return { type: 'ok', value: 1 + (p % 3) };
        }
        return { type: 'ok', value };
      },
    );
  }
  return b.ops;
}

function bankHistory(windows: number): History {
  const b = new Builder();
  const balances = [20, 20, 20, 20, 20];
  for (let w = 0; w < windows; w++) {
    const isTransfer = (p: number) => (p + w) % 2 === 0;
    b.window(
      (p) => (isTransfer(p) ? { f: 'transfer', value: { from: p % 5, to: (p + 1) % 5, amount: 1 } } : { f: 'read', value: null }),
      (p) => {
        if (!isTransfer(p)) return { type: 'ok', value: Object.fromEntries(balances.map((x, i) => [i, x])) };
        const from = p % 5;
        if (balances[from] < 1) return { type: 'fail', value: null };
        balances[from] -= 1;
        balances[(p + 1) % 5] += 1;
        return { type: 'ok', value: null };
      },
    );
  }
  return b.ops;
}

function bench(name: string, history: History, check: (h: History) => CheckResult): void {
  let best = Infinity;
  let result: CheckResult | undefined;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    result = check(history);
    best = Math.min(best, performance.now() - t0);
  }
  if (result!.valid !== true) throw new Error(`${name}: expected valid, got ${result!.valid}: ${result!.summary}`);
  const ops = history.length / 2;
  console.log(`${name.padEnd(34)} ${String(ops).padStart(8)} ops  ${best.toFixed(0).padStart(6)} ms  ${Math.round(ops / (best / 1000)).toLocaleString('en-US').padStart(12)} ops/s`);
}

bench('set: 200k adds, 10 final reads', setHistory(200_000, 10), checkSet);
bench('counter: 1M adds+reads', counterHistory(100_000), (h) => checkCounter(h));
bench('bank: 1M transfers+reads, 5 accts', bankHistory(100_000), (h) => checkBank(h, { accounts: [0, 1, 2, 3, 4], total: 100 }));
