import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HistoryRecorder, pairOps, readHistory } from '../../history/index.ts';
import { checkWellFormed } from '../../checkers/well-formed.ts';
import type { Op } from '../../history/op.ts';

const op = (index: number, process: Op['process'], type: Op['type'], f = 'read', value: unknown = null): Op => ({ index, time: index, process, type, f, value });

describe('pairing', () => {
  it('a completion belongs to the last open invoke of the same process', () => {
    const h = [op(0, 0, 'invoke'), op(1, 1, 'invoke', 'write', 3), op(2, 'nemesis', 'invoke', 'start-partition'), op(3, 1, 'ok', 'write', 3), op(4, 0, 'info'), op(5, 1, 'invoke'), op(6, 'nemesis', 'ok', 'start-partition'), op(7, 3, 'invoke')];
    const pairs = pairOps(h);
    expect(pairs.map((p) => [p.invoke.index, p.completion?.index])).toEqual([[0, 4], [1, 3], [2, 6], [5, undefined], [7, undefined]]);
    expect(checkWellFormed(h).valid).toBe(true);
  });

  it('rejects a second invoke on an open process and an orphan completion', () => {
    expect(() => pairOps([op(0, 0, 'invoke'), op(1, 0, 'invoke')])).toThrow(/still open/);
    expect(() => pairOps([op(0, 0, 'ok')])).toThrow(/no open invoke/);
    expect(checkWellFormed([op(0, 0, 'invoke'), op(1, 0, 'invoke')])).toMatchObject({ valid: false });
    expect(checkWellFormed([op(1, 0, 'invoke')]).summary).toMatch(/index 1/);
  });
});

describe('history.jsonl', () => {
  it('recorder writes what reader reads; a cut-off last line is dropped', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-hist-'));
    const file = path.join(dir, 'history.jsonl');
    let t = 0;
    const rec = new HistoryRecorder(file, () => t++);
    const inv = rec.invoke(0, 'write', 1, 'n1');
    rec.complete(inv, { type: 'ok', value: 1 });
    const inv2 = rec.invoke(1, 'read', null, 'n2');
    rec.complete(inv2, { type: 'info', error: 'timeout' });
    // Not yet on disk within this turn; on disk after it.
    expect(fs.readFileSync(file, 'utf8')).toBe('');
    await new Promise((r) => setImmediate(r));
    const history = readHistory(file);
    expect(history).toEqual(rec.history);
    expect(history[3]).toEqual({ index: 3, time: 3, process: 1, type: 'info', f: 'read', value: null, node: 'n2', error: 'timeout' });
    rec.close();
    fs.appendFileSync(file, '{"index":4,"ti');
    expect(readHistory(file)).toHaveLength(4);
    fs.rmSync(dir, { recursive: true });
  });
});
