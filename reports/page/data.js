// The embedded data: the model (small JSON, read at once), the column table
// of every operation (gzipped, decoded after the first paint) and the full
// records (gzipped chunks, decoded on demand when an op is opened).

const model = JSON.parse(document.getElementById('report-model').textContent);

function base64Bytes(text) {
  if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(text.trim());
  const binary = atob(text.trim());
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

async function gunzip(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).arrayBuffer();
}

/** Every operation as typed columns: start/end in ms, process (-1 nemesis), f, type, key. */
async function loadColumns() {
  const meta = model.columns;
  const n = meta.count;
  const buffer = await gunzip(base64Bytes(document.getElementById('report-columns').textContent));
  const views = {};
  for (const c of meta.layout) views[c.name] = new globalThis[c.type + 'Array'](buffer, c.offset, n);
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  let us = 0;
  for (let i = 0; i < n; i++) {
    us += views.startDeltaUs[i];
    start[i] = us / 1000;
    end[i] = (us + views.latencyUs[i]) / 1000;
  }
  return { n, start, end, process: views.process, f: views.f, type: views.type, key: views.key, fNames: meta.fNames, keys: meta.keys };
}

const recordChunks = new Map();

/** Rebuilds [invoke, completion] records from a column-wise chunk (reports/columns.ts encodeRecordChunk). */
function decodeRecordChunk(chunk) {
  const out = [];
  let index = 0;
  let time = 0;
  for (let k = 0; k < chunk.i.length; k++) {
    if (chunk.raw[k]) {
      out.push(chunk.raw[k]);
      continue;
    }
    index += chunk.i[k];
    time += chunk.t[k];
    const invoke = { index, time, process: chunk.p[k], type: 'invoke', f: chunk.f[k], value: chunk.v[k] };
    if (chunk.n[k] !== 0) invoke.node = chunk.n[k];
    let completion = null;
    if (chunk.c[k] !== 0) {
      completion = { index: index + chunk.c[k], time: time + chunk.d[k], process: chunk.p[k], type: chunk.y[k], f: chunk.f[k], value: chunk.w[k] };
      if (chunk.m[k] !== 0) completion.node = chunk.m[k];
      if (chunk.e[k] !== 0) completion.error = chunk.e[k];
    }
    out.push([invoke, completion]);
  }
  return out;
}

/** The full record of operation `id`: [invoke, completion | null]. */
async function loadRecord(id) {
  const chunk = Math.floor(id / model.columns.recordsPerChunk);
  if (!recordChunks.has(chunk)) {
    const node = document.getElementById('records-' + chunk);
    if (!node) return null;
    recordChunks.set(chunk, gunzip(base64Bytes(node.textContent)).then((b) => decodeRecordChunk(JSON.parse(new TextDecoder().decode(b)))));
  }
  const records = await recordChunks.get(chunk);
  return records[id - chunk * model.columns.recordsPerChunk] || null;
}

/** Shared view state: the visible time range and the selected op; views subscribe. */
const state = {
  fullRange: [0, Math.max(model.counts.durationMs, 1)],
  range: [0, Math.max(model.counts.durationMs, 1)],
  selected: -1,
  columns: null,
  listeners: { range: [], select: [], columns: [] },
  on(event, fn) {
    this.listeners[event].push(fn);
  },
  emit(event) {
    for (const fn of this.listeners[event]) fn();
  },
  setRange(t0, t1) {
    const [f0, f1] = this.fullRange;
    t0 = Math.max(f0, t0);
    t1 = Math.min(f1, t1);
    if (!(t1 - t0 > 0.001)) return;
    this.range = [t0, t1];
    this.emit('range');
  },
  resetRange() {
    this.range = this.fullRange.slice();
    this.emit('range');
  },
  select(id) {
    this.selected = id;
    this.emit('select');
  },
};
