// Jepsen text logs as peers read them: any run of whitespace between columns,
// CRLF line ends, free text after fail/info values; an op line that cannot be
// read is an error naming its line, never skipped (a skipped ok read can turn
// an invalid history valid).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadHistoryFile, parseJepsenLog, HistoryFileError } from '../../history/formats/index.ts';
import { checkerFromSpec } from '../../checkers/registry.ts';

const TAB_LOG = [
  'INFO  jepsen.util - 0\t:invoke\t:write\t1',
  'INFO  jepsen.util - 0\t:ok\t:write\t1',
  'INFO  jepsen.util - 1\t:invoke\t:read\tnil',
  'INFO  jepsen.util - 1\t:ok\t:read\t2',
].join('\n');

const check = (text: string) =>
  checkerFromSpec({ name: 'linearizability', config: { model: 'cas-register', nilRead: 'absent', workers: 0 } }).check(parseJepsenLog(text), { nodes: [], workload: '' });

describe('Jepsen text logs', () => {
  it('the read of a value never written is caught with tabs, spaces, CRLF and both', async () => {
    const variants = {
      tabs: TAB_LOG,
      spaces: TAB_LOG.replace(/\t/g, '   '),
      crlf: TAB_LOG.replace(/\n/g, '\r\n'),
      mixed: TAB_LOG.replace(/\t/g, ' \t ').replace(/\n/g, '\r\n') + '\r\n',
    };
    for (const [name, text] of Object.entries(variants)) {
      const h = parseJepsenLog(text);
      expect(h, name).toHaveLength(4);
      expect(h[3]).toMatchObject({ process: 1, type: 'ok', f: 'read', value: 2 });
      expect((await check(text)).valid, name).toBe(false);
    }
  });

  it('keeps the reason after a fail or info value as the error, vectors with spaces intact', () => {
    const h = parseJepsenLog('INFO  jepsen.util - 7  :invoke  :cas  [1 2]\nINFO  jepsen.util - 7  :info  :cas  [1 2]  indeterminate: Read timed out\nINFO jepsen.util - :nemesis :info :start "cut"');
    expect(h[1]).toMatchObject({ process: 7, type: 'info', f: 'cas', value: [1, 2], error: 'indeterminate: Read timed out' });
    expect(h[2]).toMatchObject({ process: 'nemesis', type: 'info', f: 'start', value: 'cut' });
  });

  it('skips other log lines, but an op line it cannot read is an error naming the line', () => {
    const ok = 'INFO  jepsen.core - Running test\nINFO  jepsen.util - Relative time begins now\n' + TAB_LOG;
    expect(parseJepsenLog(ok)).toHaveLength(4);
    const bad = (line: string) => () => parseJepsenLog(`${TAB_LOG}\n${line}\n`, 'x.log');
    expect(bad('INFO  jepsen.util - 1\t:okay\t:read\t2')).toThrow(/x\.log:5: expected :invoke, :ok, :fail or :info after the process, found ":okay"/);
    expect(bad('INFO  jepsen.util - 1\t:ok')).toThrow(/x\.log:5: expected an op name/);
    expect(bad('INFO  jepsen.util - 1\t:ok\t:read\t[1 2')).toThrow(/x\.log:5: the value is not EDN/);
    expect(bad('INFO  jepsen.util - 1\t:ok\t:read\t2 and more')).toThrow(/x\.log:5: unexpected text after the value/);
    expect(bad('INFO  jepsen.util - 1\t:ok\t:read\t2 and more')).toThrow(HistoryFileError);
  });

  it('an empty log (or one with a byte order mark) is read like an empty history, whatever its extension', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-log-'));
    try {
      for (const name of ['empty.log', 'empty.jsonl', 'empty.edn', 'blank.log']) {
        fs.writeFileSync(path.join(dir, name), name.startsWith('blank') ? '\n  \n' : '');
        expect(loadHistoryFile(path.join(dir, name)).history, name).toEqual([]);
      }
      fs.writeFileSync(path.join(dir, 'bom.log'), '\ufeff' + TAB_LOG);
      expect(loadHistoryFile(path.join(dir, 'bom.log'))).toMatchObject({ format: 'jepsen-log' });
      expect(loadHistoryFile(path.join(dir, 'bom.log')).history).toHaveLength(4);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
