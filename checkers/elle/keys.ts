// Keys by value. Histories may use composite keys (EDN vectors such as
// [:anti 1], JSON arrays): each occurrence is a new array, and Maps compare
// arrays by identity, so every read or write of [:anti 1] would be a key of
// its own and no dependency between them would ever be seen. Interning maps
// every key to the first key of the same value (its canonical text), so the
// analyses can keep comparing keys with === and Maps. Numbers and strings are
// already compared by value and pass through untouched.
import type { Key } from './types.ts';

/** A canonical text of a key: equal exactly when the keys are equal by value (1 and "1" differ). */
export function keyText(k: unknown): string {
  if (Array.isArray(k)) return `[${k.map(keyText).join(' ')}]`;
  if (k !== null && typeof k === 'object') {
    const fields = Object.keys(k).sort();
    return `{${fields.map((f) => `${JSON.stringify(f)} ${keyText((k as Record<string, unknown>)[f])}`).join(', ')}}`;
  }
  if (typeof k === 'string') return JSON.stringify(k);
  return String(k);
}

/** A fresh interning table: the returned function gives one object per key value. */
export function keyInterner(): (k: Key) => Key {
  const byText = new Map<string, Key>();
  return (k) => {
    if (typeof k !== 'object' || k === null) return k;
    const text = keyText(k);
    const first = byText.get(text);
    if (first !== undefined) return first;
    byText.set(text, k);
    return k;
  };
}
