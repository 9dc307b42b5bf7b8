// The replicated state machine: a map from string keys to JSON values, with
// single-key commands and transactions of micro-ops applied atomically. It
// keeps an order-independent hash of its contents, updated per write, and the
// hash after each of the last applied indexes, so nodes can be compared at
// the same index ("do n1 and n3 agree after entry 5000?").
import { createHash } from 'node:crypto';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Transaction micro-ops, in Elle's shape: ['r', k, null] reads, ['w', k, v] writes, ['append', k, v] appends to a list. */
export type MicroOp = ['r', string, Json] | ['w', string, Json] | ['append', string, Json];

/** Commands that go through the log (reads do not, unless inside a transaction with writes). */
export type KvCommand =
  | { op: 'put'; key: string; value: Json }
  | { op: 'delete'; key: string }
  | { op: 'cas'; key: string; from: Json; to: Json }
  | { op: 'txn'; ops: MicroOp[] }
  // Read-modify-writes the workloads need atomically (a client-side read then
  // write would race): add to a number (absent = 0); move an amount between
  // two fields of one object of balances, refusing to overdraw.
  | { op: 'add'; key: string; delta: number }
  | { op: 'transfer'; key: string; from: string; to: string; amount: number };

/** Outcome of applying a command. `ok: false` is definite: the command changed nothing. */
export type KvResult =
  | { ok: true; value?: Json; ops?: MicroOp[] }
  | { ok: false; error: 'cas-mismatch' | 'type-error' | 'bad-command' | 'insufficient-funds'; value?: Json; message?: string };

/** How many recent applied indexes keep their state hash. */
export const HASH_WINDOW = 10_000;

const MASK = (1n << 64n) - 1n;

/** Canonical JSON: object keys sorted, so equal values hash and compare equal. */
export function canonical(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function pairHash(key: string, value: Json): bigint {
  const digest = createHash('sha256').update(key).update('\0').update(canonical(value)).digest();
  return digest.readBigUInt64BE(0);
}

export class KvState {
  private data = new Map<string, Json>();
  /** Sum of pair hashes mod 2^64: a multiset hash, O(1) to update per write. */
  private sum = 0n;
  private appliedIndex = 0;
  private readonly hashes = new Map<number, string>();

  get applied(): number {
    return this.appliedIndex;
  }

  get(key: string): Json | undefined {
    return this.data.get(key);
  }

  /** Hex hash of the current contents. */
  hash(): string {
    return this.sum.toString(16).padStart(16, '0');
  }

  /** Hash right after applying `index`, if still in the window (undefined if not applied or too old). */
  hashAt(index: number): string | undefined {
    return this.hashes.get(index);
  }

  /**
   * Every hash still in the window for indexes up to `to`, in index order:
   * what this node's state was right after each entry it applied. The
   * divergence check compares these across nodes, so damage that a later
   * snapshot repaired is still seen.
   */
  hashHistory(to: number): Array<[number, string]> {
    return [...this.hashes].filter(([i]) => i <= to).sort(([a], [b]) => a - b);
  }

  /** Sorted key/value listing, for divergence diagnosis. */
  entries(): [string, Json][] {
    return [...this.data.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** Apply log entry `index`; a null command is a leader's no-op. */
  apply(index: number, command: unknown): KvResult {
    const result = command === null ? ({ ok: true } as const) : this.execute(command as KvCommand);
    this.markApplied(index);
    return result;
  }

  /** Read-only transaction (served without the log): fills in the reads. */
  read(ops: MicroOp[]): MicroOp[] {
    return ops.map(([f, k, v]) => (f === 'r' ? ['r', k, this.data.get(k) ?? null] : [f, k, v]) as MicroOp);
  }

  /** Image of the state for a snapshot. */
  serialize(): { index: number; data: [string, Json][] } {
    return { index: this.appliedIndex, data: this.entries() };
  }

  /** Replace everything with a snapshot's image taken at `index`. */
  restore(image: unknown, index: number): void {
    const { data } = image as { data: [string, Json][] };
    this.data = new Map(data);
    this.sum = 0n;
    for (const [k, v] of this.data) this.sum = (this.sum + pairHash(k, v)) & MASK;
    // Earlier hashes stay: they still say what the state was after those entries.
    this.markApplied(index);
  }

  /**
   * unsafe-snapshot: go back to an older snapshot's image but keep claiming
   * the applied index we had, so the entries between are never applied again.
   */
  rollBack(image: unknown, snapshotIndex: number): void {
    const applied = this.appliedIndex;
    this.restore(image, snapshotIndex);
    this.markApplied(applied);
  }

  private markApplied(index: number): void {
    this.appliedIndex = index;
    this.hashes.set(index, this.hash());
    this.hashes.delete(index - HASH_WINDOW);
  }

  private execute(c: KvCommand): KvResult {
    switch (c?.op) {
      case 'put':
        this.set(c.key, c.value);
        return { ok: true };
      case 'delete': {
        const value = this.data.get(c.key) ?? null;
        this.set(c.key, undefined);
        return { ok: true, value };
      }
      case 'cas': {
        const current = this.data.get(c.key) ?? null;
        if (canonical(current) !== canonical(c.from)) return { ok: false, error: 'cas-mismatch', value: current };
        this.set(c.key, c.to);
        return { ok: true };
      }
      case 'txn':
        return this.transact(c.ops);
      case 'add': {
        const current = this.data.get(c.key) ?? 0;
        if (typeof current !== 'number' || typeof c.delta !== 'number') return { ok: false, error: 'type-error', message: `add to non-number key ${c.key}` };
        this.set(c.key, current + c.delta);
        return { ok: true, value: current + c.delta };
      }
      case 'transfer':
        return this.transfer(c);
      default:
        return { ok: false, error: 'bad-command', message: `unknown command ${JSON.stringify(c)}` };
    }
  }

  private transfer(c: Extract<KvCommand, { op: 'transfer' }>): KvResult {
    const accounts = this.data.get(c.key);
    if (accounts === undefined || accounts === null || typeof accounts !== 'object' || Array.isArray(accounts)) {
      return { ok: false, error: 'type-error', message: `transfer on ${c.key}: not an object of balances` };
    }
    const from = accounts[c.from];
    const to = accounts[c.to];
    if (typeof from !== 'number' || typeof to !== 'number' || !(c.amount > 0) || c.from === c.to) {
      return { ok: false, error: 'type-error', message: `transfer ${c.amount} from ${c.from} to ${c.to} on ${c.key}: bad accounts or amount` };
    }
    if (from < c.amount) return { ok: false, error: 'insufficient-funds', value: from };
    this.set(c.key, { ...accounts, [c.from]: from - c.amount, [c.to]: to + c.amount });
    return { ok: true };
  }

  /** All micro-ops see the writes before them; nothing is written unless all succeed. */
  private transact(ops: MicroOp[]): KvResult {
    const overlay = new Map<string, Json>();
    const look = (k: string): Json | undefined => (overlay.has(k) ? overlay.get(k) : this.data.get(k));
    const out: MicroOp[] = [];
    for (const [f, k, v] of ops) {
      if (f === 'r') {
        out.push(['r', k, look(k) ?? null]);
      } else if (f === 'w') {
        overlay.set(k, v);
        out.push([f, k, v]);
      } else if (f === 'append') {
        const current = look(k);
        if (current !== undefined && current !== null && !Array.isArray(current)) {
          return { ok: false, error: 'type-error', message: `append to non-list key ${k}` };
        }
        overlay.set(k, [...(current ?? []), v]);
        out.push([f, k, v]);
      } else {
        return { ok: false, error: 'bad-command', message: `unknown micro-op ${String(f)}` };
      }
    }
    for (const [k, v] of overlay) this.set(k, v);
    return { ok: true, ops: out };
  }

  /** The one place data changes, so the hash stays exact. `undefined` deletes. */
  private set(key: string, value: Json | undefined): void {
    const old = this.data.get(key);
    if (old !== undefined) this.sum = (this.sum - pairHash(key, old)) & MASK;
    if (value === undefined) this.data.delete(key);
    else {
      this.data.set(key, value);
      this.sum = (this.sum + pairHash(key, value)) & MASK;
    }
  }
}
