// Porcupine's key-value model: get / put / append on string values, keys
// independent. Ops use the independent-keys convention, value [key, v]:
//   get    invoke [k, nil]  ok [k, value read]
//   put    invoke [k, v]    ok [k, v]
//   append invoke [k, v]    ok [k, v]   (the value becomes old + v)
// A key never written reads as "" (Porcupine's convention).
//
// Appends make every state a new, ever longer string. The per-key state keeps
// a polynomial hash of its text, updated in O(length of the appended part), so
// interning a state costs O(1) instead of hashing the whole text.
import { independent } from './independent.ts';
import type { Model } from './model.ts';

interface Text {
  readonly text: string;
  readonly hash: number;
  /** Texts made by appending to this one, by suffix: the same appends give the same object. */
  children?: Map<string, Text>;
}

const BASE = 0x01000193;

/** hash(s) = sum s[i] * BASE^(len-1-i) mod 2^32, so hash(a + b) = hash(a) * BASE^|b| + hash(b). */
function extend(hash: number, suffix: string): number {
  let h = hash;
  for (let i = 0; i < suffix.length; i++) h = (Math.imul(h, BASE) + suffix.charCodeAt(i)) | 0;
  return h;
}

/** Prefix hashes of a value read: prefixes[i] = hash of its first i characters. */
const prefixCache = new Map<string, Int32Array>();
function prefixHashes(want: string): Int32Array {
  let p = prefixCache.get(want);
  if (!p) {
    p = new Int32Array(want.length + 1);
    for (let i = 0; i < want.length; i++) p[i + 1] = (Math.imul(p[i], BASE) + want.charCodeAt(i)) | 0;
    if (prefixCache.size > 100_000) prefixCache.clear();
    prefixCache.set(want, p);
  }
  return p;
}

/**
 * Is `state` perhaps a prefix of `want`? Compares hashes, so the texts (long strings
 * built by concatenation) are never flattened: "no" is certain, "yes" may be a collision,
 * which only costs a missed pruning.
 */
function maybePrefix(state: Text, want: string): boolean {
  return state.text.length <= want.length && prefixHashes(want)[state.text.length] === state.hash;
}

/** One per check: the hash-consing tables live as long as the model. */
function stringValueModel(): Model<Text> {
  const empty: Text = { text: '', hash: 0 };
  const puts = new Map<string, Text>([['', empty]]);
  const text = (s: string): Text => {
    let t = puts.get(s);
    if (!t) puts.set(s, (t = { text: s, hash: extend(0, s) }));
    return t;
  };
  return {
    name: 'string value',
    init: () => empty,
    step(state, call) {
      switch (call.f) {
        case 'get':
          if (call.indeterminate) return state;
          // Hashes first: comparing the texts would flatten every state string.
          return maybePrefix(state, String(call.output ?? '')) && String(call.output ?? '') === state.text ? state : undefined;
        case 'put':
          return text(String(call.input ?? ''));
        case 'append': {
          // Hash-consed: equal states reached by the same appends are one object, so
          // comparing them (when the search interns states) costs nothing.
          const suffix = String(call.input ?? '');
          if (suffix === '') return state;
          const children = (state.children ??= new Map());
          let child = children.get(suffix);
          if (!child) children.set(suffix, (child = { text: state.text + suffix, hash: extend(state.hash, suffix) }));
          return child;
        }
        default:
          return undefined;
      }
    },
    reachable(state, read, pending) {
      // Appends only extend the text, a put replaces it: the value read must extend the
      // current text, or a pending put's value.
      const want = String(read.output ?? '');
      if (maybePrefix(state, want)) return true;
      return pending().some((c) => c.f === 'put' && want.startsWith(String(c.input ?? '')));
    },
    hash: (s) => s.hash,
    // Hash and length first: comparing two long texts built by concatenation flattens them.
    equal: (a, b) => a === b || (a.hash === b.hash && a.text.length === b.text.length && a.text === b.text),
    key: (s) => s.text,
    readOnly: (call) => call.f === 'get',
    validate: (call) => (['get', 'put', 'append'].includes(call.f) ? undefined : `kv has no operation '${call.f}' (expected get, put or append)`),
    describeCall(call) {
      if (call.f === 'get') return `get -> ${call.indeterminate ? '?' : JSON.stringify(call.output ?? '')}`;
      return `${call.f} ${JSON.stringify(call.input ?? '')}${call.indeterminate ? ' (indeterminate)' : ''}`;
    },
    describeState: (s) => JSON.stringify(s.text),
  };
}

export function kvModel(): Model {
  return independent(stringValueModel(), 'kv') as Model;
}
