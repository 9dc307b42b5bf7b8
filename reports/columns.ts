// Compact embedding of every operation for the page: a gzipped column table
// (what the timeline and zoomed plots draw) and gzipped chunks of full records
// (decompressed only when a person clicks an op). This is what keeps a
// million-op report under 50 MB and quick to open.
import { gzipSync } from 'node:zlib';
import type { Op, Process } from '../history/index.ts';
import type { Operation } from './operations.ts';
import { OUTCOMES } from './series.ts';

/** Operations per record chunk: one click decompresses one chunk (~100 KB of JSON). */
export const RECORDS_PER_CHUNK = 500;

export interface ColumnLayout {
  name: 'startDeltaUs' | 'latencyUs' | 'process' | 'f' | 'type' | 'key';
  type: 'Uint32' | 'Int32' | 'Uint16' | 'Uint8';
  /** Byte offset in the decompressed buffer (aligned to 4). */
  offset: number;
}

export interface EncodedColumns {
  count: number;
  layout: ColumnLayout[];
  /** Dictionaries the f and key columns index into; process -1 is the nemesis. */
  fNames: string[];
  keys: string[];
  /** Gzipped column buffer, base64. */
  data: string;
}

const BYTES = { Uint32: 4, Int32: 4, Uint16: 2, Uint8: 1 } as const;
const U32_MAX = 0xffffffff;

/**
 * Columns of every operation in id (= invoke) order. Start times are stored as
 * microsecond deltas from the previous op (small, regular numbers gzip well);
 * the page rebuilds absolute times with a prefix sum.
 */
export function encodeColumns(operations: readonly Operation[]): EncodedColumns {
  const n = operations.length;
  const fNames = new Dictionary();
  const keys = new Dictionary();
  const specs: Array<Omit<ColumnLayout, 'offset'>> = [
    { name: 'startDeltaUs', type: 'Uint32' },
    { name: 'latencyUs', type: 'Uint32' },
    { name: 'process', type: 'Int32' },
    { name: 'key', type: 'Int32' },
    { name: 'f', type: 'Uint16' },
    { name: 'type', type: 'Uint8' },
  ];
  let offset = 0;
  const layout: ColumnLayout[] = specs.map((spec) => {
    const column = { ...spec, offset };
    offset = align4(offset + n * BYTES[spec.type]);
    return column;
  });
  const buffer = new ArrayBuffer(Math.max(offset, 4));
  const at = (name: ColumnLayout['name']) => layout.find((c) => c.name === name)!.offset;
  const startDelta = new Uint32Array(buffer, at('startDeltaUs'), n);
  const latency = new Uint32Array(buffer, at('latencyUs'), n);
  const processes = new Int32Array(buffer, at('process'), n);
  const keyIds = new Int32Array(buffer, at('key'), n);
  const fIds = new Uint16Array(buffer, at('f'), n);
  const types = new Uint8Array(buffer, at('type'), n);
  let previousUs = 0;
  operations.forEach((op, i) => {
    const startUs = Math.max(previousUs, Math.round(op.start / 1000));
    startDelta[i] = Math.min(U32_MAX, startUs - previousUs);
    previousUs = startUs;
    latency[i] = Math.min(U32_MAX, Math.max(0, Math.round((op.end - op.start) / 1000)));
    processes[i] = op.process === 'nemesis' ? -1 : op.process;
    keyIds[i] = op.key === undefined ? -1 : keys.id(op.key);
    fIds[i] = fNames.id(op.f);
    types[i] = OUTCOMES.indexOf(op.type);
  });
  return { count: n, layout, fNames: fNames.values, keys: keys.values, data: gzipBase64(new Uint8Array(buffer)) };
}

/**
 * One chunk of full records, column-wise so gzip finds the repetition (about
 * half the size of gzipped JSON lines): op k of the chunk is rebuilt by the
 * page (decodeRecordChunk in page/op-records.ts; test/browser checks the round trip) as [invoke, completion | null],
 * field for field. Records with fields beyond the usual ones, or whose
 * completion disagrees with its invoke on process or f, travel verbatim in `raw`.
 */
export interface RecordChunk {
  /** Invoke index: delta from the previous invoke in the chunk (the first is absolute). */
  i: number[];
  /** Completion index minus invoke index; 0 = no completion. */
  c: number[];
  /** Invoke time (ns): delta from the previous invoke in the chunk. */
  t: number[];
  /** Completion time minus invoke time (ns). */
  d: number[];
  p: Process[];
  f: string[];
  /** Completion type. */
  y: string[];
  /** Invoke value, completion value. */
  v: unknown[];
  w: unknown[];
  /** Invoke node, completion node, completion error (0 = absent). */
  n: Array<string | 0>;
  m: Array<string | 0>;
  e: Array<string | 0>;
  /** Position in chunk -> [invoke, completion] for records the columns cannot carry. */
  raw: Record<number, [Op | null, Op | null]>;
}

const USUAL_FIELDS = new Set(['index', 'time', 'process', 'type', 'f', 'value', 'node', 'error']);

function plain(op: Op | null | undefined): boolean {
  return !op || Object.keys(op).every((k) => USUAL_FIELDS.has(k));
}

export function encodeRecordChunk(pairs: ReadonlyArray<[Op | null, Op | null]>): RecordChunk {
  const chunk: RecordChunk = { i: [], c: [], t: [], d: [], p: [], f: [], y: [], v: [], w: [], n: [], m: [], e: [], raw: {} };
  let lastIndex = 0;
  let lastTime = 0;
  pairs.forEach(([invoke, completion], k) => {
    const regular = invoke && plain(invoke) && plain(completion) && (!completion || (completion.process === invoke.process && completion.f === invoke.f));
    if (!regular || !invoke) {
      chunk.raw[k] = [invoke, completion];
      for (const column of [chunk.i, chunk.c, chunk.t, chunk.d, chunk.p, chunk.f, chunk.y, chunk.v, chunk.w, chunk.n, chunk.m, chunk.e]) column.push(0);
      return;
    }
    chunk.i.push(invoke.index - lastIndex);
    chunk.t.push(invoke.time - lastTime);
    lastIndex = invoke.index;
    lastTime = invoke.time;
    chunk.c.push(completion ? completion.index - invoke.index : 0);
    chunk.d.push(completion ? completion.time - invoke.time : 0);
    chunk.p.push(invoke.process);
    chunk.f.push(invoke.f);
    chunk.y.push(completion ? completion.type : '');
    chunk.v.push(invoke.value);
    chunk.w.push(completion ? completion.value : null);
    chunk.n.push(invoke.node ?? 0);
    chunk.m.push(completion?.node ?? 0);
    chunk.e.push(completion?.error ?? 0);
  });
  return chunk;
}

/** Every operation's records, RECORDS_PER_CHUNK per gzipped chunk (chunk c holds ids c*RECORDS_PER_CHUNK...). */
export function encodeRecordChunks(operations: readonly Operation[], opAt: (index: number) => Op | undefined): string[] {
  const chunks: string[] = [];
  for (let first = 0; first < operations.length; first += RECORDS_PER_CHUNK) {
    const pairs = operations
      .slice(first, first + RECORDS_PER_CHUNK)
      .map((op): [Op | null, Op | null] => [opAt(op.invokeIndex) ?? null, op.completeIndex >= 0 ? (opAt(op.completeIndex) ?? null) : null]);
    chunks.push(gzipBase64(Buffer.from(JSON.stringify(encodeRecordChunk(pairs)))));
  }
  return chunks;
}

export function gzipBase64(bytes: Uint8Array): string {
  return gzipSync(bytes, { level: 6 }).toString('base64');
}

class Dictionary {
  readonly values: string[] = [];
  private readonly ids = new Map<string, number>();
  id(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.ids.set(value, id);
    }
    return id;
  }
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
