// Every operation of the run as typed columns, decoded from the gzipped
// column table (reports/columns.ts encodeColumns) after the first paint.
// What the timeline and the zoomed latency plot draw.
import type { ColumnLayout } from '../columns.ts';
import { base64Bytes, gunzip } from './gzip-blocks.ts';
import { model } from './model.ts';

/** Operation i of the run (its id) is position i of every column. */
export interface OpColumns {
  n: number;
  /** Invoke and completion times, ms since test start. */
  start: Float64Array;
  end: Float64Array;
  /** Process number; -1 is the nemesis. */
  process: Int32Array;
  /** Index into fNames. */
  f: Uint16Array;
  /** Outcome code: index into OUTCOME_NAMES (ok, fail, info). */
  type: Uint8Array;
  /** Index into keys; -1 when the op has no key. */
  key: Int32Array;
  fNames: string[];
  keys: string[];
}

type ColumnArray = Uint32Array | Int32Array | Uint16Array | Uint8Array;

const ARRAY_TYPES: Record<ColumnLayout['type'], new (buffer: ArrayBuffer, offset: number, length: number) => ColumnArray> = {
  Uint32: Uint32Array,
  Int32: Int32Array,
  Uint16: Uint16Array,
  Uint8: Uint8Array,
};

/** Every operation as typed columns: start/end in ms, process (-1 nemesis), f, type, key. */
export async function loadColumns(): Promise<OpColumns> {
  const meta = model.columns;
  const n = meta.count;
  const buffer = await gunzip(base64Bytes(document.getElementById('report-columns')!.textContent!));
  const views = {} as Record<ColumnLayout['name'], ColumnArray>;
  for (const c of meta.layout) views[c.name] = new ARRAY_TYPES[c.type](buffer, c.offset, n);
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  let us = 0;
  for (let i = 0; i < n; i++) {
    us += views.startDeltaUs[i];
    start[i] = us / 1000;
    end[i] = (us + views.latencyUs[i]) / 1000;
  }
  return {
    n,
    start,
    end,
    process: views.process as Int32Array,
    f: views.f as Uint16Array,
    type: views.type as Uint8Array,
    key: views.key as Int32Array,
    fNames: meta.fNames,
    keys: meta.keys,
  };
}
