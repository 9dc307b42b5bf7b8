// Several typed arrays carved out of one ArrayBuffer. A search over a short
// history needs a dozen arrays, and allocating each backing store separately
// cost more than the search itself (most corpus histories take well under a
// millisecond); one buffer costs one allocation.
type Kind = 'i32' | 'u32' | 'u8';
type ArrayOf<K extends Kind> = K extends 'i32' ? Int32Array : K extends 'u32' ? Uint32Array : Uint8Array;
const BYTES: Record<Kind, number> = { i32: 4, u32: 4, u8: 1 };

/** carve({ next: ['i32', 10], seen: ['u8', 10] }) -> { next: Int32Array(10), seen: Uint8Array(10) }, zeroed. */
export function carve<const S extends Record<string, readonly [Kind, number]>>(spec: S): { [N in keyof S]: ArrayOf<S[N][0]> } {
  // Each array starts on a 4-byte boundary, as Int32Array requires.
  const align = (bytes: number) => (bytes + 3) & ~3;
  let total = 0;
  for (const [kind, length] of Object.values(spec)) total += align(BYTES[kind] * length);
  const buffer = new ArrayBuffer(total);
  const out: Record<string, Int32Array | Uint32Array | Uint8Array> = {};
  let offset = 0;
  for (const [name, [kind, length]] of Object.entries(spec)) {
    out[name] = kind === 'i32' ? new Int32Array(buffer, offset, length) : kind === 'u32' ? new Uint32Array(buffer, offset, length) : new Uint8Array(buffer, offset, length);
    offset += align(BYTES[kind] * length);
  }
  return out as { [N in keyof S]: ArrayOf<S[N][0]> };
}
