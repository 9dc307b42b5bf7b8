// Large scratch arrays (graph, SCC, event order). They live next to a history
// that is itself a gigabyte of JS objects at a million transactions. V8 counts
// ArrayBuffer memory as external and forces a full mark-compact of that whole
// heap (about a second each) for every ~64 MB of new ArrayBuffers, which made
// the 1M check GC-bound. SharedArrayBuffer memory is not counted that way, so
// big ones come from there when it exists. Its memory goes back at the next
// full GC once unreferenced, but its garbage does not hasten that GC either:
// use these for arrays a check allocates a bounded number of times (the
// graph, one SCC pass per region and model), not in per-search loops.
const shared = typeof SharedArrayBuffer === 'function';
/** Below this, an ordinary ArrayBuffer: cheap, and too small to matter. */
const SHARED_FROM_BYTES = 1 << 16;

function backing(bytes: number): ArrayBufferLike {
  return shared && bytes >= SHARED_FROM_BYTES ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
}

/** Zero-filled. */
export function int32Array(length: number): Int32Array {
  return new Int32Array(backing(4 * length));
}

export function uint8Array(length: number): Uint8Array {
  return new Uint8Array(backing(length));
}

export function float64Array(length: number): Float64Array {
  return new Float64Array(backing(8 * length));
}

/** A copy of a[start, end) (typed-array slice() would allocate an ordinary ArrayBuffer). */
export function int32Slice(a: Int32Array, start = 0, end = a.length): Int32Array {
  const out = int32Array(end - start);
  out.set(a.subarray(start, end));
  return out;
}
