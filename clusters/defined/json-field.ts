// A field of a JSON answer by its dot path ("header.member_id", "kvs.0.value";
// "" is the whole answer), as definitions name them. Pure.

/** The value at `path` in `answer`; undefined when some step is missing. */
export function fieldOf(answer: unknown, path: string): unknown {
  if (path === '') return answer;
  let v = answer;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** JSON equality (1 is not "1"; key order does not matter). */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
