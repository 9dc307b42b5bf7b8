// What the corrupt nemesis does to one file, as pure functions: the bytes
// it changes are drawn from the node's own slice of the file (node i of n
// gets the i-th n-th), so no two nodes lose the same region and a majority
// always holds an intact copy of any byte.
import type { Random } from '../generator/index.ts';

export const CORRUPT_VARIANTS = ['bitflip', 'truncate'] as const;
export type CorruptKind = (typeof CORRUPT_VARIANTS)[number];

/** Bits flipped per bitflip: few enough to look like a bad sector, not a wiped file. */
export const FLIPS = 8;

export type Corruption =
  | { kind: 'bitflip'; region: [number, number]; flips: { offset: number; bit: number }[] }
  | { kind: 'truncate'; region: [number, number]; sizeBefore: number; sizeAfter: number };

/** Byte range [start, end) of `size` that belongs to slice `index` of `count`. */
export function sliceOf(size: number, index: number, count: number): [number, number] {
  return [Math.floor((size * index) / count), Math.floor((size * (index + 1)) / count)];
}

export interface DataFile {
  file: string;
  size: number;
}

/**
 * The file to corrupt: a class drawn among those with a file big enough
 * that every node's slice holds a byte (at least `nodeCount` bytes), then
 * that class's last such file in glob order (the newest log or snapshot).
 * Null when no class has one: a 1-byte epoch file cannot be cut in slices.
 */
export function chooseFile(classes: Record<string, DataFile[]>, nodeCount: number, random: Random): { fileClass: string; file: DataFile } | null {
  const usable = Object.entries(classes)
    .map(([fileClass, files]) => [fileClass, files.filter((f) => f.size >= nodeCount)] as const)
    .filter(([, files]) => files.length > 0);
  if (usable.length === 0) return null;
  const [fileClass, files] = random.pick(usable);
  return { fileClass, file: files[files.length - 1] };
}

/** Choose the change: bit flips at distinct offsets inside the slice, or a cut inside it. Throws when the slice is empty. */
export function planCorruption(kind: CorruptKind, size: number, slice: { index: number; count: number }, random: Random): Corruption {
  const region = sliceOf(size, slice.index, slice.count);
  const [start, end] = region;
  if (end <= start) throw new Error(`file of ${size} bytes has no bytes in slice ${slice.index + 1} of ${slice.count}`);
  if (kind === 'truncate') return { kind, region, sizeBefore: size, sizeAfter: start + random.int(end - start) };
  const offsets = new Set<number>();
  while (offsets.size < Math.min(FLIPS, end - start)) offsets.add(start + random.int(end - start));
  return { kind, region, flips: [...offsets].sort((a, b) => a - b).map((offset) => ({ offset, bit: random.int(8) })) };
}

/** The file's bytes after the change (a copy; `data` is left as it was). */
export function applyCorruption(data: Buffer, c: Corruption): Buffer {
  if (c.kind === 'truncate') return Buffer.from(data.subarray(0, c.sizeAfter));
  const out = Buffer.from(data);
  for (const { offset, bit } of c.flips) out[offset] ^= 1 << bit;
  return out;
}

/** In words, for the history and the fault timeline. */
export function describeCorruption(c: Corruption): string {
  return c.kind === 'truncate'
    ? `truncated from ${c.sizeBefore} to ${c.sizeAfter} bytes`
    : `${c.flips.length} bits flipped in bytes ${c.flips[0].offset}-${c.flips[c.flips.length - 1].offset}`;
}
