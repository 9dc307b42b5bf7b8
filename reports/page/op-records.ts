// The full record of an operation (its invoke and completion exactly as the
// history has them), from the gzipped record chunks: a chunk is decoded the
// first time one of its ops is opened.
import type { Op, OpType } from '../../history/index.ts';
import type { RecordChunk } from '../columns.ts';
import { base64Bytes, gunzip } from './gzip-blocks.ts';
import { model } from './model.ts';

/** [invoke, completion]; completion null: the op never completed. */
export type OpRecord = [invoke: Op | null, completion: Op | null];

const recordChunks = new Map<number, Promise<OpRecord[]>>();

/** Rebuilds [invoke, completion] records from a column-wise chunk (reports/columns.ts encodeRecordChunk). */
export function decodeRecordChunk(chunk: RecordChunk): OpRecord[] {
  const out: OpRecord[] = [];
  let index = 0;
  let time = 0;
  for (let k = 0; k < chunk.i.length; k++) {
    const raw = chunk.raw[k];
    if (raw) {
      out.push(raw);
      continue;
    }
    index += chunk.i[k];
    time += chunk.t[k];
    const invoke: Op = { index, time, process: chunk.p[k], type: 'invoke', f: chunk.f[k], value: chunk.v[k] };
    const invokeNode = chunk.n[k];
    if (invokeNode !== 0) invoke.node = invokeNode;
    let completion: Op | null = null;
    if (chunk.c[k] !== 0) {
      completion = { index: index + chunk.c[k], time: time + chunk.d[k], process: chunk.p[k], type: chunk.y[k] as OpType, f: chunk.f[k], value: chunk.w[k] };
      const node = chunk.m[k];
      if (node !== 0) completion.node = node;
      const error = chunk.e[k];
      if (error !== 0) completion.error = error;
    }
    out.push([invoke, completion]);
  }
  return out;
}

/** The full record of operation `id`: [invoke, completion | null]; null when the report does not hold it. */
export async function loadRecord(id: number): Promise<OpRecord | null> {
  const chunk = Math.floor(id / model.columns.recordsPerChunk);
  if (!recordChunks.has(chunk)) {
    const node = document.getElementById('records-' + chunk);
    if (!node) return null;
    recordChunks.set(chunk, gunzip(base64Bytes(node.textContent!)).then((b) => decodeRecordChunk(JSON.parse(new TextDecoder().decode(b)))));
  }
  const records = await recordChunks.get(chunk)!;
  return records[id - chunk * model.columns.recordsPerChunk] || null;
}
