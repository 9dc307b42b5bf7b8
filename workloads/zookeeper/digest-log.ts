// ZooKeeper's own digests of its data tree (the `hash` four-letter word):
// each member logs the tree's digest after every transaction whose zxid is a
// multiple of 128 (DataTree.DIGEST_LOG_INTERVAL; the last 1024 of them), so
// members that applied the same transactions logged the same digests at the
// same zxids. Cheap to ask whatever the tree's size; it shows nothing of the
// last transactions since the latest multiple. Pure.

/** `hash`'s answer, "zxid-in-hex: digest" per line, as [zxid, digest] in zxid order; undefined when the member gave none (not serving, or the word not allowed). */
export function parseDigestLog(text: string): Array<[number, string]> | undefined {
  const entries = [...text.matchAll(/^([0-9a-fA-F]+):[ \t]*(-?\d+)$/gm)].map((m): [number, string] => [Number.parseInt(m[1], 16), m[2]]);
  if (entries.length === 0 && text.trim() !== '') return undefined;
  return entries.sort(([a], [b]) => a - b);
}

/** The highest zxid every log has an entry for, or undefined when they share none. */
export function latestCommonZxid(logs: ReadonlyArray<ReadonlyArray<readonly [number, string]>>): number | undefined {
  if (logs.length === 0) return undefined;
  const [first, ...rest] = logs;
  const shared = first.map(([z]) => z).filter((z) => rest.every((log) => log.some(([y]) => y === z)));
  return shared.length ? Math.max(...shared) : undefined;
}
