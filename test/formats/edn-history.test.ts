// EDN histories as Elle writes its examples (no :process, no :f on txns), and
// the files that stay errors.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { HistoryFileError, parseEdnAll, parseEdnHistory } from '../../history/formats/index.ts';
import { checkElle, opsFromEdn } from '../../checkers/elle/index.ts';
import { corpusDir } from '../../testkit/corpus.ts';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/faultline.mjs');
const paperExample = path.join(corpusDir, 'elle/paper-example.edn');

function loadError(text: string): HistoryFileError {
  try {
    parseEdnHistory(text, 'h.edn');
  } catch (e) {
    if (e instanceof HistoryFileError) return e;
    throw e;
  }
  throw new Error('expected the history to be refused');
}

describe('EDN histories without :process', () => {
  it("read Elle's paper example: each invoke a process of its own, closed by the completion after it, txn by default", () => {
    const history = parseEdnHistory(fs.readFileSync(paperExample, 'utf8'), paperExample);
    expect(history).toHaveLength(8);
    expect(history.map((o) => o.process)).toEqual([-1, -1, -2, -2, -3, -3, -4, -4]);
    expect(history.every((o) => o.f === 'txn')).toBe(true);
    // Same anomalies as through Elle's own reader.
    const elle = checkElle(opsFromEdn(parseEdnAll(fs.readFileSync(paperExample, 'utf8'))), { consistencyModels: ['strict-serializable'] });
    const ours = checkElle(history, { consistencyModels: ['strict-serializable'] });
    expect(ours.valid).toBe(false);
    expect(ours.summary).toBe(elle.summary);
  });

  it('faultline check --checker elle finds it not strict-serializable (exit 1)', async () => {
    const r = await execa('node', [bin, 'check', paperExample, '--checker', 'elle', '--consistency-models', 'strict-serializable'], { reject: false, env: { FORCE_COLOR: '0' } });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/^INVALID .*not strict-serializable: .*G2-item/);
  });

  it('mix with ops that have one, and may end open (indeterminate)', () => {
    const h = parseEdnHistory(`{:type :invoke :process 3 :f :read}
      {:type :invoke :f :write :value 1}
      {:type :ok :process 3 :f :read :value 0}
      {:type :ok :f :write :value 1}
      {:type :invoke :f :write :value 2}`);
    expect(h.map((o) => o.process)).toEqual([3, -1, 3, -1, -2]);
  });

  it.each([
    ['a completion with none open', '{:type :ok :f :read :value 1}', 1, /a ok without :process completes an invoke without one, and none is open/],
    [
      'two overlapping invokes',
      '{:type :invoke :f :write :value 1}\n{:type :invoke :f :write :value 2}\n{:type :ok :f :write :value 1}',
      2,
      /invoke without :process while op #0 \(also without one\) is still open/,
    ],
    ['a process that is not a number', '{:type :invoke :process [1] :f :read}', 1, /expected :process to be a number or :nemesis/],
    ['a non-txn op without :f', '{:type :invoke :process 1 :value 3}', 1, /expected :f to be a keyword/],
  ])('still refuse %s, naming the line', (_what, text, line, message) => {
    const e = loadError(text);
    expect(e.message).toContain(`h.edn:${line}:`);
    expect(e.message).toMatch(message);
  });
});
